"""'delete my data' confirmed in the family's own language (issue 15, step 5): a family whose language is Polish
or Punjabi confirms with "tak" or "ਹਾਂ" (content/languages/<code>.yml yes_words) as well as YES; an English
family's "tak" does not delete anything."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.conversation import store
from bot.privacy.hooks import DataRights
from bot.turn.messages import Inbound
from tests.support.escalation import use_temp_db
from tests.support.privacy import use_tracker


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tracker(monkeypatch, tmp_path)  # forget needs a reachable tracker store (issue 13, item 5)
    use_temp_db(monkeypatch, tmp_path)


def kinds(text: str, lang: str | None, phone: str) -> list[str] | None:
    replies = asyncio.run(DataRights(send_notice=False).request(Inbound("sms", phone, text, "sms", lang=lang)))
    return None if replies is None else [r.meta["kind"] for r in replies]


@pytest.mark.parametrize(("lang", "yes"), [("pl", "tak"), ("pa", "ਹਾਂ"), ("pa", "haan ji"), ("ur", "jee haan")])
def test_the_familys_own_yes_confirms_the_deletion(lang: str, yes: str) -> None:
    phone = "+447700900160"
    store.choose_language("sms", phone, lang)
    assert kinds("delete my data", lang, phone) == ["privacy_forget_confirm"]
    assert kinds(yes, lang, phone) == ["privacy_forgotten"]
    assert store.chosen_language("sms", phone) is None  # deleted with the rest


def test_an_english_familys_tak_keeps_their_data_and_yes_still_works_in_every_language() -> None:
    assert kinds("delete my data", None, "+447700900161") == ["privacy_forget_confirm"]
    assert kinds("tak", None, "+447700900161") is None  # not a yes in English: the request is cancelled
    assert kinds("delete my data", "pl", "+447700900162") == ["privacy_forget_confirm"]
    assert kinds("YES", "pl", "+447700900162") == ["privacy_forgotten"]
