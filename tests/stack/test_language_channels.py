"""The parent's own language through the real stack on SMS and Telegram (issue 15, step 6): a Polish red flag by
SMS gets the Polish emergency route with 999 in the first segment and English after it; an Urdu-script red flag
on Telegram gets the Urdu route and an escalation recorded with language ur; a language chosen by SMS is kept in
the store, so HELP comes back in it. A Punjabi ordinary question (Gurmukhi by SMS, romanised on Telegram) gets the
interpreter offer in Punjabi; "yes" (in Punjabi or English) opens a low-priority language_support escalation in
Punjabi, which the inbox shows with "interpreter needed"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.answers.gsm import sms_cost
from bot.storage.models.escalation import Escalation
from tests.support.channels import new_chat_id, new_number, rows
from tests.support.escalation import use_db
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent
from tests.support.inbox import log_in
from tests.support.stack import eventually

POLISH_ROUTE = (
    "Zadzwoń teraz pod 999 albo jedź na SOR (A&E). Powiadomiliśmy zespół położnych.\n"
    "Call 999 now or go to A&E. We have told the health visiting team."
)

PUNJABI_OFFER = (
    "ਸਤ ਸ੍ਰੀ ਅਕਾਲ! ਅਸੀਂ ਦੁੱਧ ਚੁੰਘਾਉਣ, ਸੁਰੱਖਿਅਤ ਨੀਂਦ, ਟੀਕਿਆਂ ਅਤੇ ਬੱਚੇ ਦੇ ਦੰਦਾਂ ਬਾਰੇ ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ ਜਵਾਬ ਦਿੰਦੇ ਹਾਂ। "
    "ਕੀ ਤੁਸੀਂ ਦੁਭਾਸ਼ੀਏ ਨਾਲ ਹੈਲਥ ਵਿਜ਼ਿਟਰ ਨਾਲ ਗੱਲ ਕਰਨਾ ਚਾਹੁੰਦੇ ਹੋ? ਹਾਂ ਲਿਖੋ। ਐਮਰਜੈਂਸੀ ਵਿੱਚ 999।"
)
PUNJABI_BOOKED = "ਧੰਨਵਾਦ। ਹੈਲਥ ਵਿਜ਼ਿਟਰ ਦੁਭਾਸ਼ੀਏ ਨਾਲ ਤੁਹਾਡੇ ਨਾਲ ਸੰਪਰਕ ਕਰੇਗਾ। ਐਮਰਜੈਂਸੀ ਵਿੱਚ 999।"


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


@pytest.fixture
def inbox(stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    use_db(monkeypatch, stack_env["DATABASE_URL"])  # the staff user is added to the stack's database
    with httpx.Client(base_url=f"{stack.staff_url}/inbox", follow_redirects=False, timeout=60) as client:
        log_in(client, "health_visitor")
        yield client


def interpreter_request(database_url: str, channel: str, sender: str) -> tuple[object, ...]:
    esc = escalation_of(database_url, channel, sender)
    return (esc.id, esc.category, esc.reply_kind, esc.priority, esc.language)


def test_a_punjabi_question_by_sms_gets_the_offer_and_yes_books_an_interpreter_the_inbox_shows(
    stack: Any, fake_twilio: FakeTwilio, stack_env: dict[str, str], inbox: httpx.Client
) -> None:
    parent = sms_parent(stack, fake_twilio)
    assert parent.send("ਬੱਚੇ ਨੂੰ ਟੀਕੇ ਕਦੋਂ ਲੱਗਦੇ ਹਨ?").status_code == 200  # "when does the baby get vaccines?"
    assert [c.params["Body"] for c in fake_twilio.wait_for("Messages", parent.number, 1)] == [PUNJABI_OFFER]
    assert parent.send("ਹਾਂ").status_code == 200
    assert fake_twilio.wait_for("Messages", parent.number, 2)[-1].params["Body"] == PUNJABI_BOOKED
    esc_id, *request = interpreter_request(stack_env["DATABASE_URL"], "sms", parent.number)
    assert request == ["callback", "language_support", 9, "pa"]
    page = inbox.get(f"/escalations/{esc_id}")
    assert page.status_code == 200
    assert '<dd id="language">Language: Punjabi, interpreter needed</dd>' in page.text
    assert f'<a href="/inbox/escalations/{esc_id}" class="label" id="open-{esc_id}">Asked for a call back</a>' in (
        inbox.get("/").text
    )


def test_a_romanised_punjabi_question_on_telegram_gets_the_offer_and_an_english_yes_books_an_interpreter(
    stack: Any, fake_telegram: FakeTelegram, stack_env: dict[str, str], inbox: httpx.Client
) -> None:
    parent = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)
    assert parent.text("mainu dasso bache de dand kiven saaf karne ne").status_code == 200  # "how to clean teeth"
    chat = str(parent.chat_id)
    assert [c.params["text"] for c in fake_telegram.wait_for("sendMessage", chat, 1)] == [PUNJABI_OFFER]
    assert parent.text("yes").status_code == 200  # English: the offer's yes words include it
    assert fake_telegram.wait_for("sendMessage", chat, 2)[-1].params["text"] == PUNJABI_BOOKED
    esc_id, *request = interpreter_request(stack_env["DATABASE_URL"], "telegram", chat)
    assert request == ["callback", "language_support", 9, "pa"]
    assert '<dd id="language">Language: Punjabi, interpreter needed</dd>' in inbox.get(f"/escalations/{esc_id}").text
