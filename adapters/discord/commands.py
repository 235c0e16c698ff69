"""The /tigerbird application-command group; each subcommand becomes core command text.

`default_permissions(manage_guild=True)` only hides the group from members by default:
server admins can override it in Server Settings → Integrations, so the core re-checks
Manage Server (from `interaction.permissions`) or a configured manager role on every call.
"""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.bridge import answer, bridge_of
from adapters.discord.translate import invocation
from adapters.discord.views import SuggestModal


async def _run(interaction: discord.Interaction, *words: str | int | None) -> None:
    text = " ".join(str(w) for w in words if w is not None and str(w).strip())
    inv = invocation(interaction)
    await answer(interaction, inv, bridge_of(interaction).commands.run(inv, text))


def _category(category: str | None) -> str | None:
    return f"#{category.lstrip('#')}" if category else None


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class TigerbirdGroup(app_commands.Group, name="tigerbird", description="Tigerbird daily prompts"):
    """`/tigerbird <subcommand>`: schedules, prompts, suggestions and stats for this server."""

    @app_commands.command(description="Post a prompt in this channel every day at a time")
    @app_commands.describe(
        time="Local time, e.g. 09:00",
        tz="IANA timezone, e.g. Europe/Paris (default: the server's)",
        days="Days, e.g. mon-fri or mon,wed,fri (default: every day)",
    )
    async def here(
        self,
        interaction: discord.Interaction,
        time: str,
        tz: str | None = None,
        days: str | None = None,
    ) -> None:
        await _run(interaction, "here", time, tz, days)

    @app_commands.command(description="Post the next prompt in this channel right now")
    async def now(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "now")

    @app_commands.command(description="Skip this channel's next prompt")
    async def skip(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "skip")

    @app_commands.command(description="Pause this channel's prompts")
    async def pause(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "pause")

    @app_commands.command(description="Resume this channel's prompts")
    async def resume(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "resume")

    @app_commands.command(description="Show the next prompts and when they will be posted")
    @app_commands.describe(n="How many upcoming slots (default 5)")
    async def preview(
        self, interaction: discord.Interaction, n: app_commands.Range[int, 1, 20] | None = None
    ) -> None:
        await _run(interaction, "preview", n)

    @app_commands.command(description="Add a prompt to this server's library")
    @app_commands.describe(text="The question", category="Category, e.g. small-joys")
    async def add(
        self, interaction: discord.Interaction, text: str, category: str | None = None
    ) -> None:
        await _run(interaction, "add", text, _category(category))

    @app_commands.command(description="Suggest a prompt to the server's managers")
    async def suggest(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(SuggestModal())

    @app_commands.command(
        name="suggest-edit", description="Fix your own suggestion while it waits for review"
    )
    @app_commands.describe(
        id="Your suggestion's id", text="The new question", category="Category, e.g. food"
    )
    async def suggest_edit(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[int, 1],
        text: str,
        category: str | None = None,
    ) -> None:
        await _run(interaction, "suggest edit", id, text, _category(category))

    @app_commands.command(description="Edit a waiting suggestion before approving it")
    @app_commands.describe(
        id="The suggestion's id", text="The new question", category="Category, e.g. food"
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[int, 1],
        text: str,
        category: str | None = None,
    ) -> None:
        await _run(interaction, "edit", id, text, _category(category))

    @app_commands.command(description="Suggestions waiting for review, with their ids")
    async def pending(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "pending")

    @app_commands.command(description="Approve a suggestion (see /tigerbird pending)")
    @app_commands.describe(id="The suggestion's id")
    async def approve(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        await _run(interaction, "approve", id)

    @app_commands.command(description="Reject a suggestion; the reason is sent to its author")
    @app_commands.describe(id="The suggestion's id", reason="Why (sent to the member)")
    async def reject(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[int, 1],
        reason: str | None = None,
    ) -> None:
        await _run(interaction, "reject", id, reason)

    @app_commands.command(description="Engagement of this channel's prompts")
    @app_commands.describe(period="e.g. 30d (default: 30d)")
    async def stats(self, interaction: discord.Interaction, period: str | None = None) -> None:
        await _run(interaction, "stats", period)

    @app_commands.command(description="The local hour this channel is busiest, vs the slot")
    async def besttime(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "besttime")

    @app_commands.command(description="A prompt's A/B wordings: each one's rate and interval")
    @app_commands.describe(id="The prompt's id")
    async def wordings(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        await _run(interaction, "stats", "wordings", id)

    @app_commands.command(description="Make one of a prompt's wordings the one posted")
    @app_commands.describe(id="The prompt's id", wording="A (the main text), B or C")
    async def promote(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1], wording: str
    ) -> None:
        await _run(interaction, "promote", id, wording)

    @app_commands.command(description="Show or change settings, e.g. `pin on`, `thread off`")
    @app_commands.describe(change="e.g. pin on · thread off · catch-up latest · repeat-window 90")
    async def settings(self, interaction: discord.Interaction, change: str | None = None) -> None:
        await _run(interaction, "settings", change)

    @app_commands.command(description="Your answer streaks; opt out of or in to the rituals")
    @app_commands.describe(choice="off · on · show (be named on boards) · hide (only counted)")
    @app_commands.choices(
        choice=[app_commands.Choice(name=c, value=c) for c in ("off", "on", "show", "hide")]
    )
    async def me(self, interaction: discord.Interaction, choice: str | None = None) -> None:
        await _run(interaction, "me", choice)

    @app_commands.command(description="What Tigerbird can do")
    async def help(self, interaction: discord.Interaction) -> None:
        await _run(interaction, "help")
