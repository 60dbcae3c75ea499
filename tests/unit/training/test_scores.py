"""evaluate.score on hand-made parses: each rate counts what its name says (no model needed)."""

from __future__ import annotations

from typing import Any

from bot import paths
from bot.answers.loader import load_signposts
from bot.answers.signposts import SignpostIndex
from bot.training.evaluate import Case, score


def parse(text: str, *ranking: tuple[str, float]) -> dict[str, Any]:
    top = ranking[0]
    return {
        "text": text,
        "intent": {"name": top[0], "confidence": top[1]},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }


def case(text: str, topic: str, answer: str | None = None, signpost: str | None = None) -> Case:
    return Case(text, topic, answer, None, (), signpost=signpost)


def test_direct_answers_menus_wrong_answers_fallbacks_and_signposts_are_counted_apart() -> None:
    index = SignpostIndex(load_signposts(paths.CONTENT)[0])
    cases = [
        case("a", "breastfeeding", "breastfeeding/mastitis"),  # answered right
        case("b", "breastfeeding", "breastfeeding/mastitis"),  # menu holding it
        case("c", "breastfeeding", "breastfeeding/mastitis"),  # answered wrong, right topic
        case("d", "safe_sleep", None),  # fallback, no answer id
        case("does my baby have colic", "out_of_scope", None, "colic"),  # signposted
        case("who won the football", "out_of_scope"),  # out of scope, answered wrongly
    ]
    parses = [
        parse("a", ("breastfeeding__mastitis", 0.9)),
        parse("b", ("nlu_fallback", 0.3), ("breastfeeding__sore_nipples", 0.28), ("breastfeeding__mastitis", 0.25)),
        parse("c", ("breastfeeding__sore_nipples", 0.8), ("breastfeeding__mastitis", 0.1)),
        parse("d", ("nlu_fallback", 0.3), ("greet", 0.29), ("safe_sleep__dummies", 0.05)),
        parse("does my baby have colic", ("nlu_fallback", 0.3), ("breastfeeding__how_often", 0.2)),
        parse("who won the football", ("oral_health__brushing", 0.7)),
    ]
    result = score(cases, parses, None, index)
    assert result["answer_accuracy"] == round(1 / 3, 4)
    assert result["clarify_hit_rate"] == round(1 / 3, 4)
    assert result["wrong_answer_rate"] == round(2 / 5, 4)  # c and the football line, of 5 with a known reply
    assert result["fallback_rate"] == 0.25  # d, of 4 in-scope lines
    assert result["signpost_hit_rate"] == 1.0
    assert result["topic_accuracy"] == round(4 / 6, 4)
    assert result["per_topic"] == {"breastfeeding": 1.0, "out_of_scope": 0.5, "safe_sleep": 0.0}


def test_a_confident_answer_wins_over_a_signpost_and_a_greeting_never_reaches_one() -> None:
    index = SignpostIndex(load_signposts(paths.CONTENT)[0])
    cases = [case("colic and breastfeeding", "out_of_scope", None, "colic"), case("hi colic", "out_of_scope")]
    parses = [parse("colic and breastfeeding", ("breastfeeding__how_often", 0.95)), parse("hi colic", ("greet", 0.9))]
    result = score(cases, parses, None, index)
    assert result["signpost_hit_rate"] == 0.0
    assert result["wrong_answer_rate"] == 0.5
