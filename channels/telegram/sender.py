"""TelegramSender: every message to Telegram goes through here (turn replies, health visitor replies, alerts),
with python-telegram-bot's real Bot, built on first use (never at import or start-up: no network then).

Platform facts that drive the code: on 429 Telegram says how long to wait (retry_after), and a message sent
sooner is refused again; 403 means the family blocked the bot or never started it, and nothing we retry can
change that until they write to us.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.care.outbound import DeliveryError
from bot.settings import Settings, get_settings
from bot.turn.messages import Reply
from channels import store
from channels.render.markup import to_plain
from channels.render.reply import TELEGRAM_LIMIT, render_telegram

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/webhooks/telegram/webhook"
FLOOD_ATTEMPTS = 3  # sends per message when Telegram answers 429
MAX_FLOOD_WAIT_S = 30.0  # longer waits go back to the caller (the outbox) as retry_after_s
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class RedactToken(logging.Filter):
    """The Bot API puts the token in every URL, and httpx logs each URL at INFO: keep the secret out of logs."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token and self.token in message:
            record.msg, record.args = message.replace(self.token, "<TELEGRAM_BOT_TOKEN>"), ()
        return True


def make_bot(settings: Settings) -> Bot:
    for name in ("httpx",):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == settings.TELEGRAM_BOT_TOKEN for f in logger.filters):
            logger.addFilter(RedactToken(settings.TELEGRAM_BOT_TOKEN))
    request = HTTPXRequest(
        connection_pool_size=16,
        connect_timeout=settings.SEND_TIMEOUT_S,
        read_timeout=settings.SEND_TIMEOUT_S,
        write_timeout=settings.SEND_TIMEOUT_S,
        pool_timeout=settings.SEND_TIMEOUT_S,
    )
    return Bot(settings.TELEGRAM_BOT_TOKEN, base_url=f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot", request=request)


def keyboard(buttons: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    # The callback data is the option number, the same answer a parent can type ("2"); one button per row
    # because titles are whole questions.
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(str(b.get("title", ""))[:100] or str(n), callback_data=str(n))]
            for n, b in enumerate(buttons, start=1)
        ]
    )


def seconds(retry_after: int | float | dt.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dt.timedelta) else float(retry_after)


def plain_text(reply: Reply) -> str:
    text = to_plain(reply.text)
    if reply.buttons:
        text += "\n" + "\n".join(f"{n}. {b.get('title', '')}" for n, b in enumerate(reply.buttons, start=1))
    return text[:TELEGRAM_LIMIT]


class TelegramSender:
    """Registered as bot.care.outbound's "telegram" sender by TelegramInput.blueprint."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._bot: Bot | None = None

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    def bot(self) -> Bot:
        if self._bot is None:
            if not self.settings.TELEGRAM_BOT_TOKEN:
                raise DeliveryError("TELEGRAM_BOT_TOKEN is not set", permanent=False)
            self._bot = make_bot(self.settings)
        return self._bot

    async def deliver(self, chat_id: str, reply: Reply) -> None:
        """For the outbox: refuses a family that sent /stop."""
        if await asyncio.to_thread(store.is_opted_out, CHANNEL, chat_id):
            raise DeliveryError("the family sent /stop on Telegram", permanent=True)
        await self.send(chat_id, reply)

    async def send(self, chat_id: str, reply: Reply) -> None:
        bot = self.bot()
        text = render_telegram(reply)
        parse_mode: ParseMode | None = ParseMode.HTML
        for attempt in range(1, FLOOD_ATTEMPTS + 1):
            try:
                await bot.send_message(
                    chat_id=chat_id, text=text or "-", parse_mode=parse_mode, reply_markup=keyboard(reply.buttons)
                )
                return
            except RetryAfter as err:
                wait = seconds(err.retry_after)
                if wait > MAX_FLOOD_WAIT_S or attempt == FLOOD_ATTEMPTS:
                    raise DeliveryError(
                        f"Telegram flood control: retry after {wait:.0f} s", retry_after_s=wait
                    ) from err
                log.info("Telegram 429: waiting %.1f s before sending again", wait)
                await asyncio.sleep(wait)
            except Forbidden as err:
                # "bot was blocked by the user" / "bot can't initiate conversation with a user".
                await asyncio.to_thread(store.mark_unreachable, CHANNEL, chat_id, err.message)
                raise DeliveryError(f"cannot contact this family on Telegram: {err.message}", permanent=True) from err
            except BadRequest as err:
                if parse_mode is not None and "parse entities" in err.message.lower():
                    # Our HTML was refused (e.g. cut mid-tag at 4096 characters): send it as plain text.
                    text, parse_mode = plain_text(reply), None
                    continue
                raise DeliveryError(f"Telegram refused the message: {err.message}", permanent=True) from err
            except (NetworkError, TelegramError) as err:  # timeouts, 5xx, a bad token: may pass
                raise DeliveryError(f"Telegram send failed: {err.message}", permanent=False) from err
        raise DeliveryError("Telegram send failed after retries", permanent=False)

    async def answer_callback(self, callback_id: str) -> None:
        # Until answered, the parent's app shows a spinner on the button; failure here is cosmetic.
        try:
            await self.bot().answer_callback_query(callback_id)
        except (TelegramError, DeliveryError) as err:
            log.warning("answerCallbackQuery failed: %s", err)


async def set_webhook(settings: Settings) -> tuple[str, str]:
    """Register PUBLIC_URL's webhook with a new secret; returns (url, secret). Telegram then sends the secret
    in X-Telegram-Bot-Api-Secret-Token on every update."""
    secret = secrets.token_urlsafe(48)  # A-Z a-z 0-9 _ - only, 64 characters: inside Telegram's 1 to 256
    url = settings.PUBLIC_URL.rstrip("/") + WEBHOOK_PATH
    async with make_bot(settings) as bot:
        await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    return url, secret
