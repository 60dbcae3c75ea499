"""Staff accounts and inbox sessions: scrypt password hashes with a per-user salt, hashed session tokens.

`parentbot staff add USERNAME --role health_visitor` creates accounts (bot/cli.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select

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


def add_user(username: str, password: str, role: str) -> int:
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(password) < 10:
        raise StaffError("a username and a password of at least 10 characters are needed")
    with transaction() as s:
        if s.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
            raise StaffError(f"user {username!r} exists")
        user = StaffUser(username=username, password_hash=hash_password(password), role=role)
        s.add(user)
        s.flush()
        return int(user.id)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    csrf_token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Compared against when the user does not exist, so a wrong username costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password", salt=b"0" * 16)


def login(username: str, password: str, minutes: int) -> str | None:
    """A new session token (for the cookie) or None. Only the token's hash is stored."""
    with transaction() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
        ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
        if user is None or not ok:
            return None
        token = secrets.token_urlsafe(32)
        s.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
        s.add(
            StaffSession(
                token_hash=_token_hash(token),
                user_id=user.id,
                csrf_token=secrets.token_urlsafe(24),
                expires_at=utcnow() + dt.timedelta(minutes=minutes),
            )
        )
        return token


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
        if session.expires_at <= utcnow():
            s.delete(session)
            return None
        return Login(user.username, user.role, session.csrf_token)


def logout(token: str | None) -> None:
    if token:
        with transaction() as s:
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
