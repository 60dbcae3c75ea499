"""An answer's own keywords pick between the model's closest answers in one topic (the 8/12/16 week jabs)."""

from __future__ import annotations

from bot import paths
from bot.answers.decision import decide_message
from bot.answers.loader import load_answers
from bot.answers.signposts import SignpostIndex

HINTS = SignpostIndex([a for a in load_answers(paths.CONTENT)[0] if a.keywords])


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": n, "confidence": c} for n, c in pairs]


def test_the_age_named_in_the_message_picks_the_jab_answer() -> None:
    r = ranking(("immunisations__eight_weeks", 0.68), ("immunisations__twelve_weeks", 0.17))
    decision = decide_message(r, None, hints=HINTS.matches("12 wk jabs next tues what r they"))
    assert (decision.kind, decision.answer_ids) == ("answer", ("immunisations/twelve_weeks",))


def test_a_hint_outside_the_top_answers_topic_changes_nothing() -> None:
    r = ranking(("safe_sleep__bed_sharing", 0.7), ("immunisations__twelve_weeks", 0.2))
    decision = decide_message(r, None, hints=HINTS.matches("can my 3 month old sleep in our bed"))
    assert decision.answer_ids == ("safe_sleep/bed_sharing",)


def test_two_named_answers_leave_the_models_choice() -> None:
    r = ranking(("immunisations__eight_weeks", 0.6), ("immunisations__twelve_weeks", 0.3))
    decision = decide_message(r, None, hints=HINTS.matches("jabs at 8 weeks and 12 weeks"))
    assert decision.answer_ids == ("immunisations/eight_weeks",)
