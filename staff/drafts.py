"""A health visitor's reply before it goes: its SMS length (the same count as bot/answers/gsm.py, also computed
live by staff/static/reply.js from the same character sets), and the reasons to hold it back: too long for
the SMS sender (which cuts after 3 segments), or naming a third party to a family flagged for safeguarding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from bot.answers.gsm import GSM7_BASIC, GSM7_EXTENDED, PLAIN_LOOKALIKES, sms_cost, to_gsm
from bot.answers.messages import messages
from bot.answers.replies import templates
from bot.care import third_party
from bot.storage.models.escalation import Escalation

SMS = "sms"
MAX_SEGMENTS = 3  # channels/render/reply.py MAX_SMS_SEGMENTS: the sender cuts the rest
SAFEGUARDING = "safeguarding"
CONFIRMED = "third_party"  # the confirm button's value


@dataclass(frozen=True)
class SmsCount:
    words: str  # "2 of 3 texts (161 characters)"
    special: str  # which characters make it UCS-2, or ""
    encoding: str
    segments: int

    @property
    def over(self) -> bool:
        return self.segments > MAX_SEGMENTS


@dataclass(frozen=True)
class Draft:
    text: str = ""
    template: str = ""
    error: str = ""  # refused: must be changed before it can go
    third_party: tuple[str, ...] = ()  # named to a safeguarding family: sent only once confirmed


def sms_count(text: str) -> SmsCount:
    cost = sms_cost(to_gsm(normalise(text)))  # what the SMS sender will send (look-alikes mapped)
    t = messages().get
    special = t("inbox_sms_special", chars=" ".join(cost.non_gsm)) if cost.non_gsm else ""
    words = t("inbox_sms_count", segments=cost.segments, units=cost.units)
    return SmsCount(words, special, cost.encoding, cost.segments)


def script_data() -> dict[str, str]:
    """The character sets and copy the page's script counts with: one source, so the two counts agree."""
    t = messages().get
    return {
        "basic": "".join(sorted(GSM7_BASIC)),
        "extended": "".join(sorted(GSM7_EXTENDED)),
        "lookalikes": json.dumps(PLAIN_LOOKALIKES),
        "count": t("inbox_sms_count"),
        "special": t("inbox_sms_special"),
    }


def normalise(text: str) -> str:
    # A textarea posts its line breaks as CRLF; the script and the parent's phone see one character.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def from_template(template_id: str) -> Draft:
    found = templates().get(template_id) if template_id else None
    return Draft(found.text, found.id) if found else Draft()


def hold(e: Escalation, form: Mapping[str, object]) -> Draft | None:
    """Why this reply must not go yet (the page shows it again with the reason), or None to send it."""
    text = normalise(str(form.get("text") or ""))
    if form.get("check"):
        return Draft(text)  # the "count texts" button: the length, counted here, without script
    if e.channel == SMS and sms_count(text).over:
        return Draft(text, error=messages().get("inbox_sms_over"))
    if e.group == SAFEGUARDING and form.get("confirm") != CONFIRMED:
        named = third_party.named(text)
        if named:
            return Draft(text, third_party=named)
    return None
