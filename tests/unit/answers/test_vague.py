"""A bare topic name gets the topic's most asked answers as a menu, whatever the model guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import paths
from bot.answers.decision import Decision
from bot.answers.vague import load_topic_words, topic_menu

MOST_ASKED = {
    "immunisations": ["immunisations/side_effects", "immunisations/pregnancy_vaccines", "immunisations/schedule"],
    "oral_health": ["oral_health/toothpaste_amount", "oral_health/first_tooth"],
}
WORDS = {"immunisations": frozenset({"jabs", "vaccines"}), "oral_health": frozenset({"teeth", "oral health"})}


@pytest.mark.parametrize("text", ["jabs", "Jabs?", "  JABS!! ", "vaccines"])
def test_a_bare_topic_name_gets_the_topics_menu(text: str) -> None:
    assert topic_menu(text, WORDS, MOST_ASKED) == Decision(
        "clarify",
        ("immunisations/side_effects", "immunisations/pregnancy_vaccines", "immunisations/schedule"),
    )


def test_a_two_word_name_is_read_whole() -> None:
    menu = topic_menu("oral-health", WORDS, MOST_ASKED)
    assert menu == Decision("clarify", ("oral_health/toothpaste_amount", "oral_health/first_tooth"))


@pytest.mark.parametrize("text", ["jabs at 8 weeks", "are jabs safe", "teething", "milk", ""])
def test_a_question_or_another_word_is_left_to_the_model(text: str) -> None:
    assert topic_menu(text, WORDS, MOST_ASKED) is None


def test_a_topic_with_no_most_asked_answers_gets_no_menu() -> None:
    assert topic_menu("teeth", WORDS, {"immunisations": MOST_ASKED["immunisations"]}) is None


def test_the_shipped_names_load_and_name_our_four_topics() -> None:
    words = load_topic_words(paths.CONTENT)
    assert sorted(words) == ["breastfeeding", "immunisations", "oral_health", "safe_sleep"]
    assert "jabs" in words["immunisations"] and "breast feeding" in words["breastfeeding"]


def test_an_unreadable_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "topic_words.yml").write_text("immunisations: jabs\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"topic_words.yml: immunisations: expected a list"):
        load_topic_words(tmp_path)
