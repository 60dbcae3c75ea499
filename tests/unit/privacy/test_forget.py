"""bot/privacy/forget.py: erasure leaves no row linking to the family in any table (escalations kept on hold), and
retention removes only what is older than the period."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.care import escalations
from bot.conversation import store as history
from bot.privacy import themes
from bot.privacy.forget import forget, retention
from bot.storage.db import Base, transaction
from bot.storage.models.channels import DeliveryFailure, InboundSeen, OptOut, utcnow
from bot.storage.models.conversation import RecentMessage, StatedAge
from bot.storage.models.escalation import Escalation, EscalationMessage, WebchatMessage
from bot.storage.models.themes import Consent, ForgetRequest, ThemeEvent
from channels import store
from tests.support.escalation import TIER_A, use_temp_db
from tests.support.privacy import add_events, events, use_tracker

SENDERS = {
    "sms": ("+447700900555", "+447700900666"),
    "telegram": ("5550001", "6660001"),
    "webchat": ("web-forget-me", "web-keep-me"),
}


@pytest.fixture
def dbs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tracker(monkeypatch, tmp_path)
    use_temp_db(monkeypatch, tmp_path)


def populate(channel: str, sender: str, at: dt.datetime | None = None) -> int:
    """Everything a family leaves behind: theme rows, consent, a pending request, channel rows, the recent
    messages and stated baby age the screen reads, an escalation with its handoff and a staff reply in the
    outbox, web chat replies and Rasa events. Returns the escalation."""
    at = at or utcnow()
    history.remember(channel, sender, "she's 6 weeks", now=at)
    themes.record_turn(channel, sender, "hi", [{"kind": "answer", "answer_id": "a/b", "topic": "a"}], at)
    themes.record_turn(channel, sender, "call me on 07700 900123", [{"kind": "fallback"}], at)
    fid = themes.family_id(channel, sender)
    themes.record_notice(channel, fid, at)
    with transaction() as s:
        s.add(ForgetRequest(family_id=fid, requested_at=at))
        if channel == "webchat":
            s.add(WebchatMessage(sender_id=sender, payload={"text": "hello"}, created_at=at))
        s.add(DeliveryFailure(channel=channel, external_id="SMx", recipient=sender, status="failed", at=at))
    store.opt_out(channel, sender, "STOP")
    store.mark_unreachable(channel, sender, "blocked")
    store.first_delivery(channel, f"delivery-{at.timestamp()}-{len(sender)}-{sender[-1]}")
    facts = escalations.Facts(channel=channel, sender_id=sender, text="his lips are blue")
    esc_id = escalations.open_escalation(facts, [TIER_A], ["his lips are blue"], now=at).escalation_id
    escalations.reply(esc_id, "hv", "I will call you")
    add_events(f"{channel}:{sender}", at)  # Rasa's sender id is the conversation key (bot/turn/keys.py)
    return esc_id


def rows_linking(values: tuple[str, ...]) -> list[tuple[str, dict]]:
    """Every row of every table (Base.metadata) with a value containing one of `values`."""
    found = []
    with transaction() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).mappings():
                text = json.dumps({k: v for k, v in row.items()}, default=str)
                if any(v in text for v in values):
                    found.append((table.name, dict(row)))
    return found


@pytest.mark.parametrize("channel", sorted(SENDERS))
def test_forget_leaves_no_row_linking_to_the_sender(dbs: None, channel: str) -> None:
    sender, other = SENDERS[channel]
    esc_id = populate(channel, sender)
    populate(channel, other)
    links = (sender, themes.family_id(channel, sender))
    assert {name for name, _ in rows_linking(links)} >= {
        "theme_events",
        "privacy_consents",
        "handoffs",
        "outbox",
        "channel_opt_outs",
        "escalations",
        "conversation_recent",
        "conversation_stated_age",
    }
    before_other = len(rows_linking((other, themes.family_id(channel, other))))

    erased = forget(channel, sender)

    assert erased.held_escalations == [esc_id]
    assert [name for name, _ in rows_linking(links)] == ["escalations"]  # the record, kept under the policy
    assert events(f"{channel}:{sender}") == 0 and events(f"{channel}:{other}") == 3
    assert len(rows_linking((other, themes.family_id(channel, other)))) == before_other
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert esc is not None and esc.records_hold
        notes = s.execute(
            select(EscalationMessage.kind).where(
                EscalationMessage.escalation_id == esc_id, EscalationMessage.direction == "note"
            )
        ).scalars()
        assert "forget_requested" in list(notes)
        assert s.scalar(select(func.count()).select_from(InboundSeen)) == 2  # dedupe rows hold no sender


def test_forget_on_one_channel_keeps_the_same_id_on_another(dbs: None) -> None:
    """Issue 13, item 3: a web chat "delete my data" from a session named like a parent's number must not
    erase that SMS family's Rasa conversation (or anything else of theirs)."""
    populate("sms", "+447700900555")
    add_events("webchat:+447700900555", utcnow(), n=2)
    erased = forget("webchat", "+447700900555")
    assert erased.deleted["events"] == 2 and erased.held_escalations == []
    assert events("sms:+447700900555") == 3
    assert [esc.sender_id for esc in escalation_rows()] == ["+447700900555"]
    with transaction() as s:
        notes = list(s.execute(select(EscalationMessage.kind).where(EscalationMessage.direction == "note")).scalars())
    assert "forget_requested" not in notes


