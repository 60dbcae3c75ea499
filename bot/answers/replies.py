"""Health visitors' reply templates (content/replies/*.yml): the inbox's picker fills the reply box with one.

Editors own them like the answers, and `parentbot check` holds them to the same gate: GSM-7 only and at most
3 SMS segments (the SMS sender cuts anything longer), reading age 9 to 11, and no placeholder left ("[name]",
"{time}", "XX"), since a template may be sent as it is. Every finding names the file and the field.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answers.checks import MAX_GRADE, MAX_SMS_SEGMENTS, Finding, grade
from bot.answers.gsm import sms_cost
from bot.answers.loader import ContentError

FOLDER = "replies"
FIELDS = ("title", "text")
# What an editor leaves to fill in later: brackets, braces, angle brackets, XX, TODO, TBC.
PLACEHOLDER = re.compile(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\bX{2,}\b|\bTODO\b|\bTBC\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    title: str
    text: str
    path: str
    order: int = 100
    lines: dict[str, int] = field(default_factory=dict)


def _lines(raw: str) -> dict[str, int]:
    try:
        node = yaml.compose(raw)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def parse(path: Path, content: Path) -> ReplyTemplate:
    rel = path.relative_to(content.parent).as_posix() if content.parent in path.parents else str(path)
    raw = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise ContentError(rel, "yaml", f"not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise ContentError(rel, "yaml", "expected the fields title and text")
    lines = _lines(raw)
    for name in FIELDS:
        if not str(data.get(name) or "").strip():
            raise ContentError(rel, name, "missing or empty", lines.get(name))
    order = data.get("order", 100)
    if not isinstance(order, int):
        raise ContentError(rel, "order", f"not a whole number: {order!r}", lines.get("order"))
    text = " ".join(str(data["text"]).split())
    return ReplyTemplate(path.stem, str(data["title"]).strip(), text, rel, order, lines)


def load_replies(content: Path) -> tuple[list[ReplyTemplate], list[ContentError]]:
    """Every template in content/replies/ (none when the folder is missing), in picker order."""
    found: list[ReplyTemplate] = []
    errors: list[ContentError] = []
    for path in sorted((content / FOLDER).glob("*.yml")):
        try:
            found.append(parse(path, content))
        except ContentError as err:
            errors.append(err)
    return sorted(found, key=lambda r: (r.order, r.id)), errors


def check_reply(reply: ReplyTemplate) -> list[Finding]:
    found: list[Finding] = []

    def add(name: str, message: str) -> None:
        found.append(Finding("error", reply.path, name, message, reply.lines.get(name)))

    for name in FIELDS:
        left = PLACEHOLDER.findall(getattr(reply, name))
        if left:
            add(name, f"placeholder left: {' '.join(left)} (a template may be sent as it is)")
    cost = sms_cost(reply.text)
    if cost.non_gsm:
        add("text", f"characters outside GSM-7 (each makes the SMS cost more): {' '.join(cost.non_gsm)}")
    if cost.segments > MAX_SMS_SEGMENTS:
        add(
            "text",
            f"{cost.segments} SMS segments ({cost.units} characters, {cost.encoding}), "
            f"at most {MAX_SMS_SEGMENTS} allowed",
        )
    score = grade(reply.text)
    if score > MAX_GRADE:
        add("text", f"reading grade {score:.1f}, at most {MAX_GRADE:.0f} allowed (reading age 9 to 11)")
    return found


def check_replies(content: Path) -> tuple[int, list[Finding]]:
    """`parentbot check`'s part: (how many template files, their findings)."""
    replies, errors = load_replies(content)
    findings = [Finding("error", e.path, e.field, e.message, e.line) for e in errors]
    for reply in replies:
        findings += check_reply(reply)
    return len(replies) + len(errors), findings


class Templates:
    """The inbox's live copy: re-read when a file changes; a file with an error is left out (the gate names it)."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self._stamp: tuple[object, ...] = ()
        self._found: list[ReplyTemplate] = []
        self._lock = threading.Lock()

    def all(self) -> list[ReplyTemplate]:
        files = sorted((self.content / FOLDER).glob("*.yml"))
        stamp = tuple((f.name, os.stat(f).st_mtime_ns) for f in files)
        with self._lock:
            if stamp != self._stamp:
                replies, _ = load_replies(self.content)
                self._found = [r for r in replies if not check_reply(r)]
                self._stamp = stamp
            return self._found

    def get(self, template_id: str) -> ReplyTemplate | None:
        return next((r for r in self.all() if r.id == template_id), None)


_instance: Templates | None = None


def templates() -> Templates:
    global _instance
    if _instance is None:
        from bot.settings import get_settings

        _instance = Templates(get_settings().CONTENT_DIR)
    return _instance
