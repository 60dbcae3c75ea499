"""Ordinary questions in another language: what the service can do and the offer of a health visitor with an
interpreter, in the parent's language; a "yes" opens a low-priority "language support" escalation.

The parent may also choose the language ("polski", "/language pl"; "english" or "/language en" undoes it);
until then it is detected per message. The choice is kept in the conversation store beside the stated baby age
(bot/conversation/store.py), so a restart or a second server answers in it; the turn reads it back with the
family's history (Inbound.lang). The pending interpreter offer is this process's only memory: a "yes" that
reaches another server gets the offer again, which costs a message, not safety.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

from bot.answers.messages import messages
from bot.languages.catalogue import Catalogue, Language
from bot.languages.detect import ENGLISH, detect
from bot.languages.normalise import normalise
from bot.risk.matcher import RiskHit
from bot.turn.keys import conversation_key
from bot.turn.messages import Inbound, Reply

log = logging.getLogger(__name__)

LANGUAGE_COMMAND = re.compile(r"^\s*/?\s*(?:language|lang)\s+([a-z]{2})\s*$", re.IGNORECASE)
LANGUAGE_SUPPORT = "language_support"

ENGLISH_WORDS = ("english", "/language en", "language en", "/lang en")
ENGLISH_CHOSEN = "languages_english_chosen"

Opener = Callable[[Inbound, list[RiskHit], list[str]], object]
Chooser = Callable[[str, str, str | None], None]  # channel, sender, code (None: English)


def _open_language_support(inbound: Inbound, hits: list[RiskHit], words: list[str]) -> object:
    from bot.care.escalations import open_escalation  # lazy: the database is only needed on a "yes"

    return open_escalation(inbound, hits, words, layer="request", reply_kind=LANGUAGE_SUPPORT)


def _store_choice(channel: str, sender_id: str, code: str | None) -> None:
    from bot.conversation.store import choose_language  # lazy: the database only when a parent chooses

    choose_language(channel, sender_id, code)


class LanguageSupport:
    def __init__(
        self, catalogue: Catalogue, open_escalation: Opener = _open_language_support, choose: Chooser = _store_choice
    ) -> None:
        self.catalogue = catalogue
        self.open_escalation = open_escalation
        self.choose = choose
        self.offered: dict[str, str] = {}  # family -> language of the interpreter offer awaiting a yes

    def _chosen_by(self, text: str) -> Language | None:
        command = LANGUAGE_COMMAND.match(text)
        if command:
            return self.catalogue.get(command.group(1).lower())
        said = normalise(text.strip(" /.!"))
        return next((lang for lang in self.catalogue.languages.values() if said in map(normalise, lang.aliases)), None)

    def detect(self, text: str) -> str | None:
        """This message's language when it is a supported one other than English."""
        code = detect(text, self.catalogue)
        return None if code == ENGLISH else code

    async def respond(self, inbound: Inbound) -> list[Reply] | None:
        """Replies for a parent writing in (or having chosen) a supported language other than English; None
        otherwise. `inbound.lang` is the family's language as the turn read it (their choice, else detected)."""
        key = conversation_key(inbound.channel, inbound.sender_id)
        said = normalise(inbound.text.strip(" .!"))
        if said in map(normalise, ENGLISH_WORDS):
            await asyncio.to_thread(self.choose, inbound.channel, inbound.sender_id, None)
            self.offered.pop(key, None)
            text = messages().get(ENGLISH_CHOSEN, inbound.render)
            return [Reply(text=text, meta={"kind": ENGLISH_CHOSEN, "lang": None})]
        chosen = self._chosen_by(inbound.text)
        if chosen is not None:
            await asyncio.to_thread(self.choose, inbound.channel, inbound.sender_id, chosen.code)
            return self._offer(key, chosen)
        offered = self.catalogue.get(self.offered.get(key))
        if offered is not None and said in map(normalise, offered.messages.get("yes_words") or ()):
            return await self._book(key, inbound, offered)
        language = self.catalogue.get(inbound.lang or self.detect(inbound.text))
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
