"""The staff app in a real browser: Debian's Chromium driven by Playwright, and axe-core's verdict on a page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A headless Chromium (closed on the way out); a missing browser fails the test, never skips it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the staff browser tests need Debian's chromium (run `make browser`)")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def submit(page: Any, selector: str) -> None:
    """Click a form's button and wait for the page it leads to."""
    async with page.expect_navigation():
        await page.click(selector)


async def sign_in(page: Any, staff_url: str, username: str, password: str) -> None:
    await page.goto(f"{staff_url}/inbox/")
    assert page.url.endswith("/inbox/login")  # no parent data without a session
    await page.fill("#username", username)
    await page.fill("#password", password)
    await submit(page, "#login")
