"""Where the project's files live, relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "domain.yml"
ENDPOINTS = ROOT / "endpoints.yml"
CREDENTIALS = ROOT / "credentials.yml"
DATA = ROOT / "bot" / "data"
GENERATED = DATA / "generated"
BUILD = ROOT / ".build"
BUILD_DOMAIN = BUILD / "domain"
MODELS = ROOT / "models"
MODEL = MODELS / "parentbot.tar.gz"
FINGERPRINT = MODELS / "parentbot.fingerprint"
CONTENT = ROOT / "content"
RISK = CONTENT / "risk"
SPACY_PIPELINE = ROOT / "bot" / "spacy_en"  # built by `parentbot build`, ignored by git
