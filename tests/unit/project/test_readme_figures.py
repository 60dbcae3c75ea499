"""The README's measured figures are rendered from docs/figures/*.json (bench/figures.py): they cannot drift."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench import figures
from bot.paths import ROOT


def test_the_readme_shows_exactly_the_figures_in_docs_figures() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- FIGURES:") == 6  # risk_model, evaluation, questions, bench, bench_json, screen
    assert figures.render(readme) == readme, "README and docs/figures disagree: run `python -m bench.figures`"


def test_a_changed_measurement_changes_the_readme(tmp_path: Path) -> None:
    shutil.copytree(figures.FIGURES, tmp_path, dirs_exist_ok=True)
    bench = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    bench["throughput_msg_s"] = 61.0
    (tmp_path / "bench.json").write_text(json.dumps(bench), encoding="utf-8")
    readme = "<!-- FIGURES:bench -->\nold\n<!-- /FIGURES:bench -->\n"
    rendered = figures.render(readme, tmp_path)
    assert "| throughput at saturation | 61.0 msg/s | 52.0 msg/s | >= 60 msg/s | met |" in rendered.splitlines()
    assert "old" not in rendered


def test_targets_not_met_are_bold_and_a_skipped_build_is_a_dash() -> None:
    bench = json.loads((figures.FIGURES / "bench.json").read_text(encoding="utf-8"))
    bench["build_s"] = None
    rows = figures.bench_table(bench).splitlines()
    assert "| `parentbot build --force` from a clean copy | - | - | <= 300 s | - |" in rows
    assert rows[2].endswith("| p50 <= 30, p99 <= 100 ms | p99 met, **p50 not met** |")


def test_make_evaluate_writes_its_set_under_its_key(tmp_path: Path) -> None:
    from bot.training.evaluate import save_figures

    target = tmp_path / "evaluation.json"
    target.write_text(json.dumps({"eval": {"n": 320}, "notes": {"x": "kept"}}), encoding="utf-8")
    save_figures("redflags", {"n": 2}, target, "2026-12-01", ["his lips are blue", "teething gel"])
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["measured"], data["eval"], data["redflags"], data["notes"]) == (
        "2026-12-01",
        {"n": 320},
        {"n": 2},
        {"x": "kept"},
    )
    assert set(data["risk_screen_ms"]) == {"p50", "p99"}
