"""A duty health visitor's walk through the inbox in a real browser (Debian's Chromium, Playwright), against
the staff app in its own process. Red flags arrive through the real turn (risk screen and escalation hooks,
the same objects the channels call; a risk turn never reaches Rasa), written to the database the staff app reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.care import escalations, staff
from bot.care.escalations import Facts, open_escalation
from bot.care.turn_hooks import Escalations, Handoffs
from bot.risk.screening import ContentRiskScreen
from bot.serve import Stack
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from tests.support.browser import chromium, sign_in
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


async def test_red_flag_appears_without_a_reload_and_a_worse_message_moves_it_up(
    staff_app: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff_url, db_url = staff_app
    use_db(monkeypatch, db_url)
    username = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "health_visitor")
    turn = TurnPipeline(screen=ContentRiskScreen(), escalations=Escalations(), handoffs=Handoffs())
    other = open_escalation(Facts("sms", "+447700900999", "she is very hot"), [escalations.callback_hit()], ["x"])

    async with chromium() as browser:
        hv = await (await browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
        await sign_in(hv, staff_url, username, PASSWORD)
        assert other.escalation_id in await row_ids(hv)
        loaded = await hv.evaluate("performance.timeOrigin")

        # A parent texts a tier B red flag: the row appears without a reload, in plain words, with its countdown.
        sms = Inbound(channel="sms", sender_id=FAMILY, text="her breathing is quicker than usual tonight", render="sms")
        replies = await turn.handle(sms, NoAssistant())
        assert replies[0].meta["kind"] == "risk" and replies[0].meta["categories"] == ["urgent_medical_b"]
        esc_id = escalations.handoff_escalation("sms", FAMILY)
        assert esc_id is not None
        await hv.wait_for_selector(row(esc_id), timeout=15000)
        assert await hv.text_content(row(esc_id, ".label")) == "Baby: needs advice today, NHS 111 or GP advised"
        assert await hv.text_content(row(esc_id, ".countdown")) in ("15 min left", "14 min left")
        assert await hv.text_content(row(esc_id, ".latest")) == "her breathing is quicker than usual tonight"
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
