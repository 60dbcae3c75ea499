"""Ordinary questions in another language: the interpreter offer in that language; "yes" books one."""

from __future__ import annotations

import asyncio

from bot.languages.catalogue import load_catalogue
from bot.languages.support import LanguageSupport
from bot.risk.matcher import RiskHit
from bot.turn.messages import Inbound


def _inbound(text: str, lang: str | None = None, offered: str | None = None) -> Inbound:
    # `lang` as the turn detected it (bot/turn/pipeline.py): LanguageSupport does not detect again; `offered`
    # as the turn read it from the store.
    return Inbound(channel="sms", sender_id="+447700900126", text=text, render="sms", lang=lang, offered=offered)


def test_a_punjabi_question_gets_the_offer_in_punjabi_and_yes_opens_language_support() -> None:
    opened: list[tuple[str, list[RiskHit]]] = []
    offers: list[tuple[str, str, str | None]] = []
    support = LanguageSupport(
        load_catalogue(),
        lambda inbound, hits, words: opened.append((inbound.text, hits)),
        offer=lambda *offer: offers.append(offer),
    )
    replies = asyncio.run(support.respond(_inbound("ਬੱਚੇ ਦੇ ਦੰਦ ਕਦੋਂ ਸਾਫ਼ ਕਰਨੇ ਸ਼ੁਰੂ ਕਰੀਏ?", "pa")))
    assert replies is not None and replies[0].meta == {"kind": "language_support", "lang": "pa", "question": True}
    assert replies[0].text.startswith("ਸਤ ਸ੍ਰੀ ਅਕਾਲ! ਅਸੀਂ ਦੁੱਧ ਚੁੰਘਾਉਣ")
    assert "999" in replies[0].text
    booked = asyncio.run(support.respond(_inbound("ਹਾਂ ਜੀ", "pa", offered="pa")))
    assert booked is not None and booked[0].meta == {"kind": "language_support_booked", "lang": "pa"}
    assert opened == [("ਹਾਂ ਜੀ", [RiskHit("callback", "callback", "language_support", None, 9, "pa")])]
    assert offers == [("sms", "+447700900126", "pa"), ("sms", "+447700900126", None)]  # made, then taken


def test_a_yes_with_no_offer_pending_books_nothing_and_another_message_withdraws_the_offer() -> None:
    opened: list[object] = []
    offers: list[tuple[str, str, str | None]] = []
    support = LanguageSupport(load_catalogue(), lambda *args: opened.append(args), offer=lambda *o: offers.append(o))
    assert asyncio.run(support.respond(_inbound("yes"))) is None
    assert asyncio.run(support.respond(_inbound("how do i sterilise bottles", offered="pa"))) is None
    assert (opened, offers) == ([], [("sms", "+447700900126", None)])


def test_english_goes_to_the_assistant_and_a_parent_can_choose_polish() -> None:
    stored: list[tuple[str, str, str | None]] = []
    support = LanguageSupport(
        load_catalogue(), lambda *args: None, lambda *choice: stored.append(choice), offer=lambda *offer: None
    )
    assert asyncio.run(support.respond(_inbound("how do i sterilise bottles"))) is None
    chosen = asyncio.run(support.respond(_inbound("polski")))
    assert chosen is not None and chosen[0].meta["lang"] == "pl"
    again = asyncio.run(support.respond(_inbound("/language ro")))
    assert again is not None and again[0].meta["lang"] == "ro"
    back = asyncio.run(support.respond(_inbound("English")))
    assert back is not None and back[0].meta == {"kind": "languages_english_chosen", "lang": None}
    assert stored == [("sms", "+447700900126", "pl"), ("sms", "+447700900126", "ro"), ("sms", "+447700900126", None)]


def test_the_familys_language_from_the_turn_wins_over_detection() -> None:
    support = LanguageSupport(load_catalogue(), lambda *args: None, lambda *choice: None, lambda *offer: None)
    inbound = Inbound("sms", "+447700900126", "how do i sterilise bottles", "sms", lang="ro")
    replies = asyncio.run(support.respond(inbound))
    assert replies is not None and replies[0].meta == {"kind": "language_support", "lang": "ro", "question": True}
