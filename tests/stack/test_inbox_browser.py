"""The whole handoff in a real browser (Debian's chromium, driven by Playwright) against the running stack:
a parent's risk message on the web chat opens an escalation; a health visitor signs in, sees it listed before
less urgent ones, claims it, replies (the parent's web chat page receives the reply by polling) and closes it
with an outcome, after which the parent's messages reach the assistant again.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from bot.care import escalations, staff
from bot.care.escalations import Facts, open_escalation
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, Handoff, Outbox
from tests.support.browser import chromium, sign_in, submit
from tests.support.escalation import use_db

PASSWORD = "a long enough password"
RISK_MESSAGE = "his lips have gone blue"


async def post(page: Any, text: str) -> dict[str, Any]:
    """Type into the web chat page as a parent would; the webhook's JSON says what the assistant sent."""
    async with page.expect_response(lambda r: r.url.endswith("/webhooks/webchat/webhook")) as info:
        await page.fill("#text", text)
        await page.press("#text", "Enter")
    return dict(await (await info.value).json())


async def send(page: Any, text: str) -> list[dict[str, Any]]:
    return list((await post(page, text))["messages"])


async def test_inbox_claim_reply_close_in_a_real_browser(
    stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    username = f"hv-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "health_visitor")
    # Waiting longer but less urgent: the risk escalation must still be listed before it.
    older = open_escalation(
        Facts("webchat", f"older-{uuid.uuid4().hex[:8]}", "can I talk to someone"),
        [escalations.callback_hit()],
        ["can I talk to someone"],
        layer="request",
        reply_kind="handoff_request",
        answer_ids=["utter_request_person"],
    ).escalation_id

    async with chromium() as browser:
        parent = await (await browser.new_context()).new_page()
        await parent.goto(f"{stack.url}/webhooks/webchat/")
        reply = await post(parent, RISK_MESSAGE)
        # The conversation's id as the server reports it: the session cookie is HttpOnly, the page holds no id.
        sender = reply["sender"]
        assert await parent.evaluate("document.cookie") == ""
        first = reply["messages"]
        kinds = [m["meta"]["kind"] for m in first]
        assert kinds[0] == "risk" and set(kinds[1:]) <= {"out_of_hours"}
        category = first[0]["meta"]["categories"][0]
        esc_id = escalations.handoff_escalation("webchat", sender)
        assert esc_id is not None
        # Handed over: the parent's next message goes to the health visitor, not the bot.
        assert [m["meta"]["kind"] for m in await send(parent, "he is a bit pinker now")] == ["handoff_ack"]

        hv = await (await browser.new_context()).new_page()
        await sign_in(hv, stack.staff_url, username, PASSWORD)
        rows = await hv.eval_on_selector_all(
            "tr.escalation", "rs => rs.map(r => [Number(r.dataset.escalationId), Number(r.dataset.priority)])"
        )
        order = [row[0] for row in rows]
        priorities = [row[1] for row in rows]
        assert priorities == sorted(priorities)
        assert order.index(esc_id) < order.index(older)
        assert all(p <= 1 for p in priorities[: order.index(esc_id) + 1])  # only as urgent ones above it

        await submit(hv, f'tr[data-escalation-id="{esc_id}"] a')
        assert await hv.text_content("#category") == category
        assert await hv.text_content("#layer") == "matcher"
        assert await hv.text_content("#channel") == "webchat"
        assert f"risk/{category}" in (await hv.text_content("#bot-said") or "")
        assert RISK_MESSAGE in (await hv.text_content("#thread") or "")
        assert "he is a bit pinker now" in (await hv.text_content("#thread") or "")

        await submit(hv, "#claim")
        assert (await hv.text_content("#status"), await hv.text_content("#claimed-by")) == ("claimed", username)

        await hv.fill("#reply-text", "I am calling you now")
        await submit(hv, "#reply")
        # The web chat page polls for it: the outbox worker in the Rasa server delivered it there.
        await parent.wait_for_function(
            "() => [...document.querySelectorAll('.msg.bot .meta')].some(m => m.textContent.includes('staff_reply'))",
            timeout=20000,
        )

        await submit(hv, "#close")  # no outcome: refused
        assert await hv.is_visible("#form-error")
        assert await hv.text_content("#status") == "claimed"
        await hv.check("#outcome-999_confirmed")
        await hv.fill("#outcome-detail", "Spoke to mum; ambulance attended")
        await submit(hv, "#close")
        assert hv.url.endswith("/inbox/")
        assert esc_id not in await hv.eval_on_selector_all(
            "tr.escalation", "rs => rs.map(r => Number(r.dataset.escalationId))"
        )

        # Closed: the parent talks to the assistant again.
        assert "handoff_ack" not in [m["meta"]["kind"] for m in await send(parent, "thank you")]

    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert esc is not None
        assert (esc.status, esc.claimed_by, esc.outcome) == ("closed", username, "999_confirmed")
        assert s.execute(select(Handoff.open).where(Handoff.escalation_id == esc_id)).scalars().all() == [False]
        [reply] = (
            s.execute(select(Outbox).where(Outbox.escalation_id == esc_id, Outbox.kind == "parent_reply"))
            .scalars()
            .all()
        )
        assert (reply.channel, reply.recipient, reply.dead) == ("webchat", sender, False)
        assert reply.delivered_at is not None and reply.attempts == 1
