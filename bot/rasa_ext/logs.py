"""Rasa's logging, set once per command so the command's own output stays readable."""

from __future__ import annotations

from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog


def quiet_rasa(level: int = 30) -> None:
    """Rasa logs every parse at debug level unless configured.
    At WARNING (30) Rasa also hides its progress bars, so `build` uses INFO (20) to show training progress."""
    configure_logging_and_warnings(level)
    configure_structlog(level)
