"""Load and validate the clinician-edited risk rules (content/risk/*.yml) into frozen dataclasses.

Every error names the file and the field ("content/risk/crying.yml: rules[2].patterns[0]: unknown syntax
'x'"), so the clinical lead can fix a rule without reading code. Loading is all-or-nothing: one bad file
stops the screen from starting rather than leaving a category silently switched off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answers import gsm
from bot.risk.patterns import PatternSyntaxError, parse

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = REPO_ROOT / "content" / "risk"
SAFE_DEFAULT = "safe_default"

GROUPS = ("urgent_medical", "mental_health", "safeguarding")
TIERS = ("A", "B")
TIER_PRIORITY = {"A": 1, "B": 3}
CUE_KINDS = ("negation", "hypothetical")
MIN_EXAMPLES = 20
MAX_SMS_SEGMENTS = 3
FIRST_SEGMENT = gsm.MULTI_GSM

CATEGORY_FIELDS = (
    "category", "group", "tier", "priority", "title", "response_target_minutes", "alert",
    "reply_sms", "reply", "examples", "rules",
)  # fmt: skip
RULE_FIELDS = ("id", "patterns", "tier", "unless", "except", "ignore_cues", "max_age_days")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# A phone number or short code: 999, 111, 116 123, 0808 2000 247, 85258.
_PHONE = re.compile(r"\d{3}")
# A person watching the phone reads the first line: keep it from naming what was disclosed.
_NOT_DISCREET = re.compile(r"\b(abuse|abusive|abuser|violence|violent|domestic)\b", re.IGNORECASE)
# The screen signposts; it never reassures or diagnoses (safety.md section 1).
_REASSURING = re.compile(
    r"don'?t worry|nothing to worry|no need to worry|probably (nothing|fine)|it'?s fine|sounds like",
    re.IGNORECASE,
)


class RiskRulesError(ValueError):
    """A risk rules file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class RiskRule:
    id: str
    patterns: tuple[str, ...]
    tier: str | None  # effective tier: the rule's own, else the category's
    priority: int
    unless: tuple[str, ...] = ()  # context anywhere in the text that cancels the rule ("jabs" for fever)
    exceptions: tuple[str, ...] = ()  # YAML `except`: a longer phrase over the match ("shaking her head")
    ignore_cues: frozenset[str] = frozenset()
    index: int = 0  # position in the file: breaks ties between rules of equal priority
    max_age_days: int | None = None  # fires only when the family has stated a baby age at most this (days)


@dataclass(frozen=True)
class RiskCategory:
    name: str
    group: str
    tier: str | None
    priority: int
    title: str
    response_target_minutes: int
    alert: tuple[str, ...]
    reply_sms: str
    reply: str
    examples: tuple[str, ...]
    rules: tuple[RiskRule, ...]
    source: Path

    def where(self, field: str) -> str:
        """Error prefix naming this file and a field."""
        return f"{display_path(self.source)}: {field}"


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


