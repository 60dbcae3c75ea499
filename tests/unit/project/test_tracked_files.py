"""Build output never goes into git: Rasa's cache, trained models, model archives and the venv are made, not kept."""

from __future__ import annotations

import subprocess

from bot.paths import ROOT


def forbidden(paths: list[str]) -> list[str]:
    return [p for p in paths if p.startswith((".rasa/", "models/", ".venv")) or p.endswith(".tar.gz")]


def test_the_rule_catches_each_kind() -> None:
    assert forbidden(
        [".rasa/cache/x.tf", "models/parentbot.tar.gz", "bench/baseline.tar.gz", ".venv", "bot/cli.py"]
    ) == [".rasa/cache/x.tf", "models/parentbot.tar.gz", "bench/baseline.tar.gz", ".venv"]


def test_no_build_output_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    assert forbidden(tracked.decode().split("\0")) == []
