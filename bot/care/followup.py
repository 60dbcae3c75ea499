"""Follow-ups while an urgent escalation is open: the emergency advice again, plainly, when the parent minimises.

After an emergency reply, parents often write back "he seems fine now", "can we just watch him at home?" or
"should I ring my mum first?". An acknowledgement ("a health visitor has your messages") then reads as
permission to wait. So while the family's risk escalation is open and no health visitor has claimed it yet
(once one has, they are the one talking: no mixed messages), such a follow-up gets the group's advice again
(copy: content/messages/safety.yml, safety_restate_*).

Hand-written patterns: the cues are a short, closed list of how people minimise, wait or defer, and the
decision must be predictable; a false "yes" costs one repeated line of advice, a false "no" the old ack.
"""

from __future__ import annotations

import re

from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage

# A phrase the follow-up must contain: the child now seems well, waiting or watching, someone to ask first,
# or doubting that the advice is needed.
WELL = (
    "fine|ok|okay|alright|better|normal|good|grand|himself|herself|settled|pink|breathing|awake|smiling|"
    "feeding|playing|asleep|sleeping|calm|calmer"
)
WHO = (
    "mum|mom|mam|mother|dad|father|partner|husband|wife|hubby|oh|nan|nana|nanna|gran|granny|grandma|grandad|"
    "sister|brother|family|friend|midwife|gp|doctor|neighbour|auntie"
)
PHRASES = (
    r"\b(?:seems?|seem(?:ed|ing)|looks?|looking|is|s|'s|now|back to|gone back to|perked up)\s+(?:\w+\s+){0,2}"
    rf"(?:{WELL})\b",
    r"\b(?:watch|monitor|keep an eye on|wait|see how|sleep it off|leave it|hold off|stay (?:at )?home)\b",
    r"\b(?:ring|call|phone|text|ask|check with|speak to|talk to|wait for)\s+(?:my|his|her|our|the)\s+"
    rf"(?:{WHO})\b",
    r"\b(?:still|really|actually)\s+(?:need|have)\s+to\b",
    r"\b(?:do|should|must)\s+(?:i|we)\s+(?:still|really|actually)\b",
    r"\b(?:is it|is this|it's|its)\s+(?:really\s+)?(?:that\s+)?(?:serious|urgent|necessary|needed|an emergency)\b",
    r"\b(?:overreact\w*|over reacting|waste (?:their|the|your) time|don'?t want to bother|no need)\b",
    r"\b(?:tomorrow|in the morning|first)\b",
)
MINIMISING = re.compile("|".join(PHRASES), re.IGNORECASE)

# The advice a group's open escalation gets again; groups not listed (a call-back request, a concern) keep
# the acknowledgement.
RESTATE_KEY = {
    ("urgent_medical", "A"): "safety_restate_999",
    ("urgent_medical", "B"): "safety_restate_111",
    ("mental_health", None): "safety_restate_mental_health",
    ("mental_health", "A"): "safety_restate_mental_health",
    ("safeguarding", None): "safety_restate_danger",
    ("safeguarding", "A"): "safety_restate_danger",
}


def minimises(text: str) -> bool:
    return bool(MINIMISING.search(text.replace("\u2019", "'")))


def restate_key(group: str, tier: str | None, status: str, text: str) -> str | None:
    """The message key to send instead of the acknowledgement, or None to acknowledge as usual."""
    if status != "open":  # claimed: the health visitor is talking with the family now
        return None
    key = RESTATE_KEY.get((group, tier))
    if key is None or not minimises(text):
        return None
    return key


def restatement(escalation_id: int, text: str) -> str | None:
    """For a follow-up already recorded on its escalation's thread: the key of the advice to send again, with
    a note on the thread so the health visitor sees the parent was told again; None to acknowledge."""
    with transaction() as s:
        esc = s.get(Escalation, escalation_id)
        if esc is None:
            return None
        key = restate_key(str(esc.group), esc.tier, str(esc.status), text)
        if key is not None:
            s.add(EscalationMessage(escalation_id=esc.id, direction="note", kind="restated", text=key))
        return key
