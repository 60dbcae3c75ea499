"""Single measurements against a running stack: first answer after start, edited wording live; and, in process,
the risk screen's time: the matcher alone, and the whole screen a turn runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.load import Texts
from bench.procs import percentile

FIRST_QUESTION = "when do babies get their first tooth"


def first_answer(url: str, started: float, timeout_s: float = 300) -> float:
    """Seconds from `started` until the web chat answers a question from content."""
    while time.monotonic() - started < timeout_s:
        try:
            resp = httpx.post(f"{url}/webhooks/webchat/webhook", json={"message": FIRST_QUESTION}, timeout=30)
            if resp.status_code == 200 and any(m["meta"].get("kind") == "answer" for m in resp.json()["messages"]):
                return time.monotonic() - started
        except (httpx.HTTPError, KeyError, IndexError):
            pass
        time.sleep(0.1)
    raise TimeoutError("no answer from the stack")


def ask(url: str, text: str) -> dict[str, Any]:
    resp = httpx.post(
        f"{url}/webhooks/webchat/webhook",
        json={"message": text},  # no cookie: a new web chat session, a new family
        timeout=30,
    )
    resp.raise_for_status()
    messages = resp.json()["messages"]
    # A new family's first reply may be the privacy notice: the answer is the message that names one.
    return next((dict(m) for m in messages if m["meta"].get("answer_id")), dict(messages[0]))


def wording_live(url: str, content: Path) -> float:
    """Edit the wording of the answer a question gets, in the stack's content copy; seconds until the web chat
    serves the new words (no build, no restart)."""
    answer_id = ask(url, FIRST_QUESTION)["meta"]["answer_id"]
    path = content / f"{answer_id}.md"
    marker = f"Benchmark wording {int(time.time())}."
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    path.write_text(f"{head}{sep}{marker} {body}", encoding="utf-8")
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if marker in ask(url, FIRST_QUESTION)["text"]:
            return time.monotonic() - started
        time.sleep(0.05)
    raise TimeoutError(f"edited wording of {answer_id} never served")


def _per_message_ms(check: Callable[[str], object], texts: Texts) -> dict[str, float]:
    """p50 and p99 of one call per text (three rounds), after a warm-up call (everything loaded first)."""
    check("warm up")
    times: list[float] = []
    for _ in range(3):
        for text in texts.safe:
            started = time.perf_counter()
            check(text)
            times.append((time.perf_counter() - started) * 1000)
    return {"p50": round(percentile(times, 0.50), 3), "p99": round(percentile(times, 0.99), 3)}


def risk_screen_ms(texts: Texts) -> dict[str, float]:
    """The deterministic risk screen's own time per message, in this process."""
    from bot.risk.screening import matcher_hits

    return _per_message_ms(lambda text: matcher_hits([text]), texts)


def whole_screen_ms(texts: Texts) -> dict[str, float]:
    """The whole screen a turn runs (bot/wiring.py): the matcher, the risk classifier, language detection and
    every language's red-flag lists, per message, in this process."""
    from bot.languages.screen import MultilingualRiskScreen

    return _per_message_ms(MultilingualRiskScreen().check, texts)
