"""One parent message, start to finish, the same on every channel.

Order matters for safety: the deterministic risk screen runs first, before Rasa is asked anything, so the
emergency route is in the first reply even if the model, the action server or the database fails. Only then
does Rasa choose an answer. Anything that goes wrong after that gets the safe default (999 and 111), never
silence.

    history.remember(inbound)                           the family's recent messages and stated age (database)
    screen.check(text, context) -> escalations.open(...) a risk: the route first, then the escalation
    rights.request(inbound)                             "delete my data" and its YES, answered by us
    handoffs.route(inbound)                             a health visitor holds the conversation
    assistant.respond(...)                              Rasa answers
    themes.record(inbound, replies)                     the theme log, never blocking the reply
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace

from bot.languages.detect import ENGLISH
from bot.risk.matcher import RiskHit
from bot.risk.tiers import CONCERN
from bot.turn.messages import ANSWER_ONLY, NO_CONTEXT, Inbound, Reply, ScreenContext
from bot.turn.ports import (
    Assistant,
    DataRights,
    Escalations,
    Handoffs,
    History,
    LanguageHelp,
    RiskScreen,
    ThemeLog,
)

log = logging.getLogger(__name__)

# The history read must not hold up the emergency route: past this, the message is screened on its own.
HISTORY_TIMEOUT_S = 2.0
# The screen reads the whole message; only the model's copy is cut (Rasa's featurisers slow down on long
# texts, and a 1,600-character start is more than any answer needs to be chosen).
MODEL_INPUT_CHARS = 1600
OPTION = re.compile(r"^\s*([1-9])\s*[.)]?\s*$")
# A "/" opening the message or any of its lines, after any spaces or blank lines: Rasa would read it as an
# intent to inject ("/risk__x", "/greet"), and a client may send the text unstripped ("hi\n/risk__x").
LEADING_SLASHES = re.compile(r"^[\s/]+")
# Last resort only, when even the risk content cannot be read: the one sentence that must never be missing.
LAST_RESORT = "If this is an emergency call 999. For urgent advice call NHS 111."


def without_intent_syntax(text: str) -> str:
    """The parent's words with no line starting with "/" (spaces and blank lines before it included)."""
    return "\n".join(LEADING_SLASHES.sub("", line) for line in text.splitlines()).strip()


