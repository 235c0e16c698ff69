"""TIGERBIRD_SESSION_SECRET: used when set (never shown); otherwise generated once and kept in
the database like the member key, so every worker and restart reads the same cookies."""

from __future__ import annotations

import hashlib

from bot.app.settings import Settings
from bot.app.web import session_key
from bot.core.ports import UnitOfWorkFactory


async def test_an_unset_secret_is_generated_once_and_kept(store: UnitOfWorkFactory) -> None:
    unset = Settings(_env_file=None)
    first = await session_key(store, unset)
    assert len(first) == 32
    assert await session_key(store, unset) == first  # a restart, or another worker
    configured = Settings(_env_file=None, TIGERBIRD_SESSION_SECRET="s3cret-" * 6)
    key = await session_key(store, configured)
    assert key == hashlib.sha256(("s3cret-" * 6).encode()).digest() != first
    assert "s3cret" not in repr(configured) and "s3cret" not in str(configured.model_dump())
