"""When a rule fires only on the family's messages joined together, both parts must be risk-bearing.

The screen joins the newest message to the two before it so a report split over texts is caught ("his lips
have gone" / "blue"). Joining can also manufacture a red flag out of two ordinary texts: "are sleep pods safe?"
then "what about at night?" reads as "pods ... at night", a disclosed high-risk sleep. So a match that crosses
from an earlier message into the newest one counts only if, on each side of the boundary, a word the rule
itself needs is a risk-bearing word, not one of the everyday words below (time of day, sleep and feeding,
places, people, small words), which rules use only as context for a risk word.

A hand-written list: it is short, closed and reviewable by the clinical lead; a learned one would change with
every retraining and could not be read.
"""

from __future__ import annotations

from collections.abc import Iterable

_EVERYDAY_WORDS = """
    night nights overnight tonight day days today daytime morning mornings evening evenings afternoon time times
    week weeks wk wks month months hour hours hrs minute minutes now again always every all up
    sleep sleeps sleeping slept asleep nap naps napping bed beds bedtime cot cots crib moses basket bassinet
    cotbed feed feeds feeding fed bottle bottles milk eat eating drink drinking
    baby babies he she him her his they them it i we me my our you
    put use using used get have has had keep go going gone is are was were be do does
    a an the at in on of for to with from about what when how and or so but then ok okay
"""
EVERYDAY = frozenset(_EVERYDAY_WORDS.split())


def risk_bearing(words: Iterable[str]) -> bool:
    """Whether any of the words (a rule's words on one side of a message boundary) carries risk itself."""
    return any(word.lower() not in EVERYDAY for word in words)


def age_completes(newest_age_days: int | None, age_limits: Iterable[int]) -> bool:
    """Whether the newest message states an age that completes an age-dependent red flag told earlier.

    "38.5 and grizzly" then "she's 7 weeks": the second text adds no risk word, yet it is what makes the first a
    red flag (a fever under 3 months; jaundice in the first days). Such a text counts as adding to the joined
    history when the age it states is within a rule's `max_age_days` (content/risk/*.yml), so the classifier's
    joined-text score is kept for it as for a newest message that adds risk words.
    """
    return newest_age_days is not None and any(newest_age_days <= limit for limit in age_limits)
