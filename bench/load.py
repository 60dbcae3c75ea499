"""The mixed load `make bench` and `make soak` replay: parents on web chat, Telegram and SMS, through the real
webhooks (signed), with the replies caught by the fake Telegram and Twilio APIs of tests/support/fakes.

A message's latency is from just before the webhook POST to the moment the fake API recorded the first reply
for that chat or number (web chat: request to response). The client's own time is included, so the figures
are an upper bound on the server's.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.fakes import BenchTelegram, BenchTwilio, Delivered
from bot import paths
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent

VAGUE = ("jabs", "dummies and sleep and teeth", "milk", "dummy advice")
DATA = paths.ROOT / "tests" / "data"


def read_jsonl(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Texts:
    answers: list[str]
    risks: list[str]
    safe: list[str]  # every text the risk screen should pass (for its timing)

    @classmethod
    def load(cls) -> Texts:
        evals = read_jsonl("eval.jsonl")
        flags = read_jsonl("redflags.jsonl")
        answers = [c["text"] for c in evals if c.get("answer") and not c.get("risk") and not c.get("previous")]
        risks = [c["text"] for c in flags if c.get("risk") not in (None, "none") and not c.get("previous")]
        return cls(answers=answers, risks=risks, safe=[c["text"] for c in evals + flags])


@dataclass
class Result:
    kind: str  # answer | clarify | option | risk
    channel: str
    ms: float | None  # None: no reply in time (an error)
    replies: list[dict[str, Any]] = field(default_factory=list)


_senders = itertools.count(1)


class Parent:
    """One family on one channel. `kind` of each message decides what it sends; risk families are fresh each
    time (after a risk message the family is with a health visitor, and the bot stops answering it)."""

    def __init__(
        self,
        base_url: str,
        channel: str,
        telegram: BenchTelegram,
        twilio: BenchTwilio,
        client: httpx.Client,
        run_id: str,
    ) -> None:
        n = next(_senders)
        self.base_url = base_url
        self.channel = channel
        self.telegram = telegram
        self.twilio = twilio
        self.client = client
        self.sender = f"bench-{run_id}-{n}"
        self.chat_id = 800_000_000 + n
        self.number = f"+4477{n:08d}"
        if channel == "webchat":
            client.cookies.clear()  # a new family: a new web chat session (one worker thread, one family at a time)
        self.tg = TelegramParent(base_url, self.chat_id, TELEGRAM_SECRET)
        self.sms = SmsParent(base_url, PUBLIC_URL, self.number, twilio.auth_token, twilio.account_sid, TWILIO_FROM)

    def send(self, text: str, timeout_s: float = 30.0) -> Result:
        if self.channel == "rest":  # the baseline: Rasa's REST channel answers in the response
            started = time.monotonic()
            resp = self.client.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text},
                timeout=timeout_s,
            )
            ms = (time.monotonic() - started) * 1000
            if resp.status_code != 200:
                return Result("", self.channel, None)
            return Result("", self.channel, ms, [{"text": m.get("text", ""), "meta": {}} for m in resp.json()])
        if self.channel == "webchat":
            # The family is the session cookie the server issued to this worker's client (cleared per family).
            started = time.monotonic()
            resp = self.client.post(
                f"{self.base_url}/webhooks/webchat/webhook", json={"message": text}, timeout=timeout_s
            )
            ms = (time.monotonic() - started) * 1000
            if resp.status_code != 200:
                return Result("", self.channel, None)
            self.sender = str(resp.json()["sender"])
            return Result("", self.channel, ms, list(resp.json()["messages"]))
        if self.channel == "telegram":
            fake: Delivered = self.telegram
            target = str(self.chat_id)
            body = {"update_id": next(_update_ids), "message": self.tg.message(text=text)}
            before = fake.count(target)
            started = time.monotonic()
            resp = self.client.post(
                self.tg.url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}, timeout=timeout_s
            )
        else:
            from twilio.request_validator import RequestValidator

            fake = self.twilio
            target = self.number
            fields = self.sms.fields(text, f"SM{uuid.uuid4().hex}")
            path = "/webhooks/sms/webhook"
            signature = RequestValidator(self.twilio.auth_token).compute_signature(f"{PUBLIC_URL}{path}", fields)
            before = fake.count(target)
            started = time.monotonic()
            resp = self.client.post(
                f"{self.base_url}{path}", data=fields, headers={"X-Twilio-Signature": signature}, timeout=timeout_s
            )
        if resp.status_code != 200:
            return Result("", self.channel, None)
        at = fake.wait_reply(target, before, timeout_s)
        return Result("", self.channel, None if at is None else (at - started) * 1000)


_update_ids = itertools.count(int(time.time()) % 1_000_000 * 1000 + 500_000)
CHANNELS = ("webchat", "telegram", "sms")


def mix(rng: random.Random) -> str:
    """70% answers, 15% clarifications (a vague message then "2"), 15% risk messages."""
    roll = rng.random()
    return "answer" if roll < 0.70 else "clarify" if roll < 0.85 else "risk"


def workload(
    rng: random.Random, texts: Texts, channels: tuple[str, ...] = CHANNELS
) -> Iterator[tuple[str, str, list[str]]]:
    """Endless (channel, kind, messages) episodes, channels in turn."""
    for i in itertools.count():
        channel = channels[i % len(channels)]
        kind = mix(rng)
        if kind == "answer":
            yield channel, kind, [rng.choice(texts.answers)]
        elif kind == "clarify":
            yield channel, kind, [rng.choice(VAGUE), "2"]
        else:
            yield channel, kind, [rng.choice(texts.risks)]


@dataclass
class Tally:
    results: list[Result] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    risk_families: list[tuple[str, str]] = field(default_factory=list)  # (channel, sender id as stored)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def run_episode(
    base_url: str,
    channel: str,
    kind: str,
    messages: list[str],
    telegram: BenchTelegram,
    twilio: BenchTwilio,
    client: httpx.Client,
    run_id: str,
    tally: Tally,
) -> None:
    parent = Parent(base_url, channel, telegram, twilio, client, run_id)
    for i, text in enumerate(messages):
        label = "option" if kind == "clarify" and i == 1 else kind
        try:
            result = parent.send(text)
        except httpx.HTTPError as err:
            tally.error(f"{channel} {label}: {type(err).__name__}: {err}")
            return
        result.kind = label
        tally.add(result)
        if result.ms is None:
            tally.error(f"{channel} {label}: no reply within 30 s to {text!r}")
            return
        if channel == "webchat":
            meta = result.replies[0]["meta"] if result.replies else {}
            if meta.get("kind") == "safe_default":
                tally.error(f"webchat {label}: safe default (a failed turn) for {text!r}")
            if kind == "risk" and meta.get("kind") != "risk":
                tally.error(f"webchat risk: not routed as risk: {text!r} -> {meta.get('kind')}")
    if kind == "risk":
        stored = {
            "webchat": parent.sender,
            "telegram": str(parent.chat_id),
            "sms": parent.number,
            "rest": parent.sender,
        }[channel]
        with tally.lock:
            tally.risk_families.append((channel, stored))


def run_load(
    base_url: str,
    telegram: BenchTelegram,
    twilio: BenchTwilio,
    texts: Texts,
    *,
    senders: int,
    seconds: float | None = None,
    episodes: int | None = None,
    seed: int = 7,
    channels: tuple[str, ...] = CHANNELS,
) -> tuple[Tally, float]:
    """`senders` threads, each replaying episodes until `seconds` pass or `episodes` in all are done."""
    assert seconds is not None or episodes is not None
    rng = random.Random(seed)
    jobs = workload(rng, texts, channels)
    jobs_lock = threading.Lock()
    run_id = uuid.uuid4().hex[:6]
    tally = Tally()
    started = time.monotonic()
    taken = itertools.count()

    def worker() -> None:
        with httpx.Client() as client:
            while True:
                if seconds is not None and time.monotonic() - started >= seconds:
                    return
                if episodes is not None and next(taken) >= episodes:
                    return
                with jobs_lock:
                    channel, kind, messages = next(jobs)
                run_episode(base_url, channel, kind, messages, telegram, twilio, client, run_id, tally)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.monotonic() - started
