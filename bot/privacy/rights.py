"""The parent's side of data rights: "delete my data" (or /forget), a YES to confirm, and first contact.

Plain synchronous functions on the database; the turn pipeline calls them through bot/privacy/hooks.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import delete, select

from bot.languages.normalise import normalise
from bot.privacy.forget import forget
from bot.privacy.themes import family_id, known_family, record_consent, record_notice
from bot.storage import trackerdb
from bot.storage.db import transaction
from bot.storage.models.channels import utcnow
from bot.storage.models.themes import ForgetRequest

log = logging.getLogger(__name__)
CONFIRM_WINDOW = dt.timedelta(minutes=10)
# Whole-message requests only: "how do I delete my data from the red book app" is a question, not a request.
FORGET = re.compile(
    r"^(?:please\s+)?(?:/?forget(?:\s+me)?|(?:delete|erase|remove|forget)\s+(?:all\s+)?"
    r"(?:of\s+)?(?:my|our)\s+(?:data|details|messages|information|info|chat))(?:\s+please)?$"
)
YES = re.compile(r"^(?:yes|y|yes please|yes delete(?: it| them)?)$")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w/\s]", " ", text.lower()).split())


def is_forget_request(text: str) -> bool:
    return bool(FORGET.match(_words(text)))


def is_yes(text: str, own: tuple[str, ...] = ()) -> bool:
    """YES, or one of the family's own language's yes words (`own`, content/languages/<code>.yml yes_words)."""
    if YES.match(_words(text)):
        return True
    # As LanguageSupport reads the interpreter offer's yes: scripts' vowel signs kept, case and accents folded.
    said = normalise(text.strip(" .!"))
    return said in {normalise(word) for word in own}


def data_request(
    channel: str, sender_id: str, text: str, now: dt.datetime | None = None, yes_words: tuple[str, ...] = ()
) -> str | None:
    """ "confirm" (asked to confirm), "forgotten" (deleted), "failed" (the conversation store could not be
    reached: nothing is said to be deleted, and the parent is asked to try again), or None when this message is
    not about data rights.

    Any message other than YES (or a yes word of the family's language) cancels a pending request; so does
    waiting longer than CONFIRM_WINDOW."""
    now = now or utcnow()
    fid = family_id(channel, sender_id)
    if is_forget_request(text):
        with transaction() as s:
            s.execute(delete(ForgetRequest).where(ForgetRequest.family_id == fid))
            s.add(ForgetRequest(family_id=fid, requested_at=now))
        return "confirm"
    with transaction() as s:
        pending = s.scalar(select(ForgetRequest).where(ForgetRequest.family_id == fid))
        if pending is None:
            return None
        fresh = now - pending.requested_at <= CONFIRM_WINDOW
        s.delete(pending)
    if fresh and is_yes(text, yes_words):
        try:
            forget(channel, sender_id, now)
        except trackerdb.TrackerStoreUnavailable as err:
            log.error("delete my data failed, the family was told to try again: %s", err)  # no family id
            return "failed"
        return "forgotten"
    return None


def first_contact(channel: str, sender_id: str, now: dt.datetime | None = None) -> bool:
    """True when this family is new (no theme rows, no notice, no Rasa conversation): show the notice now.
    For a family that was shown it, their first message after it is recorded as the consent."""
    fid = family_id(channel, sender_id)
    if known_family(fid):
        record_consent(fid, "continued", now)
        return False
    if trackerdb.has_conversation(channel, sender_id):
        return False  # wrote to us before the theme log existed (or before retention): not a first contact
    record_notice(channel, fid, now)
    return True
