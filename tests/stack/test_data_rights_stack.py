"""Data rights and the manager's report on the running stack: "delete my data" through the real web chat
webhook, and the inbox's /report page behind the login (managers only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.privacy import themes
from bot.storage import trackerdb
from bot.storage.db import transaction
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_db
from tests.support.inbox import log_in


@pytest.fixture
def stack_db(stack: Any, stack_env: dict[str, str], session_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process reads the stack's databases: its DATABASE_URL, key and tracker store."""
    use_db(
        monkeypatch,
        stack_env["DATABASE_URL"],
        PSEUDONYM_KEY=stack_env["PSEUDONYM_KEY"],
        ENDPOINTS_FILE=str(session_dir / "endpoints.yml"),
    )


def kinds(replies: list[dict]) -> list[str]:
    return [r["meta"]["kind"] for r in replies]


def theme_rows(fid: str) -> int:
    with transaction() as s:
        return int(s.scalar(select(func.count()).select_from(ThemeEvent).where(ThemeEvent.family_id == fid)) or 0)


def test_delete_my_data_end_to_end_on_the_web_chat(webchat: Any, stack_db: None) -> None:
    assert kinds(webchat.send("how often should my baby feed"))
    fid = themes.family_id("webchat", webchat.sender)  # the session's id, known after its first reply
    assert theme_rows(fid) == 1 and trackerdb.has_conversation("webchat", webchat.sender)

    assert kinds(webchat.send("delete my data")) == ["privacy_forget_confirm"]
    assert kinds(webchat.send("YES")) == ["privacy_forgotten"]

    assert theme_rows(fid) == 0 and not trackerdb.has_conversation("webchat", webchat.sender)


@pytest.fixture
def inbox(stack: Any, stack_db: None) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{stack.staff_url}/inbox", follow_redirects=False, timeout=60) as client:
        yield client


def test_report_page_is_for_logged_in_managers_only(inbox: httpx.Client) -> None:
    assert inbox.get("/report").status_code == 303
    log_in(inbox, "health_visitor")
    assert inbox.get("/report").status_code == 403


def test_report_page_shows_the_report_with_inline_charts(inbox: httpx.Client) -> None:
    log_in(inbox, "manager")
    resp = inbox.get("/report", params={"from": "2026-01-01", "to": "2026-12-31"})
    assert resp.status_code == 200
    for ident in ("summary", "topics", "weekly_channel", "unanswered_themes", "escalations", "opt_outs"):
        assert f'id="{ident}"' in resp.text
    assert 'src="data:image/png;base64,' in resp.text
    assert "img-src data:" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Cache-Control"] == "no-store"
