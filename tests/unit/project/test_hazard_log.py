"""Every verifying test the hazard log names exists, and every hazard names at least one."""

from __future__ import annotations

import re

from bot.paths import ROOT

LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def test_every_hazard_names_a_verifying_test_that_exists() -> None:
    rows = [line for line in LOG.read_text(encoding="utf-8").splitlines() if re.match(r"^\| H\d+ ", line)]
    assert len(rows) >= 11
    for row in rows:
        nodes = NODE.findall(row)
        assert nodes, f"hazard-log.md: {row.split('|')[1].strip()} names no test"
        for path, name in nodes:
            source = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^(async )?def {name}\(", source, re.MULTILINE), f"hazard-log.md: no {path}::{name}"
