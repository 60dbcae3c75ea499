"""Every tunable in one typed object, read once from the environment (and `.env` if present).

`.env.example` lists exactly these fields; a test keeps the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Defaults are the embedded set-up: local web chat, SQLite, no credentials."""

    # Where the service is reachable from the internet (Twilio signs against this URL).
    # "local" (make run: web chat and answer preview) or "production" (credentials.production.yml: SMS,
    # Telegram and the health route only; the web chat refuses to be mounted).
    PROFILE: str = "local"
    PUBLIC_URL: str = "http://127.0.0.1:5005"
    # Where staff reach the staff app (inbox, report): links in staff alerts point here; https in production.
    STAFF_URL: str = "http://127.0.0.1:5006"
    TWILIO_ACCOUNT_SID: str = ""
    TWILIO_AUTH_TOKEN: str = ""
    TWILIO_FROM: str = ""  # a phone number (+44...) or a Messaging Service SID (MG...)
    TWILIO_API_BASE: str = "https://api.twilio.com"
    TELEGRAM_BOT_TOKEN: str = ""
    TELEGRAM_WEBHOOK_SECRET: str = ""
    TELEGRAM_API_BASE: str = "https://api.telegram.org"
    # Messages one sender may send in a minute on Telegram or SMS before the service stops answering a while.
    RATE_LIMIT_PER_MINUTE: int = Field(20, ge=1)
    # Messages all senders together may send a minute (per server, or shared with RATE_LIMIT_STORAGE): a
    # script posting from many numbers is held here. What the risk screen flags is answered whatever the count.
    RATE_LIMIT_GLOBAL_PER_MINUTE: int = Field(600, ge=1)
    # Where the counts live (a `limits` storage URI): memory://, or redis://host:6379 for several servers.
    RATE_LIMIT_STORAGE: str = "memory://"
    # Seconds one call to the Telegram or Twilio API may take before it counts as failed (and is retried).
    SEND_TIMEOUT_S: float = Field(10.0, gt=0)
    DATABASE_URL: str = f"sqlite:///{ROOT / 'var' / 'parentbot.db'}"
    # Keyed hash for pseudonymous family ids in themes; rotate as docs/deploy.md says.
    PSEUDONYM_KEY: str = "dev-only-change-me"
    # Send the first-contact privacy notice. Off only where families are told another way (e.g. at sign-up).
    PRIVACY_NOTICE: bool = True
    # Days of conversation data kept before `parentbot retention` deletes it (12 months by default).
    RETENTION_DAYS: int = Field(365, ge=1)
    # The Rasa endpoints file whose tracker store `parentbot forget` and `retention` clean; empty: the profile's
    # (endpoints.production.yml with PROFILE=production, else endpoints.yml). The Rasa server's own "delete my
    # data" always uses the store it runs with (bot/storage/trackerdb.py).
    ENDPOINTS_FILE: str = ""
    CONTENT_DIR: Path = ROOT / "content"
    # Read content review dates as of this day (YYYY-MM-DD) instead of today: tests pin it (bot/clock.py).
    CONTENT_DATE: str = ""
    RASA_URL: str = "http://127.0.0.1:5005"
    ACTION_SERVER_PORT: int = 5055
    # Where the action server listens: loopback unless the Rasa servers reach it over a private network.
    ACTION_SERVER_HOST: str = "127.0.0.1"
    # Shared secret every call from the Rasa server to the action server carries (Authorization: Bearer ...);
    # empty: no check (local profile only, on loopback). The production profile refuses to start without it.
    ACTION_SERVER_TOKEN: str = ""
    # Seconds a turn may take in Rasa before the parent gets the safe default instead.
    TURN_TIMEOUT_S: float = 10.0
    # Where staff alerts go (a Telegram group chat id and/or a phone number); alerts carry no parent words.
    ALERT_TELEGRAM_CHAT_ID: str = ""
    ALERT_SMS_NUMBER: str = ""
    # Who gets the repeated alert when an escalation is still unclaimed after its category's target.
    ESCALATION_NEXT_CONTACT_SMS: str = ""
    # When someone reads the inbox, Europe/London time: "Mon-Fri 09:00-17:00" (comma-separate more spans).
    SERVICE_HOURS: str = "Mon-Fri 09:00-17:00"
    # Health visitor inbox login lifetime.
    INBOX_SESSION_MINUTES: int = Field(480, ge=5)

    class Config:
        env_file = ROOT / ".env"
        case_sensitive = True


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    # Every field has a default; mypy cannot see pydantic v1 defaults without pydantic's plugin, which crashes
    # mypy 1.13 (INTERNAL ERROR in pydantic/env_settings.py).
    return Settings()  # type: ignore[call-arg]  # pydantic v1 defaults, see above
