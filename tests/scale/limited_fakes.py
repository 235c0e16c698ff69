"""The fake Slack and fake Discord behind the opt-in rate limits of tests.scale.ratelimit.

Subclasses rather than edits: the fakes' own tests see the fakes unchanged.
"""

from __future__ import annotations

from aiohttp import web

from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_rest import rate_limit_headers
from tests.helpers import bound_port
from tests.scale.ratelimit import DiscordLimits, SlackLimits
from tests.slack.fake_slack import FakeSlack


class LimitedDiscord(FakeDiscord):
    """FakeDiscord whose REST API enforces `limits` (outermost middleware, so its
    X-RateLimit-* headers replace the fake's fixed ones)."""

    def __init__(self, limits: DiscordLimits) -> None:
        super().__init__()
        self.limits = limits

    async def start(self) -> None:
        app = web.Application(middlewares=[self.limits.middleware, rate_limit_headers])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = bound_port(site)
        self.rest.gateway_url = self.gateway_url


class LimitedSlack(FakeSlack):
    """FakeSlack whose Web API enforces `limits`."""

    def __init__(self, limits: SlackLimits) -> None:
        super().__init__()
        self.limits = limits

    async def start(self) -> None:
        app = web.Application(middlewares=[self.limits.middleware])
        app.router.add_route("*", "/api/{method}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = bound_port(site)
