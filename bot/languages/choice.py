"""The words a parent sends to choose a language ("/language pl", "english"), with no imports of their own.

bot/languages/support.py acts on them; the risk screen (bot/risk/commands.py) reads them to leave a bare choice
unscreened by the classifier, and importing them from here keeps the screen free of support's dependencies.
"""

from __future__ import annotations

import re

LANGUAGE_COMMAND = re.compile(r"^\s*/?\s*(?:language|lang)\s+([a-z]{2})\s*$", re.IGNORECASE)
ENGLISH_WORDS = ("english", "/language en", "language en", "/lang en")
