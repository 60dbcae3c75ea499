"""`make soak`: the whole stack under mixed traffic for SOAK_SECONDS (default 600), concurrent senders on all
three channels. Fails (exit 1) on any error (no reply, a failed turn, a risk message not routed as risk), on
any lost or doubled escalation (every risk family must have exactly one escalation row), or when a process's
resident memory grows more than 10% between the end of the warm-up (a quarter of the run, at most 2 minutes)
and the end. Prints a table and, as its last line, a JSON object.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load import Tally, Texts, run_load
from bench.measure import first_answer
from bench.procs import percentile
from bench.run import print_logs, process_rss, say

MAX_GROWTH = 0.10
SLICE_S = 10.0


def escalations_by_family(database: Path) -> dict[tuple[str, str], int]:
    from sqlalchemy import create_engine, func, select

    from bot.storage.models.escalation import Escalation

    engine = create_engine(f"sqlite:///{database}", future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Escalation.channel, Escalation.sender_id, func.count()).group_by(
                    Escalation.channel, Escalation.sender_id
                )
            ).all()
        return {(str(c), str(s)): int(n) for c, s, n in rows}
    finally:
        engine.dispose()


def main() -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    duration = float(os.environ.get("SOAK_SECONDS", "600"))
    senders = int(os.environ.get("SOAK_SENDERS", "4"))
    warmup = min(120.0, duration / 4)
    texts = Texts.load()
    work = Path(tempfile.mkdtemp(prefix="parentbot-soak-"))
    from bench.run import prepare_stack

    stack, telegram, twilio, _ = prepare_stack(work)
    say(f"soak: {duration:.0f} s, {senders} concurrent senders, warm-up {warmup:.0f} s; working in {work}")
    total = Tally()
    samples: list[tuple[float, dict[str, float]]] = []
    ok = False
    started = time.monotonic()
    stack.start()
    try:
        stack.wait_ready(timeout_s=300)
        first_answer(stack.url, started)
        load_started = time.monotonic()
        warm_rss: dict[str, float] | None = None
        while (elapsed := time.monotonic() - load_started) < duration:
            tally, _ = run_load(
                stack.url,
                telegram,
                twilio,
                texts,
                senders=senders,
                seconds=min(SLICE_S, duration - elapsed),
                seed=int(elapsed) + 1,
            )
            total.results.extend(tally.results)
            total.errors.extend(tally.errors)
            total.risk_families.extend(tally.risk_families)
            rss = process_rss(stack)
            samples.append((time.monotonic() - load_started, rss))
            if warm_rss is None and samples[-1][0] >= warmup:
                warm_rss = rss
            say(f"{samples[-1][0]:5.0f} s: {len(total.results)} messages, {len(total.errors)} errors, rss {rss}")
        time.sleep(2)  # let the last replies' escalation writes land
        wall = time.monotonic() - load_started
        final_rss = process_rss(stack)
        warm_rss = warm_rss or samples[0][1]
        counts = escalations_by_family(work / "parentbot.db")
        lost = [f for f in total.risk_families if counts.get(f, 0) == 0]
        doubled = [f for f in total.risk_families if counts.get(f, 0) > 1]
        growth = {k: round((final_rss[k] - warm_rss[k]) / warm_rss[k], 4) for k in final_rss}
        values = [r.ms for r in total.results if r.ms is not None]
        result: dict[str, Any] = {
            "seconds": round(wall),
            "senders": senders,
            "messages": len(total.results),
            "msg_s": round(len(values) / wall, 1),
            "turn_ms": {
                "p50": round(percentile(values, 0.5), 1),
                "p95": round(percentile(values, 0.95), 1),
                "p99": round(percentile(values, 0.99), 1),
            },
            "errors": len(total.errors),
            "risk_families": len(total.risk_families),
            "escalations_lost": len(lost),
            "escalations_doubled": len(doubled),
            "rss_mb_after_warmup": warm_rss,
            "rss_mb_end": final_rss,
            "rss_growth": growth,
        }
        failures = [*total.errors[:10]]
        if lost:
            failures.append(f"{len(lost)} risk families without an escalation, e.g. {lost[:3]}")
        if doubled:
            failures.append(f"{len(doubled)} risk families with more than one escalation, e.g. {doubled[:3]}")
        failures += [
            f"{k} grew {g:.1%} after warm-up (limit {MAX_GROWTH:.0%})" for k, g in growth.items() if g > MAX_GROWTH
        ]
        if total.errors:
            failures.append(f"{len(total.errors)} errors in all")
        result["passed"] = not failures
        print(
            f"soak {wall:.0f} s, {senders} senders: {len(total.results)} messages ({result['msg_s']} msg/s), "
            f"turn p50/p95/p99 {result['turn_ms']['p50']}/{result['turn_ms']['p95']}/{result['turn_ms']['p99']} ms"
        )
        print(f"  risk families {len(total.risk_families)}: escalations lost {len(lost)}, doubled {len(doubled)}")
        print(f"  rss after warm-up {warm_rss} MB, at the end {final_rss} MB, growth {growth}")
        for f in failures:
            print(f"  FAIL: {f}")
        print("PASSED" if not failures else "FAILED")
        print(json.dumps(result), flush=True)
        ok = not failures
        return 0 if ok else 1
    except Exception:
        print_logs(work)
        raise
    finally:
        stack.stop()
        telegram.stop()
        twilio.stop()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} (logs, database) for the failure above")


if __name__ == "__main__":
    sys.exit(main())
