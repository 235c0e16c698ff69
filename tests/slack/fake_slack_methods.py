"""The Web API methods the fake Slack serves, with Slack's own error codes."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
FULL_SCOPES = (
    "chat:write,commands,reactions:read,reactions:write,channels:history,groups:history,"
    "channels:read,groups:read,channels:join,pins:write,users:read,im:write,files:write"
)


class SlackError(Exception):
    """Answered as {"ok": false, "error": code}."""


@dataclass
class Team:
    id: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    scopes: str = FULL_SCOPES
    name: str = "Test Team"


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    is_im: bool = False
    members: set[str] = field(default_factory=set)
    messages: list[Json] = field(default_factory=list)
    pins: set[str] = field(default_factory=set)


def _true(value: Any) -> bool:
    return value is True or str(value).lower() in {"true", "1"}


def _message(channel: Channel, ts: str) -> Json:
    for message in channel.messages:
        if message["ts"] == ts:
            return message
    raise SlackError("message_not_found")


class WebApiMethods:
    """Handlers named m_<method with dots as underscores>; `team` is the caller's workspace."""

    app_token: str
    client_id: str
    client_secret: str
    teams: dict[str, Team]
    channels: dict[str, Channel]
    users: dict[str, Json]
    uploads: dict[str, bytes]
    oauth_codes: dict[str, Team]
    _ids: itertools.count[int]

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def _channel(self, channel_id: str, team: Team) -> Channel:
        raise NotImplementedError

    def _next_ts(self) -> str:
        raise NotImplementedError

    def _writable(self, params: Json, team: Team) -> Channel:
        channel = self._channel(str(params["channel"]), team)
        if channel.is_archived:
            raise SlackError("is_archived")
        if team.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    async def m_auth_test(self, params: Json, team: Team) -> Json:
        return {
            "url": f"https://{team.id.lower()}.slack.test/",
            "team": team.name,
            "team_id": team.id,
            "user": "tigerbird",
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "is_enterprise_install": False,
        }

    async def m_apps_connections_open(self, params: Json, team: None) -> Json:
        return {"url": self.base_url.replace("http", "ws") + "/link"}

    async def m_chat_postMessage(self, params: Json, team: Team) -> Json:
        channel = self._writable(params, team)
        if not params.get("text") and not params.get("blocks"):
            raise SlackError("no_text")
        message: Json = {
            "type": "message",
            "ts": self._next_ts(),
            "user": team.bot_user_id,
            "bot_id": team.bot_id,
            "text": params.get("text", ""),
            "blocks": _json(params.get("blocks")) or [],
            "reactions": [],
            "_reacted_by": {},
        }
        if params.get("metadata"):
            message["metadata"] = _json(params["metadata"])
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        channel.messages.append(message)
        public = {k: v for k, v in message.items() if k not in {"metadata", "_reacted_by"}}
        return {"channel": channel.id, "ts": message["ts"], "message": public}

    async def m_chat_update(self, params: Json, team: Team) -> Json:
        channel = self._channel(str(params["channel"]), team)
        message = _message(channel, str(params["ts"]))
        message["text"] = params.get("text", message["text"])
        message["blocks"] = _json(params.get("blocks")) or message["blocks"]
        return {"channel": channel.id, "ts": message["ts"], "text": message["text"]}

    async def m_chat_postEphemeral(self, params: Json, team: Team) -> Json:
        channel = self._writable(params, team)
        channel.messages.append({"ephemeral_to": params["user"], "ts": self._next_ts(), **params})
        return {"message_ts": channel.messages[-1]["ts"]}

    async def m_reactions_add(self, params: Json, team: Team) -> Json:
        channel = self._writable(params, team)
        message = _message(channel, str(params["timestamp"]))
        if params["name"] in message["reactions"]:
            raise SlackError("already_reacted")
        if ":" in str(params["name"]) or str(params["name"]) != str(params["name"]).strip():
            raise SlackError("invalid_name")
        message["reactions"].append(params["name"])
        message.setdefault("_reacted_by", {}).setdefault(params["name"], []).append(
            team.bot_user_id
        )
        return {}

    async def m_reactions_get(self, params: Json, team: Team) -> Json:
        channel = self._channel(str(params["channel"]), team)
        if team.bot_user_id not in channel.members and not channel.is_im:
            raise SlackError("not_in_channel")
        message = _message(channel, str(params["timestamp"]))
        reactions = [
            {"name": name, "users": list(users), "count": len(users)}
            for name, users in (message.get("_reacted_by") or {}).items()
            if users
        ]
        public = {k: v for k, v in message.items() if k not in {"metadata", "_reacted_by"}}
        return {
            "type": "message",
            "channel": channel.id,
            "message": public | {"reactions": reactions},
        }

    async def m_pins_add(self, params: Json, team: Team) -> Json:
        channel = self._writable(params, team)
        _message(channel, str(params["timestamp"]))
        if params["timestamp"] in channel.pins:
            raise SlackError("already_pinned")
        channel.pins.add(str(params["timestamp"]))
        return {}

    async def m_pins_remove(self, params: Json, team: Team) -> Json:
        channel = self._writable(params, team)
        if params["timestamp"] not in channel.pins:
            raise SlackError("no_pin")
        channel.pins.discard(str(params["timestamp"]))
        return {}

    async def m_conversations_info(self, params: Json, team: Team) -> Json:
        channel = self._channel(str(params.get("channel")), team)
        return {"channel": self._channel_object(channel, team)}

    async def m_conversations_list(self, params: Json, team: Team) -> Json:
        """Public and private channels the bot may see (private only as a member); paged."""
        types = str(params.get("types") or "public_channel").split(",")
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 100)
        seen = [
            c
            for c in self._team_channels(team.id)
            if not c.is_im
            and ("private_channel" if c.is_private else "public_channel") in types
            and (not c.is_private or team.bot_user_id in c.members)
            and not (c.is_archived and _true(params.get("exclude_archived")))
        ]
        page = seen[start : start + limit]
        more = start + limit < len(seen)
        return {
            "channels": [self._channel_object(c, team) for c in page],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _team_channels(self, team_id: str) -> list[Channel]:
        # Indexed by team, rebuilt when channels are added (a fan-out has thousands of teams).
        if getattr(self, "_indexed", -1) != len(self.channels):
            index: dict[str, list[Channel]] = {}
            for channel in self.channels.values():
                index.setdefault(channel.team_id, []).append(channel)
            self._index, self._indexed = index, len(self.channels)
        return list(self._index.get(team_id, []))

    def _channel_object(self, channel: Channel, team: Team) -> Json:
        return {
            "id": channel.id,
            "name": channel.name,
            "is_channel": not channel.is_private and not channel.is_im,
            "is_private": channel.is_private,
            "is_im": channel.is_im,
            "is_archived": channel.is_archived,
            "is_member": team.bot_user_id in channel.members,
        }

    async def m_conversations_join(self, params: Json, team: Team) -> Json:
        channel = self._channel(str(params.get("channel")), team)
        if channel.is_private or channel.is_im:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise SlackError("is_archived")
        channel.members.add(team.bot_user_id)
        return {"channel": {"id": channel.id, "name": channel.name}}

    async def m_conversations_history(self, params: Json, team: Team) -> Json:
        channel = self._channel(str(params.get("channel")), team)
        if team.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        oldest = float(params.get("oldest", 0))
        found = [m for m in reversed(channel.messages) if float(m["ts"]) > oldest]
        found = [m for m in found if "ephemeral_to" not in m and "thread_ts" not in m]
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit", 100))
        page = found[start : start + limit]
        page = [{k: v for k, v in m.items() if k != "_reacted_by"} for m in page]
        if not _true(params.get("include_all_metadata")):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        cursor = str(start + limit) if more else ""
        return {"messages": page, "has_more": more, "response_metadata": {"next_cursor": cursor}}

    async def m_conversations_replies(self, params: Json, team: Team) -> Json:
        """The thread's parent first, then its replies, oldest first; paged."""
        channel = self._channel(str(params.get("channel")), team)
        if team.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        ts = str(params.get("ts"))
        parent = [m for m in channel.messages if m["ts"] == ts and "ephemeral_to" not in m]
        if not parent:
            raise SlackError("thread_not_found")
        found = parent + [m for m in channel.messages if m.get("thread_ts") == ts and m["ts"] != ts]
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit", 100))
        page = [
            {k: v for k, v in m.items() if k not in {"_reacted_by", "metadata"}}
            for m in found[start : start + limit]
        ]
        more = start + limit < len(found)
        cursor = str(start + limit) if more else ""
        return {"messages": page, "has_more": more, "response_metadata": {"next_cursor": cursor}}

    async def m_conversations_open(self, params: Json, team: Team) -> Json:
        user = str(params.get("users"))
        if user not in self.users:
            raise SlackError("user_not_found")
        channel_id = "D" + user
        if channel_id not in self.channels:
            members = {user, team.bot_user_id}
            channel = Channel(channel_id, team.id, channel_id, is_im=True, members=members)
            self.channels[channel_id] = channel
        return {"channel": {"id": channel_id}}

    async def m_users_info(self, params: Json, team: Team) -> Json:
        user = self.users.get(str(params.get("user")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}

    async def m_users_list(self, params: Json, team: Team) -> Json:
        members = [u for u in self.users.values() if u.get("team_id") == team.id]
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 1000)
        more = start + limit < len(members)
        cursor = str(start + limit) if more else ""
        return {
            "members": members[start : start + limit],
            "response_metadata": {"next_cursor": cursor},
        }

    async def m_views_open(self, params: Json, team: Team) -> Json:
        view = _json(params["view"])
        return {"view": {"id": f"V{next(self._ids)}", **view}}

    async def m_files_getUploadURLExternal(self, params: Json, team: Team) -> Json:
        file_id = f"F{next(self._ids)}"
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    async def m_files_completeUploadExternal(self, params: Json, team: Team) -> Json:
        files = _json(params["files"])
        if params.get("channel_id"):
            self._writable({"channel": params["channel_id"]}, team)
        for entry in files:
            if entry["id"] not in self.uploads:
                raise SlackError("file_not_found")
        return {"files": [{"id": entry["id"], "title": entry.get("title")} for entry in files]}

    async def m_oauth_v2_access(self, params: Json, team: None) -> Json:
        if params.get("_basic_auth") != (self.client_id, self.client_secret):
            raise SlackError("invalid_client_id")
        installed = self.oauth_codes.pop(str(params["code"]), None)
        if installed is None:
            raise SlackError("invalid_code")
        self.teams[installed.bot_token] = installed
        return {
            "app_id": "A0TIGER",
            "authed_user": {"id": "UINSTALLER"},
            "scope": installed.scopes,
            "token_type": "bot",
            "access_token": installed.bot_token,
            "bot_user_id": installed.bot_user_id,
            "team": {"id": installed.id, "name": installed.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
