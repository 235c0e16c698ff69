"""A real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) for the
management pages' browser tests; screenshots at 1280 px and 390 px go to artifacts/web/."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
WIDTHS = (1280, 390)
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def require_chromium() -> Path:
    """Debian's chromium; CI fails without it, elsewhere the test is skipped."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (.ci/run installs chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    return CHROMIUM


@asynccontextmanager
async def browser_page() -> AsyncIterator[Page]:
    """A fresh page in a fresh headless Chromium; skips (fails in CI) without Chromium."""
    executable = require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=FLAGS
        )
        page = await browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            await browser.close()


async def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at each width, and nothing wider than a 390 px phone except
    the tables' own scrolling boxes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (WIDTHS[1], WIDTHS[0]):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width == WIDTHS[1]:
            scroll = await page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px phone"
