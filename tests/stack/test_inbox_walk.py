"""A duty health visitor's walk through the inbox in a real browser (Debian's Chromium, Playwright), against
the staff app in its own process. Red flags arrive through the real turn (risk screen and escalation hooks,
the same objects the channels call; a risk turn never reaches Rasa), written to the database the staff app reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.care import escalations, staff
from bot.care.escalations import Facts, open_escalation
from bot.care.turn_hooks import Escalations, Handoffs
from bot.conversation.hooks import History
from bot.risk.screening import ContentRiskScreen
from bot.serve import Stack
from bot.storage.db import transaction
from bot.storage.models.escalation import EscalationMessage, Outbox
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from tests.support.browser import chromium, sign_in, submit
from tests.support.escalation import use_db
from tests.support.stack import free_port

PASSWORD = "a long enough password"
FAMILY = "+447700900456"


class NoAssistant:
    """A risk turn must never reach Rasa: fail loudly if it does."""

    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        raise AssertionError(f"the assistant was asked during a risk turn: {text!r}")


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The staff app alone (no Rasa): its URL and the database it reads."""
    root = tmp_path_factory.mktemp("staff")
    url = f"sqlite:///{root / 'parentbot.db'}"
    running = Stack(
        staff_port=free_port(),
        env={"DATABASE_URL": url, "PSEUDONYM_KEY": "test-key", "STAFF_URL": "https://staff.example.test"},
        log_dir=root / "logs",
        actions=False,
        rasa=False,
        outbox=False,
    )
    running.start()
    try:
        running.wait_ready(timeout_s=120)
        yield running.staff_url, url
    finally:
        running.stop()
        for log in sorted((root / "logs").glob("*.log")):
            print(f"---- {log.name}\n{log.read_text()[-3000:]}")


def row_ids(page: Any) -> Any:
    return page.eval_on_selector_all("tr.escalation", "rs => rs.map(r => Number(r.dataset.escalationId))")


def row(esc_id: int, part: str = "") -> str:
    return f'tr[data-escalation-id="{esc_id}"] {part}'.strip()


