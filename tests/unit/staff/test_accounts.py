"""Staff accounts without a server (issue 13, item 7): `staff add` from stdin, disabling a leaver, casework,
password change, lockout and its alert, and the sign-in throttle's windows."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.care import casework, staff
from bot.care.alerts import queue_lockout_alert
from bot.cli import main
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox
from staff.throttle import Throttle
from tests.support.escalation import use_temp_db

PASSWORD = "a long enough password"
PARENTBOT = Path(sys.executable).parent / "parentbot"


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def test_staff_add_reads_the_password_from_stdin_when_there_is_no_terminal(db: str) -> None:
    env = {**os.environ, "DATABASE_URL": db}
    done = subprocess.run(
        [str(PARENTBOT), "staff", "add", "hv-piped"], input=PASSWORD + "\n", env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, "parentbot staff add: hv-piped (health_visitor) created, id 1")
    assert staff.login("hv-piped", PASSWORD, 5) is not None
    short = subprocess.run(
        [str(PARENTBOT), "staff", "add", "hv-short"], input="short\n", env=env, capture_output=True, text=True
    )
    assert short.returncode == 1 and "at least 10 characters" in short.stderr


def test_a_disabled_leaver_has_no_session_no_sign_in_and_is_not_offered_for_hand_over() -> None:
    staff.add_user("hv-leaver", PASSWORD, "health_visitor")
    staff.add_user("hv-stays", PASSWORD, "health_visitor")
    tokens = [staff.login("hv-leaver", PASSWORD, 60), staff.login("hv-leaver", PASSWORD, 60)]
    assert main(["staff", "disable", "hv-leaver"]) == 0
    assert [staff.session_for(t) for t in tokens] == [None, None]
    assert staff.login("hv-leaver", PASSWORD, 60) is None
    assert casework.colleagues("hv-stays") == []
    assert main(["staff", "disable", "nobody"]) == 1


def test_casework_is_a_health_visitors_and_a_managers_only_when_given() -> None:
    staff.add_user("hv", PASSWORD, "health_visitor")
    staff.add_user("mgr", PASSWORD, "manager")
    staff.add_user("mgr-cw", PASSWORD, "manager", casework=True)
    can = {name: staff.session_for(staff.login(name, PASSWORD, 5)).casework for name in ("hv", "mgr", "mgr-cw")}  # type: ignore[union-attr]
    assert can == {"hv": True, "mgr": False, "mgr-cw": True}
    assert main(["staff", "casework", "mgr", "on"]) == 0
    assert staff.session_for(staff.login("mgr", PASSWORD, 5)).casework is True  # type: ignore[union-attr]
    assert main(["staff", "casework", "hv", "off"]) == 1  # a health visitor always works cases


def test_a_password_change_needs_the_old_one_and_rotates_every_session() -> None:
    staff.add_user("hv", PASSWORD, "health_visitor")
    here, there = staff.login("hv", PASSWORD, 60), staff.login("hv", PASSWORD, 60)
    with pytest.raises(staff.StaffError):
        staff.change_password(here, "not the password", "a new long password", 60)
    new_token = staff.change_password(here, PASSWORD, "a new long password", 60)
    assert new_token not in (here, there)
    assert [staff.session_for(here), staff.session_for(there)] == [None, None]
    assert staff.session_for(new_token) is not None
    assert staff.login("hv", PASSWORD, 60) is None and staff.login("hv", "a new long password", 60) is not None


def test_a_lock_refuses_the_right_password_and_alerts_the_duty_contacts_and_manager_once() -> None:
    staff.add_user("hv", PASSWORD, "health_visitor")

    def alert(session: object, name: str) -> None:
        queue_lockout_alert(session, name, 5, 15)  # type: ignore[arg-type]

    assert staff.lock("hv", 15, alert) is True
    assert staff.lock("hv", 15, alert) is False  # already locked: no second alert
    assert staff.lock("nobody", 15, alert) is False
    assert staff.login("hv", PASSWORD, 60) is None
    assert (staff.locked("hv"), staff.locked("nobody")) == (True, False)
    with transaction() as s:
        rows = s.execute(select(Outbox).order_by(Outbox.id)).scalars().all()
        sent = [(r.kind, r.channel, r.recipient, r.payload["meta"]) for r in rows]
    assert sent == [
        ("alert", "telegram", "-100200", {"kind": "staff_lockout", "username": "hv"}),
        ("alert", "sms", "+447700900001", {"kind": "staff_lockout", "username": "hv"}),
        ("alert", "sms", "+447700900002", {"kind": "staff_lockout", "username": "hv"}),  # the next contact
    ]


def test_the_throttle_holds_an_account_after_5_failures_and_an_address_after_20() -> None:
    gate = Throttle()
    assert [gate.failed("10.0.0.1", "hv") for _ in range(5)] == [False, False, False, False, True]
    assert gate.account_held("HV") and not gate.account_held("hv-other")
    assert not gate.address_held("10.0.0.1")  # 5 so far
    for i in range(15):
        gate.failed("10.0.0.1", f"guess-{i}")
    assert gate.address_held("10.0.0.1") and not gate.address_held("10.0.0.2")


def test_two_staff_apps_sharing_redis_hold_the_same_account() -> None:
    # RATE_LIMIT_STORAGE=redis://...: failures counted by one server hold the account on the other too.
    first, second = Throttle("redis://127.0.0.1:6379"), Throttle("redis://127.0.0.1:6379")
    username = f"hv-{uuid.uuid4().hex}"
    assert [first.failed("10.0.0.9", username) for _ in range(4)] == [False] * 4
    assert not second.account_held(username)
    assert second.failed("10.0.0.10", username) is True
    assert first.account_held(username)
