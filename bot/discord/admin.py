"""``/kfor-admin``: commands for the bot's owners only (hidden from non-administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.sync import sync_commands
from bot.discord.tree import NO_MENTIONS

if TYPE_CHECKING:
    from pathlib import Path


async def _is_owner(interaction: discord.Interaction) -> bool:
    client = interaction.client
    if isinstance(client, commands.Bot) and await client.is_owner(interaction.user):
        return True
    raise app_commands.CheckFailure("owner only")


@app_commands.default_permissions(administrator=True)
class AdminCog(commands.GroupCog, group_name="kfor-admin", group_description="kfor-bot administration (owners)"):
    def __init__(self, tree: app_commands.CommandTree, state_dir: Path, dev_guild_id: int | None) -> None:
        self.tree = tree
        self.state_dir = state_dir
        self.dev_guild_id = dev_guild_id
        super().__init__()

    @app_commands.command(name="sync", description="Sync the slash commands with Discord now")
    @app_commands.check(_is_owner)
    async def sync(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await sync_commands(self.tree, self.state_dir, self.dev_guild_id, force=True)
        await interaction.followup.send(f"Commands synced ({done}).", ephemeral=True, allowed_mentions=NO_MENTIONS)
