"""Ordinary questions in another language: what the service can do and the offer of a health visitor with an
interpreter, in the parent's language; a "yes" opens a low-priority "language support" escalation.

The parent may also choose the language ("polski", "/language pl"; "english" or "/language en" undoes it);
until then it is detected per message. The choice is kept in the conversation store beside the stated baby age
(bot/conversation/store.py), so a restart or a second server answers in it; the turn reads it back with the
family's history (Inbound.lang). The interpreter offer awaiting a "yes" is kept there too and read with the
history (Inbound.offered), so a "yes" reaching a restarted or second server is understood; any other message
withdraws it, so a later "yes" to something else does not book an interpreter.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.answers.messages import messages
from bot.languages.catalogue import Catalogue, Language
from bot.languages.choice import ENGLISH_WORDS, LANGUAGE_COMMAND
from bot.languages.detect import ENGLISH, detect
from bot.languages.normalise import normalise
from bot.risk.matcher import RiskHit
from bot.turn.messages import Inbound, Reply

log = logging.getLogger(__name__)

LANGUAGE_SUPPORT = "language_support"
ORDINARY = "question"  # meta of an offer answering an ordinary question (not a language choice)

ENGLISH_CHOSEN = "languages_english_chosen"

Opener = Callable[[Inbound, list[RiskHit], list[str]], object]
Chooser = Callable[[str, str, str | None], None]  # channel, sender, code (None: English)
Offerer = Callable[[str, str, str | None], None]  # channel, sender, code of the offer (None: withdrawn)


def _open_language_support(inbound: Inbound, hits: list[RiskHit], words: list[str]) -> object:
    from bot.care.escalations import open_escalation  # lazy: the database is only needed on a "yes"

    return open_escalation(inbound, hits, words, layer="request", reply_kind=LANGUAGE_SUPPORT)


def _store_choice(channel: str, sender_id: str, code: str | None) -> None:
    from bot.conversation.store import choose_language  # lazy: the database only when a parent chooses

    choose_language(channel, sender_id, code)


def _store_offer(channel: str, sender_id: str, code: str | None) -> None:
    from bot.conversation.store import offer_interpreter  # lazy: the database only when an offer changes

    offer_interpreter(channel, sender_id, code)


class LanguageSupport:
    def __init__(
        self,
        catalogue: Catalogue,
        open_escalation: Opener = _open_language_support,
        choose: Chooser = _store_choice,
        offer: Offerer = _store_offer,
    ) -> None:
        self.catalogue = catalogue
        self.open_escalation = open_escalation
        self.choose = choose
        self.offer = offer

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

    def with_answer(self, offer: list[Reply], answer: list[Reply]) -> list[Reply]:
        from bot.languages.confident import with_answer

        return with_answer(self.catalogue, offer, answer)

    async def respond(self, inbound: Inbound) -> list[Reply] | None:
        """Replies for a parent writing in (or having chosen) a supported language other than English; None
        otherwise. `inbound.lang` is the family's language as the turn read it (their choice, else detected): not
        detected again here."""
        said = normalise(inbound.text.strip(" .!"))
        if said in map(normalise, ENGLISH_WORDS):
            await asyncio.to_thread(self.choose, inbound.channel, inbound.sender_id, None)
            await self._keep_offer(inbound, None)
            text = messages().get(ENGLISH_CHOSEN, inbound.render)
            return [Reply(text=text, meta={"kind": ENGLISH_CHOSEN, "lang": None})]
        chosen = self._chosen_by(inbound.text)
        if chosen is not None:
            await asyncio.to_thread(self.choose, inbound.channel, inbound.sender_id, chosen.code)
            return await self._offer(inbound, chosen)
        offered = self.catalogue.get(inbound.offered)  # from the store, read with the history by the turn
        if offered is not None and said in map(normalise, offered.messages.get("yes_words") or ()):
            return await self._book(inbound, offered)
        language = self.catalogue.get(inbound.lang)  # detected once, by the turn
        if language is None or language.code == ENGLISH:
            await self._keep_offer(inbound, None)
            return None
        offer = await self._offer(inbound, language)
        if offer is None:
            return None
        # An ordinary question: the turn asks the answer model too, and adds its answer when it is sure.
        return [Reply(offer[0].text, offer[0].buttons, {**offer[0].meta, ORDINARY: True})]

    async def _keep_offer(self, inbound: Inbound, code: str | None) -> None:
        if code == inbound.offered:  # nothing to write: most English messages have no offer pending
            return
        try:
            await asyncio.to_thread(self.offer, inbound.channel, inbound.sender_id, code)
        except Exception:
            # The reply still goes out; a lost offer costs the family the offer again, a stale one is withdrawn
            # by their next message.
            log.exception("interpreter offer not stored")

    async def _offer(self, inbound: Inbound, language: Language) -> list[Reply] | None:
        text = language.messages.get("ordinary")
        if not isinstance(text, str):
            return None
        await self._keep_offer(inbound, language.code)
        return [Reply(text=text, meta={"kind": LANGUAGE_SUPPORT, "lang": language.code})]

    async def _book(self, inbound: Inbound, language: Language) -> list[Reply]:
        hit = RiskHit("callback", "callback", LANGUAGE_SUPPORT, None, 9, language.code)
        await asyncio.to_thread(self.open_escalation, inbound, [hit], [inbound.text])
        # After the escalation is open: if it failed, the offer stands and the family can say yes again.
        await self._keep_offer(inbound, None)
        text = str(language.messages.get("interpreter_booked") or "")
        return [Reply(text=text, meta={"kind": "language_support_booked", "lang": language.code})]
