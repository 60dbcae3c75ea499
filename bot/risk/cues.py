"""Negation and hypothetical cues: when a rule match is not a report ("no rash", "what if he goes blue").

A cue suppresses a match when it sits in the same clause, before or inside the match. Clauses end at
, . ; : ! ? - and at "but", "and", "though": "my mum says it's nothing but he's floppy" still fires because
"but" closes the clause that "nothing" opened. Pseudo-cues are phrases that contain a cue word without
negating the symptom ("not sure if", "I don't think he's breathing", "won't stop"); their words never count.

The lists are grammar, not clinical content, so they live here rather than in content/risk/. They use the
rule pattern syntax (bot/risk/patterns.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from bot.risk.patterns import FormLookup, compile_pattern, parse

NEGATION = ("no", "not", "never", "without", "none", "nor", "neither", "nope")

HYPOTHETICAL = (
    "if",
    "in case",
    "incase",
    "signs|sign|symptoms|symptom of",
    "what are the signs|symptoms",
    "what does",
    "what do ~2 look like",
    "how do|would|can|will|to|should we|i|you know|tell|spot",
    "how to tell|know|spot",
    "=would|=wud|=wld",
    "=could|=cud|=cld he|she|it|this|that|they|baby|bubba|my",
    "worried|worry|worrying|scared|afraid|frightened|terrified|paranoid|panicking ~3 might|=may|will|=could",
    "when ~2 worry|worried|concerned",
    "is it possible",
)

PSEUDO = (
    "not sure|certain",
    "only ~2 if",
    "not know",
    "no idea",
    "not think",
    "not stop",
    "not just|only",
    "not himself|herself|themselves|themself|itself",
    "never seen|been",
    "oh no",
    "no one|matter|way",
    "not want to bother|overreact|panic|waste|fuss|moan|worry|sound|make",
    "know|sure|tell|wonder|wondering|ask|asking|idk|dunno|check|checking|unsure if",
    "if ~2 normal|ok|okay|serious|worth|urgent|right|fine|concerning|worrying",
)

BOUNDARIES = frozenset(
    {",", ".", ";", ":", "!", "?", "-", "--", "–", "...", "but", "and", "though", "although", "tho", "however"}
)

_NEG, _HYPO, _PSEUDO = "cue_negation", "cue_hypothetical", "cue_pseudo"


@dataclass(frozen=True)
class CueMarks:
    """Per-token cue flags for one doc."""

    negation: tuple[bool, ...]
    hypothetical: tuple[bool, ...]
    boundary: tuple[bool, ...]

    def suppresses(self, start: int, end: int, *, negation: bool, hypothetical: bool) -> bool:
        """True when a cue of a checked kind governs the match doc[start:end]."""
        if not (negation or hypothetical):
            return False
        clause_start = start
        while clause_start > 0 and not self.boundary[clause_start - 1]:
            clause_start -= 1
        for i in range(clause_start, end):
            if (negation and self.negation[i]) or (hypothetical and self.hypothetical[i]):
                return True
        return False


class CueMatcher:
    """Finds cue tokens in a doc with one spaCy Matcher call."""

    def __init__(self, vocab: Vocab, lookup: FormLookup) -> None:
        self._matcher = Matcher(vocab)
        for key, phrases in ((_NEG, NEGATION), (_HYPO, HYPOTHETICAL), (_PSEUDO, PSEUDO)):
            patterns = [
                tokens for phrase in phrases for tokens in compile_pattern(parse(phrase), lookup).token_patterns
            ]
            self._matcher.add(key, patterns)
        self._ids = {vocab.strings[k]: k for k in (_NEG, _HYPO, _PSEUDO)}
        self.negation_words = frozenset(form for word in NEGATION for form in lookup.forms(word) | {word})

    def marks(self, doc: Doc) -> CueMarks:
        n = len(doc)
        spans: dict[str, list[tuple[int, int]]] = {_NEG: [], _HYPO: [], _PSEUDO: []}
        for match_id, start, end in self._matcher(doc):
            spans[self._ids[match_id]].append((start, end))
        masked = [False] * n
        for start, end in spans[_PSEUDO]:
            for i in range(start, end):
                masked[i] = True
        negation = [False] * n
        for start, end in spans[_NEG]:
            for i in range(start, end):
                negation[i] = negation[i] or not masked[i]
        hypothetical = [False] * n
        for start, end in spans[_HYPO]:
            # "wouldn't wake", "couldn't breathe" are statements: a negation right after turns the
            # hypothetical cue off (the negation itself still counts).
            if end < n and negation[end]:
                continue
            for i in range(start, end):
                hypothetical[i] = hypothetical[i] or not masked[i]
        boundary = tuple(t.lower_ in BOUNDARIES or "\n" in t.text for t in doc)
        return CueMarks(tuple(negation), tuple(hypothetical), boundary)