async def test_a_duty_health_visitors_walk_through_the_inbox(
    staff_app: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff_url, db_url = staff_app
    use_db(monkeypatch, db_url, PSEUDONYM_KEY="test-key", ALERT_SMS_NUMBER="+447700900001")
    # In service hours: no "no one is reading now" note (that is tests/unit/care/test_service_hours.py's).
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: True)
    username = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "health_visitor")
    colleague = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(colleague, PASSWORD, "health_visitor")
    turn = TurnPipeline(screen=ContentRiskScreen(), escalations=Escalations(), handoffs=Handoffs(), history=History())
    other = open_escalation(Facts("sms", "+447700900999", "she is very hot"), [escalations.callback_hit()], ["x"])

    async with chromium() as browser:
        hv = await (await browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
        await sign_in(hv, staff_url, username, PASSWORD)
        assert other.escalation_id in await row_ids(hv)
        loaded = await hv.evaluate("performance.timeOrigin")

        # A parent texts a tier B red flag: the row appears without a reload, in plain words, with its countdown.
        first = "my 5 week old is breathing quicker than usual tonight"
        sms = Inbound(channel="sms", sender_id=FAMILY, text=first, render="sms")
        replies = await turn.handle(sms, NoAssistant())
        assert replies[0].meta["kind"] == "risk" and replies[0].meta["categories"] == ["urgent_medical_b"]
        esc_id = escalations.handoff_escalation("sms", FAMILY)
        assert esc_id is not None
        await hv.wait_for_selector(row(esc_id), timeout=15000)
        assert await hv.text_content(row(esc_id, ".label")) == "Baby: needs advice today, NHS 111 or GP advised"
        assert await hv.text_content(row(esc_id, ".countdown")) in ("15 min left", "14 min left")
        assert await hv.text_content(row(esc_id, ".latest")) == first
        assert await hv.query_selector(row(esc_id, ".badge")) is None
        assert (await row_ids(hv))[-1] == other.escalation_id  # a call back waits behind every risk

        # The same family again, worse: the row moves up, badged, with the new first words.
        below = open_escalation(Facts("sms", "+447700900998", "x"), [escalations.callback_hit()], ["x"])
        worse = Inbound(channel="sms", sender_id=FAMILY, text="now his lips have gone blue", render="sms")
        assert (await turn.handle(worse, NoAssistant()))[0].meta["categories"][0] == "urgent_medical_a"
        await hv.wait_for_selector(row(esc_id, ".badge"), timeout=15000)
        assert await hv.text_content(row(esc_id, ".badge")) == "1 new"
        assert await hv.text_content(row(esc_id, ".label")) == "Baby: urgent, call 999 advised"
        assert await hv.text_content(row(esc_id, ".latest")) == "now his lips have gone blue"
        ids = await row_ids(hv)
        assert ids.index(esc_id) < ids.index(other.escalation_id) < ids.index(below.escalation_id)
        assert await hv.evaluate("performance.timeOrigin") == loaded  # the same page: never reloaded

        # Without scripts the list still works: a refresh link and the rows as served.
        plain = await (await browser.new_context(java_script_enabled=False)).new_page()
        await sign_in(plain, staff_url, username, PASSWORD)
        assert await plain.get_attribute("#refresh", "href") == "/inbox/?filter=all"
        assert esc_id in await row_ids(plain)
        await hv.click("#filter-unclaimed")
        assert hv.url.endswith("/inbox/?filter=unclaimed") and esc_id in await row_ids(hv)
        await hv.click("#filter-mine")
        assert await row_ids(hv) == []

        # The conversation: both sides in order, what the assistant sent named by its title, the alert's delivery.
        await hv.click("#filter-all")
        await submit(hv, row(esc_id, "a.label"))
        assert await hv.text_content("h1") == f"Baby: urgent, call 999 advised #{esc_id}"
        entries = await hv.eval_on_selector_all(
            "#thread li", "ls => ls.map(l => [l.className, l.querySelector('.head strong').textContent])"
        )
        assert entries == [
            ["msg parent", "Parent"],
            ["msg alert", "Alert to staff by Text message"],  # queued with the escalation, as the route went out
            ["msg assistant", "Assistant sent: Urgent advice today - NHS 111, GP, midwife or health visitor"],
            ["msg parent", "Parent"],
            ["msg assistant", "Assistant sent: Emergency - call 999 or go to A&E"],
        ]
        said = await hv.eval_on_selector_all("#thread li.assistant .words", "ws => ws.map(w => w.textContent)")
        assert len(said) == 2 and "999" in said[1]  # the words the family was sent, not only their title
        assert await hv.text_content("#thread li.alert .delivery") == "Not delivered yet (tries: 0)"
        assert await hv.text_content("#age") == "5 weeks"
        # The number is for the visitor who claims the family, and only then.
        assert await hv.query_selector("#call") is None and await hv.is_visible("#number-hidden")
        await submit(hv, "#claim")
        assert await hv.text_content("#status-words") == f"Claimed by {username}"
        assert await hv.get_attribute("#call", "href") == f"tel:{FAMILY}"
        with transaction() as s:
            shown = s.execute(
                select(EscalationMessage.author).where(
                    EscalationMessage.escalation_id == esc_id, EscalationMessage.kind == "number_shown"
                )
            ).scalars()
            assert list(shown) == [username]

        # Working together: a note colleagues see (never sent), a reply, a hand over, a close with an outcome.
        await hv.fill("#note-text", "Mum sounds calm; dad is driving them to A&E")
        await submit(hv, "#add-note")
        notes = await hv.text_content("#notes") or ""
        assert notes.startswith(username) and notes.endswith(": Mum sounds calm; dad is driving them to A&E")
        await hv.fill("#reply-text", "I am calling you now")
        await submit(hv, "#reply")
        visitor = await hv.eval_on_selector_all("#thread li.visitor .words", "ws => ws.map(w => w.textContent)")
        assert visitor == ["I am calling you now"]
        await hv.select_option("#handover-to", colleague)
        await submit(hv, "#handover")
        assert await hv.text_content("#status-words") == f"Claimed by {colleague}"
        assert await hv.query_selector("#call") is None  # no longer this visitor's family
        await submit(hv, "#close")  # no outcome: refused, nothing lost
        assert await hv.text_content("#form-error") == "Choose an outcome before closing."
        await hv.check("#outcome-999_confirmed")
        await submit(hv, "#close")
        assert esc_id not in await row_ids(hv)
        await hv.click("#filter-closed")
        assert esc_id in await row_ids(hv)
        await submit(hv, row(esc_id, "a.label"))
        assert await hv.text_content("#outcome-words") == "Outcome: 999 call confirmed"
        audit = await hv.eval_on_selector_all("#audit li", "ls => ls.map(l => l.textContent.slice(6))")
        assert audit == [
            f"{username} claimed it",
            f"{username} was shown the phone number",
            f"{username} handed it over to {colleague}",
            f"{username} closed it",
        ]
        # Every view of the page was logged (who, when), and the page lists who has looked.
        views = await hv.eval_on_selector_all("#views li", "ls => ls.map(l => l.textContent.split(',')[0])")
        assert views == [f"{username}: 7 view(s)"]

    with transaction() as s:
        outbox = s.execute(select(Outbox).where(Outbox.escalation_id == esc_id, Outbox.kind == "parent_reply"))
        [sent] = outbox.scalars().all()
        assert (sent.channel, sent.recipient, sent.payload["text"]) == ("sms", FAMILY, "I am calling you now")
        # The internal note never went towards the family.
        assert "dad is driving" not in str(s.execute(select(Outbox.payload)).scalars().all())