class _File:
    """Validation helpers bound to one file, so each error carries its location."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, field: str, message: str) -> RiskRulesError:
        return RiskRulesError(f"{display_path(self.path)}: {field}: {message}")

    def text(self, raw: dict[str, Any], field: str) -> str:
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, "must be non-empty text")
        return value.strip()

    def text_list(self, value: Any, field: str, minimum: int = 0) -> tuple[str, ...]:
        if value is None:
            value = []
        if not isinstance(value, list) or any(not isinstance(v, str) or not v.strip() for v in value):
            raise self.error(field, "must be a list of non-empty texts")
        if len(value) < minimum:
            raise self.error(field, f"{len(value)} entries, need at least {minimum}")
        return tuple(v.strip() for v in value)

    def unknown_fields(self, raw: dict[str, Any], allowed: tuple[str, ...], field: str = "") -> None:
        extra = sorted(set(raw) - set(allowed))
        if extra:
            where = f"{field}.{extra[0]}" if field else str(extra[0])
            raise self.error(where, f"unknown field (allowed: {', '.join(allowed)})")

    def patterns(self, value: Any, field: str, minimum: int) -> tuple[str, ...]:
        patterns = self.text_list(value, field, minimum)
        for i, pattern in enumerate(patterns):
            try:
                parse(pattern)
            except PatternSyntaxError as exc:
                raise self.error(f"{field}[{i}]", str(exc)) from None
        return patterns


def _check_sms(f: _File, sms: str, group: str | None, name: str) -> None:
    cost = gsm.sms_cost(sms)
    bad = cost.non_gsm
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise f.error("reply_sms", f"characters outside GSM-7 ({shown}) would turn the SMS into UCS-2")
    if cost.segments > MAX_SMS_SEGMENTS:
        raise f.error("reply_sms", f"{cost.units} characters, more than {MAX_SMS_SEGMENTS} SMS segments")
    if not _PHONE.search(sms[:FIRST_SEGMENT]):
        raise f.error("reply_sms", f"no phone number in the first {FIRST_SEGMENT} characters")
    if reassuring := _REASSURING.search(sms):
        raise f.error("reply_sms", f"reassures or diagnoses: '{reassuring.group(0)}'")
    first_line = sms.splitlines()[0]
    if group == "safeguarding" and _NOT_DISCREET.search(first_line):
        raise f.error("reply_sms", "first line is not discreet: someone watching the phone could read it")
    if name == SAFE_DEFAULT and not ("999" in sms and "111" in sms):
        raise f.error("reply_sms", "the safe default must give both 999 and 111")


def _rule(f: _File, raw: Any, i: int, cat_tier: str | None, cat_priority: int) -> RiskRule:
    field = f"rules[{i}]"
    if not isinstance(raw, dict):
        raise f.error(field, "must be a mapping with id and patterns")
    f.unknown_fields(raw, RULE_FIELDS, field)
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise f.error(f"{field}.id", "must be snake_case text")
    patterns = f.patterns(raw.get("patterns"), f"{field}.patterns", 1)
    unless = f.patterns(raw.get("unless"), f"{field}.unless", 0)
    exceptions = f.patterns(raw.get("except"), f"{field}.except", 0)
    tier = raw.get("tier", cat_tier)
    if tier is not None and tier not in TIERS:
        raise f.error(f"{field}.tier", f"'{tier}' is not A, B or null")
    priority = TIER_PRIORITY[tier] if tier != cat_tier and tier is not None else cat_priority
    cues = f.text_list(raw.get("ignore_cues"), f"{field}.ignore_cues")
    for cue in cues:
        if cue not in CUE_KINDS:
            raise f.error(f"{field}.ignore_cues", f"'{cue}' is not one of {', '.join(CUE_KINDS)}")
    max_age = raw.get("max_age_days")
    if max_age is not None and (not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 0):
        raise f.error(f"{field}.max_age_days", "must be a whole number of days")
    return RiskRule(rule_id, patterns, tier, priority, unless, exceptions, frozenset(cues), i, max_age)


def load_category(path: Path) -> RiskCategory:
    """Load one file; raises RiskRulesError naming the file and field at the first fault."""
    f = _File(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise f.error("yaml", str(exc).replace("\n", " ")) from None
    if not isinstance(raw, dict):
        raise f.error("file", "must be a mapping of fields")
    f.unknown_fields(raw, CATEGORY_FIELDS)
    missing = [name for name in CATEGORY_FIELDS if name not in raw]
    if missing:
        raise f.error(missing[0], "missing")
    name = f.text(raw, "category")
    title = f.text(raw, "title")
    if name != path.stem:
        raise f.error("category", f"'{name}' must equal the file name '{path.stem}'")
    group = raw["group"]
    if group not in GROUPS:
        raise f.error("group", f"'{group}' is not one of {', '.join(GROUPS)}")
    tier = raw["tier"]
    if tier is not None and tier not in TIERS:
        raise f.error("tier", f"'{tier}' is not A, B or null")
    priority = raw["priority"]
    if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
        raise f.error("priority", "must be a whole number, 1 = most urgent")
    if tier in TIER_PRIORITY and priority != TIER_PRIORITY[tier]:
        raise f.error("priority", f"tier {tier} must be priority {TIER_PRIORITY[tier]}, not {priority}")
    minutes = raw["response_target_minutes"]
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
        raise f.error("response_target_minutes", "must be a whole number of minutes")
    alert = f.text_list(raw["alert"], "alert", 1)
    for role in alert:
        if not _ID.match(role):
            raise f.error("alert", f"'{role}' is not a snake_case contact role")
    sms = f.text(raw, "reply_sms")
    _check_sms(f, sms, group, name)
    reply = f.text(raw, "reply")
    if not _PHONE.search(reply):
        raise f.error("reply", "gives no phone number")
    is_default = name == SAFE_DEFAULT
    examples = f.text_list(raw["examples"], "examples", 0 if is_default else MIN_EXAMPLES)
    if len(set(e.lower() for e in examples)) != len(examples):
        raise f.error("examples", "has a duplicate")
    rules_raw = raw["rules"] or []
    if not isinstance(rules_raw, list):
        raise f.error("rules", "must be a list")
    if is_default and rules_raw:
        raise f.error("rules", "the safe default has no rules")
    if not is_default and not rules_raw:
        raise f.error("rules", "needs at least one rule")
    rules = tuple(_rule(f, r, i, tier, priority) for i, r in enumerate(rules_raw))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise f.error(f"rules[{i}].id", f"duplicate rule id '{rule.id}'")
        seen.add(rule.id)
    return RiskCategory(name, group, tier, priority, title, minutes, alert, sms, reply, examples, rules, path)


def load_rules(directory: Path = RULES_DIR) -> tuple[RiskCategory, ...]:
    """All categories in `directory`, sorted by name; the safe default must be among them."""
    paths = sorted(directory.glob("*.yml"))
    if not any(p.stem == SAFE_DEFAULT for p in paths):
        raise RiskRulesError(f"{display_path(directory)}: {SAFE_DEFAULT}.yml: missing")
    return tuple(load_category(p) for p in paths)
