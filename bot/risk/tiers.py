"""The reply tiers a risk hit can carry: the emergency route, or the concern tier below it.

Emergency tiers (A: 999/A&E/crisis now, B: 111 today, and the crisis lines) hand the conversation to a health
visitor at once. The concern tier (distress or possible risk below the emergency threshold) replies with the
group's helplines, records a low-priority escalation, and the assistant keeps answering until a health visitor
claims it.
"""

from __future__ import annotations

EMERGENCY = "emergency"
CONCERN = "concern"
# Inbox order: after every emergency tier (A is 1, B is 3; content/risk/*.yml), before a request for a call back (9).
CONCERN_PRIORITY = 8


def reply_kind(tier: str | None) -> str:
    """EMERGENCY or CONCERN for a hit's tier (None is an emergency category without a tier, e.g. a crisis)."""
    return CONCERN if tier == CONCERN else EMERGENCY


CONCERN_KEY_PREFIX = "concern_"


def concern_key(group: str) -> str:
    """The concern tier's category name and its reply's key in content/messages/concern.yml."""
    return CONCERN_KEY_PREFIX + group


def is_concern(category: str) -> bool:
    return category.startswith(CONCERN_KEY_PREFIX)
