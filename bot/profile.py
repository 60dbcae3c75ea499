"""The production profile's start-up check (issue 13, item 8): a server that would verify nothing, or
pseudonymise with a key everyone knows, refuses to start, one clear line per missing secret."""

from __future__ import annotations

from bot.settings import Settings, get_settings

DEFAULT_KEY = "dev-only-change-me"


def production_problems(settings: Settings) -> list[str]:
    problems = []
    if settings.PSEUDONYM_KEY in ("", DEFAULT_KEY):
        problems.append("PSEUDONYM_KEY is empty or the development default: set a long random value")
    if not settings.TWILIO_AUTH_TOKEN:
        problems.append("TWILIO_AUTH_TOKEN is empty: no SMS signature could be verified")
    if not settings.TELEGRAM_WEBHOOK_SECRET:
        problems.append("TELEGRAM_WEBHOOK_SECRET is missing: run `parentbot telegram set-webhook`")
    if not settings.ACTION_SERVER_TOKEN:
        problems.append("ACTION_SERVER_TOKEN is empty: anyone who reaches the action server could call it")
    return problems


def check_profile() -> None:
    """Raise SystemExit (the server does not start) when the production profile lacks a secret."""
    settings = get_settings()
    if settings.PROFILE != "production":
        return
    problems = production_problems(settings)
    if problems:
        raise SystemExit("refusing to start the production profile:\n" + "\n".join(problems))
