"""A real headless Chromium (Debian's package, never a downloaded build) driven by Playwright,
with a fresh profile per test; screenshots at 1280 px and 390 px go to artifacts/web/."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
WIDTHS = (1280, 390)


def require_chromium() -> Path:
    """Debian's chromium; CI (`.ci/run` installs it) fails without it, a laptop skips."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (.ci/run installs chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    return CHROMIUM


@asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[BrowserContext]:
    executable = require_chromium()
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(executable),
            headless=True,
            args=FLAGS,
            viewport={"width": WIDTHS[0], "height": 900},
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            await context.close()


async def shoot(page: Page, name: str) -> None:
    """Full-page screenshots of the page at each width (back to desktop width after)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.wait_for_load_state("networkidle")  # charts and styles in
    for width in (*WIDTHS[1:], WIDTHS[0]):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
