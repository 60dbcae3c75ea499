"""The parent's chosen language and the interpreter offer awaiting their yes live in the conversation store
beside the stated baby age: a new pipeline (a restart, or the second server) answers in the language and
understands the yes, and "delete my data" and retention erase both."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.conversation import store
from bot.conversation.hooks import History
from bot.languages.catalogue import load_catalogue
from bot.languages.screen import MultilingualRiskScreen
from bot.languages.support import LanguageSupport
from bot.privacy.forget import forget, retention
from bot.privacy.hooks import DataRights
from bot.storage.db import transaction
from bot.storage.models.conversation import StatedAge
from bot.storage.models.escalation import Escalation
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import use_temp_db
from tests.support.privacy import use_tracker

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)
PHONE = "+447700900131"


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tracker(monkeypatch, tmp_path)  # forget and retention need a reachable tracker store
    use_temp_db(monkeypatch, tmp_path)


class NoModel:
    """The assistant must not be asked: the parent's language is answered by the turn."""

    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, object]) -> list[Reply]:
        return [Reply(text="english answer", meta={"kind": "answer"})]


def a_new_server() -> TurnPipeline:
    return TurnPipeline(screen=MultilingualRiskScreen(), history=History(), languages=LanguageSupport(load_catalogue()))


def with_rights() -> TurnPipeline:
    pipeline = a_new_server()
    pipeline.rights = DataRights()
    return pipeline


def turn(pipeline: TurnPipeline, text: str) -> list[Reply]:
    return asyncio.run(pipeline.handle(Inbound("sms", PHONE, text, "sms"), NoModel()))


def rows() -> list[tuple[object, ...]]:
    with transaction() as s:
        return [tuple(r) for r in s.execute(select(StatedAge.age_days, StatedAge.language))]


def offers() -> list[tuple[object, ...]]:
    with transaction() as s:
        return [tuple(r) for r in s.execute(select(StatedAge.offered, StatedAge.language).order_by(StatedAge.offered))]


def escalations() -> list[tuple[object, ...]]:
    with transaction() as s:
        return [tuple(r) for r in s.execute(select(Escalation.reply_kind, Escalation.priority, Escalation.language))]


def test_a_yes_reaching_a_new_server_books_the_interpreter_offered_by_another() -> None:
    offer = turn(a_new_server(), "ਬੱਚੇ ਨੂੰ ਟੀਕੇ ਕਦੋਂ ਲੱਗਦੇ ਹਨ?")
    assert [r.meta for r in offer] == [{"kind": "language_support", "lang": "pa", "question": True}]
    booked = turn(a_new_server(), "ਹਾਂ")
    assert [r.meta for r in booked] == [{"kind": "language_support_booked", "lang": "pa"}]
    assert escalations() == [("language_support", 9, "pa")]
    assert offers() == [(None, None)]  # taken (the emptied row goes with retention, as a withdrawn choice)
    # A second yes is no longer an answer to the offer: the assistant gets it.
    assert [r.text for r in turn(a_new_server(), "yes")] == ["english answer"]
    assert escalations() == [("language_support", 9, "pa")]


def test_another_message_withdraws_the_offer_so_a_later_yes_books_nothing() -> None:
    turn(a_new_server(), "ਬੱਚੇ ਨੂੰ ਟੀਕੇ ਕਦੋਂ ਲੱਗਦੇ ਹਨ?")
    assert [r.text for r in turn(a_new_server(), "how do i sterilise bottles")] == ["english answer"]
    assert [r.text for r in turn(a_new_server(), "yes")] == ["english answer"]
    assert escalations() == []


