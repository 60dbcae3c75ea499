"""A synthetic month of traffic (seeded, so every run is the same), written through the real tables.

Used by the report tests: the report's numbers are checked against direct counts on what this wrote.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bot.privacy.scrub import scrub
from bot.privacy.themes import family_id, theme_row
from bot.storage.db import transaction
from bot.storage.models.channels import OptOut
from bot.storage.models.escalation import Escalation

START = dt.date(2026, 3, 2)  # a Monday
DAYS = 30
ANSWERS = {
    "breastfeeding": ["breastfeeding/how_often", "breastfeeding/enough_milk", "breastfeeding/mastitis"],
    "safe_sleep": ["safe_sleep/room_temperature", "safe_sleep/back_to_sleep"],
    "immunisations": ["immunisations/schedule", "immunisations/mmr"],
    "oral_health": ["oral_health/first_brush"],
}
UNANSWERED = [
    "how do I start weaning onto solids",
    "weaning at 4 months ok?",
    "best first foods for weaning",
    "is teething gel safe",
    "teething and nappy rash",
    "my name is Sarah Jones call 07700 900123",
    "potty training at 2",
    "when to start potty training",
    "can I fly with a newborn",
]
CATEGORIES = ["urgent_medical_a", "mental_health", "callback"]


@dataclass(frozen=True)
class Month:
    start: dt.date
    end: dt.date
    families: int
    messages: int


def generate(seed: int = 7, families: int = 60, escalations: bool = True) -> Month:
    """`escalations=False` on a shared database: open synthetic escalations would fill the inbox's list."""
    rng = random.Random(seed)
    channels = ["sms", "telegram", "webchat"]
    n = 0
    with transaction() as s:
        for f in range(families):
            channel = rng.choice(channels)
            sender = f"+4477009{f:05d}" if channel == "sms" else str(100000 + f)
            fid = family_id(channel, sender)
            for _ in range(rng.randint(1, 12)):
                at = dt.datetime.combine(START, dt.time()) + dt.timedelta(seconds=rng.randrange(DAYS * 86400))
                roll = rng.random()
                if roll < 0.6:
                    topic = rng.choice(sorted(ANSWERS))
                    meta = {
                        "kind": "answer",
                        "answer_id": rng.choice(ANSWERS[topic]),
                        "topic": topic,
                        "version": "v1",
                        "confidence": round(rng.uniform(0.5, 1), 3),
                    }
                    s.add(theme_row(channel, fid, "", [meta], at))
                elif roll < 0.8:
                    s.add(theme_row(channel, fid, rng.choice(UNANSWERED), [{"kind": "fallback"}], at))
                elif roll < 0.9:
                    s.add(theme_row(channel, fid, "", [{"kind": "clarify", "options": []}], at))
                else:
                    category = rng.choice(CATEGORIES)
                    s.add(theme_row(channel, fid, "", [{"kind": "risk", "categories": [category]}], at))
                    claimed = at + dt.timedelta(minutes=rng.randint(1, 240)) if rng.random() < 0.85 else None
                    if escalations:
                        s.add(
                            Escalation(
                                created_at=at,
                                channel=channel,
                                sender_id=sender,
                                category=category,
                                group=category,
                                rule="synthetic",
                                priority=1,
                                layer="matcher",
                                parent_words=[],
                                reply_kind="risk",
                                answer_ids=[],
                                status="claimed" if claimed else "open",
                                claimed_at=claimed,
                                claimed_by="hv" if claimed else None,
                            )
                        )
                n += 1
            if channel == "sms" and rng.random() < 0.1:
                s.add(
                    OptOut(
                        channel=channel,
                        recipient=sender,
                        keyword="STOP",
                        at=dt.datetime.combine(START, dt.time()) + dt.timedelta(days=rng.randrange(DAYS)),
                    )
                )
    assert "07700" not in scrub(UNANSWERED[5])
    return Month(START, START + dt.timedelta(days=DAYS - 1), families, n)
