"""The inbox's reply box and its use on a phone, by keyboard, with assistive technology, in a real browser
(Debian's Chromium, Playwright) against the staff app in its own process: one app and one Chromium for the
module. Screenshots at 1280 and 360 pixels: var/screenshots/ here, docs/screenshots/ by `make screenshots`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.care import staff
from bot.care.escalations import Facts, open_escalation
from bot.care.turn_hooks import Escalations, Handoffs
from bot.conversation.hooks import History
from bot.risk.matcher import RiskHit
from bot.risk.screening import ContentRiskScreen
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Outbox
from bot.turn.messages import Inbound
from bot.turn.pipeline import TurnPipeline
from tests.stack.test_inbox_walk import NoAssistant
from tests.support.browser import axe_serious, chromium, screenshot, sign_in, submit, tab_to
from tests.support.escalation import MENTAL, TIER_B, use_db
from tests.support.stack import staff_only

pytestmark = pytest.mark.asyncio(loop_scope="module")
PASSWORD = "a long enough password"
SAFEGUARDING = RiskHit(category="child_at_risk", group="safeguarding", rule="hurting", tier=None, priority=1)


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with staff_only(tmp_path_factory.mktemp("staff")) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with chromium() as running:
        yield running


@pytest.fixture
def visitor(staff_app: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    use_db(monkeypatch, staff_app[1], PSEUDONYM_KEY="test-key", ALERT_SMS_NUMBER="+447700900001")
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: True)
    username = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "health_visitor")
    return username


def sms_family(hit: RiskHit, text: str = "she will not stop crying") -> int:
    number = f"+4477009{uuid.uuid4().int % 100000:05d}"
    return open_escalation(Facts("sms", number, text), [hit], [text]).escalation_id


async def page_for(browser: Any, staff_url: str, username: str, width: int = 1280, script: bool = True) -> Any:
    context = await browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=script)
    page = await context.new_page()
    await sign_in(page, staff_url, username, PASSWORD)
    return page


def parent_replies(esc_id: int) -> list[str]:
    with transaction() as s:
        rows = s.execute(select(Outbox).where(Outbox.escalation_id == esc_id, Outbox.kind == "parent_reply"))
        return [r.payload["text"] for r in rows.scalars()]


async def test_the_sms_count_live_and_without_script_is_gsm_7s(
    browser: Any, staff_app: tuple[str, str], visitor: str
) -> None:
    esc_id = sms_family(TIER_B, "he is breathing fast")
    hv = await page_for(browser, staff_app[0], visitor)
    await hv.goto(f"{staff_app[0]}/inbox/escalations/{esc_id}")
    assert await hv.text_content("#sms-segments") == "0 of 3 texts (0 characters)"
    for text, words, encoding in [
        ("a" * 160, "1 of 3 texts (160 characters)", "GSM-7"),
        ("a" * 161, "2 of 3 texts (161 characters)", "GSM-7"),
        ("a" * 69 + "\U0001f600", "2 of 3 texts (71 characters)", "UCS-2"),
        ("I\u2019ll ring [you]", "1 of 3 texts (17 characters)", "GSM-7"),  # 15 characters, [ and ] cost two
    ]:
        await hv.fill("#reply-text", text)
        assert await hv.text_content("#sms-segments") == words
        assert await hv.get_attribute("#sms-segments", "data-encoding") == encoding
    assert await hv.text_content("#sms-special") == ""
    await hv.fill("#reply-text", "ok \U0001f600")
    assert await hv.text_content("#sms-special") == "\U0001f600 makes each text hold 70 characters instead of 160."
    assert not await hv.is_visible("#sms-over")
    await hv.fill("#reply-text", "a" * 460)
    assert await hv.is_visible("#sms-over")
    await submit(hv, "#reply")  # the SMS sender would cut it: refused, the words kept
    assert (await hv.text_content("#form-error") or "").startswith("Too long for a text message.")
    assert await hv.input_value("#reply-text") == "a" * 460 and parent_replies(esc_id) == []

    # Without script: "Count texts" asks the server, which counts the same; the picker reloads with the template.
    plain = await page_for(browser, staff_app[0], visitor, script=False)
    await plain.goto(f"{staff_app[0]}/inbox/escalations/{esc_id}")
    await plain.fill("#reply-text", "a" * 161)
    await submit(plain, "#check-length")
    assert await plain.text_content("#sms-segments") == "2 of 3 texts (161 characters)"
    assert await plain.input_value("#reply-text") == "a" * 161 and parent_replies(esc_id) == []
    await plain.select_option("#reply-template", "baby_age")
    await submit(plain, "#use-template")
    assert plain.url.endswith(f"/inbox/escalations/{esc_id}?template=baby_age")
    expected = "Thank you for your message. Can you tell me how old your baby is, in weeks or months?"
    assert await plain.input_value("#reply-text") == expected
    assert await plain.text_content("#sms-segments") == "1 of 3 texts (85 characters)"


async def test_naming_someone_to_a_safeguarding_family_is_held_until_confirmed(
    browser: Any, staff_app: tuple[str, str], visitor: str
) -> None:
    esc_id = sms_family(SAFEGUARDING)
    hv = await page_for(browser, staff_app[0], visitor)
    await hv.goto(f"{staff_app[0]}/inbox/escalations/{esc_id}")
    await submit(hv, "#claim")
    await hv.fill("#reply-text", "Is your partner at home with you now?")
    await submit(hv, "#reply")
    assert await hv.text_content("#third-party-warning") == (
        "This family is flagged for safeguarding. Your message names someone else (your partner). "
        "Another person may read this phone. Check it is safe to send."
    )
    assert await hv.input_value("#reply-text") == "Is your partner at home with you now?"
    assert parent_replies(esc_id) == []  # held: nothing queued
    assert await axe_serious(hv) == []  # the warning and its confirm button, too
    assert await hv.eval_on_selector_all("#thread li.visitor", "ls => ls.length") == 0
    await submit(hv, "#reply-confirm")
    assert parent_replies(esc_id) == ["Is your partner at home with you now?"]
    audit = await hv.eval_on_selector_all("#audit li", "ls => ls.map(l => l.textContent.slice(6))")
    assert audit[-1] == f"{visitor} sent a message naming your partner after the safeguarding warning"
    # A message naming no one goes at once.
    await hv.fill("#reply-text", "Is it safe for me to ring you now?")
    await submit(hv, "#reply")
    assert parent_replies(esc_id)[-1] == "Is it safe for me to ring you now?"


async def test_claim_reply_and_close_by_keyboard_alone(browser: Any, staff_app: tuple[str, str], visitor: str) -> None:
    esc_id = sms_family(MENTAL, "i cant cope any more")
    hv = await page_for(browser, staff_app[0], visitor)
    await tab_to(hv, f"open-{esc_id}")  # from the list, as a keyboard user arrives
    async with hv.expect_navigation():
        await hv.keyboard.press("Enter")
    await tab_to(hv, "claim")
    async with hv.expect_navigation():
        await hv.keyboard.press("Enter")
    assert await hv.text_content("#status-words") == f"Claimed by {visitor}"
    await tab_to(hv, "reply-text")
    await hv.keyboard.type("I will ring you in five minutes.")
    await tab_to(hv, "reply")
    async with hv.expect_navigation():
        await hv.keyboard.press("Space")
    assert parent_replies(esc_id) == ["I will ring you in five minutes."]
    await tab_to(hv, "outcome-advice_given")
    await hv.keyboard.press("Space")
    await tab_to(hv, "close")
    async with hv.expect_navigation():
        await hv.keyboard.press("Enter")
    with transaction() as s:
        closed = s.get(Escalation, esc_id)
        assert closed is not None and (closed.status, closed.outcome) == ("closed", "advice_given")


async def test_phone_width_layout_accessibility_and_screenshots(
    browser: Any, staff_app: tuple[str, str], visitor: str
) -> None:
    # A family told over two texts, through the real turn: the thread shows both sides.
    turn = TurnPipeline(screen=ContentRiskScreen(), escalations=Escalations(), handoffs=Handoffs(), history=History())
    family = "+447700900321"
    link = "https://www.nhs.uk/conditions/baby/health/how-to-take-your-babys-temperature-and-what-the-numbers-mean/"
    for text in ["my 5 week old is breathing quicker than usual tonight", link, "now his lips have gone blue"]:
        await turn.handle(Inbound(channel="sms", sender_id=family, text=text, render="sms"), NoAssistant())
    with transaction() as s:
        esc_id = s.execute(select(Escalation.id).where(Escalation.sender_id == family)).scalar_one()
        # One unbroken 103-character word (the link) must wrap on a 360-pixel screen, not widen the page.
        words = s.execute(select(EscalationMessage.text).where(EscalationMessage.escalation_id == esc_id))
        assert link in words.scalars().all()
    sms_family(SAFEGUARDING, "my partner shouted at the baby and I am scared to go home")
    manager = f"mgr-{uuid.uuid4().hex[:8]}"
    staff.add_user(manager, PASSWORD, "manager")
    for width in (1280, 360):
        hv = await page_for(browser, staff_app[0], visitor, width)
        if width == 1280:
            await hv.goto(f"{staff_app[0]}/inbox/escalations/{esc_id}")
            await submit(hv, "#claim")  # claimed: the screenshots show the call link
        await hv.goto(f"{staff_app[0]}/inbox/")
        assert await axe_serious(hv) == []
        assert await hv.evaluate("document.scrollingElement.scrollWidth") <= width
        await screenshot(hv, f"inbox-list-{width}")
        await submit(hv, f"#open-{esc_id}")
        await hv.select_option("#reply-template", "call_999_now")
        await hv.click("#use-template")
        assert await axe_serious(hv) == []
        assert await hv.evaluate("document.scrollingElement.scrollWidth") <= width
        await screenshot(hv, f"inbox-thread-{width}")
        await submit(hv, "#reply")
    mgr = await page_for(browser, staff_app[0], manager)
    await mgr.goto(f"{staff_app[0]}/inbox/report")
    assert await axe_serious(mgr) == []


async def test_only_the_listed_scripts_are_served(staff_app: tuple[str, str]) -> None:
    async with httpx.AsyncClient(base_url=staff_app[0]) as client:
        for name in ("inbox.js", "reply.js"):
            assert (await client.get(f"/inbox/static/{name}")).status_code == 200
        for name in ("drafts.py", "..%2Finbox.py", "%2e%2e%2fpages.py", "../../bot/settings.py", "reply.js%00"):
            assert (await client.get(f"/inbox/static/{name}")).status_code == 404, name
