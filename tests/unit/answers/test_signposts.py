"""Signposts: keywords find the neighbouring subject; the files pass the same gate as answers."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import paths
from bot.answers.checks import check_signposts
from bot.answers.loader import load_answers, load_signposts
from bot.answers.signposts import LiveSignposts, SignpostIndex, compile_keyword, normalise


def test_keyword_forms_words_stars_all_of_and_none_of() -> None:
    assert compile_keyword("s/a", "nappy rash").matches(normalise("Nappy-rash again!"))
    assert not compile_keyword("s/a", "nappy rash").matches(normalise("nappy and a rash"))
    assert compile_keyword("s/a", "wean*").matches(normalise("when do we start weaning"))
    assert not compile_keyword("s/a", "wean*").matches(normalise("we an apple"))
    both = compile_keyword("s/a", "teeth* & calpol")
    assert both.matches(normalise("calpol when teething?"))
    assert not both.matches(normalise("calpol after jabs"))
    unless = compile_keyword("s/a", "cough* & !whooping")
    assert unless.matches(normalise("he has a cough"))
    assert not unless.matches(normalise("whooping cough jab in pregnancy"))


@pytest.fixture(scope="module")
def index() -> SignpostIndex:
    signposts, errors = load_signposts(paths.CONTENT)
    assert errors == []
    return SignpostIndex(signposts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is this colic? she is so unsettled", "signposts/colic"),
        ("can i give calpol for teething", "signposts/teething_pain_relief"),
        ("calpol after her 8 week jabs?", None),
        ("when can we start weaning", "signposts/weaning"),
        ("his skin looks a bit yellow, he is 3 days old", "signposts/jaundice"),
        ("do i need to get the whooping cough vaccine", None),
        ("how do i get a good latch", None),
    ],
)
def test_messages_find_their_signpost(index: SignpostIndex, text: str, expected: str | None) -> None:
    assert index.match(text) == expected


def test_the_library_covers_the_neighbouring_subjects_and_passes_the_gate() -> None:
    signposts, errors = load_signposts(paths.CONTENT)
    ids = {s.id for s in signposts}
    assert len(ids) >= 25
    for slug in ("colic", "reflux", "weaning", "jaundice", "nappy_rash", "postnatal_mood", "healthy_start"):
        assert f"signposts/{slug}" in ids
    findings = check_signposts(signposts, errors, dt.date(2026, 12, 1))
    assert [str(f) for f in findings if f.level == "error"] == []
    for signpost in signposts:
        assert signpost.sources and signpost.sources[0].url.startswith("https://")


def test_signposts_are_not_answer_intents() -> None:
    answers, _ = load_answers(paths.CONTENT)
    assert not [a.id for a in answers if a.id.startswith("signposts/")]


def test_a_keyword_that_finds_another_signpost_is_an_editor_error(tmp_path) -> None:
    (tmp_path / "signposts").mkdir()
    source = (paths.CONTENT / "signposts" / "colic.md").read_text()
    (tmp_path / "signposts" / "colic.md").write_text(source.replace('  - "colic*"\n', ""))
    signposts, errors = load_signposts(tmp_path)
    findings = check_signposts(signposts, errors, dt.date(2026, 12, 1))
    assert any(f.field == "keywords" and "does my baby have colic" in f.message for f in findings)


def test_an_edited_keyword_is_live_without_a_restart(tmp_path) -> None:
    (tmp_path / "signposts").mkdir()
    target = tmp_path / "signposts" / "colic.md"
    target.write_text((paths.CONTENT / "signposts" / "colic.md").read_text())
    live = LiveSignposts(tmp_path)
    assert live.match("hiccups all evening") is None
    target.write_text(target.read_text().replace('  - "colic*"\n', '  - "colic*"\n  - "hiccups"\n'))
    assert live.match("hiccups all evening") == "signposts/colic"