def test_delete_my_data_and_retention_erase_the_pending_offer() -> None:
    store.offer_interpreter("sms", PHONE, "pa", now=T0)
    store.offer_interpreter("telegram", "5550131", "ur", now=T0)
    store.offer_interpreter("telegram", "5550132", "bn", now=T0 + dt.timedelta(days=390))
    assert forget("sms", PHONE, now=T0).deleted["conversation_stated_age"] == 1
    assert offers() == [("bn", None), ("ur", None)]
    erased = retention(now=T0 + dt.timedelta(days=400), days=365)
    assert erased.deleted["conversation_stated_age"] == 1  # the 400-day-old Urdu offer
    assert offers() == [("bn", None)]


def test_a_language_chosen_on_one_server_is_answered_in_by_a_new_one() -> None:
    first = turn(a_new_server(), "/language pl")
    assert [r.meta for r in first] == [{"kind": "language_support", "lang": "pl"}]
    assert rows() == [(None, "pl")]
    # An English question to a new pipeline, store and LanguageSupport: still the Polish offer.
    later = turn(a_new_server(), "how do i sterilise bottles")
    assert [r.meta for r in later] == [{"kind": "language_support", "lang": "pl", "question": True}]
    assert later[0].text.startswith("Dzień dobry! Odpowiadamy po angielsku")


def test_english_undoes_the_choice() -> None:
    turn(a_new_server(), "polski")
    back = turn(a_new_server(), "english")
    assert [r.meta["kind"] for r in back] == ["languages_english_chosen"]
    assert back[0].text.startswith("OK, we will reply in English.")
    assert rows() == [(None, None)]
    assert [r.text for r in turn(a_new_server(), "how do i sterilise bottles")] == ["english answer"]


def test_the_choice_and_the_age_share_the_familys_row() -> None:
    store.remember("sms", PHONE, "she's 6 weeks", now=T0)
    store.choose_language("sms", PHONE, "ur", now=T0)
    context = store.remember("sms", PHONE, "hello", now=T0 + dt.timedelta(days=2))
    assert (context.age_days, context.language) == (44, "ur")
    assert store.chosen_language("sms", PHONE) == "ur"
    assert store.chosen_language("sms", "+447700900999") is None
    assert rows() == [(42, "ur")]


def test_delete_my_data_erases_the_chosen_language() -> None:
    store.choose_language("sms", PHONE, "pl", now=T0)
    store.choose_language("telegram", "5550131", "ro", now=T0)
    erased = forget("sms", PHONE, now=T0)
    assert erased.deleted["conversation_stated_age"] == 1
    assert rows() == [(None, "ro")]
    assert store.chosen_language("sms", PHONE) is None


def test_retention_erases_each_fact_on_its_own_clock() -> None:
    now = T0 + dt.timedelta(days=400)
    store.choose_language("sms", PHONE, "pl", now=T0)  # chosen 400 days ago: gone with its row
    store.remember("telegram", "5550131", "he's 3 weeks", now=T0)  # age 400 days old ...
    store.choose_language("telegram", "5550131", "bn", now=now - dt.timedelta(days=10))  # ... choice 10 days old
    erased = retention(now=now, days=365)
    assert erased.deleted["conversation_stated_age"] == 1
    assert rows() == [(None, "bn")]
    with transaction() as s:
        assert s.scalar(select(func.count()).select_from(StatedAge).where(StatedAge.stated_at.is_not(None))) == 0


def test_the_data_rights_texts_come_in_the_chosen_language_and_forgetting_erases_it() -> None:
    first = turn(with_rights(), "/language pl")
    assert [r.meta["kind"] for r in first] == ["privacy_notice", "language_support"]
    confirm = turn(with_rights(), "delete my data")
    assert [r.text for r in confirm] == [
        "Czy usunąć Twoje wiadomości? Odpisz YES w ciągu 10 minut. Każda inna odpowiedź je zachowa."
    ]
    done = turn(with_rights(), "YES")
    assert done[0].text.startswith("Gotowe. Twoje wiadomości usunięto.")
    assert rows() == []  # the choice went with the rest: the next message is English again
    assert [r.meta["kind"] for r in turn(with_rights(), "how do i sterilise bottles")] == ["privacy_notice", "answer"]
