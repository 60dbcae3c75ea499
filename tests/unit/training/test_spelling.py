"""The spelling normaliser measured in the README (bot/training/spelling.py): domain words win, short words stay."""

from __future__ import annotations

import pytest

from bot import paths
from bot.training.spelling import Speller


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.from_content(paths.CONTENT)


def test_misspelt_domain_words_are_corrected(speller: Speller) -> None:
    assert speller.correct("mastitus and a sore breast") == "mastitis and a sore breast"
    assert speller.correct("jabs tommorow") == "jabs tomorrow"


def test_domain_words_and_text_speak_are_left_alone(speller: Speller) -> None:
    assert speller.correct("hw do i sterilise bottles for LO") == "hw do i sterilise bottles for lo"
    assert speller.correct("mmr and menb jabs") == "mmr and menb jabs"
