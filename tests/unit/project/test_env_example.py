"""`.env.example` lists exactly the fields of bot/settings.py, each with a comment above it."""

from __future__ import annotations

from bot.paths import ROOT
from bot.settings import Settings


def test_env_example_matches_settings() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    names = [line.split("=", 1)[0] for line in lines if line and not line.startswith("#")]
    assert sorted(names) == sorted(Settings.__fields__)
    assert len(names) == len(set(names))
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[i - 1].startswith("#"), f".env.example: {line.split('=')[0]} has no comment above it"
