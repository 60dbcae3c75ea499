"""Invert the pipeline's lemmatiser: for a lemma, every lower-case spelling that the pipeline maps to it.

The risk patterns match "lemma OR lower-case text" with one `LOWER IN [...]` list per token (see
patterns.py for why). spaCy keeps lookup tables keyed by hash, so the candidate spellings are read from
Explosion's spacy-lookups-data (the package the pipeline's table was built from) and each one is checked
against the pipeline's own table; spellings the text-speak attribute ruler maps to a lemma are added too.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from importlib import resources

from spacy.language import Language

from bot.risk.patterns import FormLookup


def _candidate_spellings() -> list[str]:
    try:
        data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
        with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            return list(json.load(text))
    except (ModuleNotFoundError, FileNotFoundError):
        # Without the data package only the words themselves and the text-speak spellings match.
        return []


def build_form_lookup(nlp: Language) -> FormLookup:
    """Build the spelling index for `nlp` once (about 50 ms); matching then needs no lemma work of its own."""
    inverse: dict[str, set[str]] = defaultdict(set)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]  # get_pipe is typed as a bare callable
        if lookups.has_table("lemma_lookup"):
            table = lookups.get_table("lemma_lookup")
            for spelling in _candidate_spellings():
                lemma = table.get(spelling)
                if isinstance(lemma, str):
                    inverse[lemma.lower()].add(spelling.lower())
    if "attribute_ruler" in nlp.pipe_names:
        for entry in nlp.get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]  # as above
            lemma = entry.get("attrs", {}).get("LEMMA")
            for token_patterns in entry.get("patterns", []):
                if lemma and len(token_patterns) == 1 and isinstance(token_patterns[0].get("LOWER"), str):
                    inverse[str(lemma).lower()].add(token_patterns[0]["LOWER"])
    frozen = {lemma: frozenset(spellings) for lemma, spellings in inverse.items()}
    lemmas = sorted(frozen)

    def forms(word: str) -> frozenset[str]:
        return frozen.get(word, frozenset())

    def prefix_forms(prefix: str) -> frozenset[str]:
        # Spellings whose lemma starts with the prefix ("breving" -> breathe for "breath*").
        out: set[str] = set()
        for lemma in lemmas:
            if lemma.startswith(prefix):
                out.update(frozen[lemma])
        return frozenset(out)

    def tokenize(text: str) -> list[str]:
        return [token.text for token in nlp.tokenizer(text)]

    return FormLookup(forms, prefix_forms, tokenize)
