"""The SMS channel through the real Rasa web app, signed as Twilio signs, replying to the fake Twilio API."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.models.channels import DeliveryFailure, OptOut
from tests.support.channels import clarifying_exchange, kind_sms, new_number, rows, segments
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TWILIO_FROM, SmsParent

QUESTION = "how do i no if baby is getting enough milk"


@pytest.fixture
def parent(stack: object, fake_twilio: FakeTwilio) -> SmsParent:
    return SmsParent(
        stack.url,
        PUBLIC_URL,
        new_number(),
        fake_twilio.auth_token,  # type: ignore[attr-defined]
        fake_twilio.account_sid,
        TWILIO_FROM,
    )


def sent(fake: FakeTwilio, parent: SmsParent, count: int = 1) -> list[str]:
    fake.wait_for("Messages", parent.number, count)
    return fake.bodies(parent.number)


def test_forged_unsigned_or_misaddressed_requests_get_403_and_nothing_is_sent(
    parent: SmsParent, fake_twilio: FakeTwilio, stack: object
) -> None:
    assert parent.send(QUESTION, token="not-the-auth-token").status_code == 403
    assert parent.send(QUESTION, sign=False).status_code == 403
    # Signed for the URL the app sees behind the proxy, not the public one Twilio called: refused.
    inside = f"{stack.url}/webhooks/sms/webhook"  # type: ignore[attr-defined]
    assert parent.send(QUESTION, signed_url=inside).status_code == 403
    assert parent.status("SM" + "0" * 32, "failed", "30003").status_code == 204  # a signed callback is fine
    assert fake_twilio.settle("Messages", parent.number) == []


def test_a_question_gets_one_sms_of_at_most_three_gsm7_segments(parent: SmsParent, fake_twilio: FakeTwilio) -> None:
    response = parent.send(QUESTION)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    bodies = sent(fake_twilio, parent)
    assert len(fake_twilio.settle("Messages", parent.number)) == 1
    call = fake_twilio.recorded("Messages", parent.number)[0]
    assert call.params["From"] == TWILIO_FROM
    assert call.params["StatusCallback"] == f"{PUBLIC_URL}/webhooks/sms/status"
    assert 1 <= segments(bodies[0]) <= 3
    from bot.answers.gsm import sms_cost

    assert sms_cost(bodies[0]).encoding == "GSM-7"


def test_a_redelivered_message_sid_gets_one_reply(parent: SmsParent, fake_twilio: FakeTwilio) -> None:
    assert parent.send(QUESTION, sid="SM" + "d" * 32).status_code == 200
    assert parent.send(QUESTION, sid="SM" + "d" * 32).status_code == 200
    sent(fake_twilio, parent)
    assert len(fake_twilio.settle("Messages", parent.number)) == 1


def test_after_stop_nothing_is_sent_until_start(
    parent: SmsParent, fake_twilio: FakeTwilio, stack_env: dict[str, str]
) -> None:
    assert parent.send("STOP").status_code == 200
    assert rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)
    assert parent.send(QUESTION).status_code == 200
    assert fake_twilio.settle("Messages", parent.number, quiet_s=1.5) == []
    assert parent.send("start").status_code == 200  # Twilio confirms START itself: we add nothing
    assert fake_twilio.settle("Messages", parent.number) == []
    assert not rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)
    parent.send(QUESTION)
    assert len(sent(fake_twilio, parent)) == 1


@pytest.mark.parametrize("word", ["STOPALL", "unsubscribe", "Cancel", "end", "QUIT", "revoke", "optout", " stop. "])
def test_every_twilio_opt_out_word_opts_out(word: str, parent: SmsParent, stack_env: dict[str, str]) -> None:
    assert parent.send(word).status_code == 200
    assert rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)


def test_stop_inside_a_question_is_a_question(
    parent: SmsParent, fake_twilio: FakeTwilio, stack_env: dict[str, str]
) -> None:
    parent.send("how do I stop breastfeeding")
    assert len(sent(fake_twilio, parent)) == 1
    assert not rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)


def test_help_is_answered(parent: SmsParent, fake_twilio: FakeTwilio, live_content: Path) -> None:
    parent.send("HELP")
    assert sent(fake_twilio, parent) == [kind_sms(live_content, "channels_help")]


def test_a_picture_message_gets_a_kind_reply(parent: SmsParent, fake_twilio: FakeTwilio, live_content: Path) -> None:
    parent.send("", num_media=1)
    assert sent(fake_twilio, parent) == [kind_sms(live_content, "channels_non_text")]


@pytest.mark.parametrize("body", ["", "   ", "\U0001f37c\U0001f476", "\ufffd\ufffd", "\ud83d"])
def test_blank_emoji_or_garbled_text_gets_a_kind_reply(
    body: str, parent: SmsParent, fake_twilio: FakeTwilio, live_content: Path
) -> None:
    response = parent.send(body.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    assert response.status_code == 200
    assert sent(fake_twilio, parent) == [kind_sms(live_content, "channels_unreadable")]


def test_very_long_input_is_answered(parent: SmsParent, fake_twilio: FakeTwilio) -> None:
    parent.send(" ".join([QUESTION] * 100))  # 4,300 characters: all screened, the model reads 1,600; one answer
    assert len(sent(fake_twilio, parent)) == 1
    assert len(fake_twilio.settle("Messages", parent.number)) == 1


def test_a_risk_message_puts_999_in_the_first_segment(parent: SmsParent, fake_twilio: FakeTwilio) -> None:
    parent.send("my baby has gone blue and floppy")
    body = sent(fake_twilio, parent)[0]
    assert "999" in body[:153]
    assert segments(body) <= 3


def test_a_number_reply_reaches_the_pipeline(parent: SmsParent, fake_twilio: FakeTwilio) -> None:
    parent.send(QUESTION)
    sent(fake_twilio, parent)
    parent.send("2")
    assert len(sent(fake_twilio, parent, 2)) == 2


def test_status_callback_records_failed_delivery_and_21610(parent: SmsParent, stack_env: dict[str, str]) -> None:
    assert parent.status("SM" + "f" * 32, "delivered").status_code == 204
    assert parent.status("SM" + "e" * 32, "undelivered", "21610").status_code == 204
    failures = rows(stack_env["DATABASE_URL"], DeliveryFailure, recipient=parent.number)
    assert [(f.external_id, f.status, f.error_code) for f in failures] == [("SM" + "e" * 32, "undelivered", "21610")]
    assert rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)


def test_options_arrive_numbered_in_one_sms_and_2_picks_the_second(
    parent: SmsParent, fake_twilio: FakeTwilio, stack: object
) -> None:
    text, clarify, chosen = clarifying_exchange(stack.url, "sms")  # type: ignore[attr-defined]
    assert chosen["meta"]["answer_id"] == clarify["meta"]["options"][1]
    parent.send(text)
    (options,) = sent(fake_twilio, parent)
    assert options == clarify["body"]
    assert "\n1. " in options and "\n2. " in options and segments(options) <= 3
    parent.send("2")
    assert sent(fake_twilio, parent, 2)[1] == chosen["body"]


def test_stop_inside_an_open_risk_conversation_reaches_the_health_visitor(
    parent: SmsParent, fake_twilio: FakeTwilio, stack_env: dict[str, str]
) -> None:
    from bot.storage.models.escalation import Escalation, EscalationMessage

    parent.send("my baby has gone blue and floppy")
    sent(fake_twilio, parent)
    (escalation,) = rows(stack_env["DATABASE_URL"], Escalation, channel="sms", sender_id=parent.number)
    parent.send("STOP")
    thread = rows(stack_env["DATABASE_URL"], EscalationMessage, escalation_id=escalation.id)
    assert [m.text for m in thread if m.kind == "stop"] == ["STOP"]
    assert rows(stack_env["DATABASE_URL"], OptOut, channel="sms", recipient=parent.number)
