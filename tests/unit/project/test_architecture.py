"""The layout's rules (issue 11), checked on the source itself: no import cycles (imports inside functions
count too), Rasa only behind bot/rasa_ext/, bot/actions/ and channels/, no module over 300 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.paths import ROOT

PACKAGES = ("bot", "channels", "staff", "bench", "tests")
# Only these may import rasa or rasa_sdk: the rest of bot/ goes through them.
RASA_ALLOWED = ("bot.rasa_ext", "bot.actions", "channels")
MAX_LINES = 300


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if {"spacy_en", "data", "generated", "__pycache__"} & set(rel.parts):
                continue
            name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imported(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """Every module `name` imports, at the top or inside a function: package-relative names resolved, and
    `from pkg import mod` counted as an import of pkg.mod when that is a module."""
    out: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".")
                parts = parts if is_package else parts[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imported(path, name, known) if m in known and m != name} for name, path in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from bot.care import outbox\n    import rasa.core\n")
    assert imported(source, "bot.x.mod", {"bot.care.outbox": source}) == {"bot.care.outbox", "rasa.core"}


def test_no_import_cycles() -> None:
    assert find_cycle(graph()) is None


def test_rasa_is_imported_only_behind_rasa_ext_actions_and_channels() -> None:
    known = modules()
    offenders = sorted(
        f"{name} imports {m}"
        for name, path in known.items()
        if name.startswith(("bot", "staff")) and not name.startswith(RASA_ALLOWED)
        for m in imported(path, name, known)
        if m.split(".")[0] in {"rasa", "rasa_sdk"}
    )
    assert offenders == []


def test_turn_and_care_do_not_reach_into_channels() -> None:
    known = modules()
    offenders = sorted(
        f"{name} imports {m}"
        for name, path in known.items()
        if name.startswith("bot.")
        for m in imported(path, name, known)
        if m.split(".")[0] in {"channels", "staff"} and name != "bot.cli"
    )
    assert offenders == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_over_300_lines(package: str) -> None:
    long = {
        name: n
        for name, path in modules().items()
        if name.split(".")[0] == package and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
