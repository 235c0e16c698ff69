"""kill -9 of a real `tigerbird run` while people react, then a restart: the stored reactions
match both platforms exactly, whether they were seen live, in flight at the kill, added while
the bot was down, or removed while it was down (issue 8: none is lost).

Neither Slack nor Discord replays events a bot missed; the restart reads them back
(Platform.current_reactions, EngagementRecorder.catch_up_reactions).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from adapters.slack.emoji_names import from_slack_name
from bot.app.bootstrap import open_database
from bot.core.domain import PlatformName, Post, PostStatus, ResponseKind
from bot.engagement.members import MemberKeys
from tests.discord.discord_world import GUILD_A, MANAGER, MEMBER, OWNER
from tests.discord.fake_discord_people import react
from tests.discord.fake_discord_state import APP_ID
from tests.reliability.bot_process import BotProcess, start_bot
from tests.reliability.integrity import database_problems
from tests.reliability.test_crash_campaign import wait_for
from tests.reliability.world import MEMBER_KEY, SLACK_TEAM, World, seed, sqlite_url, start_fakes
from tests.slack.slack_requests import event_callback, reaction_event

CHANNELS_PER_PLATFORM = 4
SLACK_PEOPLE = ("UMEMBER", "UADMIN", "UDOWN")
Reaction = tuple[str, str, str]  # (message id, member key, emoji)


async def posts(world: World) -> list[Post]:
    engine, uow = await open_database(world.settings())
    async with uow() as u:
        found = await u.posts.all()
    await engine.dispose()
    return found


async def stored(world: World) -> Counter[Reaction]:
    engine, uow = await open_database(world.settings())
    rows: Counter[Reaction] = Counter()
    async with uow() as u:
        for post in await u.posts.all():
            for member, kind, emoji, _ in await u.responses.for_post(post.id):
                if kind is ResponseKind.REACTION:
                    rows[(str(post.message_id), member, emoji)] += 1
    await engine.dispose()
    return rows


def on_platforms(world: World, sent: list[tuple[Post, PlatformName, str]]) -> Counter[Reaction]:
    """Every person's reaction on the posts, as the fakes hold them now."""
    keys = MemberKeys(MEMBER_KEY.encode())
    bot = world.slack.team(SLACK_TEAM).bot_user_id
    found: Counter[Reaction] = Counter()
    for post, platform, channel in sent:
        ts = str(post.message_id)
        if platform is PlatformName.SLACK:
            [message] = [m for m in world.slack.posts(channel) if m["ts"] == ts]
            for name, users in message.get("_reacted_by", {}).items():
                for user in set(users) - {bot}:
                    found[(ts, keys.key(platform, user), from_slack_name(name))] += 1
        else:
            for emoji, user in set(world.discord.world.reactions.get(int(ts), [])):
                if user != APP_ID:
                    found[(ts, keys.key(platform, str(user)), emoji)] += 1
    return found


async def slack_reacts(world: World, channel: str, ts: str, user: str, name: str) -> None:
    """A person reacts on Slack and Slack sends the event to the connected app."""
    world.slack.react(channel, ts, user, name)
    event = reaction_event("reaction_added", user, channel, ts, name)
    bot = world.slack.team(SLACK_TEAM).bot_user_id
    await world.slack.socket_send("events_api", event_callback(SLACK_TEAM, event, bot))


async def run(tmp: Path) -> dict[str, int]:
    slack, discord, slack_channels, discord_channels = await start_fakes(CHANNELS_PER_PLATFORM)
    slack.add_user("UDOWN")
    world = World(slack, discord, sqlite_url(tmp))
    bots: list[BotProcess] = []
    try:
        channels = {PlatformName.SLACK: slack_channels, PlatformName.DISCORD: discord_channels}
        await seed(world, channels, late_every=0)
        first = await start_bot(world.env(), tmp)
        bots.append(first)

        async def all_sent() -> bool:
            found = await posts(world)
            return len(found) == len(world.plan) and all(p.status is PostStatus.SENT for p in found)

        await wait_for(all_sent, "posting", first)
        sent = [
            (p, world.plan[p.schedule_id].platform, world.plan[p.schedule_id].channel)
            for p in await posts(world)
        ]
        slack_posts = [(c, str(p.message_id)) for p, k, c in sent if k is PlatformName.SLACK]
        discord_posts = [str(p.message_id) for p, k, _ in sent if k is PlatformName.DISCORD]

        # 1. seen live: stored before anything goes wrong
        for channel, ts in slack_posts:
            await slack_reacts(world, channel, ts, "UMEMBER", "coffee")
        for message_id in discord_posts:
            react(discord, GUILD_A, message_id, MEMBER, "☕")

        async def live_stored() -> bool:
            return sum((await stored(world)).values()) == len(sent)

        await wait_for(live_stored, "storing live reactions", first)

        # 2. in flight at the kill: events sent, the process killed before it may store them
        in_flight = [
            asyncio.create_task(slack_reacts(world, c, ts, "UADMIN", "+1::skin-tone-2"))
            for c, ts in slack_posts
        ]
        for message_id in discord_posts:
            react(discord, GUILD_A, message_id, MANAGER, "👍")
        await asyncio.sleep(0)
        first.kill()
        await first.wait()
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        before_restart = await stored(world)

        # 3. while the bot is down: new reactions, and one live reaction taken back per platform
        for channel, ts in slack_posts:
            slack.react(channel, ts, "UDOWN", "tada")
        for message_id in discord_posts:
            discord.world.reactions[int(message_id)].append(("🎉", OWNER))
        slack.unreact(*slack_posts[0], "UMEMBER", "coffee")
        discord.world.reactions[int(discord_posts[0])].remove(("☕", MEMBER))

        second = await start_bot(world.env(), tmp)  # catch-up runs before it says it is running
        bots.append(second)
        expected = on_platforms(world, sent)
        found = await stored(world)
        assert await second.stop() == 0, second.text[-4000:]
        assert found == expected, (found - expected, expected - found)
        assert before_restart != expected  # only the catch-up can have made them match
        assert await database_problems(world.database_url) == []
        assert slack.violations == []
        discord.assert_contract_kept()
        return {
            "reactions_on_platforms": sum(expected.values()),
            "stored_before_restart": sum(before_restart.values()),
            "lost": sum((expected - found).values()),
            "left_after_removal": sum((found - expected).values()),
        }
    finally:
        for bot in bots:
            bot.kill()
            await bot.wait()
        await slack.stop()
        await discord.stop()


@pytest.mark.slow
async def test_reactions_around_a_kill_9_all_match_the_platforms(tmp_path: Path) -> None:
    figures = await run(tmp_path)
    print(f"reaction outage: {figures}")
