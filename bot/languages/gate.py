"""The editors' gate for the parent's own language (`parentbot check`): per language, which texts still await a
qualified translator and what each costs as an SMS (GSM-7 or UCS-2 segments; the limit is 3, as for answers).

Read: the core messages' translations (content/messages/translations/, bot/languages/translations.py) and each
language file's own texts (content/languages/<code>.yml: the emergency routes, sent with the English line, the
interpreter offer and the line before an English answer). A translation must keep every number (999, 111,
116 123) and every capitalised word the service reads (STOP, YES, DELETE MY DATA, NHS) of the English it stands
for: a translator's slip there is an error, not a style point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.answers.checks import MAX_SMS_SEGMENTS, Finding
from bot.answers.gsm import sms_cost
from bot.answers.messages import MessageError, Messages
from bot.answers.translated import kept
from bot.languages.catalogue import Catalogue, LanguageContentError, load_catalogue
from bot.languages.translations import FOLDER, REVIEW_AWAITING, TranslationError, files, load_file

RENDERS = ("sms", "long")


@dataclass(frozen=True)
class Row:
    """One parent-facing text in one language, as the report prints it."""

    source: str  # the file, under content/
    lang: str
    name: str  # "privacy_notice", "risk.urgent_medical_a", "ordinary"
    review: str
    encoding: str
    units: int
    segments: int

    @property
    def reviewed(self) -> bool:
        return self.review.strip().lower() != REVIEW_AWAITING

    @property
    def fits(self) -> bool:
        return self.segments <= MAX_SMS_SEGMENTS

    def __str__(self) -> str:
        fit = "fits" if self.fits else f"over {MAX_SMS_SEGMENTS}"
        sms = f"SMS {self.encoding} {self.units} units, {self.segments} segments, {fit}"
        return f"  {self.lang} {self.name}: {self.review}; {sms}"


def _row(source: str, lang: str, name: str, review: str, sms: str) -> Row:
    cost = sms_cost(sms)
    return Row(source, lang, name, review, cost.encoding, cost.units, cost.segments)


class Gate:
    def __init__(self, content: Path) -> None:
        self.messages_dir = content / "messages"
        self.english = Messages(self.messages_dir)
        self.rows: list[Row] = []
        self.findings: list[Finding] = []

    def error(self, path: str, field: str, message: str) -> None:
        self.findings.append(Finding("error", path, field, message))

    def translations(self, english_lines: dict[str, str]) -> None:
        """`english_lines`: the short English line sent after a translated concern reply (languages/_english.yml)."""
        for path in files(self.messages_dir):
            where = f"messages/{FOLDER}/{path.name}"
            try:
                found = load_file(path)
            except TranslationError as err:
                self.error(where, "file", str(err))
                continue
            for key, t in found.items():
                try:
                    english = {render: self.english.get(key, render) for render in RENDERS}
                except MessageError:
                    self.error(where, f"messages.{key}", "no English message of that name in content/messages/")
                    continue
                for render in RENDERS:
                    lost = sorted(set(kept(english[render])) - set(kept(t.text(render))))
                    if lost:
                        self.error(where, f"messages.{key}", f"{render}: the English's {', '.join(lost)} missing")
                sms = t.text("sms") + (f"\n{english_lines[key]}" if key in english_lines else "")
                self.rows.append(_row(where, t.lang, key, t.review, sms))

    def languages(self, catalogue: Catalogue) -> None:
        for lang in catalogue.languages.values():
            where = f"languages/{lang.code}.yml"
            for category, own in lang.risk.items():
                english = catalogue.english_risk.get(category, "")
                self.rows.append(_row(where, lang.code, f"risk.{category}", lang.review, f"{own}\n{english}"))
            review = str(lang.messages.get("review") or lang.review)
            for name in ("ordinary", "interpreter_booked", "english_answer"):
                text = lang.messages.get(name)
                if isinstance(text, str):
                    self.rows.append(_row(where, lang.code, f"messages.{name}", review, text))

    def summarise(self) -> None:
        for row in self.rows:
            if not row.fits:
                limit = f"over the limit of {MAX_SMS_SEGMENTS}"
                message = f"{row.segments} SMS segments ({row.units} units, {row.encoding}), {limit}"
                self.error(row.source, row.name, message)
        for lang in sorted({r.lang for r in self.rows}):
            waiting = [r.name for r in self.rows if r.lang == lang and not r.reviewed]
            if waiting:
                message = f"{len(waiting)} texts {REVIEW_AWAITING}: {', '.join(waiting)}"
                self.findings.append(Finding("warning", f"language {lang}", "review", message))


def check_translations(content: Path, report: Callable[[str], None] = lambda line: None) -> list[Finding]:
    """Errors and warnings for the gate; `report` gets one line per text and language (the SMS table)."""
    gate = Gate(content)
    try:
        catalogue = load_catalogue(content / "languages")
    except LanguageContentError as err:
        gate.error("languages/", "file", str(err))
        catalogue = Catalogue({}, {})
    gate.translations(catalogue.english_risk)
    gate.languages(catalogue)
    gate.summarise()
    if gate.rows:
        report("translations (review status; SMS encoding, length, segments of 3):")
    for row in sorted(gate.rows, key=lambda r: (r.lang, r.name)):
        report(str(row))
    return gate.findings
