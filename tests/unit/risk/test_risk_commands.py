"""The service's own commands are read from content and never screened by the classifier (issue 12, item 4)."""

from __future__ import annotations

import pytest

from bot.risk.commands import commands, is_bare_command
from bot.risk.screening import ContentRiskScreen
from bot.turn.messages import ScreenContext


class AlwaysSafeguarding:
    """A classifier that reads every message as safeguarding at 0.99: only the command gate can keep it quiet."""

    def scores(self, messages: list[str], age_completes: bool = False) -> dict[str, float]:
        return {"urgent_medical": 0.0, "mental_health": 0.0, "safeguarding": 0.99}


def test_the_sms_channel_reads_its_keywords_from_content() -> None:
    from channels.sms.input import classify

    sms = commands().sms
    assert {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"} == sms["opt_out"]
    assert {"START", "YES", "UNSTOP"} == sms["opt_in"]
    assert {"HELP", "INFO"} == sms["help"]
    assert [classify(w, 0, opted_out=True).kind for w in ("Revoke", "unstop", "info")] == ["stop", "start", "help"]


def test_every_telegram_command_the_channel_reads_is_in_content() -> None:
    from channels.telegram.input import COMMAND

    for command in ("start", "help", "stop"):
        assert COMMAND.match(f"/{command}") and f"/{command}" in commands().telegram


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop.",
        "Unsubscribe",
        "/start",
        "/stop@parentbot",
        "HELP",
        "info!",
        "/forget",
        "delete my data",
        "Delete all my messages please",
        "YES",
        "yes please",
        "tak",
        "polski",
        "Polish",
        "english",
        "/language pl",
    ],
)
def test_a_bare_command_is_one(text: str) -> None:
    assert is_bare_command(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "stop hitting me",
        "he won't stop crying",
        "yes he hit her again",
        "help me please i cant cope",
        "how do I delete my data from the red book app",
        "i speak english but my mum doesnt",
        "",
    ],
)
def test_a_message_with_more_in_it_is_not_a_command(text: str) -> None:
    assert is_bare_command(text) is False


def test_the_classifier_is_not_run_on_a_bare_command_but_the_matcher_still_is() -> None:
    screen = ContentRiskScreen(classifier=AlwaysSafeguarding())  # type: ignore[arg-type]
    assert screen.check("STOP", ScreenContext()) == []
    assert screen.check("delete my data", ScreenContext()) == []
    # Anything more than a command is screened by the classifier as before.
    assert [(h.group, h.rule, h.tier) for h in screen.check("he won't stop", ScreenContext())] == [
        ("safeguarding", "classifier", "concern")
    ]
    # The matcher runs first on every message: a command after a red flag still finds the joined report.
    hits = ScreenContext(previous=("his lips have gone",))
    assert [h.category for h in screen.check("blue", hits)] == ["urgent_medical_a"]
