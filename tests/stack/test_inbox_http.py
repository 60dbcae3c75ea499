"""The health visitor inbox over HTTP on the running stack: login, cookie flags, CSRF, escaping, expiry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from bot.care import staff
from bot.care.escalations import Facts, open_escalation
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, StaffSession, StaffUser
from tests.support.escalation import TIER_A, use_db

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def inbox(stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    with httpx.Client(base_url=f"{stack.staff_url}/inbox", follow_redirects=False, timeout=30) as client:
        yield client


def new_user() -> str:
    username = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "health_visitor")
    return username


def log_in(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"csrf": token, "username": username, "password": password})


def escalation(words: str = "his lips have gone blue") -> int:
    facts = Facts(channel="webchat", sender_id=f"http-{uuid.uuid4().hex[:8]}", text=words)
    return open_escalation(facts, [TIER_A], [words]).escalation_id


def test_no_parent_data_without_a_session(inbox: httpx.Client) -> None:
    esc_id = escalation("secret words of a parent")
    for path in ("/", f"/escalations/{esc_id}"):
        resp = inbox.get(path)
        assert (resp.status_code, resp.headers["location"]) == (303, "/inbox/login")
    resp = inbox.post(f"/escalations/{esc_id}/claim", data={"csrf": "x"})
    assert resp.status_code == 303 and "secret words" not in resp.text
    assert "secret words" not in inbox.get("/login").text


def test_login_cookie_is_httponly_strict_and_wrong_password_fails(inbox: httpx.Client) -> None:
    username = new_user()
    assert log_in(inbox, username, "wrong password here").status_code == 401
    resp = log_in(inbox, username)
    assert resp.status_code == 303
    cookie = next(c for c in resp.headers.get_list("set-cookie") if c.startswith("inbox_session=")).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/inbox" in cookie
    assert inbox.get("/").status_code == 200


def test_login_without_its_csrf_token_is_refused(inbox: httpx.Client) -> None:
    username = new_user()
    inbox.get("/login")
    resp = inbox.post("/login", data={"csrf": "forged", "username": username, "password": PASSWORD})
    assert resp.status_code == 403 and "inbox_session" not in resp.headers.get("set-cookie", "")


def test_forms_need_the_sessions_csrf_token(inbox: httpx.Client) -> None:
    esc_id = escalation()
    log_in(inbox, new_user())
    assert inbox.post(f"/escalations/{esc_id}/claim", data={"csrf": "forged"}).status_code == 403
    with transaction() as s:
        assert s.get(Escalation, esc_id).status == "open"  # type: ignore[union-attr]
    token = CSRF.search(inbox.get(f"/escalations/{esc_id}").text).group(1)  # type: ignore[union-attr]
    assert inbox.post(f"/escalations/{esc_id}/claim", data={"csrf": token}).status_code == 303
    with transaction() as s:
        assert s.get(Escalation, esc_id).status == "claimed"  # type: ignore[union-attr]


def test_parent_words_are_escaped(inbox: httpx.Client) -> None:
    esc_id = escalation("<script>alert(1)</script> blue lips")
    log_in(inbox, new_user())
    page = inbox.get(f"/escalations/{esc_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text


def test_expired_session_sees_no_parent_data(inbox: httpx.Client) -> None:
    esc_id = escalation()
    username = new_user()
    log_in(inbox, username)
    assert inbox.get(f"/escalations/{esc_id}").status_code == 200
    mine = select(StaffUser.id).where(StaffUser.username == username).scalar_subquery()
    with transaction() as s:
        s.execute(
            update(StaffSession)
            .where(StaffSession.user_id == mine)
            .values(expires_at=dt.datetime(2000, 1, 1))
            .execution_options(synchronize_session=False)
        )
    resp = inbox.get(f"/escalations/{esc_id}")
    assert (resp.status_code, resp.headers["location"]) == (303, "/inbox/login")


def test_cookie_is_secure_when_reached_at_the_public_https_address(
    inbox: httpx.Client, stack_env: dict[str, str]
) -> None:
    from urllib.parse import urlsplit

    public = urlsplit(stack_env.get("STAFF_URL", ""))
    if public.scheme != "https":
        pytest.fail("the stack's STAFF_URL should be https here (tests/conftest.py stack_env)")
    resp = inbox.get("/login", headers={"Host": public.netloc})
    assert "secure" in resp.headers["set-cookie"].lower()
    assert "secure" not in inbox.get("/login").headers["set-cookie"].lower()  # local http: would never return


def test_the_list_row_names_the_language_and_says_an_interpreter_is_needed(inbox: httpx.Client) -> None:
    # Issue 15: the row showed the code ("pa"); a health visitor reads the name, as on the escalation page.
    words = "mera bacha saah nahi le reha"
    facts = Facts(channel="webchat", sender_id=f"http-{uuid.uuid4().hex[:8]}", text=words)
    esc_id = open_escalation(facts, [dataclasses.replace(TIER_A, lang="pa")], [words]).escalation_id
    log_in(inbox, new_user())
    listing = inbox.get("/").text
    row = listing[listing.index(f'id="open-{esc_id}"') :]
    row = row[: row.index("</tr>")]
    assert '<div class="language">Language: Punjabi, interpreter needed</div>' in row
    assert ">pa<" not in row
