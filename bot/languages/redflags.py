"""Red flags in the parent's own language: word lists per category in content/risk/<lang>/redflags.yml.

A message is tokenised and normalised (bot/languages/normalise.py) and each rule fires when one of its `any`
terms occurs, or when every group of its `all` list has a term somewhere in the message ("lips" + "blue").
`unless` terms anywhere cancel the rule ("after the jabs" for a fever). A term is a few words in order; a word
ending in `*` matches any word that starts with it (Polish and Romanian inflect), `...` allows up to three
words between. Every list runs on every message, whatever language was detected: detection can be wrong, and a
missed emergency costs more than a second look.

Hand-written rather than spaCy's Matcher: spaCy 3.4 has no tokenisers or lemmas for Punjabi, Urdu and Bengali
worth relying on, and the lists are written with their inflections spelled out, so plain token lookups suffice.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.languages.normalise import tokens
from bot.risk.matcher import RiskHit
from bot.risk.rules import RiskCategory, RiskRulesError, display_path

REVIEW_AWAITING = "awaiting qualified translator"
RULE_FIELDS = ("id", "any", "all", "unless")
GAP = "..."
MAX_GAP = 3
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Arabic clitics written onto the next word: "and", "so", "with", "for", "the" ("وشفايفه" = "and his lips").
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


Words = tuple[tuple[str, bool], ...]  # one spelling: its words, each (text, is a prefix)


@dataclass(frozen=True)
class _Slot:
    """One place in a term: any of its spellings, each one or more words ("el bebe|elbebe|el tefl")."""

    alternatives: tuple[Words, ...]

    def lengths(self, msg: _Message, i: int) -> list[int]:
        """How many words each matching spelling covers at position i."""
        return [len(words) for words in self.alternatives if i in msg.starts(words)]

    def somewhere(self, msg: _Message) -> frozenset[int]:
        """Every position where one of the spellings starts."""
        found: frozenset[int] = frozenset()
        for words in self.alternatives:
            found |= msg.starts(words)
        return found


class _Message:
    """A message's words indexed once, since every list's terms are looked up in it: trying each term at each
    position took 190 ms a message; finding a spelling's first word (a dict, or a bisect for a prefix) and
    remembering each spelling's positions takes about 17 ms, with the same hits on every text in tests/data."""

    def __init__(self, toks: Sequence[tuple[str, ...]]) -> None:
        self.toks = tuple(toks)
        self._positions: dict[str, set[int]] = {}
        for i, variants in enumerate(self.toks):
            for v in variants:
                self._positions.setdefault(v, set()).add(i)
        self._vocab = sorted(self._positions)
        self._starts: dict[Words, frozenset[int]] = {}

    def _first(self, text: str, prefix: bool) -> set[int]:
        if not prefix:
            return self._positions.get(text, set())
        found: set[int] = set()
        k = bisect_left(self._vocab, text)
        while k < len(self._vocab) and self._vocab[k].startswith(text):
            found |= self._positions[self._vocab[k]]
            k += 1
        return found

    def starts(self, words: Words) -> frozenset[int]:
        """The positions where this spelling's words stand in order."""
        known = self._starts.get(words)
        if known is None:
            text, prefix = words[0]
            known = frozenset(i for i in self._first(text, prefix) if _words_at(words, self.toks, i))
            self._starts[words] = known
        return known


def _words_at(words: Words, toks: Sequence[tuple[str, ...]], i: int) -> bool:
    if i + len(words) > len(toks):
        return False
    return all(
        any(v.startswith(text) if prefix else v == text for v in toks[i + n]) for n, (text, prefix) in enumerate(words)
    )


Term = tuple[_Slot | None, ...]  # None is a gap of up to MAX_GAP words


@dataclass(frozen=True)
class LangRule:
    lang: str
    category: RiskCategory
    id: str
    any: tuple[Term, ...]
    all: tuple[tuple[Term, ...], ...]
    unless: tuple[Term, ...]


class TermError(ValueError):
    pass


def _spelling(source: str) -> Words:
    words = source.split()
    out: list[tuple[str, bool]] = []
    for raw in words:
        pieces = tokens(raw.rstrip("*"))
        for k, piece in enumerate(pieces):
            out.append((piece, raw.endswith("*") and k == len(pieces) - 1))
    if not out:
        raise TermError(f"'{source}' has no words")
    return tuple(out)


def parse_term(source: str) -> Term:
    """ "nie ... oddych*": " ... " is a gap of up to 3 words, " + " joins slots with no gap, "|" separates
    the spellings of one slot (each may be several words: "el bebe|elbebe")."""
    term: list[_Slot | None] = []
    for g, segment in enumerate(source.split(f" {GAP} ")):
        if g:
            term.append(None)
        for part in segment.split(" + "):
            if "|" in part:
                term.append(_Slot(tuple(_spelling(alt) for alt in part.split("|") if alt.strip())))
            else:  # plain words: one slot per word, so "nie oddycha" is two slots in a row
                term.extend(_Slot(((word,),)) for word in _spelling(part))
    return tuple(term)


def _variants(token: str) -> tuple[str, ...]:
    found = [token]
    for clitic in _CLITICS:
        if token.startswith(clitic) and len(token) - len(clitic) >= 2:
            found.append(token[len(clitic) :])
    return tuple(found)


def _match_at(term: Term, msg: _Message, i: int) -> bool:
    if not term:
        return True
    head, rest = term[0], term[1:]
    if head is None:
        return any(_match_at(rest, msg, i + skip) for skip in range(MAX_GAP + 1))
    return any(_match_at(rest, msg, i + n) for n in head.lengths(msg, i))


def occurs(term: Term, msg: _Message) -> bool:
    slots = [slot for slot in term if slot is not None]
    if any(not slot.somewhere(msg) for slot in slots):  # a word the message lacks: the usual case, decided at once
        return False
    head = term[0]
    candidates = sorted(head.somewhere(msg)) if head is not None else range(len(msg.toks))
    return any(_match_at(term, msg, i) for i in candidates)


def _any(terms: Iterable[Term], msg: _Message) -> bool:
    return any(occurs(t, msg) for t in terms)


def fires(rule: LangRule, msg: _Message) -> bool:
    hit = _any(rule.any, msg) or (bool(rule.all) and all(_any(group, msg) for group in rule.all))
    return hit and not _any(rule.unless, msg)


def words_of(text: str) -> _Message:
    return _Message([_variants(t) for t in tokens(text)])


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
        msg = words_of(text)
        best: dict[str, LangRule] = {}
        for rule in self.rules:
            current = best.get(rule.category.name)
            if current is not None and (current.lang == prefer or rule.lang != prefer):
                continue
            if fires(rule, msg):
                best[rule.category.name] = rule
        hits = [
            RiskHit(r.category.name, r.category.group, f"{r.lang}_{r.id}", r.category.tier, r.category.priority, r.lang)
            for r in best.values()
        ]
        return sorted(hits, key=lambda h: (h.priority, h.category))
