"""Input bounds without a server (issue 13, item 11): the Twilio signature before the form, the "/" guard,
and no internal rule ids in the web chat's JSON."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from channels.intake import clean_input
from channels.sms.input import verified_form
from channels.webchat.input import to_json
from tests.support.escalation import RecordingRasa, use_temp_db

URL = "https://parentbot.example.test/webhooks/sms/webhook"
TOKEN = "twilio-token-for-this-test"


class UnreadBody:
    """A request whose body must not be read: reading it fails the test."""

    path, query_string = "/webhooks/sms/webhook", ""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers

    @property
    def body(self) -> bytes:
        raise AssertionError("the body was parsed before the signature was checked")


class Signed(UnreadBody):
    def __init__(self, headers: dict[str, str], body: bytes) -> None:
        super().__init__(headers)
        self._body = body

    @property
    def body(self) -> bytes:
        return self._body


@pytest.fixture
def twilio_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    use_temp_db(monkeypatch, tmp_path, TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_URL="https://parentbot.example.test")


FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_an_unsigned_or_non_form_post_is_refused_without_reading_its_body(twilio_env: None) -> None:
    assert verified_form(UnreadBody(FORM)) is None  # type: ignore[arg-type]
    assert verified_form(UnreadBody({"content-type": "application/json", "X-Twilio-Signature": "x"})) is None  # type: ignore[arg-type]


def test_a_signed_form_is_read_once_its_signature_checks(twilio_env: None) -> None:
    fields = {"Body": "hi", "From": "+447700900001", "FromZip": ""}
    good = RequestValidator(TOKEN).compute_signature(URL, fields)
    body = b"Body=hi&From=%2B447700900001&FromZip="
    form = verified_form(Signed({**FORM, "X-Twilio-Signature": good}, body))  # type: ignore[arg-type]
    assert form is not None and (form.get("Body"), form.get("From"), form.get("FromZip")) == ("hi", "+447700900001", "")
    assert verified_form(Signed({**FORM, "X-Twilio-Signature": "forged"}, body)) is None  # type: ignore[arg-type]


def test_slashes_after_spaces_go_in_the_channels_cleaning() -> None:
    assert clean_input("/ /risk__urgent_medical_a").text == "risk__urgent_medical_a"
    assert clean_input(" \n /greet").text == "greet"


class NoRisk:
    def check(self, text: str, context: Any = None) -> list[Any]:
        return []

    def reply(self, category: str, render: str) -> str:
        return ""


@pytest.mark.parametrize(
    ("sent", "rasa_reads"),
    [
        ("hi\n/risk__urgent_medical_a", "hi\nrisk__urgent_medical_a"),
        ("  \n\n /greet", "greet"),
        ("/ /risk__x", "risk__x"),
        ('hello\n   //choose_option{"option_number": 2}', 'hello\nchoose_option{"option_number": 2}'),
        ("is 1/2 a spoon enough", "is 1/2 a spoon enough"),
    ],
)
async def test_no_line_reaches_rasa_starting_with_a_slash(sent: str, rasa_reads: str) -> None:
    rasa = RecordingRasa()
    await TurnPipeline(screen=NoRisk()).handle(Inbound("telegram", "77", sent, "long"), rasa)
    assert rasa.texts == [rasa_reads]


def test_the_web_chat_json_carries_no_rule_ids() -> None:
    reply = Reply(
        text="Call 999",
        meta={"kind": "risk", "categories": ["urgent_medical_a"], "rules": ["blue_lips", "not_breathing"], "tier": "a"},
    )
    assert to_json(reply, "long")["meta"] == {"kind": "risk", "categories": ["urgent_medical_a"], "tier": "a"}
    answer = Reply(text="Feeds", meta={"kind": "answer", "answer_id": "breastfeeding/enough_milk"})
    assert to_json(answer, "sms")["meta"] == {"kind": "answer", "answer_id": "breastfeeding/enough_milk"}
