"""Populating the fakes and the database with many communities, channels and schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from bot.core.domain import Choice, PlatformName, PromptDraft, PromptSource, ScheduleSpec
from bot.core.ports import NewSchedule, UnitOfWorkFactory
from tests.discord.fake_discord_state import FakeChannel, FakeGuild, World
from tests.slack.fake_slack import FakeSlack

OWNER = 500_000_000_000_000_001
CHOICES = (Choice("🍵", "tea"), Choice("☕", "coffee"))
PROMPTS = 60  # above the low-library threshold: no manager notices during the run


class IndexedWorld(World):
    """The fake Discord's World with a channel index (its own lookup scans every guild)."""

    def __init__(self) -> None:
        super().__init__()
        self._index: dict[int, FakeGuild] = {}

    def channel(self, channel_id: int) -> tuple[FakeGuild, FakeChannel] | None:
        guild = self._index.get(channel_id)
        if guild is not None and channel_id in guild.channels:
            return guild, guild.channels[channel_id]
        found = super().channel(channel_id)
        if found is not None:
            self._index[channel_id] = found[0]
        return found


@dataclass(frozen=True)
class Place:
    """One channel to post to: (community external id, channel id)."""

    community: str
    channel: str


def discord_places(world: World, communities: int, per_community: int, first: int) -> list[Place]:
    """Guilds with `per_community` text channels each; ids start at `first` (distinct runs)."""
    places = []
    for g in range(communities):
        guild_id = (first + g) << 22
        guild = world.add_guild(guild_id, f"guild {first + g}", OWNER)
        for c in range(per_community):
            channel = FakeChannel(guild_id + 10 + c, guild_id, f"ch{c}")
            guild.channels[channel.id] = channel
            places.append(Place(str(guild_id), str(channel.id)))
    return places


def slack_places(fake: FakeSlack, communities: int, per_community: int, first: int) -> list[Place]:
    places = []
    for t in range(communities):
        team = fake.add_team(f"T{first + t}")
        for c in range(per_community):
            channel = f"C{first + t}X{c}"
            fake.add_channel(channel, team.id, members={team.bot_user_id})
            places.append(Place(team.id, channel))
    return places


class TeamTokens:
    """A TokenSource over the fake Slack's installed teams (multi-workspace mode)."""

    def __init__(self, fake: FakeSlack) -> None:
        self._tokens = {team.id: token for token, team in fake.teams.items()}

    async def bot_token(self, team_id: str) -> str:
        return self._tokens[team_id]

    async def installer(self, team_id: str) -> str | None:
        return None


async def add_schedules(
    uow: UnitOfWorkFactory, platform: PlatformName, places: list[Place], slot: datetime
) -> None:
    """One daily schedule per place, all due at `slot`, plus a few prompts with two choices."""
    spec = ScheduleSpec(times=(time(slot.hour, slot.minute),), timezone="UTC")
    async with uow() as u:
        for i in range(PROMPTS):
            draft = PromptDraft(f"scale/{i}", f"Tea or coffee, take {i}?", "food", choices=CHOICES)
            if await u.prompts.by_key(draft.key) is None:
                await u.prompts.add(draft, PromptSource.BUILTIN)
        communities: dict[str, int] = {}
        for place in places:
            if place.community not in communities:
                found = await u.communities.ensure(platform, place.community)
                communities[place.community] = found.id
            new = NewSchedule(communities[place.community], place.channel, spec)
            await u.schedules.add(new, slot)
        await u.commit()


def discord_counts(world: World, places: list[Place]) -> dict[str, int]:
    """Top-level messages per channel in the fake Discord."""
    counts = {p.channel: 0 for p in places}
    for message in world.messages.values():
        if message["channel_id"] in counts and message.get("type", 0) == 0:
            counts[message["channel_id"]] += 1
    return counts


def slack_counts(fake: FakeSlack, places: list[Place]) -> dict[str, int]:
    return {p.channel: len(fake.posts(p.channel)) for p in places}


def duplicates_and_misses(counts: dict[str, Any]) -> tuple[int, int]:
    duplicates = sum(max(0, n - 1) for n in counts.values())
    misses = sum(1 for n in counts.values() if n == 0)
    return duplicates, misses
