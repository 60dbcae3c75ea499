"""Every `# type: ignore` in bot/, channels/ and staff/ names its error code and says why (issue 11)."""

from __future__ import annotations

import re

from bot import paths

IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
# `# type: ignore[code]  # why`: a code in brackets, then a comment with words.
EXPLAINED = re.compile(r"^\[[a-z-]+(,\s*[a-z-]+)*\]\s+#\s*\w")


def unexplained_ignores() -> list[str]:
    found = []
    for package in ("bot", "channels", "staff"):
        for path in sorted((paths.ROOT / package).rglob("*.py")):
            if "migrations/versions" in path.as_posix():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                ignore = IGNORE.search(line)
                if ignore and not EXPLAINED.match(ignore.group("rest")):
                    found.append(f"{path.relative_to(paths.ROOT)}:{number}: {line.strip()}")
    return found


def test_every_type_ignore_names_its_code_and_reason() -> None:
    assert unexplained_ignores() == []


def test_the_pattern_rejects_a_bare_ignore_and_accepts_an_explained_one() -> None:
    assert not EXPLAINED.match("")
    assert not EXPLAINED.match("[attr-defined]")
    assert EXPLAINED.match("[attr-defined]  # spaCy types get_pipe as a bare callable")
