"""Risk-rule pattern syntax: parse a pattern string, compile it to spaCy Matcher token patterns.

Syntax (also in docs/risk-rules.md, which is written for the clinical lead):

    lip ~ blue            words separated by spaces, one word per token, in this order
    floppy|limp           `a|b`: either word fits this token
    breath*               a trailing `*` matches any token starting with "breath" (breathless, breathing...)
    =would                a leading `=` matches the exact lower-case text only, not the lemma
    38..42                a number whose whole part is 38 to 42, with any decimals or unit glued on
                          ("38.5", "39c", "40degrees")
    0..12w                the same with a unit glued on that starts with these letters ("6wks", "8weeks")
    lip ~ blue            `~` between two words: up to 4 other tokens may sit in between
    lip ~2 blue           `~N` (N = 0 to 10): up to N tokens in between
    ^ lip ~ blue          `^` first: the two parts either side of the one `~` may come in either order,
                          so this also matches "blue lips"

Each space-separated piece fills one token, and a `~` always starts a new position: `keep ~1 thinking|visions`
is "keep", up to one word, then "thinking" or "visions", never "keep thinking" OR "visions".
A plain word matches a token when the word equals the token's lower-case text or its lemma, case-insensitively,
so "wake" matches "woke", "waking", "Wakes". Gaps never reach across a full stop, "!" or "?".

Why one `LOWER IN` list per token rather than a LEMMA dict and a LOWER dict: spaCy's Matcher ANDs the keys of a
token dict, so "lemma OR text" would need two patterns per word (2^n per pattern). Instead each word is compiled
to every lower-case spelling the pipeline lemmatises to it (the pipeline's lookup table, inverted once at load,
plus the text-speak attribute ruler). That is the same test, one set lookup per token, and it stays
case-insensitive where the lookup lemmatiser is not ("Vomiting" at the start of a text keeps its own lemma).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

DEFAULT_GAP = 4
MAX_GAP = 10
MAX_RANGE = 400
MIN_PREFIX = 3
# Sentence ends: a gap that crossed one would join two unrelated statements.
SENTENCE_END = [".", "!", "?", "...", "\n", "\n\n"]

_WORD = re.compile(r"^\w[\w'&/.°-]*$|^'[a-z]+$|^n't$")
_RANGE = re.compile(r"^(\d{1,3})\.\.(\d{1,3})([a-z°]*)$")
_GAP = re.compile(r"^~(\d{1,2})?$")

AltKind = Literal["word", "exact", "prefix", "range"]


class PatternSyntaxError(ValueError):
    """A pattern string that does not follow the syntax above (the caller adds file and field)."""


@dataclass(frozen=True)
class Alt:
    kind: AltKind
    text: str  # the word, the prefix (without "*") or "lo..hi" with an optional unit


@dataclass(frozen=True)
class Slot:
    """One token of the pattern and the alternatives that may fill it."""

    alts: tuple[Alt, ...]


@dataclass(frozen=True)
class Gap:
    width: int


Element = Slot | Gap


@dataclass(frozen=True)
class ParsedPattern:
    source: str
    elements: tuple[Element, ...]
    either_order: bool

    def orders(self) -> list[tuple[Element, ...]]:
        """The element sequences to match: one, or two when `^` allows either order."""
        if not self.either_order:
            return [self.elements]
        cut = next(i for i, el in enumerate(self.elements) if isinstance(el, Gap))
        swapped = (*self.elements[cut + 1 :], self.elements[cut], *self.elements[:cut])
        return [self.elements, swapped]

    def words(self) -> list[Alt]:
        return [alt for el in self.elements if isinstance(el, Slot) for alt in el.alts]


def _parse_alt(raw: str) -> Alt:
    if raw.startswith("="):
        word = raw[1:]
        if not _WORD.match(word):
            raise PatternSyntaxError(f"unknown syntax '{raw}'")
        return Alt("exact", word)
    ranged = _RANGE.match(raw)
    if ranged:
        lo, hi = int(ranged.group(1)), int(ranged.group(2))
        if lo > hi or hi - lo > MAX_RANGE:
            raise PatternSyntaxError(f"bad number range '{raw}' (need low..high, at most {MAX_RANGE} apart)")
        return Alt("range", raw)
    if raw.endswith("*"):
        prefix = raw[:-1]
        if not _WORD.match(prefix):
            raise PatternSyntaxError(f"unknown syntax '{raw}'")
        if len(prefix) < MIN_PREFIX:
            raise PatternSyntaxError(f"prefix '{raw}' needs at least {MIN_PREFIX} letters before '*'")
        return Alt("prefix", prefix)
    if not _WORD.match(raw):
        raise PatternSyntaxError(f"unknown syntax '{raw}'")
    return Alt("word", raw)


def parse(source: str) -> ParsedPattern:
    """Parse one pattern string; raises PatternSyntaxError naming the offending piece."""
    if not isinstance(source, str) or not source.strip():
        raise PatternSyntaxError("empty pattern")
    pieces = source.lower().split()
    either_order = pieces[0] == "^"
    if either_order:
        pieces = pieces[1:]
    elements: list[Element] = []
    for piece in pieces:
        gap = _GAP.match(piece)
        if gap:
            width = int(gap.group(1)) if gap.group(1) else DEFAULT_GAP
            if width > MAX_GAP:
                raise PatternSyntaxError(f"gap '{piece}' wider than {MAX_GAP}")
            if not elements or isinstance(elements[-1], Gap):
                raise PatternSyntaxError(f"'{piece}' must sit between two words")
            elements.append(Gap(width))
            continue
        if "^" in piece:
            raise PatternSyntaxError(f"unknown syntax '{piece}' ('^' stands alone at the start)")
        alts = piece.split("|")
        if any(not alt for alt in alts):
            raise PatternSyntaxError(f"unknown syntax '{piece}' (empty alternative)")
        elements.append(Slot(tuple(_parse_alt(alt) for alt in alts)))
    if not elements:
        raise PatternSyntaxError("empty pattern")
    if isinstance(elements[-1], Gap):
        raise PatternSyntaxError("a pattern cannot end with '~'")
    if either_order and sum(isinstance(el, Gap) for el in elements) != 1:
        raise PatternSyntaxError("'^' needs exactly one '~' to split the pattern into two parts")
    return ParsedPattern(source, tuple(elements), either_order)


class FormLookup:
    """What the compiler needs from the pipeline: every lower-case spelling of a lemma, and a tokenizer."""

    def __init__(
        self,
        forms: Callable[[str], frozenset[str]],
        prefix_forms: Callable[[str], frozenset[str]],
        tokenize: Callable[[str], list[str]],
    ) -> None:
        self.forms = forms
        self.prefix_forms = prefix_forms
        self.tokenize = tokenize


def _range_regex(text: str) -> str:
    ranged = _RANGE.match(text)
    assert ranged is not None  # parse() only builds range alts from text that matched
    lo, hi, unit = int(ranged.group(1)), int(ranged.group(2)), ranged.group(3)
    whole = "|".join(str(n) for n in range(lo, hi + 1))
    # Decimals and a glued unit ("38.5c", "6wks") are allowed; a longer number ("380") is not.
    return rf"(?:{whole})(?:[.,]\d+)?{re.escape(unit)}[a-z°]*"


@dataclass(frozen=True)
class SlotNeed:
    """What a token must look like to fill a slot, for the matcher's prefilter (see matcher._SlotIndex)."""

    forms: frozenset[str]
    prefixes: frozenset[str]
    number: bool


