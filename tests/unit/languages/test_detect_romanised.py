"""Romanised Punjabi and Roman Urdu share many words ("mera", "bacha", "nahi"); Punjabi's own words ("reha",
"saah", "nu") count twice, so a romanised Punjabi message is read as Punjabi, not Urdu, and English stays English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.languages.catalogue import Catalogue, Language, load_catalogue
from bot.languages.detect import detect


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mera bacha saah nahi le reha", "pa"),  # shares three words with Urdu, two of its own
        ("kudi nu bukhar hai", "pa"),
        ("mera bacha saans nahi le raha", "ur"),  # the same message in Roman Urdu
        ("mujhe nahi pata kya karun", "ur"),
        ("my baby is not breathing", "en"),
        ("ok thanks", "en"),
        ("nu stiu ce sa fac cu bebe", "ro"),  # Romanian "nu" is not read as the Punjabi marker
    ],
)
def test_romanised_messages_get_their_language(catalogue: Catalogue, text: str, expected: str) -> None:
    assert detect(text, catalogue) == expected


def test_without_the_distinctive_weight_the_punjabi_message_reads_as_urdu(catalogue: Catalogue) -> None:
    # The failure the weight fixes: the same lists with Punjabi's distinctive words counted once.
    pa = catalogue.languages["pa"]
    flat = Language(**{**pa.__dict__, "distinctive": frozenset()})
    assert detect("mera bacha saah nahi le reha", Catalogue({**catalogue.languages, "pa": flat}, {})) == "ur"


def test_markers_are_read_in_the_normalised_spelling(tmp_path: Path) -> None:
    # "naal" is read "nal" by the tokeniser: a marker written with the doubled letter must still count.
    (tmp_path / "pa.yml").write_text(
        "code: pa\nname: Punjabi\nnative: Panjabi\nlingua: PUNJABI\nreview: awaiting qualified translator\n"
        "markers: [naal, sadda]\n",
        encoding="utf-8",
    )
    assert load_catalogue(tmp_path).languages["pa"].markers == frozenset({"nal", "sada"})
