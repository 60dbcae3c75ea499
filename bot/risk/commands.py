"""A bare command (STOP, HELP, /start, "delete my data", YES, a language's name) is not screened by the classifier.

The classifier learns what risk sounds like from examples; a one-word command is none of its business, and
before this it was kept out of the concern tier only by training examples ("stop" sits close to "make it stop").
The words come from content: content/commands.yml (the channels' keywords), the data-rights request
(bot/privacy/rights.py), each language's names and yes words (content/languages/<code>.yml) and the language
choice commands ("/language pl", "english": bot/languages/choice.py). The matcher
still runs first on every message, so a command can never hide a red flag told in the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot import paths

COMMANDS_FILE = paths.CONTENT / "commands.yml"
_KEYWORD = re.compile(r"^\s*/?([^\W\d_]+)(?:@\w+)?[\s.!]*$")  # one word, as the SMS channel reads a keyword
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Commands:
    sms: dict[str, frozenset[str]]  # opt_out, opt_in, help: upper-case keywords
    telegram: frozenset[str]  # "/start", lower case
    language_words: frozenset[str]  # names and yes words of every language, normalised

    @property
    def keywords(self) -> frozenset[str]:
        return frozenset().union(*self.sms.values())


def load_commands(path: Path = COMMANDS_FILE, languages: Path | None = None) -> Commands:
    from bot.languages.catalogue import LANGUAGES_DIR, load_catalogue
    from bot.languages.choice import ENGLISH_WORDS
    from bot.languages.normalise import normalise

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sms = {kind: frozenset(_word(w) for w in words) for kind, words in (raw.get("sms") or {}).items()}
    telegram = frozenset(str(w).lower() for w in raw.get("telegram") or ())
    words: set[str] = {normalise(w) for w in ENGLISH_WORDS}
    for language in load_catalogue(languages or LANGUAGES_DIR).languages.values():
        said = [*language.aliases, language.name, language.native, *(language.messages.get("yes_words") or ())]
        words |= {normalise(_SPACES.sub(" ", str(w).strip())) for w in said if str(w).strip()}
    return Commands(sms, telegram, frozenset(words))


def _word(word: object) -> str:
    if not isinstance(word, str):  # YAML 1.1 reads a bare YES or ON as a boolean: the file must quote them
        raise ValueError(f"{COMMANDS_FILE.name}: {word!r} is not a quoted word")
    return word.upper()


@lru_cache(maxsize=1)
def commands() -> Commands:
    return load_commands()


def is_bare_command(text: str, found: Commands | None = None) -> bool:
    """Whether the whole message is one of the service's commands, and nothing else."""
    from bot.languages.choice import LANGUAGE_COMMAND
    from bot.languages.normalise import normalise
    from bot.privacy.rights import is_forget_request, is_yes

    found = found or commands()
    said = text.strip()
    if not said:
        return False
    keyword = _KEYWORD.match(said)
    if keyword and (keyword.group(1).upper() in found.keywords or said.split("@")[0].lower() in found.telegram):
        return True
    if is_forget_request(said) or is_yes(said) or LANGUAGE_COMMAND.match(said):
        return True
    return normalise(_SPACES.sub(" ", said.strip(" .!?"))) in found.language_words
