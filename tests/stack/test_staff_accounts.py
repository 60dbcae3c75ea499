"""Staff accounts over HTTP against the staff app in its own process (issue 13, item 7): sign-in throttling
per address and per account, lockout with an alert to the duty contacts, password change with the session
rotated, a disabled leaver's sessions ended at once, casework permission, every view logged, sign-out with a
stale form, and the report's 403 for a health visitor. Also (sharing this module's staff app, a start saved) the
inbox's Not delivered page for parked outbox rows (issue 13, item 10)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from bot.care import staff, undelivered
from bot.care.escalations import Facts, open_escalation
from bot.care.outbox import Claimed
from bot.cli import main
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Outbox, StaffSession, StaffUser
from tests.support.browser import chromium, sign_in, submit
from tests.support.escalation import TIER_A, use_db
from tests.support.stack import staff_only

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
DUTY_PHONE = "+447700900123"


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with staff_only(tmp_path_factory.mktemp("accounts"), ALERT_SMS_NUMBER=DUTY_PHONE) as app:
        yield app


@pytest.fixture
def app(staff_app: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    use_db(monkeypatch, staff_app[1], ALERT_SMS_NUMBER=DUTY_PHONE)
    return staff_app[0]


def client(base: str, address: str = "127.0.0.1") -> httpx.Client:
    """A browser at its own client address (any of 127.0.0.0/8 reaches the app on 127.0.0.1)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=f"{base}/inbox", transport=transport, follow_redirects=False, timeout=30)


def new_user(role: str = "health_visitor") -> str:
    username = f"{role[:2]}-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, role)
    return username


