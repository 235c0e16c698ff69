"""What members do in the fake Discord: react, write, run commands, click and submit modals.

Each action updates the World and dispatches the gateway event Discord would send.
"""

from __future__ import annotations

from typing import Any

from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_rest import new_message, public
from tests.discord.fake_discord_state import (
    APP_ID,
    FakeChannel,
    FakeGuild,
    emoji_payload,
    snowflake,
)

MESSAGE_CONTENT_INTENT = 1 << 15


def react(fake: FakeDiscord, guild_id: int, message_id: str, user_id: int, emoji: str) -> None:
    guild, message = _guild(fake, guild_id), fake.world.messages[int(message_id)]
    fake.world.reactions.setdefault(int(message_id), []).append((emoji, user_id))
    fake.dispatch(guild_id, "MESSAGE_REACTION_ADD", _reaction(guild, message, user_id, emoji))


def unreact(fake: FakeDiscord, guild_id: int, message_id: str, user_id: int, emoji: str) -> None:
    guild, message = _guild(fake, guild_id), fake.world.messages[int(message_id)]
    fake.world.reactions[int(message_id)].remove((emoji, user_id))
    event = _reaction(guild, message, user_id, emoji)
    del event["member"]  # Discord sends no member on removals
    fake.dispatch(guild_id, "MESSAGE_REACTION_REMOVE", event)


def say(
    fake: FakeDiscord,
    guild_id: int,
    channel_id: int,
    user_id: int,
    text: str = "hello",
    reply_to: str | None = None,
) -> dict[str, Any]:
    """A member writes in a channel or thread (optionally replying to a message)."""
    guild = _guild(fake, guild_id)
    channel = guild.channels[channel_id]
    body: dict[str, Any] = {"content": text}
    message = new_message(channel, guild.users[user_id], body, mtype=19 if reply_to else 0)
    if reply_to is not None:
        message["message_reference"] = {"message_id": reply_to, "channel_id": str(channel_id)}
    fake.world.messages[int(message["id"])] = message
    event = public(message) | {"guild_id": str(guild_id), "member": _member(guild, user_id)}
    if not any(s.intents & MESSAGE_CONTENT_INTENT for s in fake.sessions.values()):
        event["content"] = ""  # what Discord does without the Message Content intent
    fake.dispatch(guild_id, "MESSAGE_CREATE", event)
    return message


def slash(
    fake: FakeDiscord,
    guild_id: int,
    channel_id: int,
    user_id: int,
    sub: str,
    **options: str | int,
) -> str:
    """`/tigerbird <sub> options…`; returns the interaction id. Member permissions are
    computed like Discord does, so an overridden command still carries the truth."""
    command = next(c for c in fake.world.commands if c["name"] == "tigerbird")
    typed = [
        {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in options.items()
    ]
    data = {
        "id": command["id"],
        "name": "tigerbird",
        "type": 1,
        "options": [{"name": sub, "type": 1, "options": typed}],
    }
    return _interact(fake, guild_id, channel_id, user_id, 2, data)


def click(
    fake: FakeDiscord, guild_id: int, message: dict[str, Any], user_id: int, custom_id: str
) -> str:
    data = {"custom_id": custom_id, "component_type": 2}
    channel_id = int(message["channel_id"])
    return _interact(fake, guild_id, channel_id, user_id, 3, data, message=public(message))


def submit_modal(
    fake: FakeDiscord,
    guild_id: int,
    channel_id: int,
    user_id: int,
    modal: dict[str, Any],
    values: list[str],
) -> str:
    """Fill the modal's text inputs in order with `values` and submit it."""
    inputs = [c for c in _walk(modal["components"]) if c.get("type") == 4]
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": i["custom_id"], "value": v}]}
        for i, v in zip(inputs, values, strict=True)
    ]
    data = {"custom_id": modal["custom_id"], "components": rows}
    return _interact(fake, guild_id, channel_id, user_id, 5, data)


def callback_for(fake: FakeDiscord, interaction_id: str) -> dict[str, Any] | None:
    return next((c for c in fake.world.callbacks if c["interaction_id"] == interaction_id), None)


def answer_text(fake: FakeDiscord, interaction_id: str) -> str | None:
    """What the bot answered to an interaction (directly, or as a follow-up after deferring)."""
    callback = callback_for(fake, interaction_id)
    if callback is None:
        return None
    if callback["type"] == 4:
        return str(callback["data"]["content"])
    token = f"token-{interaction_id}"
    found = [f for f in fake.world.followups if f.get("_token") == token]
    return str(found[-1]["content"]) if found else None


def _interact(
    fake: FakeDiscord,
    guild_id: int,
    channel_id: int,
    user_id: int,
    kind: int,
    data: dict[str, Any],
    message: dict[str, Any] | None = None,
) -> str:
    guild = _guild(fake, guild_id)
    channel = guild.channels[channel_id]
    interaction_id = str(snowflake())
    payload: dict[str, Any] = {
        "id": interaction_id,
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{interaction_id}",
        "version": 1,
        "guild_id": str(guild_id),
        "guild": {"id": str(guild_id), "locale": "en-US", "features": []},
        "channel_id": str(channel_id),
        "channel": channel.payload(),
        "member": _member(guild, user_id)
        | {"permissions": str(guild.permissions(user_id, channel))},
        "data": data,
        "app_permissions": str(guild.permissions(APP_ID, channel)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0,
        "attachment_size_limit": 10485760,
    }
    if message is not None:
        payload["message"] = message
    fake.dispatch(guild_id, "INTERACTION_CREATE", payload)
    return interaction_id


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for component in components:
        found.append(component)
        found += _walk(component.get("components", []))
        if "component" in component:
            found += _walk([component["component"]])
    return found


def _guild(fake: FakeDiscord, guild_id: int) -> FakeGuild:
    return fake.world.guilds[guild_id]


def _member(guild: FakeGuild, user_id: int) -> dict[str, Any]:
    return guild.member_payload(user_id)


def _reaction(
    guild: FakeGuild, message: dict[str, Any], user_id: int, emoji: str
) -> dict[str, Any]:
    return {
        "user_id": str(user_id),
        "channel_id": message["channel_id"],
        "message_id": message["id"],
        "guild_id": str(guild.id),
        "emoji": emoji_payload(emoji),
        "member": _member(guild, user_id),
        "burst": False,
        "type": 0,
        "message_author_id": message["author"]["id"],
    }


def thread_channel(fake: FakeDiscord, message_id: str) -> FakeChannel:
    thread = fake.world.thread_of(int(message_id))
    assert thread is not None, f"no thread on message {message_id}"
    return thread
