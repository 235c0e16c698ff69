"""Pseudonymous member keys: a keyed HMAC of the platform and member id; raw ids are not stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.domain import PlatformName
from bot.ports import UnitOfWorkFactory

MEMBER_KEY_STATE = "member_hmac_key"


class MemberKeys:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def key(self, platform: PlatformName, member_id: str) -> str:
        digest = hmac.new(self._secret, f"{platform.value}:{member_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]


async def load_member_keys(uow: UnitOfWorkFactory, configured: str | None) -> MemberKeys:
    """Use the configured key, or one generated once and kept in the database."""
    if configured:
        return MemberKeys(configured.encode())
    async with uow() as u:
        stored = await u.state.put_if_absent(MEMBER_KEY_STATE, secrets.token_hex(32))
        await u.commit()
    return MemberKeys(bytes.fromhex(stored))
