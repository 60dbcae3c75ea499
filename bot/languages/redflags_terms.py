"""The term language of the language red-flag lists (content/risk/<lang>/redflags.yml), parsed.

A term is a few words in order; a word ending in `*` matches any word that starts with it (Polish and Romanian
inflect), `...` allows up to three words between, " + " joins slots with no gap and "|" separates the spellings
of one slot ("el bebe|elbebe"). Matching is bot/languages/redflag_index.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.languages.normalise import tokens
from bot.risk.rules import RiskCategory

GAP = "..."
MAX_GAP = 3

Words = tuple[tuple[str, bool], ...]  # one spelling: its words, each (text, is a prefix)


@dataclass(frozen=True)
class _Slot:
    """One place in a term: any of its spellings, each one or more words ("el bebe|elbebe|el tefl")."""

    alternatives: tuple[Words, ...]


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
