"""The command tree with kfor-bot's one central error handler.

A user's mistake (unknown nation, bad expression, out-of-range value, a cooldown, a missing
permission) gets a short ephemeral answer that says what to fix. Anything else is a bug: it is
logged with the command and its options, and the user gets a short ephemeral apology.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.briefings.render import discord_limits as limits
from bot.briefings.render.embeds import clip
from bot.core.errors import UserError

if TYPE_CHECKING:
    from bot.discord.metrics import CommandTimer

log = logging.getLogger(__name__)

APOLOGY = "Sorry — something went wrong on our side. It has been logged; please try again later."
NO_MENTIONS = discord.AllowedMentions.none()
#: Permissions as Discord's own settings name them (discord.py's attribute names differ).
PERMISSION_NAMES = {"manage_guild": "Manage Server", "manage_channels": "Manage Channels",
                    "administrator": "Administrator"}  # fmt: skip


def user_message(error: app_commands.AppCommandError) -> str | None:
    """The answer for an error the user can fix, or None for a bug."""
    original = getattr(error, "original", None) or error.__cause__ or error
    if isinstance(original, UserError):
        return str(original)
    if isinstance(original, app_commands.CommandOnCooldown):
        # Says the rule, not "one at a time" (read after a first chart that had long finished, it misled).
        wait = max(1, round(original.retry_after))
        return f"One chart per {original.cooldown.per:g} s for each member: the next one in {wait} s."
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in error.missing_permissions)
        return f"You need the {missing} permission for this command."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server channel, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"{error.value!r} is not a valid value here."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return None


async def reply_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer whether or not the interaction was already acknowledged, within Discord's 2,000 characters.

    An error may quote what the user typed, which can be long: clipped, the answer still arrives.
    """
    text = clip(text, limits.CONTENT)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class KforCommandTree(app_commands.CommandTree):
    """The tree every kfor-bot command runs through; see the module docstring."""

    #: Times commands for the operator's metrics, when they are on (see :mod:`bot.discord.metrics`).
    timer: CommandTimer | None = None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if self.timer is not None:
            self.timer.started(interaction)
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        message = user_message(error)
        if self.timer is not None:
            self.timer.finished(interaction, "error" if message is None else "user_error")
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            options = dict(iter(interaction.namespace))  # Namespace answers None to .keys, so iterate
            log.error("Command /%s failed with options %r", command, options,
                      exc_info=getattr(error, "original", error))  # fmt: skip
            message = APOLOGY
        try:
            await reply_ephemeral(interaction, message)
        except discord.HTTPException:  # the interaction expired; nothing more to tell the user
            log.warning("Could not send the error reply for /%s", interaction.command and interaction.command.name)
