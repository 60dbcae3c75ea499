"""`make bench-screen` (and `make bench`): the risk screen's own time per message, in process, no servers.

Two figures: the deterministic matcher alone (issue 12's 1 ms p99) and the whole screen a turn runs (matcher,
classifier, language detection and every language's red-flag lists; issue 12's 5 ms), over the same texts as
the bench's (every line of tests/data the screen should pass). Written to docs/figures/screen.json.
"""

from __future__ import annotations

import datetime as dt
import os

from bench.figures import write
from bench.load import Texts
from bench.measure import risk_screen_ms, whole_screen_ms


def main() -> int:
    texts = Texts.load()
    matcher = risk_screen_ms(texts)
    whole = whole_screen_ms(texts)
    path = write(
        "screen",
        {"n": len(texts.safe), "cpus": os.cpu_count(), "matcher_ms": matcher, "whole_ms": whole},
        dt.date.today().isoformat(),
    )
    print(f"[screen] matcher p99 {matcher['p99']} ms, whole screen p99 {whole['p99']} ms -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
