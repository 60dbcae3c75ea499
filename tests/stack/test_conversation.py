"""Conversations through the real HTTP webhook of the real Rasa server, with the model trained on content/."""

from __future__ import annotations

import time
from pathlib import Path

from bot.answers.gsm import sms_cost
from tests.support.stack import WebChat


def kinds(messages: list[dict]) -> list[str]:
    return [m["meta"].get("kind") for m in messages]


def test_enough_milk_question_gets_the_right_answer(webchat: WebChat) -> None:
    messages = webchat.send("how do i no if baby is getting enough milk")
    assert [m["meta"].get("answer_id") for m in messages] == ["breastfeeding/enough_milk"]
    assert "html" in messages[0]


def test_sms_rendering_fits_three_segments(stack: object) -> None:
    chat = WebChat(stack.url, render="sms")  # type: ignore[attr-defined]
    (message,) = chat.send("how do i no if baby is getting enough milk")
    assert message["meta"]["answer_id"] == "breastfeeding/enough_milk"
    assert message["sms"]["segments"] <= 3
    assert message["sms"]["encoding"] == "GSM-7"


def test_greeting_and_out_of_scope_use_their_responses(webchat: WebChat) -> None:
    assert webchat.send("hello")[0]["meta"].get("response") == "utter_greet"
    reply = webchat.send("who won the football last night")[0]["meta"]
    assert reply.get("response") in ("utter_out_of_scope", "utter_fallback")


def test_edited_wording_is_live_within_two_seconds(webchat: WebChat, live_content: Path) -> None:
    path = live_content / "breastfeeding" / "enough_milk.md"
    original = path.read_text()
    marker = "Edited-by-test-" + str(time.time_ns())
    path.write_text(original.replace("\n---\n", f"\n---\n{marker} ", 1))
    try:
        started = time.monotonic()
        while True:
            (message,) = webchat.send("how do i no if baby is getting enough milk")
            if marker in message["text"]:
                break
            assert time.monotonic() - started < 2.0, "edit not live within 2 s"
            time.sleep(0.1)
    finally:
        path.write_text(original)


def test_preview_shows_an_answer_as_sms_and_telegram(stack: object) -> None:
    import httpx

    from bot.answers.loader import parse_answer

    url = f"{stack.url}/webhooks/webchat/preview"  # type: ignore[attr-defined]
    shown = httpx.get(url, params={"id": "safe_sleep/on_the_back"}, timeout=30).json()
    assert shown["answer_id"] == "safe_sleep/on_the_back"
    assert shown["sms"]["segments"] <= 3 and shown["sms"]["encoding"] == "GSM-7"
    assert sms_cost(shown["sms"]["body"]).segments == shown["sms"]["segments"]
    assert shown["telegram_html"].startswith("<b>")
    assert shown["findings"] == []
    from bot import paths

    answer = parse_answer(paths.CONTENT / "safe_sleep" / "on_the_back.md", paths.CONTENT)
    assert shown["version"] == answer.version
    assert httpx.get(url, params={"id": "safe_sleep/nope"}, timeout=30).status_code == 404
