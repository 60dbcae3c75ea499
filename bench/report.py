"""The bench's human-readable table, printed above its JSON line."""

from __future__ import annotations

from typing import Any


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def table(r: dict[str, Any], extra: dict[str, Any]) -> str:
    b = r["baseline"]
    rows = [
        (
            "turn p50 / p95 / p99 (ms)",
            "{p50} / {p95} / {p99}".format(**r["turn_ms"]),
            "{p50} / {p95} / {p99}".format(**b["turn_ms"]),
            "p50 <= 30, p99 <= 100",
        ),
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
    lines.append(
        f"  memory by process: {r['rss_mb']}; latency run: {extra['messages']} messages; "
        f"errors: ours {len(extra['errors'])}, baseline {len(extra['baseline_errors'])}"
    )
    for err in (extra["errors"] + extra["baseline_errors"])[:10]:
        lines.append(f"  error: {err}")
    return "\n".join(lines)
