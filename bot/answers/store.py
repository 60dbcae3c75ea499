"""Answers as served: read from content/ at run time, re-read when a file changes.

Wording edits must be live in seconds without retraining, so every lookup compares the file's mtime and size
with what was parsed (one stat call; cheap next to a Rasa turn). A file that fails to parse after an edit keeps
its last good version in service, and the error is logged once, by file and field.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from bot.answers.loader import ContentError, parse_answer
from bot.answers.model import Answer

log = logging.getLogger(__name__)


class ContentStore:
    """Looks answers up by id (`<topic>/<slug>`); thread-safe; no I/O until first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, tuple[tuple[int, int], Answer]] = {}
        self._failed: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def path_of(self, answer_id: str) -> Path:
        topic, _, slug = answer_id.partition("/")
        return self.root / topic / f"{slug}.md"

    def get(self, answer_id: str) -> Answer | None:
        path = self.path_of(answer_id)
        try:
            st = os.stat(path)
        except OSError:
            cached = self._cache.get(answer_id)
            return cached[1] if cached else None
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._cache.get(answer_id)
            if cached and cached[0] == stamp:
                return cached[1]
            if self._failed.get(answer_id) == stamp:
                return cached[1] if cached else None
            try:
                answer = parse_answer(path, self.root)
            except ContentError as err:
                self._failed[answer_id] = stamp
                log.error("content file not reloaded, still serving the last good version: %s", err)
                return cached[1] if cached else None
            self._cache[answer_id] = (stamp, answer)
            self._failed.pop(answer_id, None)
            return answer
