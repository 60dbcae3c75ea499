"""Process-wide objects, built on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache

from bot.answers.store import ContentStore
from bot.settings import get_settings


@lru_cache(maxsize=1)
def content_store() -> ContentStore:
    return ContentStore(get_settings().CONTENT_DIR)
