"""The numbers of the service managers' report, computed from the database (rendering is bot/reports/report.py).

Everything is counted from pseudonymous rows: the theme log (families by keyed hash), escalation times and
categories (no words), opt-outs counted per channel. Raw counts are kept here; small-number suppression
("<5") happens when the report is rendered, so tests can check these numbers against the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import yaml
from sqlalchemy import select

from bot.care.service_hours import in_service_hours
from bot.reports import casework
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.channels import OptOut
from bot.storage.models.escalation import Escalation, utcnow
from bot.storage.models.themes import ThemeEvent

if TYPE_CHECKING:
    from spacy.language import Language

NO_TOPIC = "none"
NOT_MAPPED = "Not mapped"
OTHER_THEME = "(no keyword)"
TOP_ANSWERS = 20
EXAMPLES_PER_THEME = 3
PLACEHOLDER = re.compile(r"\[[a-z ]+\]")
# Words nearly every parent's question contains: as a theme's keyword they would swallow every other theme.
COMMON = frozenset(
    {
        "baby",
        "babies",
        "child",
        "toddler",
        "son",
        "daughter",
        "week",
        "month",
        "year",
        "old",
        "know",
        "need",
        "want",
        "help",
        "ask",
        "question",
        "tell",
        "thing",
        "normal",
        "okay",
        "hello",
        "thank",
        "thanks",
        "please",
        "lo",
        "bub",
        "bubba",
    }
)


@dataclass(frozen=True)
class Cell:
    """Messages and distinct families for one group."""

    messages: int
    families: int


@dataclass(frozen=True)
class EscalationStats:
    category: str
    in_hours: bool
    count: int
    claimed: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Theme:
    keyword: str
    count: int
    examples: tuple[str, ...]


@dataclass
class ReportData:
    start: dt.date
    end: dt.date  # inclusive
    messages: int = 0
    families: int = 0
    answered_without_person: int = 0
    by_topic: dict[str, Cell] = field(default_factory=dict)
    week_topic: dict[tuple[dt.date, str], Cell] = field(default_factory=dict)
    week_channel: dict[tuple[dt.date, str], Cell] = field(default_factory=dict)
    top_answers: list[tuple[str, str, int]] = field(default_factory=list)  # answer id, topic, count
    themes: list[Theme] = field(default_factory=list)
    escalations: list[EscalationStats] = field(default_factory=list)
    opt_outs: dict[str, int] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # topic -> Healthy Child Programme area
    daily: list[casework.DayCounts] = field(default_factory=list)
    first_replies: list[casework.FirstReply] = field(default_factory=list)
    breaches: list[casework.Breach] = field(default_factory=list)

    @property
    def answered_share(self) -> float:
        return self.answered_without_person / self.messages if self.messages else 0.0

    def area(self, topic: str) -> str:
        return self.areas.get(topic, NOT_MAPPED)


def load_areas(content_dir: Path | None = None) -> dict[str, str]:
    path = (content_dir or get_settings().CONTENT_DIR) / "hcp_areas.yml"
    if not path.exists():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items()}


def week_of(at: dt.datetime) -> dt.date:
    """The Monday starting `at`'s week."""
    day = at.date()
    return day - dt.timedelta(days=day.weekday())


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())


K = TypeVar("K")


def _cells(groups: Mapping[K, list[str]]) -> dict[K, Cell]:
    return {key: Cell(len(fids), len(set(fids))) for key, fids in groups.items()}


@lru_cache(maxsize=1)
def _nlp() -> Language:
    from bot.training.nlp import load_pipeline  # lazy: spaCy loads in seconds, and only the report needs it here

    return load_pipeline()


def keywords(text: str) -> list[str]:
    """Content lemmas of a scrubbed text: no stop words, no placeholders, no short or non-alphabetic tokens."""
    doc = _nlp()(PLACEHOLDER.sub(" ", text))
    stop = _nlp().Defaults.stop_words
    lemmas = (t.lemma_.lower() or t.lower_ for t in doc if t.is_alpha and not t.is_stop and len(t) > 2)
    return [lemma for lemma in lemmas if lemma not in stop and lemma not in COMMON]


