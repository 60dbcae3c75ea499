"""The casework figures as report tables and a chart (bot/reports/casework.py computes them).

Counts of 1 to 4 are shown as "<5", as everywhere in the report (the caller's `fmt`). Minutes are not counts
and are shown as they are; the breaches table lists escalation ids (no words, no family), which a manager can
open in the inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.reports.report_data import ReportData

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Table = tuple[list[str], list[list[str]]]
NO_REPLY = "no_reply_yet"


def _minutes(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def tables(data: ReportData, fmt: Callable[[int], str]) -> dict[str, Table]:
    return {
        "cases_per_day": (
            ["day", "opened", "closed"],
            [[d.day.isoformat(), fmt(d.opened), fmt(d.closed)] for d in data.daily],
        ),
        "first_reply": (
            ["category", "count", "replied", "median_minutes_to_reply", "p90_minutes_to_reply", "target_minutes"],
            [
                [
                    f.category,
                    fmt(f.count),
                    fmt(f.replied),
                    _minutes(f.median_minutes),
                    _minutes(f.p90_minutes),
                    "" if f.target_minutes is None else str(f.target_minutes),
                ]
                for f in data.first_replies
            ],
        ),
        "breaches": (
            ["escalation", "category", "opened_at", "minutes_to_reply", "target_minutes"],
            [
                [
                    str(b.escalation_id),
                    b.category,
                    b.opened.strftime("%Y-%m-%d %H:%M"),
                    NO_REPLY if b.minutes_to_reply is None else _minutes(b.minutes_to_reply),
                    str(b.target_minutes),
                ]
                for b in data.breaches
            ],
        ),
    }


def first_reply_chart(data: ReportData, title: str, labels: tuple[str, str, str]) -> Figure:
    """Median and 90th percentile minutes to the first reply per category, the target as a line over each."""
    from matplotlib.figure import Figure

    rows = [f for f in data.first_replies if f.median_minutes is not None]
    fig = Figure(figsize=(8, max(2.5, 0.5 * len(rows) + 1)))
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    ax.barh([y + 0.2 for y in ys], [f.p90_minutes or 0.0 for f in rows], height=0.4, label=labels[1])
    ax.barh([y - 0.2 for y in ys], [f.median_minutes or 0.0 for f in rows], height=0.4, label=labels[0])
    for y, f in zip(ys, rows, strict=True):
        if f.target_minutes is not None:
            ax.vlines(f.target_minutes, y - 0.45, y + 0.45, colors="red", linewidth=2)
    ax.set_yticks(ys, [f.category for f in rows])
    ax.plot([], [], color="red", label=labels[2])  # the target's legend entry
    ax.set_title(title)
    if rows:
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig
