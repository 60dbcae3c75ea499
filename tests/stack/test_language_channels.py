"""The parent's own language through the real stack on SMS and Telegram (issue 15, step 6): a Polish red flag by
SMS gets the Polish emergency route with 999 in the first segment and English after it; an Urdu-script red flag
on Telegram gets the Urdu route and an escalation recorded with language ur; a language chosen by SMS is kept in
the store, so HELP comes back in it."""

from __future__ import annotations

from typing import Any

from bot.answers.gsm import sms_cost
from bot.storage.models.escalation import Escalation
from tests.support.channels import new_chat_id, new_number, rows
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent
from tests.support.stack import eventually

POLISH_ROUTE = (
    "Zadzwoń teraz pod 999 albo jedź na SOR (A&E). Powiadomiliśmy zespół położnych.\n"
    "Call 999 now or go to A&E. We have told the health visiting team."
)


def sms_parent(stack: Any, fake_twilio: FakeTwilio) -> SmsParent:
    return SmsParent(stack.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM)


def escalation_of(database_url: str, channel: str, sender: str) -> Any:
    return eventually(lambda: rows(database_url, Escalation, channel=channel, sender_id=sender))[0]


def test_a_polish_red_flag_by_sms_gets_the_polish_route_with_999_first(
    stack: Any, fake_twilio: FakeTwilio, stack_env: dict[str, str]
) -> None:
    parent = sms_parent(stack, fake_twilio)
    assert parent.send("moje dziecko nie oddycha").status_code == 200
    first = fake_twilio.wait_for("Messages", parent.number, 1)[0].params["Body"]
    assert first == POLISH_ROUTE
    cost = sms_cost(first)
    assert (cost.encoding, cost.segments) == ("UCS-2", 3)
    assert "999" in first[:67]  # the first UCS-2 segment of a long SMS carries 67 characters
    esc = escalation_of(stack_env["DATABASE_URL"], "sms", parent.number)
    assert (esc.category, esc.language) == ("urgent_medical_a", "pl")


def test_an_urdu_red_flag_on_telegram_gets_the_urdu_route_and_an_escalation_in_urdu(
    stack: Any, fake_telegram: FakeTelegram, stack_env: dict[str, str]
) -> None:
    parent = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)
    assert parent.text("میرا بچہ سانس نہیں لے رہا").status_code == 200
    first = str(fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1)[0].params["text"])
    assert first.startswith("ابھی 999 پر کال کریں یا A&amp;E جائیں۔ ہم نے ہیلتھ وزیٹر ٹیم کو بتا دیا ہے۔\n\n")
    assert "999" in first.split("\n\n", 1)[1]  # and the English route after it
    esc = escalation_of(stack_env["DATABASE_URL"], "telegram", str(parent.chat_id))
    assert (esc.category, esc.language) == ("urgent_medical_a", "ur")


def test_a_language_chosen_by_sms_is_kept_so_help_comes_back_in_it(stack: Any, fake_twilio: FakeTwilio) -> None:
    parent = sms_parent(stack, fake_twilio)
    parent.send("/language pl")
    fake_twilio.wait_for("Messages", parent.number, 1)
    sent = [str(c.params["Body"]) for c in fake_twilio.settle("Messages", parent.number)]
    assert any(body.startswith("Dzień dobry! Odpowiadamy po angielsku") for body in sent)  # the offer, in Polish
    count = len(sent)
    parent.send("HELP")
    help_sms = fake_twilio.wait_for("Messages", parent.number, count + 1)[-1].params["Body"]
    assert help_sms == (
        "Linia porad położnych. Napisz pytanie. Nagły wypadek: 999. Pilna porada: NHS 111. "
        "Odpisz STOP, by nie dostawać SMS-ów."
    )


def test_a_language_chosen_on_telegram_brings_stop_back_in_it(stack: Any, fake_telegram: FakeTelegram) -> None:
    parent = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)
    parent.text("/language bn")
    fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1)
    sent = [str(c.params["text"]) for c in fake_telegram.settle("sendMessage", str(parent.chat_id))]
    assert any(text.startswith("হ্যালো! আমরা বুকের দুধ") for text in sent)  # the offer, in Bengali
    count = len(sent)
    parent.text("/stop")
    stopped = fake_telegram.wait_for("sendMessage", str(parent.chat_id), count + 1)[-1].params["text"]
    assert stopped == (
        "এখানে আপনি আর আমাদের কাছ থেকে বার্তা পাবেন না। আবার শুরু করতে /start পাঠান। জরুরি অবস্থায় 999 নম্বরে কল "
        "করুন। জরুরি পরামর্শ: NHS 111।"
    )