@dataclass(frozen=True)
class CompiledPattern:
    token_patterns: list[list[dict[str, Any]]]
    needs: tuple[SlotNeed, ...]  # one per slot; every one must be filled somewhere for a match


def _slot_need(slot: Slot, lookup: FormLookup) -> SlotNeed:
    forms: set[str] = set()
    prefixes: set[str] = set()
    number = False
    for alt in slot.alts:
        if alt.kind == "exact":
            forms.add(alt.text)
        elif alt.kind == "word":
            forms.add(alt.text)
            forms.update(lookup.forms(alt.text))
        elif alt.kind == "prefix":
            prefixes.add(alt.text)
            forms.update(lookup.prefix_forms(alt.text))
        else:
            number = True
    return SlotNeed(frozenset(forms), frozenset(prefixes), number)


def _slot_token(slot: Slot, lookup: FormLookup) -> dict[str, Any]:
    literal: set[str] = set()
    regexes: list[str] = []
    for alt in slot.alts:
        if alt.kind == "exact":
            literal.add(alt.text)
        elif alt.kind == "word":
            literal.add(alt.text)
            literal.update(lookup.forms(alt.text))
        elif alt.kind == "prefix":
            regexes.append(re.escape(alt.text) + ".*")
            literal.update(lookup.prefix_forms(alt.text))
        else:
            regexes.append(_range_regex(alt.text))
    if not regexes:
        return {"LOWER": {"IN": sorted(literal)}}
    regexes.extend(re.escape(word) for word in sorted(literal))
    return {"LOWER": {"REGEX": "^(?:" + "|".join(regexes) + ")$"}}


def _expand_multi_token(elements: Iterable[Element], lookup: FormLookup) -> list[Element]:
    """A plain word the tokenizer splits ("can't" -> "ca", "n't") becomes one slot per piece."""
    out: list[Element] = []
    for el in elements:
        if isinstance(el, Gap):
            out.append(el)
            continue
        split = {alt: lookup.tokenize(alt.text) for alt in el.alts if alt.kind != "range"}
        multi = {alt: toks for alt, toks in split.items() if len(toks) > 1}
        if not multi:
            out.append(el)
        elif len(el.alts) == 1 and el.alts[0].kind != "prefix":
            alt = el.alts[0]
            out.extend(Slot((Alt(alt.kind, tok),)) for tok in multi[alt])
        else:
            alt, toks = next(iter(multi.items()))
            raise PatternSyntaxError(
                f"'{alt.text}' is {len(toks)} tokens ({' '.join(toks)}); "
                "an alternative in `a|b` or a prefix must be one token"
            )
    return out


def compile_pattern(parsed: ParsedPattern, lookup: FormLookup) -> CompiledPattern:
    """Matcher token patterns for one parsed pattern (two when `^` allows either order)."""
    compiled: list[list[dict[str, Any]]] = []
    needs: list[SlotNeed] = []
    for n, order in enumerate(parsed.orders()):
        tokens: list[dict[str, Any]] = []
        for el in _expand_multi_token(order, lookup):
            if isinstance(el, Gap):
                tokens.extend({"ORTH": {"NOT_IN": SENTENCE_END}, "OP": "?"} for _ in range(el.width))
            else:
                tokens.append(_slot_token(el, lookup))
                if n == 0:  # the swapped order has the same slots
                    needs.append(_slot_need(el, lookup))
        compiled.append(tokens)
    return CompiledPattern(compiled, tuple(needs))
