"""What Telegram and SMS share between the webhook and the pipeline: cleaning the parent's text, a per-sender
and a global rate limit, per-sender ordered processing, and the copy sent outside Rasa turns.

Webhooks are acknowledged as soon as the message is stored (channels/pending.py; Twilio gives up after 15 s,
Telegram redelivers on any non-2xx) and the work happens in one asyncio task per sender, so a parent's three
quick texts get three replies in order while different parents are served side by side.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.answers.messages import messages
from bot.care.outbound import DeliveryError
from bot.conversation.store import chosen_language
from bot.settings import get_settings
from bot.turn.messages import Reply
from bot.turn.ports import RiskScreen

log = logging.getLogger(__name__)

# The risk screen reads every word a channel delivers: Telegram sends up to 4,096 characters, Twilio joins a
# long SMS up to 1,600, so this bound cuts only what a script posts to the webhook (it keeps the screen's
# time bounded). Only the text handed to the model is cut shorter (bot/turn/pipeline.py MODEL_INPUT_CHARS).
MAX_INPUT_CHARS = 10_000
# A turn reply that fails for a passing reason (timeout, 5xx) is tried this many times before we give up.
SEND_ATTEMPTS = 3
LEADING_SLASHES = re.compile(r"^[\s/]+")


@dataclass(frozen=True)
class Cleaned:
    text: str
    readable: bool  # False: blank, emoji only, or nothing left after dropping broken characters


def clean_input(raw: str) -> Cleaned:
    # Lone surrogates (half an emoji, from some gateways and clients) would crash the first encode later on.
    text = raw.encode("utf-16", "surrogatepass").decode("utf-16", "ignore")
    text = unicodedata.normalize("NFC", text)
    # Drop control characters and U+FFFD (what a badly encoded byte became); keep line breaks.
    text = "".join(ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch != "\ufffd"))
    # Rasa reads a message starting with "/" as an intent to inject ("/risk__x", "/choose_option{...}"):
    # a parent's text must never be able to do that, so the slash goes.
    # "/ /x" too: spaces and slashes go together (bot/turn/pipeline.py also clears "/" at each line's start).
    text = LEADING_SLASHES.sub("", text).strip()[:MAX_INPUT_CHARS]
    return Cleaned(text=text, readable=any(ch.isalnum() for ch in text))


def kind_reply(key: str, render: str, lang: str | None = None) -> Reply:
    """A message from content/messages/channels.yml, tagged with its key for logs and tests."""
    return Reply(text=messages().in_language(key, render, lang), meta={"kind": key})


async def family_reply(key: str, render: str, channel: str, sender_id: str) -> Reply:
    """kind_reply in the language the family chose (HELP, the welcome): English when the store cannot say."""
    try:
        lang = await asyncio.to_thread(chosen_language, channel, sender_id)
    except Exception as err:
        log.error("language choice unavailable (%s); replying in English", type(err).__name__)
        lang = None
    return kind_reply(key, render, lang)


class RateLimiter:
    """A per-sender and a global moving-window limit (the `limits` library: its memory storage by default,
    `RATE_LIMIT_STORAGE=redis://...` to share the counts between servers). The first message over a
    sender's limit gets a kind reply, later ones nothing, until the window has room again; over the global
    limit (a script posting from many numbers) nothing is answered but what the risk screen flags."""

    def __init__(self, per_minute: int, global_per_minute: int = 600, storage_uri: str = "memory://") -> None:
        self.per_sender = RateLimitItemPerMinute(per_minute)
        self.overall = RateLimitItemPerMinute(global_per_minute)
        # The strategy keeps only a weak reference to its storage: this object must hold the strong one.
        self._storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._warned: set[str] = set()

    def check(self, key: str) -> str:
        """ "ok", "first_over" (send the kind reply) or "over" (send nothing)."""
        if not self._limiter.test(self.per_sender, "sender", key):
            if key in self._warned:
                return "over"
            if len(self._warned) > 10_000:  # bounded memory under a flood of senders
                self._warned.clear()
            self._warned.add(key)
            return "first_over"
        if not self._limiter.hit(self.overall, "global"):
            return "over"
        self._limiter.hit(self.per_sender, "sender", key)
        self._warned.discard(key)
        return "ok"


def limiter_from_settings() -> RateLimiter:
    settings = get_settings()
    return RateLimiter(
        settings.RATE_LIMIT_PER_MINUTE, settings.RATE_LIMIT_GLOBAL_PER_MINUTE, settings.RATE_LIMIT_STORAGE
    )


T = TypeVar("T")


class SenderQueues(Generic[T]):
    """One FIFO and one worker task per sender; the task ends when its queue is empty."""

    def __init__(self, process: Callable[[str, T], Awaitable[None]]) -> None:
        self.process = process
        self._queues: dict[str, deque[T]] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones

    def put(self, key: str, item: T) -> None:
        queue = self._queues.get(key)
        if queue is not None:  # a worker is running for this sender and will reach it in order
            queue.append(item)
            return
        self._queues[key] = deque([item])
        task = asyncio.get_running_loop().create_task(self._work(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                item = queue.popleft()
                try:
                    await self.process(key, item)
                except Exception:  # one bad message must not stop this sender's later ones
                    log.exception("processing a message failed")
        finally:
            del self._queues[key]

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def tell_escalations(record: Callable[..., int | None], *args: str) -> int | None:
    """Run an escalation record (bot/care/escalations.py record_stop, bot/care/unreachable.py) off the event
    loop; never raises: a parent's STOP or a blocked chat must not break the webhook."""
    try:
        return await asyncio.to_thread(record, *args)
    except Exception:
        log.exception("%s failed", getattr(record, "__name__", "escalation record"))
        return None


async def send_with_retry(send: Callable[[Reply], Awaitable[None]], reply: Reply) -> bool:
    """Send one turn reply, retrying passing failures a few times; False when it could not be delivered."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await send(reply)
            return True
        except DeliveryError as err:
            if err.permanent or attempt == SEND_ATTEMPTS:
                log.warning("reply not delivered (%s, attempt %s): %s", reply.meta.get("kind"), attempt, err.reason)
                return False
            await asyncio.sleep(min(err.retry_after_s or float(2 ** (attempt - 1)), 30.0))
    return False


def admit(limiter: RateLimiter, key: str, text: str, screen: RiskScreen) -> str:
    """ "ok" to process, "notice" to send the rate-limit reply instead, "drop" to send nothing."""
    verdict = limiter.check(key)
    if verdict == "ok":
        return "ok"
    # The limit never hides the emergency route: a message the risk screen flags is still answered.
    try:
        if screen.check(text):
            return "ok"
    except Exception:
        log.exception("risk screen failed while rate limited; processing the message")
        return "ok"
    return "notice" if verdict == "first_over" else "drop"
