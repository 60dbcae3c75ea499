"""README figures from their measurements: docs/figures/*.json -> the tables between README markers.

`make bench` writes docs/figures/bench.json and `make evaluate` docs/figures/evaluation.json; then
`python -m bench.figures` rewrites the README's tables between `<!-- FIGURES:name -->` and
`<!-- /FIGURES:name -->`. tests/unit/project/test_readme_figures.py fails when the README and the JSON disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bot import paths

FIGURES = paths.ROOT / "docs" / "figures"
README = paths.ROOT / "README.md"
BLOCK = re.compile(r"(<!-- FIGURES:(\w+) -->\n)(.*?)(<!-- /FIGURES:\2 -->)", re.S)
# The issue-7 targets the bench is judged against.
TARGETS = {
    "turn_p50": 30.0,
    "turn_p99": 100.0,
    "throughput": 60.0,
    "risk_p99": 1.0,
    "screen_p99": 5.0,  # issue 12: the whole screen under 5 ms a message
    "rss": 2048.0,
    "first_answer": 30.0,
    "build": 300.0,
    "wording": 2.0,
}


# Processes in the memory row, in this order and with these names (bench/run.py process_rss).
ORDER = ["rasa", "actions", "staff", "outbox", "total"]
LABELS = {"rasa": "Rasa"}


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def fmt3(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def bench_table(b: dict[str, Any]) -> str:
    t, base = b["turn_ms"], b["baseline"]
    rss, r = b["rss_mb"], b["ratio"]
    p99_ok, p50_ok = t["p99"] <= TARGETS["turn_p99"], t["p50"] <= TARGETS["turn_p50"]
    turn_verdict = {
        (True, True): "met",
        (True, False): "p99 met, **p50 not met**",
        (False, True): "p50 met, **p99 not met**",
        (False, False): "**not met**",
    }[(p99_ok, p50_ok)]
    processes = ", ".join(f"{LABELS.get(k, k)} {rss[k]}" for k in sorted(rss, key=ORDER.index) if k != "total")
    build = "-" if b["build_s"] is None else f"{b['build_s']} s"
    build_verdict = "-" if b["build_s"] is None else met(b["build_s"] <= TARGETS["build"])
    rows = [
        f"| measured {b['measured']} | parentbot | rasa init baseline | target | |",
        "|---|---|---|---|---|",
        f"| turn latency p50 / p95 / p99 | {t['p50']} / {t['p95']} / {t['p99']} ms | "
        f"{base['turn_ms']['p50']} / {base['turn_ms']['p95']} / {base['turn_ms']['p99']} ms | "
        f"p50 <= 30, p99 <= 100 ms | {turn_verdict} |",
        f"| throughput at saturation | {b['throughput_msg_s']} msg/s | {base['throughput_msg_s']} msg/s | "
        f">= 60 msg/s | {met(b['throughput_msg_s'] >= TARGETS['throughput'])} |",
        f"| risk screen per message p50 / p99 | {b['risk_screen_ms']['p50']} / {b['risk_screen_ms']['p99']} ms | - | "
        f"p99 <= 1 ms | {met(b['risk_screen_ms']['p99'] <= TARGETS['risk_p99'])} |",
        f"| resident memory | {rss['total']} MB ({processes}) | "
        f"{base['rss_mb']['total']} MB | <= 2048 MB | {met(rss['total'] <= TARGETS['rss'])} |",
        f"| first answer after start | {b['first_answer_s']} s | - | <= 30 s | "
        f"{met(b['first_answer_s'] <= TARGETS['first_answer'])} |",
        f"| `parentbot build --force` from a clean copy | {build} | - | <= 300 s | {build_verdict} |",
        f"| edited wording live | {b['wording_live_s']} s | - | <= 2 s | "
        f"{met(b['wording_live_s'] <= TARGETS['wording'])} |",
        f"| ratio ours / baseline | turn p50 {r['turn_p50']}, p99 {r['turn_p99']}; throughput {r['throughput']}; "
        f"memory {r['rss_total']} | | | |",
    ]
    return "\n".join(rows) + "\n"


def bench_json(b: dict[str, Any]) -> str:
    line = {k: v for k, v in b.items() if k != "measured"}
    return "```\n" + json.dumps(line) + "\n```\n"


def evaluation_tables(e: dict[str, Any]) -> str:
    ev, rf = e["eval"], e["redflags"]
    topics = ("breastfeeding", "safe_sleep", "immunisations", "oral_health", "out_of_scope")
    fp = ev["risk"]["false_positive_rate"]
    fp_n = round(fp * ev["risk"]["n_none"])
    note = e.get("notes", {}).get("eval_false_positives")
    recall = rf["risk"]["recall"]
    rf_fp = rf["risk"]["false_positive_rate"]
    rows = [
        f"| eval.jsonl (n={ev['n']}) | value |",
        "|---|---|",
        f"| topic accuracy | {fmt3(ev['topic_accuracy'])} |",
        f"| answer accuracy (right answer id) | {fmt3(ev['answer_accuracy'])} |",
        "| per topic: breastfeeding / safe sleep / immunisations / oral health / out of scope | "
        + " / ".join(fmt3(ev["per_topic"].get(t)) for t in topics)
        + " |",
        f"| fallback rate / clarifying-question rate | {fmt3(ev['fallback_rate'])} / {fmt3(ev['clarify_rate'])} |",
        f"| risk false-positive rate (ordinary questions escalated) | {fmt3(fp)} ({fp_n} of {ev['risk']['n_none']}"
        + (f", {note}" if note else "")
        + ") |",
        "",
        f"| redflags.jsonl (n={rf['n']}) | value |",
        "|---|---|",
        "| recall urgent medical / mental health / safeguarding / all | "
        + " / ".join(f"{recall[g]:.2f}" for g in ("urgent_medical", "mental_health", "safeguarding", "all"))
        + " |",
        f"| false-positive rate on its {rf['risk']['n_none']} non-risk lines | {fmt3(rf_fp)} "
        f"({round(rf_fp * rf['risk']['n_none'])} of {rf['risk']['n_none']}) |",
        f"| risk screen time per message (matcher, in process) | p50 {e['risk_screen_ms']['p50']} ms, "
        f"p99 {e['risk_screen_ms']['p99']} ms |",
    ]
    return "\n".join(rows) + "\n"


RISK_GROUPS = ("urgent_medical", "mental_health", "safeguarding", "all")


def risk_model_table(r: dict[str, Any]) -> str:
    """docs/figures/risk_model.json (`python -m bot.training.risk_train`, then the test half measured once)."""

    def recall(rates: dict[str, Any]) -> str:
        return " / ".join(f"{rates['recall'][g]:.2f}" for g in RISK_GROUPS)

    rows = [
        f"| tune half, 5-fold out-of-fold (n={r['n_tune']}; {r['n_fixed']} written, rule and answer examples), "
        f"measured {r['measured']} | recall urgent medical / mental health / safeguarding / all | ordinary escalated | "
        "CV time |",
        "|---|---|---|---|",
        f"| matcher alone | {recall(r['matcher_alone'])} | {r['matcher_alone']['ordinary']:.3f} | - |",
    ]
    for name, c in r["candidates"].items():
        label = f"**{name}** (chosen)" if name == r.get("chosen") else name
        rows.append(
            f"| matcher + {label} | {recall(c['at_concern'])} | {c['at_concern']['ordinary']:.3f} | "
            f"{c['cv_seconds']} s |"
        )
    deployed = r.get("deployed")
    if deployed:
        committed = " / ".join(f"{deployed['concern'][g]:g}" for g in RISK_GROUPS if g != "all")
        rows.append(
            f"| matcher + **{r['chosen']}** at the committed thresholds ({committed}; bot/thresholds.py) | "
            f"{recall(deployed)} | {deployed['ordinary']:.3f} | - |"
        )
    test = r.get("test_half")
    if test:
        rows += [
            "",
            f"| held-out test half (n={test['n']}), chosen model, measured once | value | target |",
            "|---|---|---|",
            f"| recall urgent medical / mental health / safeguarding / all | {recall(test)} | >= 0.98 / 0.95 / 0.95 |",
            f"| ordinary messages escalated at any tier / at an emergency tier | {test['ordinary_any']:.3f} / "
            f"{test['ordinary_emergency']:.3f} | <= 0.08 / <= 0.03 |",
            f"| matcher alone: recall all / ordinary escalated | {test['matcher_all']:.2f} / "
            f"{test['matcher_ordinary']:.3f} | |",
        ]
    return "\n".join(rows) + "\n"


QUESTION_ROWS = (
    ("topic accuracy", "topic_accuracy", ">= 0.93"),
    ("answer accuracy (answered directly with the right answer)", "answer_accuracy", ">= 0.80"),
    ("a menu holding the right answer", "clarify_hit_rate", "-"),
    ("wrong-answer rate (answered directly, wrongly)", "wrong_answer_rate", "<= 0.05"),
    ("fallback rate on in-scope questions", "fallback_rate", "<= 0.10"),
    ("signpost hit rate (out of scope, signposted subject)", "signpost_hit_rate", ">= 0.85"),
)


def questions_tables(q: dict[str, Any]) -> str:
    """Issue 14: the real parents' questions, tune and held-out test halves, and the spelling measurement."""
    tune, test = q["tune"], q["test"]
    rows = [
        f"| real parents' questions, measured {q['measured']} | tune half (n={tune['n']}) | "
        f"test half, held out (n={test['n']}) | target (test half) |",
        "|---|---|---|---|",
    ]
    rows += [f"| {label} | {fmt3(tune[key])} | {fmt3(test[key])} | {target} |" for label, key, target in QUESTION_ROWS]
    rows += [
        "",
        "| spelling normaliser, tune half | topic | answer | wrong answer | in-scope fallback |",
        "|---|---|---|---|---|",
    ]
    for label, key in (("without (as served)", "tune"), ("symspellpy + content/ word list", "tune_spelling")):
        r = q[key]
        rows.append(
            f"| {label} | {fmt3(r['topic_accuracy'])} | {fmt3(r['answer_accuracy'])} | "
            f"{fmt3(r['wrong_answer_rate'])} | {fmt3(r['fallback_rate'])} |"
        )
    return "\n".join(rows) + "\n"


