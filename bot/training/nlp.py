"""The project's own spaCy pipeline: blank English, lookup lemmas, text-speak rules.

No pretrained spaCy model can be fetched here (and registry copies from strangers are not trusted), so the
pipeline is built from Explosion's own packages: `spacy.blank("en")` plus the lemma tables in
spacy-lookups-data, with an attribute ruler that maps text-speak ("bby", "u") to the words they stand for.
Rasa's SpacyNLP loads it from a directory (`model: bot/spacy_en` in config.yml); the risk matcher uses
the same pipeline so both layers see the same lemmas.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from bot import paths

LEXICON = Path(__file__).resolve().parent / "lexicon" / "textspeak.yml"
PIPELINE_DIR = paths.SPACY_PIPELINE  # config.yml's SpacyNLP loads it from there


def load_lexicon(path: Path = LEXICON) -> dict[str, str]:
    """Return a map from variant (lower case, one token) to the lemma it stands for."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    variants: dict[str, str] = {}
    for lemma, spellings in raw.items():
        for spelling in spellings or []:
            variants[str(spelling).lower()] = str(lemma)
    return variants


def build_pipeline(lexicon: Path = LEXICON) -> Language:
    """Build the pipeline in memory (deterministic: the same lexicon gives the same pipeline)."""
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")  # type: ignore[assignment]  # spaCy types it as Pipe
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    # Patterns go in after initialize(), which clears them. The ruler runs before the lemmatizer,
    # and the lemmatizer leaves lemmas that are already set alone.
    for variant, lemma in sorted(load_lexicon(lexicon).items()):
        ruler.add([[{"LOWER": variant}]], {"LEMMA": lemma, "NORM": lemma})
    return nlp


def save_pipeline(target: Path = PIPELINE_DIR, lexicon: Path = LEXICON) -> Path:
    """Write the pipeline where Rasa's SpacyNLP can load it; returns the directory."""
    build_pipeline(lexicon).to_disk(target)
    return target


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The pipeline for in-process use (risk screen); built from the lexicon if it was never saved."""
    if (PIPELINE_DIR / "config.cfg").exists():
        return spacy.load(PIPELINE_DIR)
    return build_pipeline()
