"""Spelling normaliser for the answer model, measured and kept only if it helps (issue 14, README "Model").

symspellpy with a domain word list: every word editors wrote in content/ (titles, SMS and long bodies),
weighted above symspellpy's bundled English frequency list, so "mastitus" becomes "mastitis" and "jabs" is not
"corrected" into "jobs". Words of three letters or fewer are left alone (text-speak such as "hw", "bby" and
"lo" is already in the example questions, and short words have too many near neighbours).
"""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from pathlib import Path

from symspellpy import SymSpell, Verbosity

from bot.answers.loader import load_answers

MAX_EDIT = 2
MIN_LENGTH = 4
DOMAIN_WEIGHT = 10**9  # above any count in the English list: a content word always wins a tie
WORD = re.compile(r"[a-z']+")


def content_words(content: Path) -> Counter[str]:
    answers, _ = load_answers(content)
    words: Counter[str] = Counter()
    for answer in answers:
        for text in (answer.title, answer.sms, answer.body):  # edited text; the questions keep misspellings
            words.update(WORD.findall(text.lower()))
    return words


class Speller:
    def __init__(self, domain: Counter[str]) -> None:
        self.sym = SymSpell(max_dictionary_edit_distance=MAX_EDIT)
        english = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        self.sym.load_dictionary(str(english), term_index=0, count_index=1)
        for word, count in domain.items():
            self.sym.create_dictionary_entry(word, DOMAIN_WEIGHT + count)
        self.known = set(domain)

    @classmethod
    def from_content(cls, content: Path) -> Speller:
        return cls(content_words(content))

    def word(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self.known or "'" in word:
            return word
        found = self.sym.lookup(word, Verbosity.TOP, max_edit_distance=MAX_EDIT)
        return found[0].term if found else word

    def correct(self, text: str) -> str:
        return WORD.sub(lambda m: self.word(m.group(0)), text.lower())
