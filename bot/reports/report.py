"""The service managers' theme report: CSV files, PNG charts (matplotlib, Agg) and an HTML page.

`parentbot report --from DATE --to DATE --out DIR` writes it to a folder; the inbox shows the same body to
managers (staff/report.py). Counts from 1 to 4 are shown as "<5" everywhere (tables, CSV files,
charts), so no small group of families can be picked out; examples of unanswered questions (already
scrubbed) are shown only for themes of 5 or more.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.answers.messages import messages
from bot.reports import casework_tables
from bot.reports.report_data import Cell, ReportData

SMALL = 5
CHARTS = ("week_topic", "week_channel", "top_answers", "themes", "first_reply")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def fmt(n: int) -> str:
    return "<5" if 0 < n < SMALL else str(n)


def t(key: str, **values: object) -> str:
    # Plain text: the templates escape it (autoescape), as they escape every cell.
    return messages().get(key, "long", **values)


def tables(data: ReportData) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every table of the report, already suppressed: the CSV files and the HTML show exactly these."""

    def minutes(v: float | None) -> str:
        return "" if v is None else f"{v:.1f}"

    share = f"{round(100 * data.answered_share)}%" if data.messages >= SMALL else "<5"
    return {
        "summary": (
            ["metric", "value"],
            [
                ["messages", fmt(data.messages)],
                ["families", fmt(data.families)],
                ["answered_without_person", fmt(data.answered_without_person)],
                ["answered_without_person_share", share],
            ],
        ),
        "topics": (
            ["topic", "hcp_area", "messages", "families"],
            [[k, data.area(k), fmt(c.messages), fmt(c.families)] for k, c in sorted(data.by_topic.items())],
        ),
        "weekly_topic": (
            ["week", "topic", "hcp_area", "messages", "families"],
            [
                [w.isoformat(), k, data.area(k), fmt(c.messages), fmt(c.families)]
                for (w, k), c in sorted(data.week_topic.items())
            ],
        ),
        "weekly_channel": (
            ["week", "channel", "messages", "families"],
            [[w.isoformat(), k, fmt(c.messages), fmt(c.families)] for (w, k), c in sorted(data.week_channel.items())],
        ),
        "top_answers": (
            ["answer_id", "topic", "hcp_area", "count"],
            [[a, k, data.area(k), fmt(n)] for a, k, n in data.top_answers],
        ),
        "unanswered_themes": (
            ["theme", "count", "examples"],
            [[th.keyword, fmt(th.count), " | ".join(th.examples) if th.count >= SMALL else ""] for th in data.themes],
        ),
        "escalations": (
            ["category", "when", "count", "claimed", "median_minutes_to_claim", "p90_minutes_to_claim"],
            [
                [
                    e.category,
                    "in_hours" if e.in_hours else "out_of_hours",
                    fmt(e.count),
                    fmt(e.claimed),
                    minutes(e.median_minutes),
                    minutes(e.p90_minutes),
                ]
                for e in data.escalations
            ],
        ),
        "opt_outs": (["channel", "count"], [[k, fmt(n)] for k, n in data.opt_outs.items()]),
        **casework_tables.tables(data, fmt),
    }


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _drawn(n: int) -> int:
    return n if n >= SMALL else 0  # a bar of 1 to 4 would give the suppressed number away


