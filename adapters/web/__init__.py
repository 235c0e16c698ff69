"""The managers' dashboard in the browser: sign-in with Slack (OpenID Connect), Discord (OAuth2)
or a one-time link, encrypted session cookies, CSRF tokens, and one module per page in `pages/`
rendered from the Jinja2 templates in `templates/`. bot.app builds it with `build` and mounts it
under `/` on the process's one aiohttp application, beside Slack's /slack/* endpoints."""

from adapters.web.config import WebConfig
from adapters.web.dashboard import Dashboard, build
from adapters.web.links import SignInLinks

__all__ = ["Dashboard", "SignInLinks", "WebConfig", "build"]
