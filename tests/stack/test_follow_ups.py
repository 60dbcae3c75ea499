"""Follow-ups read in context, through the real web chat, Rasa server and action server (issue 14).

tests/data/followups.jsonl: 63 two- and three-turn conversations written for this feature (not real parents'
words, so the rate below says the context works, not how often real follow-ups are understood). A turn is
"in context" when it is answered with the expected answer, or offered a menu that holds it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.stack import WebChat


def conversations(name: str) -> list[list[list[str]]]:
    return [
        json.loads(line)["turns"]
        for line in (Path(__file__).parents[1] / "data" / name).read_text().splitlines()
        if line.strip()
    ]


CONVERSATIONS = conversations("followups.jsonl")
# Written before the context handling was changed for them and never tuned on (issue 14): the honest figure.
HELD_OUT = conversations("followups_test.jsonl")


def in_context(messages: list[dict], expected: str) -> bool:
    meta = messages[0]["meta"] if messages else {}
    if meta.get("kind") == "answer":
        return meta.get("answer_id") == expected
    return meta.get("kind") == "clarify" and expected in meta.get("options", [])


def test_the_sets_are_big_enough_and_name_real_answers() -> None:
    assert len(CONVERSATIONS) >= 60
    assert len(HELD_OUT) >= 20
    assert all(2 <= len(turns) <= 3 for turns in CONVERSATIONS + HELD_OUT)
    content = Path(__file__).parents[2] / "content"
    for turns in CONVERSATIONS + HELD_OUT:
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


def follow_up_rate(url: str, sets: list[list[list[str]]], name: str) -> tuple[float, list[tuple]]:
    """The share of follow-up turns answered in context, and the misses."""
    followed = hits = 0
    misses = []
    for turns in sets:
        chat = WebChat(url)  # a new conversation: each WebChat holds its own server-issued session
        (first, _), *rest = turns
        chat.send(first)  # the opening question sets the context (its own accuracy is measured elsewhere)
        for text, expected in rest:
            followed += 1
            reply = chat.send(text)
            if in_context(reply, expected):
                hits += 1
            else:
                misses.append((first, text, expected, reply[0]["meta"] if reply else {}))
    print(f"{name}: follow-ups in context: {hits}/{followed} = {hits / followed:.3f}")
    return hits / followed, misses


def test_follow_ups_are_answered_in_context(stack: object) -> None:
    rate, misses = follow_up_rate(stack.url, CONVERSATIONS, "follow-up")  # type: ignore[attr-defined]
    # Measured 2026-12-03: 61 of 68 (0.897), after short follow-ups worded as one ("and smoking?") were read in
    # the last answer's topic even when the model alone is sure elsewhere (before: 49 of 68, 0.721). This set was
    # tuned on; HELD_OUT below gives the honest figure. Margin 0.03 for training noise.
    assert rate >= 0.85, misses


def test_new_follow_ups_are_answered_in_context(stack: object) -> None:
    rate, misses = follow_up_rate(stack.url, HELD_OUT, "held-out")  # type: ignore[attr-defined]
    # Measured 2026-12-03: 19 of 23 (0.826); 18 of 23 (0.783) before the context change they were written
    # ahead of. What still fails: a detail question the model reads as a new same-topic question ("do we need to
    # see a dentist" after a chipped tooth) and "what about in the night" offered a menu without night feeds.
    assert rate >= 0.78, misses
