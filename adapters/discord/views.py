"""Approve / Reject buttons on suggestions, and the reject-reason and suggest modals.

The buttons are `DynamicItem`s: the prompt id lives in the custom_id, and registering the
classes once in setup_hook (client.add_dynamic_items) makes every review message ever posted
clickable after a restart, without keeping one View per message in memory.
"""

from __future__ import annotations

import re
from typing import Any, Self

import discord

from adapters.discord.bridge import answer, bridge_of
from adapters.discord.translate import invocation


class ApproveButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"tigerbird:approve:(?P<prompt_id>\d+)",
):
    """Approves the suggested prompt (the core checks that the clicker manages the server)."""

    def __init__(self, prompt_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Approve",
                style=discord.ButtonStyle.success,
                custom_id=f"tigerbird:approve:{prompt_id}",
            )
        )
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["prompt_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        inv = invocation(interaction)
        await answer(interaction, inv, bridge_of(interaction).commands.approve(inv, self.prompt_id))


class RejectButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"tigerbird:reject:(?P<prompt_id>\d+)",
):
    """Asks the manager for a reason, which is sent to the suggester."""

    def __init__(self, prompt_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reject",
                style=discord.ButtonStyle.danger,
                custom_id=f"tigerbird:reject:{prompt_id}",
            )
        )
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["prompt_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RejectReasonModal(self.prompt_id))


class RejectReasonModal(discord.ui.Modal, title="Reject suggestion"):
    reason: discord.ui.TextInput[Self] = discord.ui.TextInput(
        label="Why? (sent to the member who suggested it)",
        style=discord.TextStyle.paragraph,
        max_length=500,
        required=False,
    )

    def __init__(self, prompt_id: int) -> None:
        super().__init__(custom_id=f"tigerbird:reject-reason:{prompt_id}")
        self.prompt_id = prompt_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        inv = invocation(interaction)
        work = bridge_of(interaction).commands.reject(inv, self.prompt_id, self.reason.value)
        await answer(interaction, inv, work)


class SuggestModal(discord.ui.Modal, title="Suggest a prompt"):
    text: discord.ui.TextInput[Self] = discord.ui.TextInput(
        label="Your question", style=discord.TextStyle.paragraph, max_length=300
    )
    category: discord.ui.TextInput[Self] = discord.ui.TextInput(
        label="Category (optional)", required=False, max_length=40
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        inv = invocation(interaction)
        category = self.category.value.strip().lstrip("#")
        text = f"suggest {self.text.value.strip()}" + (f" #{category}" if category else "")
        await answer(interaction, inv, bridge_of(interaction).commands.run(inv, text))


def review_view(prompt_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ApproveButton(prompt_id))
    view.add_item(RejectButton(prompt_id))
    return view
