"""Both fakes with many channels, and a database seeded with schedules due right now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

from bot.app.bootstrap import build_core, open_database
from bot.app.settings import Settings
from bot.core.domain import CatchUp, PlatformName, ScheduleSpec
from bot.core.ports import NewSchedule
from tests.discord.discord_world import GUILD_A, populate
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord_state import BOT_TOKEN, FakeChannel, snowflake
from tests.slack.fake_slack import FakeSlack

SLACK_TEAM = "T1"
SLACK_MANAGER = "UADMIN"
SLACK_DOWN = "UDOWN"  # reacts and replies while the bot is down
SLACK_SIGNING_SECRET = "reliability-signing-secret-6f1c"
MEMBER_KEY = "reliability-member-key-93ab"


@dataclass(frozen=True)
class Planned:
    """One seeded schedule and what its slot must become."""

    platform: PlatformName
    channel: str
    catch_up: CatchUp
    late: bool

    @property
    def must_post(self) -> bool:
        return not (self.late and self.catch_up is CatchUp.SKIP)


@dataclass
class World:
    """The fakes, the settings a bot process gets, and the seeded plan."""

    slack: FakeSlack
    discord: FakeDiscord
    database_url: str
    plan: dict[int, Planned] = field(default_factory=dict)
    direct_database_url: str | None = None  # the tests' own way in, when the bot's is cut

    @property
    def check_url(self) -> str:
        return self.direct_database_url or self.database_url

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for `tigerbird run`: every token points at a fake on 127.0.0.1."""
        return {
            "DATABASE_URL": self.database_url,
            "SLACK_BOT_TOKEN": self.slack.team(SLACK_TEAM).bot_token,
            "SLACK_APP_TOKEN": self.slack.app_token,
            "SLACK_API_URL": self.slack.api_url,
            "SLACK_PACING": "false",  # this fake has no rate limits (tests/scale's has)
            "DISCORD_TOKEN": BOT_TOKEN,
            "DISCORD_API_URL": self.discord.api_url,
            "DISCORD_GATEWAY_URL": self.discord.gateway_url,
            "TIGERBIRD_MEMBER_KEY": MEMBER_KEY,
            "TIGERBIRD_MANAGERS": SLACK_MANAGER,
            **extra,
        }

    def settings(self) -> Settings:
        """Settings over the tests' own database connection."""
        values: dict[str, Any] = self.env(DATABASE_URL=self.check_url)
        return Settings(**values)

    def secrets(self) -> list[str]:
        """Every credential the bot holds: none may ever reach a log."""
        return [
            self.slack.team(SLACK_TEAM).bot_token,
            self.slack.app_token,
            BOT_TOKEN,
            MEMBER_KEY,
            SLACK_SIGNING_SECRET,
        ]

    def slack_prompts(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.slack.posts(channel) if m.get("metadata")]

    def discord_prompts(self, channel: str) -> list[dict[str, Any]]:
        return [
            m
            for m in self.discord.world.channel_messages(int(channel))
            if m["author"]["bot"] and m["type"] == 0
        ]

    def prompts_in(self, planned: Planned) -> int:
        """How many prompts the bots posted in this schedule's channel."""
        if planned.platform is PlatformName.SLACK:
            return len(self.slack_prompts(planned.channel))
        return len(self.discord_prompts(planned.channel))

    def total_prompts(self) -> int:
        return sum(self.prompts_in(p) for p in self.plan.values())

    def prompt_times(self) -> dict[tuple[PlatformName, str, str], datetime]:
        """When each prompt on the platforms was made, by (platform, channel, message id)."""
        found: dict[tuple[PlatformName, str, str], datetime] = {}
        for planned in self.plan.values():
            channel = planned.channel
            if planned.platform is PlatformName.SLACK:
                for m in self.slack_prompts(channel):
                    at = datetime.fromtimestamp(float(m["ts"]), UTC)
                    found[(planned.platform, channel, str(m["ts"]))] = at
            else:
                for m in self.discord_prompts(channel):
                    at = discord.utils.snowflake_time(int(m["id"]))
                    found[(planned.platform, channel, str(m["id"]))] = at
        return found


async def start_fakes(
    channels_per_platform: int,
) -> tuple[FakeSlack, FakeDiscord, list[str], list[str]]:
    """A Slack workspace and a Discord server, each with `channels_per_platform` channels."""
    slack = FakeSlack(app_token="xapp-1-reliability-app-token-77d2")
    await slack.start()
    team = slack.add_team(SLACK_TEAM)
    slack.add_user(SLACK_MANAGER, is_admin=True)
    slack.add_user("UMEMBER")
    slack.add_user(SLACK_DOWN)
    slack_channels = []
    for n in range(channels_per_platform):
        channel = slack.add_channel(f"C{n:05d}", name=f"c{n}", members={team.bot_user_id})
        slack_channels.append(channel.id)
    discord = FakeDiscord()
    await discord.start()
    server = populate(discord, GUILD_A, "Reliability")
    discord_channels = [str(server.channel.id)]
    for n in range(channels_per_platform - 1):
        text_channel = FakeChannel(snowflake(), GUILD_A, f"c{n}")
        server.guild.channels[text_channel.id] = text_channel
        discord_channels.append(str(text_channel.id))
    return slack, discord, slack_channels, discord_channels


async def seed(
    world: World,
    channels: dict[PlatformName, list[str]],
    late_every: int,
    due_at: datetime | None = None,
) -> None:
    """One schedule per channel, its slot due now; every `late_every`-th one was due 3 h ago
    (alternately catch-up skip and latest), as if the bot had been down since."""
    engine, uow = await open_database(world.settings())
    core = await build_core(uow, world.settings())
    now = due_at or datetime.now(UTC).replace(second=0, microsecond=0)
    communities = {PlatformName.SLACK: SLACK_TEAM, PlatformName.DISCORD: str(GUILD_A)}
    n = 0
    for platform, names in channels.items():
        for channel in names:
            n += 1
            late = late_every > 0 and n % late_every == 0
            catch_up = CatchUp.SKIP if late and (n // late_every) % 2 else CatchUp.LATEST
            slot = now - timedelta(hours=3) if late else now
            spec = ScheduleSpec(times=(slot.time(),), timezone="UTC")
            new = NewSchedule(0, channel, spec, catch_up=catch_up, thread=False)
            schedule, _ = await core.service.add_schedule(platform, communities[platform], new)
            schedule.next_slot_at = slot
            async with uow() as u:
                await u.schedules.update(schedule)
                await u.commit()
            world.plan[schedule.id] = Planned(platform, channel, catch_up, late)
    await engine.dispose()


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'tigerbird.db'}"
