"""Ordinary questions in another language: what the service can do and the offer of a health visitor with an
interpreter, in the parent's language; a "yes" opens a low-priority "language support" escalation.

The parent may also choose the language ("polski", "/language pl"); until then it is detected per message. The
choice is kept per family in this process (the turn's own memory, like its message history).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

from bot.languages.catalogue import Catalogue, Language
from bot.languages.detect import ENGLISH, detect
from bot.languages.normalise import normalise
from bot.risk.matcher import RiskHit
from bot.turn.messages import Inbound, Reply

log = logging.getLogger(__name__)

LANGUAGE_COMMAND = re.compile(r"^\s*/?\s*(?:language|lang)\s+([a-z]{2})\s*$", re.IGNORECASE)
LANGUAGE_SUPPORT = "language_support"

Opener = Callable[[Inbound, list[RiskHit], list[str]], object]


def _open_language_support(inbound: Inbound, hits: list[RiskHit], words: list[str]) -> object:
    from bot.care.escalations import open_escalation  # lazy: the database is only needed on a "yes"

    return open_escalation(inbound, hits, words, layer="request", reply_kind=LANGUAGE_SUPPORT)


class LanguageSupport:
    def __init__(self, catalogue: Catalogue, open_escalation: Opener = _open_language_support) -> None:
        self.catalogue = catalogue
        self.open_escalation = open_escalation
        self.chosen: dict[str, str] = {}  # family -> language the parent asked for
        self.offered: dict[str, str] = {}  # family -> language of the interpreter offer awaiting a yes

    def _chosen_by(self, text: str) -> Language | None:
        command = LANGUAGE_COMMAND.match(text)
        if command:
            return self.catalogue.get(command.group(1).lower())
        said = normalise(text.strip(" /.!"))
        return next((lang for lang in self.catalogue.languages.values() if said in map(normalise, lang.aliases)), None)

    def language_of(self, key: str, text: str) -> str:
        return self.chosen.get(key) or detect(text, self.catalogue)

    async def respond(self, inbound: Inbound) -> list[Reply] | None:
        """Replies for a parent writing in a supported language other than English; None otherwise."""
        key = f"{inbound.channel}:{inbound.sender_id}"
        chosen = self._chosen_by(inbound.text)
        if chosen is not None:
            self.chosen[key] = chosen.code
            return self._offer(key, chosen)
        offered = self.catalogue.get(self.offered.get(key))
        said = normalise(inbound.text.strip(" .!"))
        if offered is not None and said in map(normalise, offered.messages.get("yes_words") or ()):
            return await self._book(key, inbound, offered)
        language = self.catalogue.get(self.language_of(key, inbound.text))
        if language is None or language.code == ENGLISH:
            self.offered.pop(key, None)
            return None
        return self._offer(key, language)

    def _offer(self, key: str, language: Language) -> list[Reply] | None:
        text = language.messages.get("ordinary")
        if not isinstance(text, str):
            return None
        self.offered[key] = language.code
        return [Reply(text=text, meta={"kind": LANGUAGE_SUPPORT, "lang": language.code})]

    async def _book(self, key: str, inbound: Inbound, language: Language) -> list[Reply]:
        self.offered.pop(key, None)
        hit = RiskHit("callback", "callback", LANGUAGE_SUPPORT, None, 9, language.code)
        await asyncio.to_thread(self.open_escalation, inbound, [hit], [inbound.text])
        text = str(language.messages.get("interpreter_booked") or "")
        return [Reply(text=text, meta={"kind": "language_support_booked", "lang": language.code})]
