"""`make bench`: the whole stack on free loopback ports with SQLite, a mixed load through the real webhooks, and
the same load against Rasa's default pipeline (bench/baseline.py) in the same run.

Prints a table, then as its last line one JSON object (keys in issue 7). Knobs (environment):
BENCH_EPISODES (latency run, one sender at a time; default 250), BENCH_SECONDS (each throughput level;
default 10), BENCH_SENDERS (concurrency levels; default "4,8,16"), BENCH_BUILD=0 to skip timing the build,
BENCH_PROFILE=production for our stack on the production profile instead (endpoints.production.yml: PostgreSQL
for the tracker store and the project's tables, in fresh databases migrated by Alembic, Redis lock store).
The machine may be shared: figures are noisy, compare within one run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import yaml

from bench import baseline
from bench.load import (
    BenchTelegram,
    BenchTwilio,
    Tally,
    Texts,
    percentile,
    rss_mb,
    run_load,
    stack_env,
)
from bot import paths

if TYPE_CHECKING:
    from pg_support import Databases  # tests/pg_support.py, on the path once bench.load is imported

FIRST_QUESTION = "when do babies get their first tooth"
WORDING_FILE = ("oral_health", "first_tooth")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def latencies(tally: Tally) -> dict[str, float]:
    values = [r.ms for r in tally.results if r.ms is not None]
    return {"p50": round(percentile(values, 0.50), 1), "p95": round(percentile(values, 0.95), 1),
            "p99": round(percentile(values, 0.99), 1)}


def saturate(base_url: str, telegram: BenchTelegram, twilio: BenchTwilio, texts: Texts, levels: list[int],
             seconds: float, channels: tuple[str, ...]) -> tuple[float, dict[int, float], list[str]]:
    """Messages a second at each concurrency level; the best is the throughput at saturation."""
    rates: dict[int, float] = {}
    errors: list[str] = []
    for senders in levels:
        tally, elapsed = run_load(base_url, telegram, twilio, texts, senders=senders, seconds=seconds,
                                  channels=channels, seed=senders)
        done = sum(r.ms is not None for r in tally.results)
        rates[senders] = round(done / elapsed, 1)
        errors.extend(tally.errors)
        say(f"  {senders:>2} senders: {rates[senders]} msg/s ({len(tally.errors)} errors)")
    return max(rates.values()), rates, errors


def first_answer(url: str, started: float, timeout_s: float = 300) -> float:
    """Seconds from `started` until the web chat answers a question from content."""
    while time.monotonic() - started < timeout_s:
        try:
            resp = httpx.post(f"{url}/webhooks/webchat/webhook",
                              json={"sender": "bench-first", "message": FIRST_QUESTION}, timeout=30)
            if resp.status_code == 200 and any(m["meta"].get("kind") == "answer" for m in resp.json()["messages"]):
                return time.monotonic() - started
        except (httpx.HTTPError, KeyError, IndexError):
            pass
        time.sleep(0.1)
    raise TimeoutError("no answer from the stack")


def ask(url: str, text: str) -> dict[str, Any]:
    resp = httpx.post(f"{url}/webhooks/webchat/webhook",
                      json={"sender": f"bench-ask-{time.monotonic_ns()}", "message": text}, timeout=30)
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


def risk_screen_ms(texts: Texts) -> dict[str, float]:
    """The deterministic risk screen's own time per message, in this process (rules loaded first)."""
    from bot.screening import matcher_hits

    matcher_hits(["warm up"])
    times: list[float] = []
    for _ in range(3):
        for text in texts.safe:
            started = time.perf_counter()
            matcher_hits([text])
            times.append((time.perf_counter() - started) * 1000)
    return {"p50": round(percentile(times, 0.50), 3), "p99": round(percentile(times, 0.99), 3)}


def build_from_clean(work: Path) -> float:
    """`parentbot build --force` in a fresh copy of the repository (no spaCy pipeline, data or model yet)."""
    skip = {".venv", ".git", ".build", "models", "var", ".ruff_cache", ".rasa", "__pycache__", "node_modules"}
    copy = work / "clean"

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).resolve().relative_to(paths.ROOT)
        dropped = {n for n in names if n in skip}
        if rel == Path("bot"):
            dropped |= {"spacy_en"}
        if rel == Path("bot/data"):
            dropped |= {"generated"}
        return dropped

    shutil.copytree(paths.ROOT, copy, ignore=ignore)
    code = ("import sys; sys.path.insert(0, '.'); import bot, pathlib; "
            "assert pathlib.Path(bot.__file__).resolve().is_relative_to(pathlib.Path('.').resolve()), bot.__file__; "
            "from bot.cli import main; sys.exit(main(['build', '--force']))")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.monotonic()
    with open(work / "build.log", "wb") as log:
        done = subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=1800)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"build from clean failed; see {work / 'build.log'}")
    return seconds