def log_in(c: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    token = CSRF.search(c.get("/login").text).group(1)  # type: ignore[union-attr]
    return c.post("/login", data={"csrf": token, "username": username, "password": password})


def csrf_of(c: httpx.Client, path: str = "/") -> str:
    return CSRF.search(c.get(path).text).group(1)  # type: ignore[union-attr]


def escalation() -> int:
    facts = Facts(channel="webchat", sender_id=f"acc-{uuid.uuid4().hex[:8]}", text="his lips have gone blue")
    return open_escalation(facts, [TIER_A], ["his lips have gone blue"]).escalation_id


def test_five_failed_sign_ins_lock_the_account_and_alert_once(app: str) -> None:
    username = new_user()
    with client(app, "127.0.0.11") as c:
        statuses = [log_in(c, username, f"wrong password {i}").status_code for i in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        held = log_in(c, username)  # the right password, now refused
        assert held.status_code == 429
        assert "Too many failed sign-ins. Wait 15 minutes and try again, or ask your manager." in held.text
    with client(app, "127.0.0.12") as other:  # from anywhere: the lock is the account's
        assert log_in(other, username).status_code == 429
    with transaction() as s:
        rows = [r for r in s.execute(select(Outbox)).scalars() if r.payload["meta"].get("username") == username]
    assert [(r.kind, r.channel, r.recipient, r.payload["meta"]["kind"]) for r in rows] == [
        ("alert", "sms", DUTY_PHONE, "staff_lockout")
    ]
    assert rows[0].payload["text"] == (
        f"Inbox account {username} locked for 15 minutes after 5 failed sign-ins. "
        "If this was not them, check with them and a manager."
    )


def test_twenty_failures_from_one_address_hold_every_sign_in_from_it(app: str) -> None:
    username = new_user()
    with client(app, "127.0.0.21") as c:
        statuses = {log_in(c, f"nobody-{i}", "guess guess guess").status_code for i in range(20)}
        assert statuses == {401}
        assert log_in(c, username).status_code == 429  # right password, held address
    with client(app, "127.0.0.22") as c:
        assert log_in(c, username).status_code == 303


def test_sign_out_with_a_stale_form_ends_the_session(app: str) -> None:
    username = new_user()
    with client(app) as c:
        assert log_in(c, username).status_code == 303
        resp = c.post("/logout", data={"csrf": "a token from before a restart"})
        assert (resp.status_code, resp.headers["location"]) == (303, "/inbox/login")
        c.cookies.clear()
    with transaction() as s:
        mine = s.execute(select(StaffSession).join(StaffUser).where(StaffUser.username == username))
        assert mine.all() == []


def test_the_report_tells_a_health_visitor_it_is_for_managers(app: str) -> None:
    with client(app) as c:
        log_in(c, new_user())
        resp = c.get("/report")
        assert resp.status_code == 403
        assert "This page is for managers. Ask your manager if you need the report." in resp.text
        assert "expired" not in resp.text


def test_a_manager_without_casework_cannot_claim_reply_or_close(app: str) -> None:
    esc_id = escalation()
    with client(app) as c:
        log_in(c, new_user("manager"))
        page = c.get(f"/escalations/{esc_id}").text
        assert 'id="claim"' not in page and 'id="reply"' not in page and 'id="close"' not in page
        token = csrf_of(c, f"/escalations/{esc_id}")
        for action, form in (("claim", {}), ("reply", {"text": "hello"}), ("close", {"outcome": "advice_given"})):
            resp = c.post(f"/escalations/{esc_id}/{action}", data={"csrf": token, **form})
            assert resp.status_code == 403, action
            assert "Only health visitors, and managers given casework, can do this" in resp.text
        assert c.post(f"/escalations/{esc_id}/note", data={"csrf": token, "note": "rota"}).status_code == 303
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert (esc.status, esc.claimed_by) == ("open", None)  # type: ignore[union-attr]
    given = new_user("manager")
    assert main(["staff", "casework", given, "on"]) == 0
    with client(app) as c:
        log_in(c, given)
        token = csrf_of(c, f"/escalations/{esc_id}")
        assert c.post(f"/escalations/{esc_id}/claim", data={"csrf": token}).status_code == 303
    with transaction() as s:
        assert s.get(Escalation, esc_id).claimed_by == given  # type: ignore[union-attr]


def test_every_view_of_an_escalation_is_logged_with_who_and_when(app: str) -> None:
    esc_id = escalation()
    first, second = new_user(), new_user()
    with client(app) as a, client(app) as b:
        log_in(a, first)
        log_in(b, second)
        a.get(f"/escalations/{esc_id}")
        b.get(f"/escalations/{esc_id}")
        page = a.get(f"/escalations/{esc_id}").text
    with transaction() as s:
        views = s.execute(
            select(EscalationMessage.author, EscalationMessage.at)
            .where(EscalationMessage.escalation_id == esc_id, EscalationMessage.kind == "viewed")
            .order_by(EscalationMessage.id)
        ).all()
    assert [who for who, _ in views] == [first, second, first]
    assert all(at is not None for _, at in views)
    assert f"{first}: 2 view(s), the last at" in page and f"{second}: 1 view(s), the last at" in page


def test_password_change_needs_the_old_one_and_ends_every_other_session(app: str) -> None:
    username = new_user()
    new = "another long enough password"
    with client(app) as mine, client(app) as elsewhere:
        log_in(mine, username)
        log_in(elsewhere, username)
        old_cookie = mine.cookies["inbox_session"]
        token = csrf_of(mine, "/password")
        wrong = mine.post("/password", data={"csrf": token, "old": "not my password", "new": new, "again": new})
        assert wrong.status_code == 400 and "The current password is wrong." in wrong.text
        resp = mine.post("/password", data={"csrf": token, "old": PASSWORD, "new": new, "again": new})
        assert (resp.status_code, resp.headers["location"]) == (303, "/inbox/password?done=1")
        assert mine.cookies["inbox_session"] != old_cookie  # rotated
        assert mine.get("/").status_code == 200
        assert elsewhere.get("/").headers.get("location") == "/inbox/login"  # the other session ended
    assert staff.login(username, PASSWORD, 5) is None
    assert staff.login(username, new, 5) is not None


def test_disabling_a_leaver_ends_their_open_session_at_once(app: str) -> None:
    username = new_user()
    with client(app) as c:
        log_in(c, username)
        assert c.get("/").status_code == 200
        assert main(["staff", "disable", username]) == 0
        assert c.get("/").headers.get("location") == "/inbox/login"
        assert log_in(c, username).status_code == 401


async def test_a_health_visitor_changes_her_password_in_a_real_browser(app: str) -> None:
    username, new = new_user(), "my new long password"
    async with chromium() as browser:
        page = await (await browser.new_context()).new_page()
        await sign_in(page, app, username, PASSWORD)
        await submit(page, "#password-link")
        assert await page.text_content("h1") == "Change your password"
        await page.fill("#old-password", PASSWORD)
        await page.fill("#new-password", new)
        await page.fill("#new-password-again", new)
        await submit(page, "#change-password")
        done = await page.text_content("#password-done")
        assert done == "Your password is changed. You are signed out everywhere else."
        await submit(page, "#back")
        assert page.url.endswith("/inbox/")  # still signed in, on the rotated session
        await submit(page, "#logout")
        assert page.url.endswith("/inbox/login")
        again = await (await browser.new_context()).new_page()
        await sign_in(again, app, username, new)
        assert again.url.endswith("/inbox/")


def test_a_parked_alert_is_shown_in_the_inbox_and_retried_from_there(app: str) -> None:
    esc_id = escalation()
    with transaction() as s:
        alert = s.execute(select(Outbox).where(Outbox.escalation_id == esc_id, Outbox.kind == "alert")).scalar_one()
        row = Claimed(alert.id, "alert", alert.channel, alert.recipient, dict(alert.payload), alert.attempts, esc_id)
    undelivered.park(row, "Twilio error 21610")  # as the worker does when its retries stop
    with client(app, "127.0.0.31") as c:
        log_in(c, new_user())
        assert "Messages that could not be delivered and need a person: 1. See Not delivered" in c.get("/").text
        page = c.get("/undelivered")
        assert f'id="parked-{row.id}"' in page.text
        assert f"sms {DUTY_PHONE}" in page.text and "Twilio error 21610 (tries: 0)" in page.text
        assert f'href="/inbox/escalations/{esc_id}"' in page.text
        assert c.post(f"/undelivered/{row.id}/retry", data={"csrf": "forged"}).status_code == 403
        assert c.post(f"/undelivered/{row.id}/retry", data={"csrf": csrf_of(c, "/undelivered")}).status_code == 303
        assert "Every message has been delivered or is still being tried." in c.get("/undelivered").text
    with transaction() as s:
        retried = s.get(Outbox, row.id)
        assert retried is not None
        assert (retried.parked_at, retried.attempts, retried.delivered_at) == (None, 0, None)
