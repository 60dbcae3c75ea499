"""The risk classifier on top of the matcher: thresholds to tiers, concern replies, and the matcher alone when the
classifier is missing or broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.messages import messages
from bot.risk.classifier import MAX_PIECES, RiskClassifier, pieces
from bot.risk.matcher import RiskHit
from bot.risk.screening import ContentRiskScreen, classifier_hits, risk_screen
from bot.thresholds import Thresholds

# Found by the classifier only (tests/unit/risk/test_risk_gates.py shows the matcher misses it).
CLASSIFIER_ONLY = "worked out when the house will be empty so i can do it, theyll all be better off"


class Broken:
    def scores(self, messages: list[str], age_completes: bool = False) -> dict[str, float]:
        raise RuntimeError("model file corrupted")


class Fixed:
    def __init__(self, scores: dict[str, float]) -> None:
        self.given = scores

    def scores(self, messages: list[str], age_completes: bool = False) -> dict[str, float]:
        return self.given


def test_a_missing_classifier_loads_as_none_and_the_matcher_still_answers(tmp_path: Path) -> None:
    missing = RiskClassifier.load(tmp_path / "nothing.joblib")
    assert missing is None
    screen = ContentRiskScreen(classifier=missing)
    assert [h.category for h in screen.check("his lips have gone blue")] == ["urgent_medical_a"]
    assert screen.check(CLASSIFIER_ONLY) == []


def test_a_classifier_that_fails_to_score_leaves_the_matchers_decision() -> None:
    screen = ContentRiskScreen(classifier=Broken())  # type: ignore[arg-type]
    assert [h.category for h in screen.check("his lips have gone blue")] == ["urgent_medical_a"]
    assert screen.check("how much milk at 6 months") == []


def test_the_matcher_runs_first_and_its_hits_stand() -> None:
    screen = ContentRiskScreen(classifier=Fixed({"safeguarding": 0.99}))  # type: ignore[arg-type]
    assert [h.rule for h in screen.check("his lips have gone blue")] != ["classifier"]


def test_scores_become_tiers_by_group() -> None:
    rules = risk_screen()
    given = Thresholds(
        risk_concern={"urgent_medical": 0.5, "mental_health": 0.5, "safeguarding": 0.5},
        risk_emergency={"urgent_medical": 0.9, "mental_health": 0.9, "safeguarding": 0.9},
    )
    hits = classifier_hits({"urgent_medical": 0.95, "mental_health": 0.6, "safeguarding": 0.49}, rules, given)
    assert hits == [
        RiskHit("urgent_medical_b", "urgent_medical", "classifier", "B", 3),
        RiskHit("concern_mental_health", "mental_health", "classifier", "concern", 8),
    ]
    assert classifier_hits({"urgent_medical": 0.0, "mental_health": 0.0, "safeguarding": 0.0}, rules, given) == []


@pytest.mark.parametrize(
    ("group", "numbers"),
    [
        ("mental_health", ["111", "option 2", "116 123", "999"]),
        ("safeguarding", ["999", "0808 2000 247", "0808 800 5000"]),
        ("urgent_medical", ["111", "999"]),
    ],
)
def test_each_concern_reply_gives_its_groups_numbers(group: str, numbers: list[str]) -> None:
    screen = ContentRiskScreen(classifier=None)
    for render in ("sms", "long"):
        text = screen.reply(f"concern_{group}", render)
        assert all(n in text for n in numbers), (render, text)
        assert "sounds" in text and "health visitor" in text


def test_the_safeguarding_concern_asks_nothing_and_names_nothing() -> None:
    # Someone else may read the phone: no question to answer, no word for what was disclosed.
    for render in ("sms", "long"):
        text = messages().get("concern_safeguarding", render).lower()
        assert "?" not in text
        assert not any(word in text for word in ("abuse", "hit", "hurt", "violen", "partner", "bruis"))
        assert "delete this message" in text


class KeywordPipeline:
    """A stand-in for the fitted pipeline: the share of a text's words that are "floppy" is its urgent score, so
    a long story dilutes the one sentence that matters, as the real n-gram model's probability does."""

    classes_ = ("mental_health", "none", "safeguarding", "urgent_medical")

    def predict_proba(self, texts: list[str]) -> list[list[float]]:
        rows = []
        for text in texts:
            words = text.lower().split()
            urgent = sum(w.strip(".,!?") == "floppy" for w in words) / len(words)
            rows.append([0.0, 1.0 - urgent, 0.0, urgent])
        return rows


STORY = (
    "We had a lovely day at my mums and everyone held him. He had his bottle in the car on the way home. "
    "He is floppy. I gave him a bath and put him down and now I am just sitting here with a cup of tea."
)