def prepare_stack(work: Path, databases: Databases | None = None) -> tuple[Any, BenchTelegram, BenchTwilio, Path]:
    """The stack as `make run` starts it, on free ports, with SQLite in `work`, a content copy and the fakes; or,
    given `databases`, as production runs it (endpoints.production.yml) on those."""
    from bot.serve import Stack

    if not paths.MODEL.exists():
        raise SystemExit("no trained model: run `make build` first")
    content = work / "content"
    shutil.copytree(paths.CONTENT, content)
    telegram, twilio = BenchTelegram(), BenchTwilio()
    telegram.start()
    twilio.start()
    action_port = free_port()
    env = stack_env(content, work, telegram, twilio)
    if databases is not None:
        from bot.db import upgrade

        upgrade(databases.url(databases.project))
        env.update(databases.production_env(action_port))
        endpoints_file = paths.ROOT / "endpoints.production.yml"
    else:
        endpoints = yaml.safe_load(paths.ENDPOINTS.read_text(encoding="utf-8"))
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
        endpoints["tracker_store"]["db"] = str(work / "tracker.db")
        endpoints_file = work / "endpoints.yml"
        endpoints_file.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    stack = Stack(rasa_port=free_port(), action_port=action_port, endpoints=endpoints_file, env=env,
                  log_dir=work / "logs")
    return stack, telegram, twilio, content


