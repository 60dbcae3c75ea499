"""bot/answers/context.py on hand-made rankings: which topic a follow-up is read in."""

from __future__ import annotations

import datetime as dt

from bot.answers.context import LastAnswer, read_in_context
from bot.answers.model import Answer
from bot.answers.similar import QuestionIndex

DAY = dt.date(2026, 12, 1)


def answer(aid: str, title: str, *questions: str) -> Answer:
    return Answer(aid, aid.split("/")[0], title, questions, "s", "b", (), "x", DAY, DAY, "v", "p", {})


INDEX = QuestionIndex(
    [
        answer("breastfeeding/how_often", "How often and how long to breastfeed", "how often should i feed"),
        answer("breastfeeding/night_feeds", "Night feeds", "baby waking at night to feed", "night feeds"),
        answer("breastfeeding/sterilising", "Sterilising bottles", "how do i sterilise bottles"),
        answer("safe_sleep/room_temperature", "Room temperature for sleep", "how warm should the room be at night"),
    ]
)
LAST = LastAnswer("breastfeeding/how_often", "How often and how long to breastfeed")


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": n, "confidence": c} for n, c in pairs]


def test_an_unsure_follow_up_is_read_in_the_last_answers_topic() -> None:
    r = ranking(
        ("nlu_fallback", 0.3),
        ("safe_sleep__room_temperature", 0.25),
        ("breastfeeding__night_feeds", 0.2),
        ("breastfeeding__how_often", 0.05),
    )
    decision = read_in_context(r, None, "and at night?", LAST, INDEX)
    assert decision.kind == "answer"
    assert decision.answer_ids == ("breastfeeding/night_feeds",)


def test_without_a_last_answer_the_message_is_read_alone() -> None:
    r = ranking(("nlu_fallback", 0.3), ("safe_sleep__room_temperature", 0.25), ("breastfeeding__night_feeds", 0.2))
    decision = read_in_context(r, None, "and at night?", None, INDEX)
    assert decision.kind == "clarify"
    assert decision.answer_ids[0] == "safe_sleep/room_temperature"


def test_a_sure_answer_to_a_new_question_is_kept() -> None:
    r = ranking(("safe_sleep__room_temperature", 0.9), ("breastfeeding__night_feeds", 0.05))
    decision = read_in_context(r, None, "how warm should the room be", LAST, INDEX)
    assert decision.answer_ids == ("safe_sleep/room_temperature",)


def test_when_the_two_readings_disagree_a_menu_in_the_topic_is_offered() -> None:
    r = ranking(("nlu_fallback", 0.3), ("breastfeeding__sterilising", 0.2), ("breastfeeding__night_feeds", 0.19))
    decision = read_in_context(r, None, "at night", LAST, INDEX)
    assert decision.kind == "clarify"
    assert set(decision.answer_ids) <= {"breastfeeding/sterilising", "breastfeeding/night_feeds", LAST.answer_id}
    assert "breastfeeding/night_feeds" in decision.answer_ids


def test_a_long_new_question_about_another_topic_is_not_a_follow_up() -> None:
    r = ranking(("nlu_fallback", 0.3), ("safe_sleep__room_temperature", 0.29), ("breastfeeding__night_feeds", 0.1))
    text = "what temperature should the bedroom be for the baby at night in winter"
    decision = read_in_context(r, None, text, LAST, INDEX)
    assert decision.answer_ids[0] == "safe_sleep/room_temperature"


ALCOHOL = LastAnswer(
    "breastfeeding/alcohol_medicines",
    "Alcohol, smoking and medicines while breastfeeding",
    "Smoking while you breastfeed: try to stop, and never smoke near your baby.",
)


def test_a_follow_up_word_the_last_answer_covers_stays_with_it_though_the_model_is_sure_elsewhere() -> None:
    # "and smoking?" alone is the safe-sleep smoking answer; after the alcohol answer it asks more of that one.
    r = ranking(("safe_sleep__smoking", 0.93), ("breastfeeding__alcohol_medicines", 0.04))
    decision = read_in_context(r, None, "and smoking?", ALCOHOL, INDEX)
    assert decision.kind == "clarify"
    assert decision.answer_ids == ("breastfeeding/alcohol_medicines", "safe_sleep/smoking")


def test_a_message_worded_as_a_follow_up_is_read_in_the_topic_though_the_model_is_sure_elsewhere() -> None:
    r = ranking(("safe_sleep__room_temperature", 0.9), ("breastfeeding__night_feeds", 0.05))
    decision = read_in_context(r, None, "and what about at night?", LAST, INDEX)
    assert decision.answer_ids[0] == "breastfeeding/night_feeds"
    assert all(a.startswith("breastfeeding/") for a in decision.answer_ids)


def test_a_short_new_question_the_last_answer_does_not_cover_is_read_alone() -> None:
    r = ranking(("safe_sleep__room_temperature", 0.9), ("breastfeeding__night_feeds", 0.05))
    decision = read_in_context(r, None, "how warm should the nursery be", ALCOHOL, INDEX)
    assert decision == read_in_context(r, None, "how warm should the nursery be", None, INDEX)
    assert decision.answer_ids == ("safe_sleep/room_temperature",)