def screen_table(s: dict[str, Any]) -> str:
    """docs/figures/screen.json (`make bench-screen`): the risk screen alone, in process."""
    m, w = s["matcher_ms"], s["whole_ms"]
    return (
        f"| risk screen per message, measured {s['measured']} (n={s['n']}) | p50 | p99 | target (p99) | |\n"
        "|---|---|---|---|---|\n"
        f"| matcher alone | {m['p50']} ms | {m['p99']} ms | <= 1 ms | {met(m['p99'] <= TARGETS['risk_p99'])} |\n"
        f"| whole screen (matcher, classifier, language detection, language lists) | {w['p50']} ms | {w['p99']} ms "
        f"| <= 5 ms | {met(w['p99'] <= TARGETS['screen_p99'])} |\n"
    )


RENDERERS = {
    "risk_model": ("risk_model.json", risk_model_table),
    "evaluation": ("evaluation.json", evaluation_tables),
    "questions": ("questions.json", questions_tables),
    "bench": ("bench.json", bench_table),
    "bench_json": ("bench.json", bench_json),
    "screen": ("screen.json", screen_table),
}


def render(readme: str, figures_dir: Path = FIGURES) -> str:
    def block(m: re.Match[str]) -> str:
        source, renderer = RENDERERS[m.group(2)]
        data = json.loads((figures_dir / source).read_text(encoding="utf-8"))
        return m.group(1) + renderer(data) + m.group(4)

    return BLOCK.sub(block, readme)


def write(name: str, data: dict[str, Any], measured: str) -> Path:
    """A measurement's JSON (bench.json, evaluation.json), dated, for `python -m bench.figures` to render."""
    path = FIGURES / f"{name}.json"
    path.write_text(json.dumps({"measured": measured, **data}, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> int:
    text = README.read_text(encoding="utf-8")
    README.write_text(render(text), encoding="utf-8")
    print(f"[figures] {README.relative_to(paths.ROOT)} rendered from {FIGURES.relative_to(paths.ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
