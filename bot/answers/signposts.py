"""Signposts: which neighbouring subject (colic, weaning, nappy rash...) a message is about, by its keywords.

Hand-written matching, not a model: a signpost only says "we do not advise on this, here is the right page and
your health visiting team", so editors must be able to see and change exactly what finds it, and adding one
must cost no training time (issue 14: dozens of new DIET intents took training past its 5-minute budget).

A keyword is a phrase of words ("nappy rash"); a word ending in `*` matches any ending ("wean*"); parts joined
by `&` must all appear, in any order ("teeth* & calpol"), and a part starting with `!` must not ("cough* &
!whooping": whooping cough is a jab question). The longest matching keyword wins, so the most specific
signpost is chosen when two match.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.answers.loader import load_signposts
from bot.answers.model import SIGNPOSTS, Answer


def normalise(text: str) -> str:
    """Lower case, curly apostrophes straightened, every other non-word character a space."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


@dataclass(frozen=True)
class Keyword:
    signpost_id: str
    text: str
    parts: tuple[re.Pattern[str], ...]
    absent: tuple[re.Pattern[str], ...] = ()
    weight: int = 0

    def matches(self, normalised: str) -> bool:
        return all(p.search(normalised) for p in self.parts) and not any(p.search(normalised) for p in self.absent)


def compile_keyword(signpost_id: str, keyword: str) -> Keyword:
    # normalise() drops "*", so each word's star is read before it is normalised.
    parts: list[re.Pattern[str]] = []
    absent: list[re.Pattern[str]] = []
    weight = 0
    for piece in keyword.split("&"):
        negated = piece.strip().startswith("!")
        words = []
        for word in piece.replace("!", " ").split():
            star = word.endswith("*")
            for token in normalise(word).split():
                words.append(re.escape(token))
            if star and words:
                words[-1] += r"[a-z0-9]*"
        if words:
            (absent if negated else parts).append(re.compile(" " + " ".join(words) + " "))
            weight += 0 if negated else len(piece.replace("*", "").strip())
    return Keyword(signpost_id, keyword, tuple(parts), tuple(absent), weight)


class SignpostIndex:
    """Every signpost's keywords; `match(text)` -> the signpost id or None."""

    def __init__(self, signposts: Sequence[Answer]) -> None:
        self.keywords = [compile_keyword(s.id, k) for s in signposts for k in s.keywords]

    def matches(self, text: str) -> frozenset[str]:
        """Every id with a keyword in `text` (answers' keywords are hints, bot/answers/decision.py)."""
        normalised = normalise(text)
        return frozenset(k.signpost_id for k in self.keywords if k.parts and k.matches(normalised))

    def match(self, text: str) -> str | None:
        normalised = normalise(text)
        best: tuple[int, str] | None = None
        for keyword in self.keywords:
            if keyword.parts and keyword.matches(normalised) and (best is None or keyword.weight > best[0]):
                best = (keyword.weight, keyword.signpost_id)
        return best[1] if best else None


class LiveSignposts:
    """The index from content/signposts/, rebuilt when a file there changes (editors' changes are live)."""

    def __init__(self, content: Path) -> None:
        self.folder = content / SIGNPOSTS
        self.content = content
        self._stamp: tuple[object, ...] = ()
        self._index = SignpostIndex(())
        self._lock = threading.Lock()

    def _current_stamp(self) -> tuple[object, ...]:
        try:
            return tuple(
                (e.name, e.stat().st_mtime_ns, e.stat().st_size)
                for e in sorted(os.scandir(self.folder), key=lambda e: e.name)
            )
        except OSError:
            return ()

    def index(self) -> SignpostIndex:
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                signposts, _ = load_signposts(self.content)  # a broken file is reported by `parentbot check`
                self._index, self._stamp = SignpostIndex(signposts), stamp
            return self._index

    def match(self, text: str) -> str | None:
        return self.index().match(text)
