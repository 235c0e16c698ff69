"""One module per dashboard page. Each exposes `routes` (an aiohttp RouteTableDef) and `NAV`:
(path under /c/<community id>, menu label) when it is a page of a community's menu, else None.
`PAGES` is the menu's order; a new page is one module added here."""

from __future__ import annotations

from types import ModuleType

from adapters.web.pages import (
    analytics,
    audit,
    communities,
    library,
    overview,
    schedules,
    settings,
    signin,
    suggestions,
)

PAGES: tuple[ModuleType, ...] = (
    signin,
    communities,
    overview,
    schedules,
    library,
    suggestions,
    analytics,
    settings,
    audit,
)