def test_a_long_message_is_split_into_sentences_and_neighbouring_pairs() -> None:
    assert pieces("He was fine at lunch. Now he is floppy! He is 5 weeks?") == [
        "He was fine at lunch.",
        "Now he is floppy!",
        "He is 5 weeks?",
        "He was fine at lunch. Now he is floppy!",
        "Now he is floppy! He is 5 weeks?",
    ]
    assert pieces("one sentence, no split") == []
    # A very long message is chunked so that the pieces scored stay bounded.
    assert len(pieces(". ".join(f"sentence {i}" for i in range(200)))) <= MAX_PIECES


def test_sentence_pooling_scores_the_sentence_a_red_flag_is_told_in() -> None:
    whole = RiskClassifier(KeywordPipeline(), "message").scores([STORY])["urgent_medical"]
    pooled = RiskClassifier(KeywordPipeline(), "sentences").scores([STORY])["urgent_medical"]
    assert whole == pytest.approx(1 / 47)  # 47 words, one of them "floppy"
    assert pooled == pytest.approx(1 / 3)  # "He is floppy."


def test_the_pooling_is_saved_with_the_model(tmp_path: Path) -> None:
    from sklearn.dummy import DummyClassifier

    pipeline = DummyClassifier().fit([[0], [1]], ["none", "urgent_medical"])
    RiskClassifier(pipeline, "sentences").save(tmp_path / "risk.joblib")
    loaded = RiskClassifier.load(tmp_path / "risk.joblib")
    assert loaded is not None and loaded.pooling == "sentences"


def test_an_ordinary_follow_up_does_not_flag_again_on_the_earlier_texts_words() -> None:
    classifier = RiskClassifier(KeywordPipeline(), "message")
    # "He is floppy." alone scores 1/3; joined with an ordinary question the share falls, so only the newest counts.
    assert classifier.scores(["He is floppy.", "how much milk should he have"])["urgent_medical"] == 0.0
    # A newest text that adds to the history lets the joined text count: 2 of 5 words beat 1 of 3.
    assert classifier.scores(["He is floppy.", "floppy again"])["urgent_medical"] == pytest.approx(1 / 2)
    assert classifier.scores(["he is floppy", "still floppy now"])["urgent_medical"] == pytest.approx(2 / 6)


@pytest.mark.parametrize(
    "command",
    ["stop", "STOP", "START", "HELP", "delete my data", "Delete my data", "delete my messages", "YES", "english"],
)
def test_the_services_own_commands_raise_no_concern(command: str) -> None:
    # STOP, HELP and "delete my data" are read by the channels and data rights after the screen: a concern reply
    # to them (the classifier once read "stop" and "delete my data" as safeguarding at 0.45) would answer a
    # parent's opt-out or erasure request with a domestic abuse line.
    from bot.turn.messages import ScreenContext

    assert ContentRiskScreen().check(command, ScreenContext()) == []


class WarmPipeline:
    """A stand-in whose urgent score is 0.95 for any text with "warm" in it: the joined history scores no higher
    than the earlier text alone, as when the newest text gives only the baby's age."""

    classes_ = ("mental_health", "none", "safeguarding", "urgent_medical")

    def predict_proba(self, texts: list[str]) -> list[list[float]]:
        return [[0.0, 0.05, 0.0, 0.95] if "warm" in t.lower().split() else [0.0, 1.0, 0.0, 0.0] for t in texts]


def test_an_age_within_a_rules_limit_completes_the_red_flag() -> None:
    from bot.risk.joining import age_completes

    assert risk_screen().age_limits == (90,)  # the fever-under-3-months rules (content/risk/urgent_medical_a.yml)
    assert age_completes(49, (90,)) is True
    assert age_completes(90, (90,)) is True
    assert age_completes(213, (90,)) is False
    assert age_completes(None, (90,)) is False


def test_a_newest_text_that_states_the_age_counts_the_joined_history() -> None:
    classifier = RiskClassifier(KeywordPipeline(), "message")
    # "He is floppy." alone 1/3; joined with an age the share falls to 1/7, which counts only as completing it.
    assert classifier.scores(["He is floppy.", "he is 7 weeks"])["urgent_medical"] == 0.0
    assert classifier.scores(["He is floppy.", "he is 7 weeks"], age_completes=True)["urgent_medical"] == pytest.approx(
        1 / 7
    )
    # Only the age-dependent group: the others still need the newest text to add to them.
    assert classifier.scores(["He is floppy.", "he is 7 weeks"], age_completes=True)["mental_health"] == 0.0


def test_a_split_report_whose_later_text_gives_only_the_age_escalates() -> None:
    from bot.turn.messages import ScreenContext

    screen = ContentRiskScreen(classifier=RiskClassifier(WarmPipeline(), "message"))
    earlier = ScreenContext(previous=("she feels a bit warm tonight",))
    assert [(h.group, h.rule, h.tier) for h in screen.check("she is 7 weeks old", earlier)] == [
        ("urgent_medical", "classifier", "concern")
    ]
    # An age above the rules' limit, or an ordinary follow-up with no age, adds nothing: no concern again.
    assert screen.check("she is 7 months old", earlier) == []
    assert screen.check("how much milk should she have", earlier) == []
