"""`tigerbird run` in console mode serves the dashboard and prints a one-time sign-in link for
the local community: opening it shows the community and its overview at once (the newcomer's
`make run`); the link works once."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.test_console_run import _wait_for

LINK = re.compile(r"Dashboard \(one-time sign-in link\): (http://\S+)")


async def open_dashboard(link: str) -> tuple[str, str, int]:
    """Follow the link as a browser would: (home page, overview page, second use's status)."""
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1/localhost
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        async with browser.get(link) as home:
            assert home.status == 200, await home.text()
            home_page = await home.text()
        found = re.search(r'href="(/c/\d+)"', home_page)
        assert found, home_page
        base = link.split("/signin/")[0]
        async with browser.get(base + found.group(1)) as overview:
            assert overview.status == 200
            overview_page = await overview.text()
    async with aiohttp.ClientSession() as stranger, stranger.get(link) as again:
        return home_page, overview_page, again.status


def test_console_mode_prints_a_link_that_opens_the_local_community(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'tb.db'}",
        PYTHONUNBUFFERED="1",
        TIGERBIRD_HTTP_PORT="0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.app.cli.main", "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        _wait_for(proc, "one-time sign-in link", seen)
        found = LINK.search(seen[-1])
        assert found, seen[-1]
        link = found.group(1).replace("//localhost:", "//127.0.0.1:")
        home, overview, again = asyncio.run(open_dashboard(link))
        assert "Your communities" in home and "Signed in as Console" in home
        assert "#console" in overview and "left before one repeats" in overview
        assert "Lift over random picks in this community (all time): not enough data" in overview
        assert again == 404  # used once
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