def print_logs(work: Path) -> None:
    for log in sorted((work / "logs").glob("*.log")):
        print(f"---- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)


def process_rss(stack: Any) -> dict[str, float]:
    names = ["actions", "rasa"] if len(stack.processes) == 2 else [f"p{i}" for i in range(len(stack.processes))]
    return {name: round(rss_mb(p.pid)) for name, p in zip(names, stack.processes, strict=True)}


def ours(work: Path, texts: Texts, episodes: int, seconds: float, levels: list[int],
         databases: Databases | None = None) -> dict[str, Any]:
    stack, telegram, twilio, content = prepare_stack(work, databases)
    out: dict[str, Any] = {}
    started = time.monotonic()
    stack.start()
    try:
        stack.wait_ready(timeout_s=300)
        out["first_answer_s"] = round(first_answer(stack.url, started), 1)
        say(f"first answer {out['first_answer_s']} s after start; warming up")
        run_load(stack.url, telegram, twilio, texts, senders=2, episodes=30, seed=1)
        say(f"latency: {episodes} episodes, one sender at a time, all three channels")
        tally, _ = run_load(stack.url, telegram, twilio, texts, senders=1, episodes=episodes, seed=2)
        out["turn_ms"] = latencies(tally)
        out["by_channel"] = {ch: latencies(Tally(results=[r for r in tally.results if r.channel == ch]))
                             for ch in ("webchat", "telegram", "sms")}
        out["by_kind"] = {k: latencies(Tally(results=[r for r in tally.results if r.kind == k]))
                          for k in ("answer", "clarify", "option", "risk")}
        out["messages"] = len(tally.results)
        say("throughput at saturation")
        out["throughput_msg_s"], out["levels"], errors = saturate(stack.url, telegram, twilio, texts, levels,
                                                                  seconds, ("webchat", "telegram", "sms"))
        out["errors"] = tally.errors + errors
        out["rss_mb"] = process_rss(stack)
        out["rss_mb"]["total"] = sum(out["rss_mb"].values())
        out["wording_live_s"] = round(wording_live(stack.url, content), 2)
    except Exception:
        print_logs(work)
        raise
    finally:
        stack.stop()
        telegram.stop()
        twilio.stop()
    return out


def theirs(work: Path, texts: Texts, episodes: int, seconds: float, levels: list[int]) -> dict[str, Any]:
    project, model, trained_s = baseline.ensure_model(work / "baseline-train.log")
    say("baseline model " + ("cached" if trained_s is None else f"trained in {trained_s:.0f} s") + f": {model}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = baseline.serve(project, model, port, work / "baseline.log")
    dummy_tg, dummy_sms = BenchTelegram(), BenchTwilio()  # not started: the REST channel answers inline
    try:
        baseline.wait_ready(proc, url)
        run_load(url, dummy_tg, dummy_sms, texts, senders=2, episodes=30, seed=1, channels=("rest",))
        tally, _ = run_load(url, dummy_tg, dummy_sms, texts, senders=1, episodes=episodes, seed=2, channels=("rest",))
        out: dict[str, Any] = {"turn_ms": latencies(tally)}
        say("baseline throughput at saturation")
        out["throughput_msg_s"], out["levels"], errors = saturate(url, dummy_tg, dummy_sms, texts, levels, seconds,
                                                                  ("rest",))
        out["errors"] = tally.errors + errors
        out["rss_mb"] = {"total": round(rss_mb(proc.pid))}
        out["trained_s"] = None if trained_s is None else round(trained_s)
        return out
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def table(r: dict[str, Any], extra: dict[str, Any]) -> str:
    b = r["baseline"]
    rows = [
        ("turn p50 / p95 / p99 (ms)", "{p50} / {p95} / {p99}".format(**r["turn_ms"]),
         "{p50} / {p95} / {p99}".format(**b["turn_ms"]), "p50 <= 30, p99 <= 100"),
        ("throughput (msg/s)", r["throughput_msg_s"], b["throughput_msg_s"], ">= 60"),
        ("risk screen p50 / p99 (ms)", "{p50} / {p99}".format(**r["risk_screen_ms"]), "-", "p99 <= 1"),
        ("resident memory total (MB)", r["rss_mb"]["total"], b["rss_mb"]["total"], "<= 2048"),
        ("first answer after start (s)", r["first_answer_s"], "-", "<= 30"),
        ("build from clean (s)", r["build_s"], "-", "<= 300"),
        ("wording live (s)", r["wording_live_s"], "-", "<= 2"),
    ]
    lines = [f"{'':32} {'parentbot':>24} {'rasa init baseline':>24}   target", "-" * 100]
    lines += [f"{name:32} {a!s:>24} {c!s:>24}   {t}" for name, a, c, t in rows]
    lines.append("-" * 100)
    for ch, v in extra["by_channel"].items():
        lines.append(f"  {ch:10} p50 {v['p50']:>7} ms  p95 {v['p95']:>7} ms  p99 {v['p99']:>7} ms")
    for kind, v in extra["by_kind"].items():
        lines.append(f"  {kind:10} p50 {v['p50']:>7} ms  p95 {v['p95']:>7} ms  p99 {v['p99']:>7} ms")
    lines.append(f"  throughput by concurrency: ours {extra['levels']}, baseline {b.get('levels')}")
    lines.append(f"  memory by process: {r['rss_mb']}; latency run: {extra['messages']} messages; "
                 f"errors: ours {len(extra['errors'])}, baseline {len(extra['baseline_errors'])}")
    for err in (extra["errors"] + extra["baseline_errors"])[:10]:
        lines.append(f"  error: {err}")
    return "\n".join(lines)


def main() -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    episodes = int(os.environ.get("BENCH_EPISODES", "250"))
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    levels = [int(x) for x in os.environ.get("BENCH_SENDERS", "4,8,16").split(",")]
    profile = os.environ.get("BENCH_PROFILE", "embedded")
    if profile not in ("embedded", "production"):
        raise SystemExit(f"BENCH_PROFILE={profile!r}: use embedded (SQLite, the default) or production")
    texts = Texts.load()
    work = Path(tempfile.mkdtemp(prefix="parentbot-bench-"))
    say(f"working in {work}")
    ok = False
    try:
        say(f"our stack, {profile} profile")
        from pg_support import fresh_databases

        with (fresh_databases("parentbot_bench_") if profile == "production" else contextlib.nullcontext()) as dbs:
            mine = ours(work, texts, episodes, seconds, levels, dbs)
        say("risk screen timing (in process)")
        screen = risk_screen_ms(texts)
        say("baseline: rasa init's default pipeline on our content, REST channel")
        base = theirs(work, texts, episodes, seconds, levels)
        build_s = None
        if os.environ.get("BENCH_BUILD", "1") != "0":
            say("parentbot build --force in a clean copy of the repository")
            build_s = round(build_from_clean(work), 1)
        result: dict[str, Any] = {
            "turn_ms": mine["turn_ms"], "throughput_msg_s": mine["throughput_msg_s"], "risk_screen_ms": screen,
            "rss_mb": mine["rss_mb"], "first_answer_s": mine["first_answer_s"], "build_s": build_s,
            "wording_live_s": mine["wording_live_s"],
            "baseline": {"turn_ms": base["turn_ms"], "throughput_msg_s": base["throughput_msg_s"],
                         "rss_mb": {"total": base["rss_mb"]["total"]}},
            "ratio": {"turn_p50": ratio(mine["turn_ms"]["p50"], base["turn_ms"]["p50"]),
                      "turn_p99": ratio(mine["turn_ms"]["p99"], base["turn_ms"]["p99"]),
                      "throughput": ratio(mine["throughput_msg_s"], base["throughput_msg_s"]),
                      "rss_total": ratio(mine["rss_mb"]["total"], base["rss_mb"]["total"])},
        }
        if profile != "embedded":
            result["profile"] = profile  # the default run's JSON keeps exactly issue 7's keys
        extra = {**mine, "baseline_errors": base["errors"]}
        result["baseline"]["levels"] = base["levels"]
        print(table(result, extra), flush=True)
        del result["baseline"]["levels"]
        print(json.dumps(result), flush=True)
        ok = True
        return 0
    finally:
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} (logs) for the failure above")


if __name__ == "__main__":
    sys.exit(main())
