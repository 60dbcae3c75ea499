"""The deterministic risk screen: runs on every message, before any answer is chosen.

Usage: build one RiskScreen at start-up (`RiskScreen.from_dir()`, about a second: it compiles every rule
once) and call `screen(recent_messages)` per message. If it returns hits, the first reply is the emergency
route (`category(hit.category).reply_sms`) and a health visitor is alerted; the model's own risk intent is
a second net, never a replacement (escalate if either fires).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.risk.cues import CueMatcher
from bot.risk.forms import build_form_lookup
from bot.risk.joining import risk_bearing
from bot.risk.patterns import PatternSyntaxError, SlotNeed, compile_pattern, parse
from bot.risk.rules import RULES_DIR, RiskCategory, RiskRule, RiskRulesError, load_rules


@dataclass(frozen=True)
class RiskHit:
    category: str
    group: str
    rule: str
    tier: str | None
    priority: int
    lang: str | None = None  # the language whose word list fired (bot/languages/); None = the English rules


@dataclass(frozen=True)
class _Compiled:
    category: RiskCategory
    rule: RiskRule
    kind: str  # "patterns" fire the rule; "unless" cancels it; "except" cancels matches it overlaps
    check_negation: bool
    check_hypothetical: bool
    matcher: Matcher
    required: frozenset[int]  # slot ids that must all occur in a doc for this pattern to match


class _SlotIndex:
    """Prefilter: which slots a doc can fill, found with dict lookups rather than the Matcher.

    Trying ~300 patterns at every token through Python-level IN/REGEX predicates cost about 1 ms a
    message. A pattern can only match if each of its slots is filled by some token, so only patterns
    whose slots all occur are run. A slot counts as present when a token's text is one of its spellings,
    starts with one of its prefixes, or (for number ranges) starts with a digit: the filter can let extra
    patterns through, never drop one that would match.
    """

    def __init__(self) -> None:
        self._ids: dict[SlotNeed, int] = {}
        self._by_form: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._prefix_lengths: list[int] = []
        self._numbers: set[int] = set()

    def required(self, needs: tuple[SlotNeed, ...]) -> frozenset[int]:
        return frozenset(self._slot(need) for need in needs)

    def _slot(self, need: SlotNeed) -> int:
        if need in self._ids:
            return self._ids[need]
        slot = self._ids[need] = len(self._ids)
        for form in need.forms:
            self._by_form.setdefault(form, set()).add(slot)
        for prefix in need.prefixes:
            self._by_prefix.setdefault(prefix, set()).add(slot)
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        if need.number:
            self._numbers.add(slot)
        return slot

    def fills(self, text: str) -> set[int]:
        """The slots one token (lower case) can fill."""
        found = set(self._by_form.get(text, ()))
        for length in self._prefix_lengths:
            if length > len(text):
                break
            found.update(self._by_prefix.get(text[:length], ()))
        if text[:1].isdigit():
            found.update(self._numbers)
        return found

    def present(self, doc: Doc) -> set[int]:
        found: set[int] = set()
        for token in doc:
            found.update(self.fills(token.lower_))
        return found


class RiskScreen:
    """Screens a parent's recent messages against the clinician-edited rules in content/risk/."""

    def __init__(self, categories: Sequence[RiskCategory], nlp: Language, *, prefilter: bool = True) -> None:
        # prefilter=False runs every pattern on every text: slower, same decisions (a test checks this).
        self._prefilter = prefilter
        self._nlp = nlp
        self._categories = {c.name: c for c in categories}
        lookup = build_form_lookup(nlp)
        self._cues = CueMatcher(nlp.vocab, lookup)
        self._index = _SlotIndex()
        self._compiled: list[_Compiled] = []
        for category in categories:
            for rule in category.rules:
                kinds = (("patterns", rule.patterns), ("unless", rule.unless), ("except", rule.exceptions))
                for kind, patterns in kinds:
                    for i, source in enumerate(patterns):
                        field = f"rules[{rule.index}].{kind}[{i}]"
                        parsed = parse(source)
                        try:
                            compiled_pattern = compile_pattern(parsed, lookup)
                        except PatternSyntaxError as exc:
                            raise RiskRulesError(f"{category.where(field)}: {exc}") from None
                        # A pattern that names its own negation ("not breathing", "won't wake") is the
                        # emergency itself, so negation cues cannot cancel it.
                        words = {t for alt in parsed.words() for t in lookup.tokenize(alt.text)}
                        carries_negation = bool(words & self._cues.negation_words)
                        matcher = Matcher(nlp.vocab)
                        matcher.add(f"{category.name}/{rule.id}/{field}", compiled_pattern.token_patterns)
                        self._compiled.append(
                            _Compiled(
                                category,
                                rule,
                                kind,
                                not carries_negation and "negation" not in rule.ignore_cues,
                                "hypothetical" not in rule.ignore_cues,
                                matcher,
                                self._index.required(compiled_pattern.needs),
                            )
                        )

    @classmethod
    def from_dir(cls, path: Path = RULES_DIR, nlp: Language | None = None) -> RiskScreen:
        if nlp is None:
            from bot.training.nlp import load_pipeline  # lazy: building the pipeline is start-up work

            nlp = load_pipeline()
        return cls(load_rules(path), nlp)

    @property
    def categories(self) -> tuple[RiskCategory, ...]:
        return tuple(self._categories.values())

    @property
    def age_limits(self) -> tuple[int, ...]:
        """Every rule's `max_age_days`: the ages up to which an age-dependent red flag fires."""
        return tuple(
            sorted({r.max_age_days for c in self._categories.values() for r in c.rules if r.max_age_days is not None})
        )

    def category(self, name: str) -> RiskCategory:
        return self._categories[name]

    def screen(
        self, messages: Sequence[str], age_days: int | None = None, age_in_newest: bool = False
    ) -> list[RiskHit]:
        """Hits for the newest message (last), alone and joined with the earlier ones; [] if none fire.

        The joined text only adds hits that reach into the newest message, with risk-bearing words on both
        sides of the boundary (bot/risk/joining.py): a report split over two texts ("his lips have gone" /
        "blue") fires, a red flag wholly inside an earlier text (which fired when it was new) does not fire
        again on "thanks", and two ordinary texts do not make one red flag. A rule with `max_age_days` fires
        only when the stated age (`age_days`) is at most that; when the newest message is the one that states
        the age (`age_in_newest`), its match may lie in an earlier text ("38.5 and grizzly" / "7 weeks").
        """
        if not messages or not isinstance(messages[-1], str) or not messages[-1].strip():
            return []
        texts = [m for m in messages if isinstance(m, str) and m.strip()]
        newest = texts[-1]
        best: dict[str, RiskRule] = {}
        # With history, age rules run on the joined text only: their `unless` ("jabs") must see the whole window.
        self._collect(newest, 0, best, age_days if len(texts) == 1 else None, age_in_newest)
        if len(texts) > 1:
            joined = " ".join(texts)
            self._collect(joined, len(joined) - len(newest), best, age_days, age_in_newest)
        hits = [
            RiskHit(name, self._categories[name].group, rule.id, rule.tier, rule.priority)
            for name, rule in best.items()
        ]
        return sorted(hits, key=lambda h: (h.priority, h.category))

    def _reaches_newest(
        self, compiled: _Compiled, doc: Doc, start: int, end: int, newest_from: int, age_in_newest: bool
    ) -> bool:
        """A joined-text match counts if it reaches into the newest message with risk-bearing words on both
        sides; an age rule's match may also lie wholly earlier when the newest message states the age."""
        if doc[end - 1].idx < newest_from:
            return compiled.rule.max_age_days is not None and age_in_newest
        if doc[start].idx >= newest_from:
            return True  # wholly inside the newest message: as on its own
        sides: tuple[list[str], list[str]] = ([], [])
        for token in doc[start:end]:
            if self._index.fills(token.lower_) & compiled.required:
                sides[token.idx >= newest_from].append(token.lower_)
        return risk_bearing(sides[0]) and risk_bearing(sides[1])

    def _collect(
        self, text: str, newest_from: int, best: dict[str, RiskRule], age_days: int | None, age_in_newest: bool
    ) -> None:
        doc = self._nlp(text)
        marks = self._cues.marks(doc)
        fired: list[tuple[_Compiled, int, int]] = []
        cancelled: set[tuple[str, str]] = set()
        excepted: dict[tuple[str, str], list[tuple[int, int]]] = {}
        present = self._index.present(doc)
        matches = [
            (compiled, start, end)
            for compiled in self._compiled
            if (not self._prefilter or compiled.required <= present) and _age_allows(compiled.rule, age_days)
            for _, start, end in compiled.matcher(doc)
        ]
        for compiled, start, end in matches:
            key = (compiled.category.name, compiled.rule.id)
            if compiled.kind == "except":
                excepted.setdefault(key, []).append((start, end))
                continue
            if (
                compiled.kind == "patterns"
                and newest_from
                and not self._reaches_newest(compiled, doc, start, end, newest_from, age_in_newest)
            ):
                continue
            if marks.suppresses(
                start,
                end,
                negation=compiled.check_negation,
                hypothetical=compiled.check_hypothetical,
            ):
                continue
            if compiled.kind == "unless":
                cancelled.add(key)
            else:
                fired.append((compiled, start, end))
        for compiled, start, end in fired:
            key = (compiled.category.name, compiled.rule.id)
            if key in cancelled:
                continue
            if any(s < end and start < e for s, e in excepted.get(key, ())):
                continue
            current = best.get(compiled.category.name)
            rule = compiled.rule
            if current is None or (rule.priority, rule.index) < (current.priority, current.index):
                best[compiled.category.name] = rule


def _age_allows(rule: RiskRule, age_days: int | None) -> bool:
    return rule.max_age_days is None or (age_days is not None and age_days <= rule.max_age_days)
