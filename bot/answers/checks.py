"""The editor's gate: everything `parentbot check` refuses or warns about.

Each finding names the file, the field and the line, so an editor can fix it without a developer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

import textstat

from bot.answers.gsm import sms_cost
from bot.answers.loader import ContentError
from bot.answers.model import Answer
from bot.answers.signposts import SignpostIndex
from bot.answers.translated import kept

MAX_GRADE = 6.0  # Flesch-Kincaid grade 6 is about reading age 11 (NHS style: 9 to 11)
HARD_SENTENCE_GRADE = 9.0  # sentences above this are named when a text fails
MAX_SMS_SEGMENTS = 3
MAX_BODY_CHARS = 3000  # one Telegram message holds 4096; leave room for sources and the review line
MIN_QUESTIONS = 12
MIN_SIGNPOST_QUESTIONS = 3  # a signpost's questions are not training data: they check its keywords
REVIEW_WARNING_DAYS = 30

# Publisher -> the web domains its URLs may use. Facts must come from these; sentences are ours.
ALLOWED_PUBLISHERS: dict[str, tuple[str, ...]] = {
    "NHS": ("nhs.uk",),
    "NHS Start for Life": ("nhs.uk",),
    "Lullaby Trust": ("lullabytrust.org.uk",),
    "The Lullaby Trust": ("lullabytrust.org.uk",),
    "UNICEF UK Baby Friendly": ("unicef.org.uk",),
    "UKHSA": ("gov.uk",),
    "GOV.UK": ("gov.uk",),
    "NICE": ("nice.org.uk",),
    "Oral Health Foundation": ("dentalhealth.org",),
    "Breastfeeding Network": ("breastfeedingnetwork.org.uk",),
    "The Breastfeeding Network": ("breastfeedingnetwork.org.uk",),
    "NCT": ("nct.org.uk",),
    "ICON": ("iconcope.org",),
    "First Steps Nutrition Trust": ("firststepsnutrition.org",),
    "Association of Breastfeeding Mothers": ("abm.me.uk",),
    "La Leche League GB": ("laleche.org.uk",),
    "Best Beginnings": ("bestbeginnings.org.uk",),
}


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    path: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.level}: {where}: {self.field}: {self.message}"


def from_content_error(err: ContentError) -> Finding:
    return Finding("error", err.path, err.field, err.message, err.line)


def plain_text(markdown: str) -> str:
    """Markdown to sentences for scoring: links to their text, list items and lines to sentences."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    text = re.sub(r"[*_`#>]+", "", text)
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-+]|\d+[.)])\s+", "", line).strip()
        if line:
            sentences.append(line if line[-1] in ".!?:" else line + ".")
    return " ".join(sentences)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text)) if text.strip() else 0.0


def readability(answer: Answer, field: str, text: str) -> list[Finding]:
    plain = plain_text(text) if field == "body" else text
    score = grade(plain)
    if score <= MAX_GRADE:
        return []
    hard = sorted(((grade(s), s) for s in split_sentences(plain)), reverse=True)
    named = "; ".join(f'"{s}" (grade {g:.1f})' for g, s in hard[:3] if g > HARD_SENTENCE_GRADE)
    message = f"reading grade {score:.1f}, at most {MAX_GRADE:.0f} allowed (reading age 9 to 11)"
    return [
        Finding(
            "error", answer.path, field, message + (f"; hardest: {named}" if named else ""), answer.lines.get(field)
        )
    ]


def check_answer(answer: Answer, today: dt.date, min_questions: int = MIN_QUESTIONS) -> list[Finding]:
    found: list[Finding] = []

    def add(level: str, field: str, message: str) -> None:
        found.append(Finding(level, answer.path, field, message, answer.lines.get(field.split("[")[0])))

    if len(answer.questions) < min_questions:
        add("error", "questions", f"{len(answer.questions)} example questions, at least {min_questions} needed")
    cost = sms_cost(answer.sms)
    if cost.non_gsm:
        add("error", "sms", f"characters outside GSM-7 (each makes the SMS cost more): {' '.join(cost.non_gsm)}")
    if cost.segments > MAX_SMS_SEGMENTS:
        add(
            "error",
            "sms",
            f"{cost.segments} SMS segments ({cost.units} characters, {cost.encoding}), "
            f"at most {MAX_SMS_SEGMENTS} allowed",
        )
    if len(answer.body) > MAX_BODY_CHARS:
        add("error", "body", f"{len(answer.body)} characters, at most {MAX_BODY_CHARS} allowed")
    found += readability(answer, "sms", answer.sms)
    found += readability(answer, "body", answer.body)
    for i, src in enumerate(answer.sources):
        domains = ALLOWED_PUBLISHERS.get(src.publisher)
        host = (urlparse(src.url).hostname or "").lower()
        if domains is None:
            add(
                "error",
                f"sources[{i}]",
                f"publisher {src.publisher!r} is not on the allow-list ({', '.join(sorted(ALLOWED_PUBLISHERS))})",
            )
        elif urlparse(src.url).scheme != "https" or not any(host == d or host.endswith("." + d) for d in domains):
            add("error", f"sources[{i}]", f"url {src.url!r} is not an https address on {' or '.join(domains)}")
    if answer.review_due < today:
        add("error", "review_due", f"{answer.review_due} has passed: the assistant will not serve this answer")
    elif (answer.review_due - today).days <= REVIEW_WARNING_DAYS:
        add("warning", "review_due", f"{answer.review_due} is within {REVIEW_WARNING_DAYS} days")
    if answer.last_reviewed > today:
        add("error", "last_reviewed", f"{answer.last_reviewed} is in the future")
    return found + check_translations(answer)


def check_translations(answer: Answer) -> list[Finding]:
    """Each translation as an SMS costs at most 3 segments (UCS-2 for most scripts) and keeps every number and
    capitalised service word of the English it stands for."""
    found = []
    for t in answer.translations:
        for name, text in (("sms", t.sms), ("body", t.body)):
            if text is None:
                continue
            field = f"{name}.{t.code}"
            messages = []
            cost = sms_cost(text)
            if name == "sms" and cost.segments > MAX_SMS_SEGMENTS:
                messages.append(
                    f"{cost.segments} SMS segments ({cost.units} characters, {cost.encoding}), "
                    f"at most {MAX_SMS_SEGMENTS} allowed"
                )
            lost = sorted(set(kept(str(getattr(answer, name)))) - set(kept(text)))
            if lost:
                messages.append(f"the English has {', '.join(lost)}; the translation must keep each")
            found += [Finding("error", answer.path, field, m, answer.lines.get(field)) for m in messages]
    return found


def question_key(question: str) -> str:
    """Near-duplicate key: case, punctuation, spacing and word order do not make a question different."""
    words = re.findall(r"[a-z0-9']+", question.lower().replace("\u2019", "'"))
    return " ".join(sorted(set(words)))


def check_duplicates(answers: Iterable[Answer]) -> list[Finding]:
    """The same (or nearly the same) example question in two answers is conflicting training data."""
    owner: dict[str, Answer] = {}
    found = []
    for answer in answers:
        for question in answer.questions:
            key = question_key(question)
            other = owner.setdefault(key, answer)
            if other.id != answer.id:
                found.append(
                    Finding(
                        "error",
                        answer.path,
                        "questions",
                        f'"{question}" is (nearly) the same as a question of {other.id}',
                        answer.lines.get("questions"),
                    )
                )
    return found


def check_all(answers: list[Answer], errors: list[ContentError], today: dt.date) -> list[Finding]:
    findings = [from_content_error(e) for e in errors]
    for answer in answers:
        findings += check_answer(answer, today)
    return findings + check_duplicates(answers)


def check_signposts(signposts: list[Answer], errors: list[ContentError], today: dt.date) -> list[Finding]:
    """The same gate as answers (SMS length, reading age, sources, review date), and every example question must
    find its own signpost through the keywords, so an editor sees at once when a keyword change breaks one."""
    findings = [from_content_error(e) for e in errors]
    index = SignpostIndex(signposts)
    for signpost in signposts:
        findings += check_answer(signpost, today, MIN_SIGNPOST_QUESTIONS)
        for question in signpost.questions:
            found = index.match(question)
            if found != signpost.id:
                findings.append(
                    Finding(
                        "error",
                        signpost.path,
                        "keywords",
                        f'"{question}" finds {found or "no signpost"}, not this one: add or change a keyword',
                        signpost.lines.get("keywords"),
                    )
                )
    return findings
