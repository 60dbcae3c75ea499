"""Staff accounts and inbox sessions: scrypt password hashes with a per-user salt, hashed session tokens,
casework permission, disabled leavers, locked accounts, password change with session rotation.

`parentbot staff add|disable|casework` manage accounts (bot/cli_staff.py); the staff app's login throttle
is staff/throttle.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.db import transaction
from bot.storage.models.escalation import StaffSession, StaffUser, utcnow

ROLES = ("health_visitor", "manager")
_N, _R, _P = 2**14, 8, 1  # scrypt cost: about 50 ms and 16 MB per check on this machine class


class StaffError(ValueError):
    pass


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
    )
    return hmac.compare_digest(got.hex(), digest)


MIN_PASSWORD = 10


def add_user(username: str, password: str, role: str, casework: bool | None = None) -> int:
    """A new account; a manager gets casework (claim, reply, close, reopen) only when asked for."""
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(password) < MIN_PASSWORD:
        raise StaffError("a username and a password of at least 10 characters are needed")
    with transaction() as s:
        if s.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
            raise StaffError(f"user {username!r} exists")
        can = role == "health_visitor" or bool(casework)
        user = StaffUser(username=username, password_hash=hash_password(password), role=role, casework=can)
        s.add(user)
        s.flush()
        return int(user.id)


def _user(s: Session, username: str) -> StaffUser:
    user: StaffUser | None = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        raise StaffError(f"no user {username!r}")
    return user


def disable(username: str) -> int:
    """A leaver: no more sign-ins, and every open session ends now. The number of sessions ended."""
    with transaction() as s:
        user = _user(s, username)
        user.disabled_at = user.disabled_at or utcnow()
        ended = s.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        return int(ended.rowcount or 0)


def set_casework(username: str, allowed: bool) -> None:
    with transaction() as s:
        user = _user(s, username)
        if user.role == "health_visitor" and not allowed:
            raise StaffError("health visitors always have casework")
        user.casework = allowed


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    csrf_token: str
    casework: bool = False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Compared against when the user does not exist, so a wrong username costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password", salt=b"0" * 16)


def _new_session(s: Session, user_id: int, minutes: int) -> str:
    token = secrets.token_urlsafe(32)
    s.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
    s.add(
        StaffSession(
            token_hash=_token_hash(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(24),
            expires_at=utcnow() + dt.timedelta(minutes=minutes),
        )
    )
    return token


def login(username: str, password: str, minutes: int) -> str | None:
    """A new session token (for the cookie) or None. Only the token's hash is stored. A disabled or locked
    account is refused even with the right password (checked after it, so the time taken is the same)."""
    with transaction() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
        if user is None or not ok or user.disabled_at is not None or is_locked(user):
            return None
        return _new_session(s, int(user.id), minutes)


def is_locked(user: StaffUser, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def locked(username: str) -> bool:
    with transaction() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        return user is not None and is_locked(user)


def lock(username: str, minutes: int, alert: Callable[[Session, str], None]) -> bool:
    """Lock an existing account for `minutes` and have `alert` queue the duty manager's alert in the same
    transaction; False (nothing done) for an unknown or already locked account: one alert per lockout."""
    with transaction() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        if user is None or is_locked(user):
            return False
        user.locked_until = utcnow() + dt.timedelta(minutes=minutes)
        alert(s, username)
        return True


def change_password(token: str | None, old: str, new: str, minutes: int) -> str:
    """The signed-in user's new password; every session of theirs ends (a thief's too) and the token of a
    new one is returned for the cookie."""
    if len(new) < MIN_PASSWORD:
        raise StaffError("too short")
    with transaction() as s:
        row = s.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.token_hash == _token_hash(token or ""))
        ).first()
        if row is None or not verify_password(old, row[1].password_hash):
            raise StaffError("wrong password")
        user = row[1]
        user.password_hash = hash_password(new)
        s.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        return _new_session(s, int(user.id), minutes)


def session_for(token: str | None) -> Login | None:
    if not token:
        return None
    with transaction() as s:
        row = s.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.token_hash == _token_hash(token))
        ).first()
        if row is None:
            return None
        session, user = row
        if session.expires_at <= utcnow() or user.disabled_at is not None:
            s.delete(session)
            return None
        return Login(user.username, user.role, session.csrf_token, bool(user.casework))


def logout(token: str | None) -> None:
    if token:
        with transaction() as s:
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
