"""The manager's report page in a real browser (Debian's chromium, Playwright) on the running stack, over a
synthetic month; the full-page screenshot is kept at var/report-page.png for the reviewer."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.care import staff
from bot.paths import ROOT
from tests.support.browser import chromium, sign_in
from tests.support.escalation import use_db
from tests.support.synthetic import generate

PASSWORD = "a long enough password"
SCREENSHOT = ROOT / "var" / "report-page.png"


async def test_manager_sees_the_report_with_charts(
    stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"], PSEUDONYM_KEY=stack_env["PSEUDONYM_KEY"])
    month = generate(seed=11, escalations=False)  # open synthetic escalations would crowd the shared inbox
    username = f"mgr-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, "manager")
    async with chromium() as browser:
        page = await (await browser.new_context(viewport={"width": 1100, "height": 900})).new_page()
        await sign_in(page, stack.staff_url, username, PASSWORD)
        await page.goto(f"{stack.staff_url}/inbox/report?from={month.start}&to={month.end}")
        assert await page.locator("#summary").count() == 1
        # Every chart decoded and drawn (a CSP that blocked data: images would leave them at 0 width).
        widths = await page.eval_on_selector_all("img[id^=chart-]", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 5 and all(w > 0 for w in widths)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