def cluster(texts: Iterable[str], lemmas: Callable[[str], list[str]] = keywords) -> list[Theme]:
    """Group texts by their most common keyword across all texts (simple and explainable: the editors' queue
    of missing content, not a model)."""
    texts = list(texts)
    per_text = [sorted(set(lemmas(t))) for t in texts]
    totals = Counter(k for ks in per_text for k in ks)
    groups: dict[str, list[str]] = defaultdict(list)
    for text, ks in zip(texts, per_text, strict=True):
        top = max(ks, key=lambda k: (totals[k], k)) if ks else OTHER_THEME
        groups[top].append(text)
    return sorted(
        (Theme(k, len(v), tuple(dict.fromkeys(v))[:EXAMPLES_PER_THEME]) for k, v in groups.items()),
        key=lambda th: (-th.count, th.keyword),
    )


def escalation_stats(rows: Iterable[tuple[str, dt.datetime, dt.datetime | None]], spec: str) -> list[EscalationStats]:
    groups: dict[tuple[str, bool], list[float | None]] = defaultdict(list)
    for category, created, claimed in rows:
        minutes = (claimed - created).total_seconds() / 60 if claimed is not None else None
        groups[(category, in_service_hours(spec, created))].append(minutes)
    out = []
    for (category, in_hours), values in sorted(groups.items()):
        done = [v for v in values if v is not None]
        out.append(
            EscalationStats(
                category,
                in_hours,
                len(values),
                len(done),
                float(np.median(done)) if done else None,
                float(np.percentile(done, 90)) if done else None,
            )
        )
    return out


def build(start: dt.date, end: dt.date, now: dt.datetime | None = None) -> ReportData:
    """`now` (naive UTC) bounds a period that has not ended: an escalation not yet replied to is late only once
    its target has passed."""
    lo, hi = bounds(start, end)
    data = ReportData(start=start, end=end, areas=load_areas())
    with transaction() as s:
        rows = s.execute(
            select(
                ThemeEvent.at,
                ThemeEvent.channel,
                ThemeEvent.family_id,
                ThemeEvent.topic,
                ThemeEvent.answer_id,
                ThemeEvent.kind,
                ThemeEvent.fell_back,
                ThemeEvent.handed_off,
                ThemeEvent.scrubbed_text,
            ).where(ThemeEvent.at >= lo, ThemeEvent.at < hi)
        ).all()
        escalations = s.execute(
            select(Escalation.category, Escalation.created_at, Escalation.claimed_at).where(
                Escalation.created_at >= lo, Escalation.created_at < hi
            )
        ).all()
        cases = casework.load(s, lo, hi)
        opt_outs = s.execute(select(OptOut.channel).where(OptOut.at >= lo, OptOut.at < hi)).scalars().all()
    by_topic: dict[str, list[str]] = defaultdict(list)
    week_topic: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    week_channel: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    answers: Counter[tuple[str, str]] = Counter()
    for r in rows:
        topic = r.topic or NO_TOPIC
        by_topic[topic].append(r.family_id)
        week_topic[(week_of(r.at), topic)].append(r.family_id)
        week_channel[(week_of(r.at), r.channel)].append(r.family_id)
        if r.kind == "answer" and r.answer_id:
            answers[(r.answer_id, topic)] += 1
    data.messages = len(rows)
    data.families = len({r.family_id for r in rows})
    data.answered_without_person = sum(1 for r in rows if r.kind == "answer" and not r.handed_off)
    data.by_topic, data.week_topic, data.week_channel = _cells(by_topic), _cells(week_topic), _cells(week_channel)
    data.top_answers = [
        (aid, topic, n) for (aid, topic), n in sorted(answers.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ANSWERS]
    ]
    data.themes = cluster(r.scrubbed_text or "" for r in rows if r.fell_back)
    data.escalations = escalation_stats(escalations, get_settings().SERVICE_HOURS)
    data.opt_outs = dict(sorted(Counter(opt_outs).items()))
    data.daily = casework.per_day(cases, start, end)
    opened = casework.opened_in(cases, lo, hi)
    data.first_replies = casework.first_replies(opened)
    data.breaches = casework.breaches(opened, min(hi, now or utcnow()))
    return data
