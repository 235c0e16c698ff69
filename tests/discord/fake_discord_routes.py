"""Route handlers of the fake Discord REST API (registered on import)."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.discord.fake_discord_rest import (
    EMBED_NEEDS,
    NONCE_WINDOW_SECONDS,
    PIN_EITHER,
    REACT_NEEDS,
    SEND_NEEDS,
    THREAD_NEEDS,
    DiscordError,
    Params,
    RestApi,
    bot_author,
    new_message,
    ok,
    public,
    route,
)
from tests.discord.fake_discord_state import (
    APP_ID,
    READ_MESSAGE_HISTORY,
    FakeChannel,
    emoji_payload,
    iso_now,
    snowflake,
    user_payload,
)

Q = dict[str, str]


@route("GET", "/users/@me")
async def get_me(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return ok(user_payload(APP_ID, "Tigerbird", bot=True) | {"verified": True, "flags": 0})


@route("GET", "/oauth2/applications/@me")
async def get_application(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return ok(
        {
            "id": str(APP_ID),
            "name": "Tigerbird",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": user_payload(1, "owner"),
            "team": None,
            "summary": "",
            "rpc_origins": [],
        }
    )


@route("GET", "/gateway/bot")
async def get_gateway_bot(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return ok(
        {
            "url": api.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }
    )


@route("GET", "/channels/{channel_id}")
async def get_channel(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    _, channel = api.text_channel(p["channel_id"])
    return ok(channel.payload())


@route("GET", "/guilds/{guild_id}")
async def get_guild(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild = api.world.guilds.get(int(p["guild_id"]))
    if guild is None:
        raise DiscordError(404, 10004, "Unknown Guild")
    return ok(guild.payload())


@route("GET", "/guilds/{guild_id}/roles")
async def get_roles(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return ok(api.world.guilds[int(p["guild_id"])].role_payloads())


@route("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild = api.world.guilds[int(p["guild_id"])]
    if int(p["user_id"]) not in guild.members:
        raise DiscordError(404, 10007, "Unknown Member")
    return ok(guild.member_payload(int(p["user_id"])))


@route("POST", "/channels/{channel_id}/messages")
async def create_message(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    dm_user = api.world.dm_channels.get(int(p["channel_id"]))
    if dm_user is not None:
        message = new_message(FakeChannel(int(p["channel_id"]), 0, "dm", 1), bot_author(), body)
        api.world.dms.append((dm_user, message))
        return ok(public(message))
    guild, channel = api.text_channel(p["channel_id"])
    api.require(guild, channel, *(EMBED_NEEDS if body.get("embeds") else SEND_NEEDS))
    nonce = body.get("nonce")
    key = (APP_ID, channel.id, str(nonce))
    if nonce is not None and body.get("enforce_nonce"):
        seen = api.world.nonces.get(key)
        if seen and time.monotonic() - seen[1] < NONCE_WINDOW_SECONDS:
            return ok(public(api.world.messages[seen[0]]) | {"nonce": str(nonce)})
    message = new_message(channel, bot_author(), body)
    api.world.messages[int(message["id"])] = message
    if nonce is not None:
        api.world.nonces[key] = (int(message["id"]), time.monotonic())
    event = public(message) | {"guild_id": str(guild.id), "nonce": str(nonce)}
    api.dispatch(guild.id, "MESSAGE_CREATE", event)
    return ok(public(message) | ({"nonce": str(nonce)} if nonce is not None else {}))


@route("GET", "/channels/{channel_id}/messages")
async def list_messages(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild, channel = api.text_channel(p["channel_id"])
    api.require(guild, channel, 1 << 16)
    found = api.world.channel_messages(channel.id)  # oldest first; never carries the nonce
    limit = int(q.get("limit", "50"))
    if "after" in q:
        found = [m for m in found if int(m["id"]) > int(q["after"])][:limit]
    else:
        if "before" in q:
            found = [m for m in found if int(m["id"]) < int(q["before"])]
        found = found[-limit:]
    return ok([public(m) for m in reversed(found)])


@route("GET", "/channels/{channel_id}/messages/{message_id}")
async def get_message(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    message = public(api.message(p["channel_id"], p["message_id"]))
    reacted = list(dict.fromkeys(api.world.reactions.get(int(p["message_id"]), [])))
    counts = {emoji: sum(e == emoji for e, _ in reacted) for emoji, _ in reacted}
    if counts:
        message["reactions"] = [
            {
                "count": count,
                "count_details": {"burst": 0, "normal": count},
                "me": (emoji, APP_ID) in reacted,
                "me_burst": False,
                "burst_colors": [],
                "emoji": emoji_payload(emoji),
            }
            for emoji, count in counts.items()
        ]
    return ok(message)


@route("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}")
async def list_reactors(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild, channel = api.text_channel(p["channel_id"])
    api.require(guild, channel, READ_MESSAGE_HISTORY)
    api.message(p["channel_id"], p["message_id"])
    reacted = api.world.reactions.get(int(p["message_id"]), [])
    users = sorted({u for e, u in reacted if e == p["emoji_name"]})
    if not users:
        raise DiscordError(404, 10014, "Unknown Emoji")
    after, limit = int(q.get("after", "0")), int(q.get("limit", "25"))
    return ok([guild.users[u] for u in users if u > after][:limit])


@route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me")
async def add_reaction(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild, channel = api.text_channel(p["channel_id"])
    api.require(guild, channel, *REACT_NEEDS)
    api.message(p["channel_id"], p["message_id"])
    emoji = p["emoji_name"]
    reactions = api.world.reactions.setdefault(int(p["message_id"]), [])
    if (emoji, APP_ID) not in reactions:
        reactions.append((emoji, APP_ID))
        event = {
            "user_id": str(APP_ID),
            "channel_id": p["channel_id"],
            "message_id": p["message_id"],
            "guild_id": str(guild.id),
            "emoji": emoji_payload(emoji),
            "member": guild.member_payload(APP_ID),
            "burst": False,
            "type": 0,
        }
        api.dispatch(guild.id, "MESSAGE_REACTION_ADD", event)
    return ok(None, 204)


@route("POST", "/channels/{channel_id}/messages/{message_id}/threads")
async def start_thread(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    guild, channel = api.text_channel(p["channel_id"])
    api.require(guild, channel, *THREAD_NEEDS)
    api.message(p["channel_id"], p["message_id"])
    if api.world.thread_of(int(p["message_id"])) is not None:
        raise DiscordError(400, 160004, "A thread has already been created for this message")
    thread = FakeChannel(int(p["message_id"]), guild.id, body["name"], 11, parent_id=channel.id)
    guild.channels[thread.id] = thread
    api.dispatch(guild.id, "THREAD_CREATE", thread.payload() | {"newly_created": True})
    return ok(thread.payload(), 201)


async def _pin(api: RestApi, p: Params, pinned: bool) -> web.Response:
    guild, channel = api.text_channel(p["channel_id"])
    perms = guild.permissions(APP_ID, channel)
    if not any(perms & bit for bit in PIN_EITHER):
        raise DiscordError(403, 50013, "Missing Permissions")
    message = api.message(p["channel_id"], p["message_id"])
    message["pinned"] = pinned
    (api.world.pins.add if pinned else api.world.pins.discard)(int(p["message_id"]))
    return ok(None, 204)


@route("PUT", "/channels/{channel_id}/messages/pins/{message_id}")
async def pin(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return await _pin(api, p, True)


@route("DELETE", "/channels/{channel_id}/messages/pins/{message_id}")
async def unpin(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return await _pin(api, p, False)


@route("PUT", "/channels/{channel_id}/pins/{message_id}")
async def pin_legacy(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return await _pin(api, p, True)


@route("DELETE", "/channels/{channel_id}/pins/{message_id}")
async def unpin_legacy(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    return await _pin(api, p, False)


@route("POST", "/users/@me/channels")
async def open_dm(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    user_id = int(body["recipient_id"])
    channel_id = api.world.dm_channels_by_user.setdefault(user_id, snowflake())
    api.world.dm_channels[channel_id] = user_id
    user = user_payload(user_id, f"user{user_id}")
    return ok({"id": str(channel_id), "type": 1, "recipients": [user], "last_message_id": None})


@route("PUT", "/applications/{application_id}/commands")
async def overwrite_commands(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    api.world.command_syncs += 1
    api.world.commands = [
        c | {"id": str(snowflake()), "application_id": str(APP_ID), "version": "1"} for c in body
    ]
    return ok(api.world.commands)


@route("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
async def interaction_callback(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    api.world.callbacks.append({"interaction_id": p["interaction_id"], **body})
    resource: dict[str, Any] = {"type": body["type"]}
    if body["type"] in (4, 7):
        data = body.get("data") or {}
        message = new_message(FakeChannel(0, 0, "interaction"), bot_author(), data, mtype=20)
        resource["message"] = public(message)
    interaction = {"id": p["interaction_id"], "type": 2, "response_message_loading": False}
    return ok({"interaction": interaction, "resource": resource})


@route("POST", "/webhooks/{webhook_id}/{webhook_token}")
async def followup(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    message = new_message(FakeChannel(0, 0, "followup"), bot_author(), body)
    message["_token"] = p["webhook_token"]
    api.world.followups.append(message)
    return ok(public(message) | {"webhook_id": str(APP_ID)})


@route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
async def edit_original(api: RestApi, p: Params, q: Q, body: Any) -> web.Response:
    message = new_message(FakeChannel(0, 0, "original"), bot_author(), body)
    message["_token"] = p["webhook_token"]
    api.world.followups.append(message)
    return ok(public(message) | {"edited_timestamp": iso_now()})
