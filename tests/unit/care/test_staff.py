"""bot/care/staff.py and `parentbot staff add`: hashed passwords, hashed session tokens, expiry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.care import staff
from bot.cli import main
from bot.storage.db import transaction
from bot.storage.models.escalation import StaffSession, StaffUser
from tests.support.escalation import use_temp_db


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def test_password_hash_is_salted_and_verifies() -> None:
    a, b = staff.hash_password("correct horse"), staff.hash_password("correct horse")
    assert a != b and a.startswith("scrypt$")
    assert staff.verify_password("correct horse", a)
    assert not staff.verify_password("wrong horse", a)
    assert not staff.verify_password("correct horse", "plain")


def test_cli_adds_user_from_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    assert main(["staff", "add", "hv1", "--role", "health_visitor", "--password-file", str(secret)]) == 0
    assert main(["staff", "add", "hv1", "--password-file", str(secret)]) == 1  # exists
    with transaction() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == "hv1")).scalar_one()
        assert user.role == "health_visitor" and "a long enough password" not in user.password_hash
    assert staff.login("hv1", "a long enough password", 60) is not None


def test_short_password_and_unknown_role_are_refused() -> None:
    with pytest.raises(staff.StaffError):
        staff.add_user("hv2", "short", "health_visitor")
    with pytest.raises(staff.StaffError):
        staff.add_user("hv2", "a long enough password", "admin")


def test_sessions_store_only_a_hash_and_expire() -> None:
    staff.add_user("hv1", "a long enough password", "manager")
    assert staff.login("hv1", "nope nope nope", 60) is None
    assert staff.login("nobody", "a long enough password", 60) is None
    token = staff.login("hv1", "a long enough password", 60)
    assert token is not None
    login = staff.session_for(token)
    assert login is not None and (login.username, login.role) == ("hv1", "manager") and login.csrf_token
    with transaction() as s:
        assert s.execute(select(StaffSession.token_hash)).scalars().all() != [token]
        s.execute(update(StaffSession).values(expires_at=dt.datetime(2000, 1, 1)))
    assert staff.session_for(token) is None
    assert staff.session_for(None) is None and staff.session_for("forged") is None


def test_logout_ends_the_session() -> None:
    staff.add_user("hv1", "a long enough password", "health_visitor")
    token = staff.login("hv1", "a long enough password", 60)
    staff.logout(token)
    assert staff.session_for(token) is None
