"""Does a health visitor's message name someone other than the parent? For a family flagged for safeguarding the
phone may be read by the person the parent is afraid of, so the inbox asks the visitor to confirm first.

Two signs: a relation ("your partner", "his dad", "the baby's father") and a name (a capitalised word that does
not start a sentence and is not an acronym, a day, a month or the service's own words). It is a prompt to
check, not a filter: a false alarm costs one more click, a miss is a message the parent may be hurt for.
"""

from __future__ import annotations

import re

RELATIONS = (
    "partner",
    "ex-partner",
    "ex",
    "husband",
    "ex-husband",
    "wife",
    "boyfriend",
    "ex-boyfriend",
    "girlfriend",
    "fiance",
    "fiancé",
    "mum",
    "mother",
    "mother-in-law",
    "dad",
    "father",
    "father-in-law",
    "stepdad",
    "stepfather",
    "stepmum",
    "brother",
    "sister",
    "family",
    "friend",
    "neighbour",
    "parents",
)
_OWNER = r"(?:your|his|her|their|the\s+baby'?s|baby'?s|the\s+child'?s)"
_RELATION = re.compile(_OWNER + r"\s+(?:" + "|".join(map(re.escape, RELATIONS)) + r")\b", re.IGNORECASE)
# Capitalised words that are not people: the service's words, days, months, greetings.
_SERVICE_WORDS = (
    "i i'm i'll i've i'd hello hi dear thanks thank please yes no ok okay "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december christmas easter "
    "nhs gp a&e health visitor visitors midwife samaritans childline refuge nspcc shout mind"
)
NOT_NAMES = frozenset(_SERVICE_WORDS.split())
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'&-]*")
_SENTENCE_END = re.compile(r"[.!?:\n]\s*$")


def _names(text: str) -> list[str]:
    found = []
    for match in _WORD.finditer(text):
        word = match.group().rstrip("'")
        before = text[: match.start()]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        common = word.lower() in NOT_NAMES or word.lower() in RELATIONS  # "your Husband" is named once
        if starts_sentence or not word[:1].isupper() or word.isupper() or common:
            continue
        found.append(word)
    return found


def named(text: str) -> tuple[str, ...]:
    """The third parties the text names, in order, each once ("your partner", "Dave")."""
    seen: dict[str, None] = {}
    for phrase in (" ".join(m.group().split()) for m in _RELATION.finditer(text)):
        seen.setdefault(phrase.lower(), None)
    for name in _names(text):
        seen.setdefault(name, None)
    return tuple(seen)
