"""The language lists compiled into an inverted index, so a message costs in proportion to its words.

The six lists hold about 4,000 terms. Trying each against every message took 190 ms (and 17 ms with a
per-message word index, still most of the risk screen's 5 ms budget, issue 12). Here the lists are compiled once:
each distinct spelling gets a number and is filed under its first word (whole words in a dict, prefixes such
as "oddych*" by their length); each term is filed under the spellings of its first slot; each term knows the
rules (and the role in them: any, a group of all, unless) it belongs to. A message then looks up only its own
words, tries only the terms anchored at a spelling it contains, and decides only the rules those terms touch.
The hits are the same as trying every rule in file order (checked on every text in tests/data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.languages.redflags_terms import MAX_GAP, LangRule, Term, Words

Toks = Sequence[tuple[str, ...]]
ANY, UNLESS = -1, -2  # roles; a group of `all` is its index (0, 1, ...)


def _words_at(words: Words, toks: Toks, i: int) -> bool:
    if i + len(words) > len(toks):
        return False
    return all(
        any(v.startswith(text) if prefix else v == text for v in toks[i + n]) for n, (text, prefix) in enumerate(words)
    )


@dataclass(frozen=True)
class _Compiled:
    slots: tuple[tuple[int, ...] | None, ...]  # each slot's spelling numbers; None is a gap


class RedFlagIndex:
    def __init__(self, rules: Sequence[LangRule]) -> None:
        self.rules = tuple(rules)
        self.spellings: list[Words] = []
        spelling_ids: dict[Words, int] = {}
        self.exact: dict[str, list[int]] = defaultdict(list)  # first word -> spellings starting with it
        self.prefix: dict[str, list[int]] = defaultdict(list)  # first-word prefix -> spellings
        term_ids: dict[Term, int] = {}
        self.terms: list[_Compiled] = []
        self.anchored: dict[int, list[int]] = defaultdict(list)  # spelling -> terms whose first slot has it
        self.roles: list[list[tuple[int, int]]] = []  # term -> (rule, role)

        def spelling(words: Words) -> int:
            if words not in spelling_ids:
                spelling_ids[words] = len(self.spellings)
                self.spellings.append(words)
                text, is_prefix = words[0]
                (self.prefix if is_prefix else self.exact)[text].append(spelling_ids[words])
            return spelling_ids[words]

        def term(t: Term) -> int:
            if t not in term_ids:
                term_ids[t] = len(self.terms)
                slots = tuple(None if s is None else tuple(spelling(w) for w in s.alternatives) for s in t)
                self.terms.append(_Compiled(slots))
                self.roles.append([])
                first = next(s for s in slots if s is not None)
                for sid in dict.fromkeys(first):
                    self.anchored[sid].append(term_ids[t])
            return term_ids[t]

        for r, rule in enumerate(self.rules):
            for t in rule.any:
                self.roles[term(t)].append((r, ANY))
            for g, group in enumerate(rule.all):
                for t in group:
                    self.roles[term(t)].append((r, g))
            for t in rule.unless:
                self.roles[term(t)].append((r, UNLESS))
        self.prefix_lengths = sorted({len(p) for p in self.prefix})

    def _starts(self, toks: Toks) -> dict[int, set[int]]:
        """Where each spelling the message contains starts."""
        found: dict[int, set[int]] = defaultdict(set)
        for i, variants in enumerate(toks):
            for v in variants:
                for sid in self.exact.get(v, ()):
                    found[sid].add(i)
                for n in self.prefix_lengths:
                    if n > len(v):
                        break
                    for sid in self.prefix.get(v[:n], ()):
                        found[sid].add(i)
        for sid, at in found.items():
            if len(self.spellings[sid]) > 1:
                found[sid] = {i for i in at if _words_at(self.spellings[sid], toks, i)}
        return {sid: at for sid, at in found.items() if at}

    def _match_at(self, slots: tuple[tuple[int, ...] | None, ...], starts: dict[int, set[int]], i: int) -> bool:
        if not slots:
            return True
        head, rest = slots[0], slots[1:]
        if head is None:
            return any(self._match_at(rest, starts, i + skip) for skip in range(MAX_GAP + 1))
        return any(
            self._match_at(rest, starts, i + len(self.spellings[sid])) for sid in head if i in starts.get(sid, ())
        )

    def fired(self, toks: Toks) -> list[int]:
        """The numbers of the rules that fire on the message, in file order."""
        starts = self._starts(toks)
        seen: dict[int, set[int]] = defaultdict(set)  # rule -> roles with an occurring term
        tried: set[int] = set()
        for sid in starts:
            for tid in self.anchored.get(sid, ()):
                if tid in tried:
                    continue
                tried.add(tid)
                slots = self.terms[tid].slots
                if any(s is not None and not any(x in starts for x in s) for s in slots):
                    continue
                first = next(s for s in slots if s is not None)
                candidates = sorted({i for x in first for i in starts.get(x, ())})
                if any(self._match_at(slots, starts, i) for i in candidates):
                    for r, role in self.roles[tid]:
                        seen[r].add(role)
        out = []
        for r in sorted(seen):
            roles, rule = seen[r], self.rules[r]
            hit = ANY in roles or (bool(rule.all) and all(g in roles for g in range(len(rule.all))))
            if hit and UNLESS not in roles:
                out.append(r)
        return out
