"""The dashboard: what its pages need, and how it mounts on the process's aiohttp app."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from aiohttp import web

from adapters.web.config import WebConfig
from adapters.web.csrf import csrf_middleware, security_headers
from adapters.web.errors import error_pages
from adapters.web.identity import SignInProvider, providers_for
from adapters.web.links import SignInLinks
from adapters.web.pages import PAGES
from adapters.web.ratelimit import FailureLimiter
from adapters.web.render import environment
from adapters.web.reports import ReportCache
from adapters.web.session import session_middleware
from adapters.web.state import DASHBOARD
from bot.core.authz import Access, Person
from bot.core.domain import PlatformName
from bot.core.ports import Standings
from bot.service_layer.dashboard import Management
from bot.service_layer.services import Tigerbird

STATIC = Path(__file__).with_name("static")


@dataclass
class Dashboard:
    config: WebConfig
    service: Tigerbird
    access: Access
    standings: Mapping[PlatformName, Standings]
    links: SignInLinks
    providers: dict[str, SignInProvider]
    limiter: FailureLimiter = field(default_factory=FailureLimiter)
    templates: jinja2.Environment = field(default_factory=environment)
    management: Management | None = None  # the use cases the pages steer (adapters.web.manage)
    reports: ReportCache = field(default_factory=ReportCache)

    @property
    def nav(self) -> list[tuple[str, str]]:
        """(path under /c/<id>, label) of every page a community has, in menu order."""
        return [page.NAV for page in PAGES if page.NAV is not None]

    def mount(self, app: web.Application) -> None:
        """Add the pages under `/`, the static files and the middlewares to `app`."""
        app[DASHBOARD] = self
        middlewares = [security_headers, session_middleware(self.config), error_pages]
        app.middlewares.extend([*middlewares, csrf_middleware])
        for page in PAGES:
            app.add_routes(page.routes)
        app.router.add_static("/static/", STATIC, name="static")

    def sign_in_link(self, person: Person, communities: Collection[str]) -> str:
        """A one-time link that signs `person` in (the console's, and the tests')."""
        return self.config.public_url + self.links.issue(person, tuple(communities))


def build(
    config: WebConfig,
    service: Tigerbird,
    standings: Mapping[PlatformName, Standings],
    global_managers: Collection[str] = (),
) -> Dashboard:
    """The dashboard over the core service; `standings` ask each running platform who a
    signed-in person is now."""
    return Dashboard(
        config=config,
        service=service,
        access=service.access(global_managers),
        standings=standings,
        links=SignInLinks(config.link_lifetime),
        providers=providers_for(config),
    )