def charts(data: ReportData) -> dict[str, bytes]:
    """PNG images by name. Figures are built without pyplot: no global state, safe in the server."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def stacked(cells: Mapping[tuple[dt.date, str], Cell], title: str) -> Figure:
        weeks = sorted({w for w, _ in cells})
        groups = sorted({k for _, k in cells})
        fig = Figure(figsize=(8, 4))
        ax = fig.add_subplot()
        bottom = [0] * len(weeks)
        labels = [w.isoformat() for w in weeks]
        for g in groups:
            heights = [_drawn(cells[(w, g)].messages) if (w, g) in cells else 0 for w in weeks]
            ax.bar(labels, heights, bottom=bottom, label=g)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(title)
        if groups:
            ax.legend(fontsize="small")
        return fig

    def bars(items: list[tuple[str, int]], title: str) -> Figure:
        fig = Figure(figsize=(8, max(2.5, 0.3 * len(items) + 1)))
        ax = fig.add_subplot()
        ax.barh([k for k, _ in reversed(items)], [_drawn(n) for _, n in reversed(items)])
        ax.set_title(title)
        fig.tight_layout()
        return fig

    figures = {
        "week_topic": stacked(data.week_topic, messages().get("report_by_week_topic")),
        "week_channel": stacked(data.week_channel, messages().get("report_by_week_channel")),
        "top_answers": bars([(a, n) for a, _, n in data.top_answers[:10]], messages().get("report_top_answers")),
        "themes": bars([(th.keyword, th.count) for th in data.themes[:10]], messages().get("report_unanswered")),
        "first_reply": casework_tables.first_reply_chart(
            data,
            messages().get("report_first_reply"),
            (t("report_col_median_reply"), t("report_col_p90_reply"), t("report_col_target")),
        ),
    }
    out = {}
    for name, fig in figures.items():
        buf = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buf)
        out[name] = buf.getvalue()
    return out


# CSV columns keep machine names (for spreadsheets and scripts); the page shows the editors' headings.
HEADINGS = {
    "week": "report_col_week",
    "topic": "report_col_topic",
    "hcp_area": "report_col_area",
    "channel": "report_col_channel",
    "messages": "report_col_messages",
    "families": "report_col_families",
    "answer_id": "report_col_answer",
    "count": "report_col_count",
    "theme": "report_col_theme",
    "examples": "report_col_examples",
    "category": "report_col_category",
    "when": "report_col_hours",
    "claimed": "report_col_claimed",
    "median_minutes_to_claim": "report_col_median",
    "p90_minutes_to_claim": "report_col_p90",
    "day": "report_col_day",
    "opened": "report_col_opened",
    "closed": "report_col_closed",
    "replied": "report_col_replied",
    "median_minutes_to_reply": "report_col_median_reply",
    "p90_minutes_to_reply": "report_col_p90_reply",
    "target_minutes": "report_col_target",
    "escalation": "report_col_escalation",
    "opened_at": "report_col_opened_at",
    "minutes_to_reply": "report_col_minutes_to_reply",
    "metric": "report_col_metric",
    "value": "report_col_value",
}
VALUES = {
    "in_hours": "report_in_hours",
    "out_of_hours": "report_out_of_hours",
    "messages": "report_messages",
    "families": "report_families",
    "answered_without_person": "report_answered_count",
    "answered_without_person_share": "report_answered_share",
    casework_tables.NO_REPLY: "report_no_reply_yet",
}


@dataclass(frozen=True)
class Section:
    heading: str  # message key
    table: str  # table name (tables()), also the HTML table's id
    chart: str | None  # chart name (CHARTS) shown above the table
    headings: list[str]
    rows: list[list[str]]


SECTIONS = (
    ("report_summary", "summary", None),
    ("report_by_topic", "topics", None),
    ("report_by_week_topic", "weekly_topic", "week_topic"),
    ("report_by_week_channel", "weekly_channel", "week_channel"),
    ("report_top_answers", "top_answers", "top_answers"),
    ("report_unanswered", "unanswered_themes", "themes"),
    ("report_escalations", "escalations", None),
    ("report_cases_per_day", "cases_per_day", None),
    ("report_first_reply", "first_reply", "first_reply"),
    ("report_breaches", "breaches", None),
    ("report_opt_outs", "opt_outs", None),
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True
    )
    env.globals["t"] = t
    return env


def sections(data: ReportData) -> list[Section]:
    tabs = tables(data)
    out = []
    for heading, table, chart in SECTIONS:
        header, rows = tabs[table]
        headings = [t(HEADINGS[h]) if h in HEADINGS else h for h in header]
        shown = [[t(VALUES[c]) if c in VALUES else c for c in row] for row in rows]
        out.append(Section(heading, table, chart, headings, shown))
    return out


def body_html(data: ReportData, image_src: Callable[[str], str]) -> Markup:
    """The report's HTML body; `image_src(name)` says where chart `name` is (a file name or a data: URI)."""
    template = environment().get_template("report_body.html")
    return Markup(template.render(data=data, sections=sections(data), image_src=image_src))


def write(data: ReportData, out: Path) -> Path:
    """CSV files, PNG charts and index.html in `out`; returns the HTML file."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables(data).items():
        (out / f"{name}.csv").write_text(csv_text(header, rows), encoding="utf-8")
    for name, png in charts(data).items():
        (out / f"{name}.png").write_bytes(png)
    body = body_html(data, lambda name: f"{name}.png")
    page = environment().get_template("report_page.html").render(body=body)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
