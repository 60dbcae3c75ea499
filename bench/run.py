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
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bench import baseline, figures
from bench.fakes import BenchTelegram, BenchTwilio, stack_env
from bench.load import Tally, Texts, run_load
from bench.measure import first_answer, risk_screen_ms, wording_live
from bench.procs import percentile, rss_mb
from bench.report import ratio, table
from bot import paths
from tests.support.stack import free_port

if TYPE_CHECKING:
    from tests.support.pg import Databases

WORDING_FILE = ("oral_health", "first_tooth")


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def latencies(tally: Tally) -> dict[str, float]:
    values = [r.ms for r in tally.results if r.ms is not None]
    return {
        "p50": round(percentile(values, 0.50), 1),
        "p95": round(percentile(values, 0.95), 1),
        "p99": round(percentile(values, 0.99), 1),
    }


def saturate(
    base_url: str,
    telegram: BenchTelegram,
    twilio: BenchTwilio,
    texts: Texts,
    levels: list[int],
    seconds: float,
    channels: tuple[str, ...],
) -> tuple[float, dict[int, float], list[str]]:
    """Messages a second at each concurrency level; the best is the throughput at saturation."""
    rates: dict[int, float] = {}
    errors: list[str] = []
    for senders in levels:
        tally, elapsed = run_load(
            base_url, telegram, twilio, texts, senders=senders, seconds=seconds, channels=channels, seed=senders
        )
        done = sum(r.ms is not None for r in tally.results)
        rates[senders] = round(done / elapsed, 1)
        errors.extend(tally.errors)
        say(f"  {senders:>2} senders: {rates[senders]} msg/s ({len(tally.errors)} errors)")
    return max(rates.values()), rates, errors


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
    code = (
        "import sys; sys.path.insert(0, '.'); import bot, pathlib; "
        "assert pathlib.Path(bot.__file__).resolve().is_relative_to(pathlib.Path('.').resolve()), bot.__file__; "
        "from bot.cli import main; sys.exit(main(['build', '--force']))"
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.monotonic()
    with open(work / "build.log", "wb") as log:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=1800
        )
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
        from bot.storage.db import upgrade

        upgrade(databases.url(databases.project))
        env.update(databases.production_env(action_port))
        endpoints_file = paths.ROOT / "endpoints.production.yml"
    else:
        endpoints = yaml.safe_load(paths.ENDPOINTS.read_text(encoding="utf-8"))
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
        endpoints["tracker_store"]["db"] = str(work / "tracker.db")
        endpoints_file = work / "endpoints.yml"
        endpoints_file.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    stack = Stack(
        rasa_port=free_port(),
        action_port=action_port,
        staff_port=free_port(),
        endpoints=endpoints_file,
        env=env,
        log_dir=work / "logs",
    )
    return stack, telegram, twilio, content


def print_logs(work: Path) -> None:
    for log in sorted((work / "logs").glob("*.log")):
        print(f"---- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)


def process_rss(stack: Any) -> dict[str, float]:
    return {name: round(rss_mb(p.pid)) for name, p in stack.roles.items()}


def ours(
    work: Path, texts: Texts, episodes: int, seconds: float, levels: list[int], databases: Databases | None = None
) -> dict[str, Any]:
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
        out["by_channel"] = {
            ch: latencies(Tally(results=[r for r in tally.results if r.channel == ch]))
            for ch in ("webchat", "telegram", "sms")
        }
        out["by_kind"] = {
            k: latencies(Tally(results=[r for r in tally.results if r.kind == k]))
            for k in ("answer", "clarify", "option", "risk")
        }
        out["messages"] = len(tally.results)
        say("throughput at saturation")
        out["throughput_msg_s"], out["levels"], errors = saturate(
            stack.url, telegram, twilio, texts, levels, seconds, ("webchat", "telegram", "sms")
        )
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
        out["throughput_msg_s"], out["levels"], errors = saturate(
            url, dummy_tg, dummy_sms, texts, levels, seconds, ("rest",)
        )
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
        from tests.support.pg import fresh_databases

        with fresh_databases("parentbot_bench_") if profile == "production" else contextlib.nullcontext() as dbs:
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
            "turn_ms": mine["turn_ms"],
            "throughput_msg_s": mine["throughput_msg_s"],
            "risk_screen_ms": screen,
            "rss_mb": mine["rss_mb"],
            "first_answer_s": mine["first_answer_s"],
            "build_s": build_s,
            "wording_live_s": mine["wording_live_s"],
            "baseline": {
                "turn_ms": base["turn_ms"],
                "throughput_msg_s": base["throughput_msg_s"],
                "rss_mb": {"total": base["rss_mb"]["total"]},
            },
            "ratio": {
                "turn_p50": ratio(mine["turn_ms"]["p50"], base["turn_ms"]["p50"]),
                "turn_p99": ratio(mine["turn_ms"]["p99"], base["turn_ms"]["p99"]),
                "throughput": ratio(mine["throughput_msg_s"], base["throughput_msg_s"]),
                "rss_total": ratio(mine["rss_mb"]["total"], base["rss_mb"]["total"]),
            },
        }
        if profile != "embedded":
            result["profile"] = profile  # the default run's JSON keeps exactly issue 7's keys
        extra = {**mine, "baseline_errors": base["errors"]}
        result["baseline"]["levels"] = base["levels"]
        print(table(result, extra), flush=True)
        del result["baseline"]["levels"]
        print(json.dumps(result), flush=True)
        if profile == "embedded":  # the README's figures (bench/figures.py); the production run is docs/deploy.md's
            say(f"wrote {figures.write('bench', result, dt.date.today().isoformat())}")
        ok = True
        return 0
    finally:
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} (logs) for the failure above")


if __name__ == "__main__":
    sys.exit(main())
