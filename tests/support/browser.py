"""The staff app in a real browser: Debian's Chromium driven by Playwright, and axe-core's verdict on a page."""

from __future__ import annotations

import os
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
# `make screenshots` writes the committed ones (docs/screenshots/); a plain test run keeps its own under var/.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "var/screenshots")
# WCAG 2.0/2.1/2.2 A and AA rules only (axe's best-practice rules are advice, not the standard).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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


async def axe_serious(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG violations on the page, one line each (rule, impact, elements).
    The script is the axe.min.js inside the axe-playwright-python wheel: nothing is fetched."""
    from axe_playwright_python.async_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = await Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    from PIL import Image

    # 64 colours are plenty for text on flat colour: a committed screenshot stays small (tens of kB).
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=64)
    small.save(path, optimize=True)
    return path


async def tab_to(page: Any, element_id: str, limit: int = 80) -> int:
    """Press Tab until the element has the focus, as a keyboard user would; returns the number of presses."""
    for presses in range(1, limit + 1):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} never took the focus in {limit} presses of Tab")
