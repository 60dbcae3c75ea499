"""The turn's privacy collaborators (bot/privacy/hooks.py) on a temporary database with a fake Rasa:
first-contact notice and consent, "delete my data" with its YES, and the theme log rows."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.answers.gsm import sms_cost
from bot.answers.messages import messages
from bot.care.turn_hooks import Escalations, Handoffs
from bot.privacy import themes
from bot.privacy.hooks import DataRights, ThemeLog
from bot.rasa_ext.assistant import RasaAssistant
from bot.storage.db import transaction
from bot.storage.models.channels import utcnow
from bot.storage.models.themes import Consent, ForgetRequest, ThemeEvent
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import TIER_A, BlueScreen, use_temp_db
from tests.support.privacy import FakeRasa, add_events, events, use_tracker


@pytest.fixture
def turn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TurnPipeline:
    use_tracker(monkeypatch, tmp_path)
    use_temp_db(monkeypatch, tmp_path)
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: True)
    return TurnPipeline(
        screen=BlueScreen(), escalations=Escalations(), handoffs=Handoffs(), rights=DataRights(), themes=ThemeLog()
    )


def msg(text: str, sender: str = "+447700900777", channel: str = "sms") -> Inbound:
    return Inbound(channel=channel, sender_id=sender, text=text, render="sms")


def kinds(replies: list) -> list[str]:  # type: ignore[type-arg]
    return [r.meta["kind"] for r in replies]


def theme_rows(sender: str = "+447700900777", channel: str = "sms") -> list[ThemeEvent]:
    with transaction() as s:
        return list(
            s.execute(
                select(ThemeEvent)
                .where(ThemeEvent.family_id == themes.family_id(channel, sender))
                .order_by(ThemeEvent.id)
            ).scalars()
        )


def test_notice_fits_two_sms_segments() -> None:
    cost = sms_cost(messages().get("privacy_notice", "sms"))
    assert cost.encoding == "GSM-7" and cost.segments <= 2


async def test_first_contact_notice_is_shown_once_and_the_next_reply_is_the_consent(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    assert kinds(await turn.handle(msg("how often should my baby feed"), rasa)) == ["privacy_notice", "answer"]
    assert kinds(await turn.handle(msg("and at night?"), rasa)) == ["answer"]
    assert kinds(await turn.handle(msg("thanks"), rasa)) == ["answer"]
    with transaction() as s:
        consents = s.execute(select(Consent)).scalars().all()
    assert [(c.family_id, c.reply_kind) for c in consents] == [(themes.family_id("sms", "+447700900777"), "continued")]
    rows = theme_rows()
    assert [(r.kind, r.answer_id, r.topic, r.content_version, r.fell_back) for r in rows] == [
        ("answer", "breastfeeding/how_often", "breastfeeding", "abc", False)
    ] * 3
    assert all(r.scrubbed_text is None for r in rows)


async def test_a_family_with_a_rasa_conversation_is_not_new(turn: TurnPipeline) -> None:
    add_events("sms:+447700900888", utcnow())  # Rasa's key for this family: channel:id (bot/turn/keys.py)
    assert kinds(await turn.handle(msg("hello", sender="+447700900888"), FakeRasa())) == ["answer"]


async def test_a_rasa_conversation_on_another_channel_is_another_family(turn: TurnPipeline) -> None:
    """Issue 13, item 3: the same digits on the web chat are not the SMS family."""
    add_events("sms:+447700900888", utcnow())
    replies = await turn.handle(msg("hello", sender="+447700900888", channel="webchat"), FakeRasa())
    assert kinds(replies) == ["privacy_notice", "answer"]


async def test_risk_first_message_gets_the_emergency_route_first(turn: TurnPipeline) -> None:
    replies = await turn.handle(msg("his lips are blue"), FakeRasa())
    assert kinds(replies)[0] == "risk" and kinds(replies)[-1] == "privacy_notice"
    (row,) = theme_rows()
    assert (row.kind, row.risk_category, row.handed_off, row.topic) == ("risk", TIER_A.category, True, "risk")


async def test_delete_my_data_after_yes_erases_the_family(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("how often should my baby feed"), rasa)
    add_events("sms:+447700900777", utcnow())
    assert kinds(await turn.handle(msg("Delete my data"), rasa)) == ["privacy_forget_confirm"]
    assert kinds(await turn.handle(msg("YES"), rasa)) == ["privacy_forgotten"]
    assert rasa.calls == ["how often should my baby feed"]
    assert theme_rows() == [] and events("sms:+447700900777") == 0
    with transaction() as s:
        assert s.scalar(select(func.count()).select_from(Consent)) == 0


async def test_yes_too_late_or_after_another_message_forgets_nothing(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("forget", channel="telegram", sender="42"), rasa)  # /forget, slash already stripped
    with transaction() as s:
        s.execute(update(ForgetRequest).values(requested_at=utcnow() - dt.timedelta(minutes=11)))
    # (The request was this family's first message, so the notice comes with their first answer.)
    assert kinds(await turn.handle(msg("yes", channel="telegram", sender="42"), rasa)) == ["privacy_notice", "answer"]
    await turn.handle(msg("delete my data", channel="telegram", sender="42"), rasa)
    assert kinds(await turn.handle(msg("how much milk", channel="telegram", sender="42"), rasa)) == ["answer"]
    assert kinds(await turn.handle(msg("yes", channel="telegram", sender="42"), rasa)) == ["answer"]
    assert len(theme_rows("42", "telegram")) == 3


async def test_fallback_text_is_stored_scrubbed(turn: TurnPipeline) -> None:
    async def fallback(message) -> None:  # type: ignore[no-untyped-def]
        await message.output_channel.send_response(
            message.sender_id, {"text": "sorry", "custom": {"parentbot": {"kind": "fallback"}}}
        )

    await turn.handle(msg("my name is Sarah, text me on 07700 900123 about weaning"), RasaAssistant(fallback))
    (row,) = theme_rows()
    assert row.fell_back and "07700" not in row.scrubbed_text and "Sarah" not in row.scrubbed_text
    assert "weaning" in row.scrubbed_text


async def test_a_failing_theme_log_never_changes_the_reply_nor_logs_the_words(
    turn: TurnPipeline, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(ThemeLog):
        async def record(self, inbound: Inbound, replies: list[Reply]) -> None:
            raise RuntimeError(f"db down while writing {inbound.text}")

    turn.themes = Broken()
    with caplog.at_level(logging.DEBUG):
        replies = await turn.handle(msg("secret words about weaning"), FakeRasa())
    assert kinds(replies) == ["privacy_notice", "answer"]
    assert "secret words" not in caplog.text and "theme log not recorded" in caplog.text
