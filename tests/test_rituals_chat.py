"""`/tigerbird me` and the ritual settings in chat, on every store: private answers, opting
out and in, being named, and the per-channel switches with their specific errors."""

from __future__ import annotations

from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.invocations import Invocation
from bot.core.ports import UnitOfWorkFactory
from tests.rituals_world import RitualWorld


def _inv(member: str, admin: bool = False, team: str = "T1") -> Invocation:
    return Invocation(PlatformName.SLACK, team, "C1", member, admin)


async def test_me_shows_a_member_their_own_streaks_privately(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    commands = ChatCommands(world.service)
    for _ in range(4):
        await world.reply(await world.next_post(), "U1")
    await world.reply(await world.next_post(), "U2")

    mine = await commands.run(_inv("U1"), "me")
    assert mine.private and not mine.refused
    assert "#C1: streak 4 (best 4), 4 answers" in mine.text  # today's post may still come
    assert "counted but never named" in mine.text
    theirs = await commands.run(_inv("U2"), "me")
    assert "#C1: streak 1 (best 1), 1 answer" in theirs.text
    nobody = await commands.run(_inv("U3"), "me")
    assert "No answers yet" in nobody.text


async def test_me_off_on_show_hide_change_only_the_callers_choices(
    store: UnitOfWorkFactory,
) -> None:
    world = await RitualWorld(store).start()
    commands = ChatCommands(world.service)
    assert (await commands.run(_inv("U1"), "me show")).text.startswith("The regulars board")
    assert "may be named" in (await commands.run(_inv("U1"), "me")).text
    assert (await commands.run(_inv("U1"), "me off")).text.startswith("You are out")
    shown = (await commands.run(_inv("U1"), "me")).text
    assert shown.startswith("You are out of the rituals")
    assert "counted but never named" in (await commands.run(_inv("U2"), "me")).text
    await commands.run(_inv("U1"), "me on")
    assert "counted but never named" in (await commands.run(_inv("U1"), "me")).text
    async with store() as u:
        cid = world.schedule.community_id
        choices = await u.rituals.member(cid, world.key("U1"))
    assert choices is not None and choices.platform_id is None  # off dropped the name

    bad = await commands.run(_inv("U1"), "me loud")
    assert bad.refused and "me: use `me`, `me off`, `me on`, `me show` or `me hide`" in bad.text


async def test_ritual_settings_are_per_channel_and_checked(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    commands = ChatCommands(world.service)
    manager = _inv("UADMIN", admin=True)
    shown = (await commands.run(manager, "settings")).text
    assert "streaks on · regulars off · best-answer off" in shown
    assert (await commands.run(manager, "settings regulars on")).text == "regulars set to on."
    assert (await commands.run(manager, "settings best-answer on")).text == (
        "best-answer set to on."
    )
    await commands.run(manager, "settings streaks off")
    schedule = await world.service.get_schedule(world.schedule.id)
    assert (schedule.streaks, schedule.regulars, schedule.best_answer) == (False, True, True)

    bad = await commands.run(manager, "settings streaks maybe")
    assert bad.refused and bad.text == "streaks: 'maybe' must be on or off"
    member = await commands.run(_inv("U1"), "settings regulars off")
    assert member.refused
    assert (await world.service.get_schedule(world.schedule.id)).regulars


async def test_help_tells_members_about_me(store: UnitOfWorkFactory) -> None:
    world = await RitualWorld(store).start()
    help_text = (await ChatCommands(world.service).run(_inv("U1"), "help")).text
    assert "`me off`" in help_text and "`me show`" in help_text
