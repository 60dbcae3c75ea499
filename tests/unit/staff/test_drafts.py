"""staff/drafts.py: the SMS count under the reply box (bot/answers/gsm.py's) and the holds before a reply goes."""

from __future__ import annotations

from bot.storage.models.escalation import Escalation
from staff import drafts


def family(channel: str = "sms", group: str = "safeguarding") -> Escalation:
    return Escalation(channel=channel, sender_id="+447700900123", group=group, category="child_at_risk")


def test_the_count_is_gsm7_160_a_text_then_153() -> None:
    assert drafts.sms_count("a" * 160).words == "1 of 3 texts (160 characters)"
    assert drafts.sms_count("a" * 161).words == "2 of 3 texts (161 characters)"
    assert drafts.sms_count("a" * 459).words == "3 of 3 texts (459 characters)"
    assert drafts.sms_count("a" * 460).over and drafts.sms_count("a" * 460).segments == 4
    assert drafts.sms_count("[]").words == "1 of 3 texts (4 characters)"  # extended characters cost two
    assert drafts.sms_count("").words == "0 of 3 texts (0 characters)"


def test_one_emoji_makes_it_ucs2_and_a_curly_quote_does_not() -> None:
    emoji = drafts.sms_count("a" * 69 + "\U0001f600")
    assert (emoji.encoding, emoji.words) == ("UCS-2", "2 of 3 texts (71 characters)")
    assert emoji.special == "\U0001f600 makes each text hold 70 characters instead of 160."
    curly = drafts.sms_count("I\u2019ll ring you")  # mapped to ' by the sender, as on the page
    assert (curly.encoding, curly.special) == ("GSM-7", "")
    assert drafts.sms_count("a\r\nb").words == "1 of 3 texts (3 characters)"  # a textarea's CRLF is one break


def test_a_third_party_to_a_safeguarding_family_is_held_until_confirmed() -> None:
    text = "Is your partner at home?"
    held = drafts.hold(family(), {"text": text})
    assert held is not None and held.third_party == ("your partner",) and held.text == text and held.error == ""
    assert drafts.hold(family(), {"text": text, "confirm": "third_party"}) is None
    assert drafts.hold(family(group="urgent_medical"), {"text": text}) is None
    assert drafts.hold(family(), {"text": "Is it safe for me to ring you now?"}) is None


def test_an_sms_reply_the_sender_would_cut_is_refused_and_a_count_request_is_held() -> None:
    held = drafts.hold(family(group="urgent_medical"), {"text": "a" * 460})
    assert held is not None and held.error.startswith("Too long for a text message.")
    assert drafts.hold(family("telegram", "urgent_medical"), {"text": "a" * 460}) is None
    counted = drafts.hold(family(group="urgent_medical"), {"text": "hello", "check": "1"})
    assert counted == drafts.Draft("hello")