class TurnPipeline:
    """Shared by every input channel; holds no state of its own (the history is the database's, so a restart
    or a second server screens the same). Collaborators left out (None) are skipped: tests build the turn
    with only what they exercise."""

    def __init__(
        self,
        screen: RiskScreen,
        escalations: Escalations | None = None,
        handoffs: Handoffs | None = None,
        rights: DataRights | None = None,
        themes: ThemeLog | None = None,
        timeout_s: float = 10.0,
        history: History | None = None,
        languages: LanguageHelp | None = None,
    ) -> None:
        self.screen = screen
        self.escalations = escalations
        self.handoffs = handoffs
        self.rights = rights
        self.themes = themes
        self.timeout_s = timeout_s
        self.history = history
        self.languages = languages

    async def context(self, inbound: Inbound) -> ScreenContext:
        if self.history is None:
            return NO_CONTEXT
        try:
            return await asyncio.wait_for(self.history.remember(inbound), timeout=HISTORY_TIMEOUT_S)
        except Exception as err:
            # Screening the message alone beats waiting or failing: its own words still get the route.
            log.error("history unavailable (%s); screening the message alone", type(err).__name__)
            return NO_CONTEXT

    def with_language(self, text: str, context: ScreenContext) -> ScreenContext:
        """The context with this message's language, detected here once for the turn and the screen (a chosen
        language needs no detection)."""
        if self.languages is None or context.language:
            return context
        try:
            return replace(context, detected=self.languages.detect(text) or ENGLISH)
        except Exception:  # English copy beats no reply; the screen still tries its own lists
            log.exception("language detection failed; replying in English")
            return context

    def safe_default(self, render: str) -> Reply:
        try:
            text = self.screen.reply("safe_default", render)
        except Exception:  # the content itself is unreadable: still never send nothing
            log.exception("safe default reply unavailable; sending the last-resort line")
            text = LAST_RESORT
        return Reply(text=text, meta={"kind": "safe_default"})

    async def handle(self, inbound: Inbound, assistant: Assistant) -> list[Reply]:
        replies, log_it = await self.decide(inbound, assistant)
        if self.handoffs is not None:
            try:
                await self.handoffs.record_sent(inbound, replies)
            except Exception as err:
                # The family still gets the replies; only the inbox's copy of them is missing.
                log.error("replies not recorded on the escalation (%s)", type(err).__name__)
        if log_it and self.themes is not None:
            try:
                await self.themes.record(inbound, replies)
            except Exception as err:
                # The parent's reply never depends on the theme log. Only the error's type is logged: a
                # database error's message would quote the row, and the row is about a parent.
                log.error("theme log not recorded (%s)", type(err).__name__)
        return replies

    async def notice(self, inbound: Inbound) -> list[Reply]:
        if self.rights is None:
            return []
        try:
            return await self.rights.notice(inbound)
        except Exception as err:
            log.error("first-contact check failed (%s); answering without the notice", type(err).__name__)
            return []

    async def decide(self, inbound: Inbound, assistant: Assistant) -> tuple[list[Reply], bool]:
        """The replies, and whether the message belongs in the theme log (data-rights turns do not)."""
        context = self.with_language(inbound.text, await self.context(inbound))
        own = context.detected if context.detected != ENGLISH else None
        inbound = replace(inbound, lang=context.language or own, offered=context.offered)
        history = [*context.previous, inbound.text]
        try:
            hits = self.screen.check(inbound.text, context)
        except Exception:
            log.exception("risk screen failed; answering with the safe default")
            return [self.safe_default(inbound.render)], True
        if hits:
            concern_only = all(h.tier == CONCERN for h in hits)
            if concern_only:
                # A family already handed to a health visitor (after an emergency) has had the numbers: a concern
                # reply would repeat them; the handoff acknowledges, or restates the emergency advice.
                held = await self.held(inbound)
                if held is not None:
                    return held, True
            # The emergency route first, always; a new family's notice only after it.
            replies = await self.on_risk(inbound, hits, history)
            if concern_only:
                # The concern tier does not take the conversation away: the family's question is answered too
                # (from content: the handoff was asked above).
                return replies + await self.notice(inbound) + await self.from_content(inbound, assistant), True
            return replies + await self.notice(inbound), True
        if self.rights is not None:
            # After the screen, before Rasa and the handoff: the parent's request is answered by us, not by
            # the model, and a "YES" confirming it must not reach Rasa as an answer to something else.
            try:
                rights_replies = await self.rights.request(inbound)
            except Exception:
                log.exception("data-rights request failed; answering with Rasa")
                rights_replies = None
            if rights_replies is not None:
                return rights_replies, False
        notice = await self.notice(inbound)
        return notice + await self.answer(inbound, assistant), True

    async def held(self, inbound: Inbound) -> list[Reply] | None:
        """The handoff's replies when a health visitor holds this family's conversation, else None."""
        if self.handoffs is None:
            return None
        try:
            return await self.handoffs.route(inbound)
        except Exception:
            # The store is down: answering from content (with 999/111 in reach) beats silence.
            log.exception("handoff check failed; answering with Rasa")
            return None

    async def answer(self, inbound: Inbound, assistant: Assistant) -> list[Reply]:
        # After the screen (a risk hit during a handoff still gets the emergency route), before Rasa: a family a
        # health visitor has taken over talks to that person, not the bot.
        handed_over = await self.held(inbound)
        if handed_over is not None:
            return handed_over
        return await self.from_content(inbound, assistant)

    async def from_content(self, inbound: Inbound, assistant: Assistant) -> list[Reply]:
        """The answer from our content: in the parent's language when it is not English, else from Rasa."""
        if self.languages is not None:
            # A parent writing in another language: the offer of an interpreter, in that language.
            try:
                own_language = await self.languages.respond(inbound)
            except Exception:
                log.exception("language support failed; answering with Rasa")
                own_language = None
            if own_language is not None:
                if not own_language[0].meta.get("question"):
                    return own_language
                # An ordinary question: the model's answer too, when it is sure of it (bot/languages/confident.py).
                # Answer only: the model must not book a call back for a question it misread (escalate.py).
                return self.languages.with_answer(own_language, await self.ask(inbound, assistant, answer_only=True))
        return await self.ask(inbound, assistant)

    async def ask(self, inbound: Inbound, assistant: Assistant, answer_only: bool = False) -> list[Reply]:
        """Rasa's answer to the parent's message; the safe default if it fails or says nothing."""
        # A parent's "/..." would be read by Rasa as an intent ("/risk__x", "/greet"): strip it, so only the
        # pipeline itself can address intents (the numbered choice below).
        text = without_intent_syntax(inbound.text)[:MODEL_INPUT_CHARS]
        choice = OPTION.match(text)
        if choice:
            # A bare number answers our numbered options: decided here, not guessed by the model.
            text = '/choose_option{"option_number": ' + choice.group(1) + "}"
        # The family's language too: the answer action serves an answer's translation into it when there is one.
        metadata = {**inbound.metadata, "render": inbound.render, **({"lang": inbound.lang} if inbound.lang else {})}
        if answer_only:
            metadata[ANSWER_ONLY] = True
        try:
            replies = await asyncio.wait_for(
                assistant.respond(inbound.channel, inbound.sender_id, text, metadata), timeout=self.timeout_s
            )
        except Exception:
            log.exception("turn failed in Rasa; answering with the safe default")
            return [self.safe_default(inbound.render)]
        return replies or [self.safe_default(inbound.render)]

    async def on_risk(self, inbound: Inbound, hits: list[RiskHit], history: list[str]) -> list[Reply]:
        top = hits[0]
        # A hit from a language's word list carries the language: the route goes out in it and in English.
        # Else the family's chosen language: an English-list hit still gets their language, then English.
        lang = next((h.lang for h in hits if h.lang), None) or inbound.lang
        text = (
            self.screen.reply(top.category, inbound.render, lang)
            if lang
            else self.screen.reply(top.category, inbound.render)
        )
        reply = Reply(
            text=text,
            meta={
                "kind": "risk",
                "categories": [h.category for h in hits],
                "rules": [h.rule for h in hits],
                "group": top.group,
                "layer": "classifier" if top.rule == "classifier" else "matcher",
                "tier": top.tier,
                "lang": lang,
            },
        )
        replies = [reply]
        if self.escalations is not None:
            try:
                replies.extend(await self.escalations.open(inbound, hits, history))
            except Exception:
                # The parent already has the route; the escalation error must not take that away.
                log.exception("escalation failed to record")
        return replies
