"""Follow-ups read in context, through the real web chat, Rasa server and action server (issue 14).

tests/data/followups.jsonl: 63 two- and three-turn conversations written for this feature (not real parents'
words, so the rate below says the context works, not how often real follow-ups are understood). A turn is
"in context" when it is answered with the expected answer, or offered a menu that holds it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.stack import WebChat

CONVERSATIONS = [
    json.loads(line)["turns"]
    for line in (Path(__file__).parents[1] / "data" / "followups.jsonl").read_text().splitlines()
    if line.strip()
]


def in_context(messages: list[dict], expected: str) -> bool:
    meta = messages[0]["meta"] if messages else {}
    if meta.get("kind") == "answer":
        return meta.get("answer_id") == expected
    return meta.get("kind") == "clarify" and expected in meta.get("options", [])


def test_the_set_is_big_enough_and_names_real_answers() -> None:
    assert len(CONVERSATIONS) >= 60
    assert all(2 <= len(turns) <= 3 for turns in CONVERSATIONS)
    content = Path(__file__).parents[2] / "content"
    for turns in CONVERSATIONS:
        for _, expected in turns:
            assert (content / f"{expected}.md").exists(), expected


def test_a_follow_up_after_mixed_feeding_is_read_as_a_breastfeeding_question(stack: object) -> None:
    chat = WebChat(stack.url)  # type: ignore[attr-defined]
    first = chat.send("can i mix breast and bottle feeding")[0]["meta"]
    assert first["answer_id"] == "breastfeeding/combination_feeding"
    meta = chat.send("will it affect my supply")[0]["meta"]
    assert meta["kind"] in ("answer", "clarify")
    shown = [meta["answer_id"]] if meta["kind"] == "answer" else meta["options"]
    assert "breastfeeding/milk_supply" in shown
    assert all(answer_id.startswith("breastfeeding/") for answer_id in shown), meta


def test_follow_ups_are_answered_in_context(stack: object) -> None:
    followed = hits = 0
    misses = []
    for turns in CONVERSATIONS:
        chat = WebChat(stack.url)  # type: ignore[attr-defined]
        (first, _), *rest = turns
        chat.send(first)  # the opening question sets the context (its own accuracy is measured elsewhere)
        for text, expected in rest:
            followed += 1
            reply = chat.send(text)
            if in_context(reply, expected):
                hits += 1
            else:
                misses.append((first, text, expected, reply[0]["meta"] if reply else {}))
    rate = hits / followed
    print(f"follow-ups in context: {hits}/{followed} = {rate:.3f}")
    # Measured 2026-12-02: 53 of 68 (0.779) on the model it was written with, 49 of 68 (0.721) on the model a
    # fresh clone of main trains (with the risk classifier and concern tier in front). Short of issue 14's 0.85:
    # a short follow-up the model answers confidently in another topic ("and smoking?" after alcohol) is not read
    # in context, and "and at night?" gets a menu without the night-feeds answer. Margin 0.03 for training noise.
    assert rate >= 0.69, misses
