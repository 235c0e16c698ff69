"""Pseudonymous member keys: a keyed HMAC of the platform and member id; raw ids are not stored.

The database keeps a fingerprint of the key (an HMAC of a fixed label under it, which does not
reveal the key), so that a start or a privacy command with another key is refused instead of
silently finding nobody's data.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.core.domain import PlatformName
from bot.core.ports import UnitOfWorkFactory

MEMBER_KEY_STATE = "member_hmac_key"
FINGERPRINT_STATE = "member_key_fingerprint"
_FINGERPRINT_LABEL = b"tigerbird member key fingerprint v1"


class MemberKeyMismatch(Exception):
    """The member key does not match the one the database's members were stored with."""


def fingerprint(secret: bytes) -> str:
    return hmac.new(secret, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


class MemberKeys:
    def __init__(self, secret: bytes, stored_in_database: bool = False) -> None:
        self._secret = secret
        # True when the key was generated and lives in the database beside the pseudonyms.
        self.stored_in_database = stored_in_database

    def key(self, platform: PlatformName, member_id: str) -> str:
        digest = hmac.new(self._secret, f"{platform.value}:{member_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self._secret)


def _configured_secret(configured: str, recorded: str | None) -> bytes:
    """The key's bytes. A generated key copied out of the database (64 hex digits) keeps
    meaning the same bytes, recognised by the recorded fingerprint."""
    if recorded and len(configured) == 64:
        try:
            as_generated = bytes.fromhex(configured)
        except ValueError:
            as_generated = b""
        if as_generated and hmac.compare_digest(fingerprint(as_generated), recorded):
            return as_generated
    return configured.encode()


async def load_member_keys(uow: UnitOfWorkFactory, configured: str | None) -> MemberKeys:
    """Use the configured key, or one generated once and kept in the database; refuse a key
    whose fingerprint differs from the one recorded with the data (MemberKeyMismatch)."""
    async with uow() as u:
        recorded = await u.state.get(FINGERPRINT_STATE)
        generated = await u.state.get(MEMBER_KEY_STATE)
        if configured:
            keys = MemberKeys(_configured_secret(configured, recorded))
            expected = recorded or (fingerprint(bytes.fromhex(generated)) if generated else None)
            if expected and not hmac.compare_digest(keys.fingerprint, expected):
                raise MemberKeyMismatch(
                    "TIGERBIRD_MEMBER_KEY does not match the key this database's members were "
                    "stored with; set it back to that key (with another one every stored "
                    "response is orphaned and privacy export/forget find nothing)"
                )
        else:
            if recorded and not generated:
                raise MemberKeyMismatch(
                    "TIGERBIRD_MEMBER_KEY is not set, but this database's members were stored "
                    "with a configured key; set TIGERBIRD_MEMBER_KEY to that key"
                )
            stored = await u.state.put_if_absent(MEMBER_KEY_STATE, secrets.token_hex(32))
            keys = MemberKeys(bytes.fromhex(stored), stored_in_database=True)
            if recorded and not hmac.compare_digest(keys.fingerprint, recorded):
                raise MemberKeyMismatch(
                    "TIGERBIRD_MEMBER_KEY is not set, and the key kept in this database does not "
                    "match the one its members were stored with; set TIGERBIRD_MEMBER_KEY to it"
                )
        if await u.state.put_if_absent(FINGERPRINT_STATE, keys.fingerprint) != keys.fingerprint:
            # Another process recorded a different key's fingerprint first.
            raise MemberKeyMismatch(
                "TIGERBIRD_MEMBER_KEY differs from the key another Tigerbird process has just "
                "recorded for this database; give every process the same key"
            )
        await u.commit()
    return keys
