"""Reviewed translations of an answer, in its own file: `sms.<code>`, `body.<code>` and `review.<code>` in the
front matter (issue 15), so editors add a language's version of an answer without code. Served when the
family's language is that code (bot/answers/render.py), the English otherwise; checked by the editors' gate
(bot/answers/checks.py): a known language code, a review status, at most 3 SMS segments, every number kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRANSLATED = re.compile(r"^(sms|body|review)\.([a-z]{2,3})$")
# Numbers and the capitalised words the service reads (STOP, YES, NHS): a translation must keep each one.
KEPT = re.compile(r"\d+|\b[A-Z]{3,}\b")


@dataclass(frozen=True)
class Translation:
    code: str
    review: str  # "awaiting qualified translator", or the translator's name and date
    sms: str | None = None
    body: str | None = None


def kept(text: str) -> list[str]:
    return sorted(set(KEPT.findall(text)))


def language_codes(root: Path) -> set[str]:
    """The languages of content/languages/<code>.yml (the files starting with "_" are shared copy)."""
    return {p.stem for p in (root / "languages").glob("*.yml") if not p.stem.startswith("_")}


def parse_translations(
    meta: dict[str, Any], codes: set[str], fail: Callable[[str, str], Exception]
) -> tuple[Translation, ...]:
    """The translations in an answer's front matter; `fail(field, message)` builds the error to raise."""
    found: dict[str, dict[str, str]] = {}
    for key, value in meta.items():
        match = TRANSLATED.match(str(key))
        if not match:
            continue
        field, code = match.groups()
        if code not in codes:
            raise fail(str(key), f"unknown language code {code!r}; one of {', '.join(sorted(codes))}")
        if not isinstance(value, str) or not value.strip():
            raise fail(str(key), "missing or empty")
        found.setdefault(code, {})[field] = value.strip() if field == "body" else " ".join(value.split())
    out = []
    for code, fields in sorted(found.items()):
        if "review" not in fields:
            raise fail(f"review.{code}", "each translation needs a review status (awaiting qualified translator)")
        if "sms" not in fields and "body" not in fields:
            raise fail(f"review.{code}", f"a review status with no sms.{code} or body.{code}")
        out.append(Translation(code, fields["review"], fields.get("sms"), fields.get("body")))
    return tuple(out)