def escalation_rows() -> list[Escalation]:
    with transaction() as s:
        return list(s.execute(select(Escalation)).scalars())


def test_forget_twice_is_harmless(dbs: None) -> None:
    populate("sms", "+447700900555")
    forget("sms", "+447700900555")
    assert sum(forget("sms", "+447700900555").deleted.values()) == 0


def count(model: type) -> int:
    with transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_retention_deletes_only_rows_older_than_the_period(dbs: None) -> None:
    now = utcnow()
    populate("sms", "+447700900555", at=now - dt.timedelta(days=400))
    populate("sms", "+447700900666", at=now - dt.timedelta(days=10))
    assert (count(ThemeEvent), count(Consent), events()) == (4, 2, 6)

    erased = retention(now=now, days=365)

    assert erased.deleted["theme_events"] == 2 and erased.deleted["events"] == 3
    new_fid = themes.family_id("sms", "+447700900666")
    with transaction() as s:
        assert set(s.execute(select(ThemeEvent.family_id)).scalars()) == {new_fid}
        assert set(s.execute(select(Consent.family_id)).scalars()) == {new_fid}
        assert set(s.execute(select(DeliveryFailure.recipient)).scalars()) == {"+447700900666"}
        assert set(s.execute(select(StatedAge.family_id)).scalars()) == {new_fid}
        assert set(s.execute(select(RecentMessage.family_id)).scalars()) == {new_fid}
    assert events("sms:+447700900555") == 0 and events("sms:+447700900666") == 3
    assert count(OptOut) == 2 and count(Escalation) == 2  # a STOP and the escalation records outlive retention


def test_tracker_store_url_comes_from_the_endpoints_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.paths import ROOT
    from bot.storage import trackerdb

    assert trackerdb.tracker_url(ROOT / "endpoints.yml") == f"sqlite:///{ROOT / 'var' / 'rasa-tracker.db'}"
    for key, value in {
        "TRACKER_DB_HOST": "db.internal",
        "TRACKER_DB_PORT": "5432",
        "TRACKER_DB_NAME": "rasa",
        "TRACKER_DB_USER": "rasa",
        "TRACKER_DB_PASSWORD": "pw",
    }.items():
        monkeypatch.setenv(key, value)
    assert trackerdb.tracker_url(ROOT / "endpoints.production.yml") == "postgresql://rasa:pw@db.internal:5432/rasa"
