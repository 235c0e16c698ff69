"""Logging for `tigerbird run`: Tigerbird's own lines, the libraries' only when they matter."""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Chatty at INFO: migrations, the alarm's every tick, gateway and socket chatter, access logs.
LIBRARIES = (
    "aiohttp.access",
    "alembic",
    "apscheduler",
    "asyncio",
    "discord",
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
)


def configure_logging(level: str) -> None:
    """Root at `level`; the libraries at WARNING (or `level` if stricter) unless DEBUG."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    numeric = logging.getLevelNamesMapping()[level]
    quiet = numeric if numeric == logging.DEBUG else max(numeric, logging.WARNING)
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(quiet)
