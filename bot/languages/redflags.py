"""Red flags in the parent's own language: word lists per category in content/risk/<lang>/redflags.yml.

A message is tokenised and normalised (bot/languages/normalise.py) and each rule fires when one of its `any`
terms occurs, or when every group of its `all` list has a term somewhere in the message ("lips" + "blue").
`unless` terms anywhere cancel the rule ("after the jabs" for a fever). Terms: bot/languages/redflags_terms.py;
matching, through an index compiled once: bot/languages/redflag_index.py. Every list runs on every message,
whatever language was detected: detection can be wrong, and a missed emergency costs more than a second look.

Hand-written rather than spaCy's Matcher: spaCy 3.4 has no tokenisers or lemmas for Punjabi, Urdu and Bengali
worth relying on, and the lists are written with their inflections spelled out, so plain token lookups suffice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.languages.normalise import tokens
from bot.languages.redflag_index import RedFlagIndex
from bot.languages.redflags_terms import LangRule, Term, TermError, parse_term
from bot.risk.matcher import RiskHit
from bot.risk.rules import RiskCategory, RiskRulesError, display_path

__all__ = ["LangRule", "LanguageRedFlags", "parse_term"]

REVIEW_AWAITING = "awaiting qualified translator"
RULE_FIELDS = ("id", "any", "all", "unless")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Arabic clitics written onto the next word: "and", "so", "with", "for", "the" ("وشفايفه" = "and his lips").
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def _variants(token: str) -> tuple[str, ...]:
    found = [token]
    for clitic in _CLITICS:
        if token.startswith(clitic) and len(token) - len(clitic) >= 2:
            found.append(token[len(clitic) :])
    return tuple(found)


def words_of(text: str) -> list[tuple[str, ...]]:
    return [_variants(t) for t in tokens(text)]


class _Loader:
    def __init__(self, path: Path, categories: dict[str, RiskCategory]) -> None:
        self.path = path
        self.categories = categories

    def error(self, field: str, message: str) -> RiskRulesError:
        return RiskRulesError(f"{display_path(self.path)}: {field}: {message}")

    def terms(self, value: Any, field: str) -> tuple[Term, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or any(not isinstance(v, str) or not v.strip() for v in value):
            raise self.error(field, "must be a list of non-empty texts")
        try:
            parsed = tuple(parse_term(v) for v in value)
        except TermError as exc:
            raise self.error(field, str(exc)) from None
        for i, term in enumerate(parsed):
            if not any(slot is not None for slot in term):
                raise self.error(f"{field}[{i}]", "has no words")
        return parsed

    def rule(self, lang: str, category: RiskCategory, raw: Any, field: str) -> LangRule:
        if not isinstance(raw, dict):
            raise self.error(field, "must be a mapping with id and any or all")
        extra = sorted(set(raw) - set(RULE_FIELDS))
        if extra:
            raise self.error(f"{field}.{extra[0]}", f"unknown field (allowed: {', '.join(RULE_FIELDS)})")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            raise self.error(f"{field}.id", "must be snake_case text")
        groups_raw = raw.get("all") or []
        if not isinstance(groups_raw, list):
            raise self.error(f"{field}.all", "must be a list of term lists")
        groups = tuple(self.terms(g, f"{field}.all[{i}]") for i, g in enumerate(groups_raw))
        if len(groups) == 1 or any(not g for g in groups):
            raise self.error(f"{field}.all", "needs two or more non-empty term lists")
        any_terms = self.terms(raw.get("any"), f"{field}.any")
        if not any_terms and not groups:
            raise self.error(field, "needs `any` or `all`")
        return LangRule(lang, category, rule_id, any_terms, groups, self.terms(raw.get("unless"), f"{field}.unless"))

    def load(self) -> tuple[str, str, tuple[LangRule, ...]]:
        try:
            raw = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise self.error("yaml", str(exc).replace("\n", " ")) from None
        if not isinstance(raw, dict):
            raise self.error("file", "must be a mapping of fields")
        lang = raw.get("language")
        if lang != self.path.parent.name:
            raise self.error("language", f"{lang!r} must equal the folder name '{self.path.parent.name}'")
        review = raw.get("review")
        if not isinstance(review, str) or not review.strip():
            raise self.error("review", "must say who reviewed the lists, or 'awaiting qualified translator'")
        cats = raw.get("categories")
        if not isinstance(cats, dict) or not cats:
            raise self.error("categories", "must map category names to rule lists")
        rules: list[LangRule] = []
        for name, rule_list in cats.items():
            if name not in self.categories:
                raise self.error(f"categories.{name}", f"no such risk category in content/risk/ ({name})")
            if not isinstance(rule_list, list) or not rule_list:
                raise self.error(f"categories.{name}", "must be a non-empty list of rules")
            for i, r in enumerate(rule_list):
                rules.append(self.rule(lang, self.categories[name], r, f"categories.{name}[{i}]"))
        seen: set[tuple[str, str]] = set()
        for rule in rules:
            key = (rule.category.name, rule.id)
            if key in seen:
                raise self.error(f"categories.{rule.category.name}", f"duplicate rule id '{rule.id}'")
            seen.add(key)
        return lang, review.strip(), tuple(rules)


class LanguageRedFlags:
    """Every language's word lists, screened together; hits carry the language whose list fired."""

    def __init__(self, rules: Sequence[LangRule], reviews: dict[str, str]) -> None:
        self.rules = tuple(rules)
        self.reviews = dict(reviews)
        self.index = RedFlagIndex(self.rules)

    @classmethod
    def from_dir(cls, directory: Path, categories: Iterable[RiskCategory]) -> LanguageRedFlags:
        by_name = {c.name: c for c in categories}
        rules: list[LangRule] = []
        reviews: dict[str, str] = {}
        for path in sorted(directory.glob("*/redflags.yml")):
            lang, review, found = _Loader(path, by_name).load()
            rules.extend(found)
            reviews[lang] = review
        return cls(rules, reviews)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.reviews))

    def screen(self, text: str, prefer: str | None = None) -> list[RiskHit]:
        """One hit per category, most urgent first: the first rule in file order that fires, from the `prefer`
        language's list when it fires too (Roman Urdu and romanised Punjabi share many words)."""
        best: dict[str, LangRule] = {}
        for number in self.index.fired(words_of(text)):  # the rules that fire, in file order
            rule = self.rules[number]
            current = best.get(rule.category.name)
            if current is None or (current.lang != prefer and rule.lang == prefer):
                best[rule.category.name] = rule
        hits = [
            RiskHit(r.category.name, r.category.group, f"{r.lang}_{r.id}", r.category.tier, r.category.priority, r.lang)
            for r in best.values()
        ]
        return sorted(hits, key=lambda h: (h.priority, h.category))
