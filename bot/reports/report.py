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
from html import escape
from pathlib import Path

from bot.answers.messages import messages
from bot.reports.report_data import Cell, ReportData

SMALL = 5
CHARTS = ("week_topic", "week_channel", "top_answers", "themes")


def fmt(n: int) -> str:
    return "<5" if 0 < n < SMALL else str(n)


def t(key: str, **values: object) -> str:
    return escape(messages().get(key, "long", **values))


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
}


def _table(ident: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{t(HEADINGS[h]) if h in HEADINGS else escape(h)}</th>" for h in header)
    rows = [[messages().get(VALUES[c]) if c in VALUES else c for c in row] for row in rows]
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{ident}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def body_html(data: ReportData, image_src: Callable[[str], str]) -> str:
    """The report's HTML body; `image_src(name)` says where chart `name` is (a file name or a data: URI)."""
    tabs = tables(data)
    sections = [
        ("report_summary", "summary", None),
        ("report_by_topic", "topics", None),
        ("report_by_week_topic", "weekly_topic", "week_topic"),
        ("report_by_week_channel", "weekly_channel", "week_channel"),
        ("report_top_answers", "top_answers", "top_answers"),
        ("report_unanswered", "unanswered_themes", "themes"),
        ("report_escalations", "escalations", None),
        ("report_opt_outs", "opt_outs", None),
    ]
    parts = [
        f"<h1>{t('report_title')}</h1>",
        f'<p id="period">{t("report_period", start=data.start.isoformat(), end=data.end.isoformat())}</p>',
    ]
    for heading, table, chart in sections:
        parts.append(f"<h2>{t(heading)}</h2>")
        if chart:
            parts.append(
                f'<p><img id="chart-{chart}" src="{escape(image_src(chart))}" alt="{t(heading)}" '
                f'width="640"></p><p class="note">{t("report_charts_note")}</p>'
            )
        parts.append(_table(table, *tabs[table]))
    return "".join(parts)


def write(data: ReportData, out: Path) -> Path:
    """CSV files, PNG charts and index.html in `out`; returns the HTML file."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables(data).items():
        (out / f"{name}.csv").write_text(csv_text(header, rows), encoding="utf-8")
    for name, png in charts(data).items():
        (out / f"{name}.png").write_bytes(png)
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{t("report_title")}</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d8dde0;padding:.3rem;"
        "text-align:left}</style></head><body>"
        f"{body_html(data, lambda name: f'{name}.png')}</body></html>"
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
