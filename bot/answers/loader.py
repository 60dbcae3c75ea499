"""Parse answer files, with errors that name the file, the field and the line.

Editors are not developers: "content/safe_sleep/cot.md:14: sms: 3 segments allowed, found 4" tells them
where to look, a stack trace does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from bot.answers.model import SIGNPOSTS, TOPICS, Answer, Source
from bot.answers.translated import TRANSLATED, Translation, language_codes, parse_translations

REQUIRED = ("id", "topic", "title", "questions", "sms", "sources", "reviewed_by", "last_reviewed", "review_due")
SLUG = re.compile(r"^[a-z0-9_]+$")
FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", re.S)


class ContentError(Exception):
    """A problem in one content file, at one field (and line, when known)."""

    def __init__(self, path: str, field: str, message: str, line: int | None = None) -> None:
        self.path, self.field, self.line, self.message = path, field, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field}: {message}")


def _key_lines(front: str) -> dict[str, int]:
    """Line (1-based, in the whole file) of each top-level front-matter key; the file's line 1 is '---'."""
    try:
        node = yaml.compose(front)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _date(path: str, meta: dict[str, Any], field: str, lines: dict[str, int]) -> dt.date:
    value = meta[field]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(path, field, f"not a date (YYYY-MM-DD): {value!r}", lines.get(field)) from None


def parse_answer(path: Path, root: Path) -> Answer:
    """Parse one file; raises ContentError for the first problem that stops it being an answer."""
    rel = path.relative_to(root.parent).as_posix() if root.parent in path.parents else str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(rel, "file", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    match = FRONT.match(raw)
    if not match:
        raise ContentError(rel, "front matter", "the file must start with a '---' line and close it with '---'", 1)
    front, body = match.group(1), match.group(2).strip()
    lines = _key_lines(front)
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ContentError(
            rel,
            "front matter",
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            line + 2 if line is not None else None,
        ) from None
    if not isinstance(meta, dict):
        raise ContentError(rel, "front matter", "must be a list of 'field: value' lines", 2)
    for field in REQUIRED:
        if meta.get(field) in (None, "", []):
            raise ContentError(rel, field, "missing or empty", lines.get(field))
    topic, answer_id = str(meta["topic"]), str(meta["id"])
    if topic not in (*TOPICS, SIGNPOSTS):
        raise ContentError(rel, "topic", f"unknown topic {topic!r}; one of {', '.join(TOPICS)}", lines.get("topic"))
    expected = f"{path.parent.name}/{path.stem}"
    if answer_id != expected or not SLUG.match(path.stem):
        raise ContentError(rel, "id", f"must be {expected!r} (folder/file name, a-z 0-9 _)", lines.get("id"))
    if path.parent.name != topic:
        raise ContentError(rel, "topic", f"file is in {path.parent.name}/ but topic is {topic!r}", lines.get("topic"))
    questions = meta["questions"]
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        raise ContentError(rel, "questions", "must be a list of non-empty lines", lines.get("questions"))
    sources = []
    for i, src in enumerate(meta["sources"] if isinstance(meta["sources"], list) else [None]):
        if not isinstance(src, dict) or not src.get("publisher") or not src.get("url"):
            raise ContentError(rel, f"sources[{i}]", "each source needs a publisher and a url", lines.get("sources"))
        sources.append(Source(publisher=str(src["publisher"]).strip(), url=str(src["url"]).strip()))
    keywords = meta.get("keywords") or []
    if (topic == SIGNPOSTS or "keywords" in meta) and (
        not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        raise ContentError(rel, "keywords", "must be a list of words or phrases", lines.get("keywords"))
    if not body:
        raise ContentError(rel, "body", "the long answer after the front matter is empty", lines.get("review_due"))
    translations: tuple[Translation, ...] = ()
    if any(TRANSLATED.match(str(k)) for k in meta):  # the languages folder is read only for translated answers
        translations = parse_translations(
            meta, language_codes(root), lambda field, message: ContentError(rel, field, message, lines.get(field))
        )
    return Answer(
        id=answer_id,
        topic=topic,
        title=str(meta["title"]).strip(),
        questions=tuple(q.strip() for q in questions),
        sms=" ".join(str(meta["sms"]).split()),
        body=body,
        sources=tuple(sources),
        reviewed_by=str(meta["reviewed_by"]).strip(),
        last_reviewed=_date(rel, meta, "last_reviewed", lines),
        review_due=_date(rel, meta, "review_due", lines),
        version=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12],
        path=rel,
        lines={**lines, "body": len(front.splitlines()) + 3},
        keywords=tuple(" ".join(str(k).lower().split()) for k in keywords),
        translations=translations,
    )


# content/risk/ holds risk rules, content/messages/ channel copy, content/signposts/ the signposts (loaded
# by load_signposts: they are not answer intents).
NOT_ANSWERS = ("risk", "messages", SIGNPOSTS)


def answer_files(root: Path) -> list[Path]:
    """Answer files in a stable order. Every folder counts, so a file in a misspelt topic folder is reported
    rather than silently ignored."""
    return sorted(p for p in root.glob("*/*.md") if p.parent.name not in NOT_ANSWERS)


def load_answers(root: Path) -> tuple[list[Answer], list[ContentError]]:
    """Load every answer; returns the good ones and the errors (one per bad file)."""
    return _load(root, answer_files(root))


def load_signposts(root: Path) -> tuple[list[Answer], list[ContentError]]:
    """Load every signpost (content/signposts/*.md); the good ones and the errors."""
    return _load(root, sorted((root / SIGNPOSTS).glob("*.md")))


def _load(root: Path, files: list[Path]) -> tuple[list[Answer], list[ContentError]]:
    answers, errors = [], []
    for path in files:
        try:
            answers.append(parse_answer(path, root))
        except ContentError as err:
            errors.append(err)
    return answers, errors
