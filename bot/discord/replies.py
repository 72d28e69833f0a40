"""Replying to an interaction with a briefing, split over messages as Discord's limits require."""

from __future__ import annotations

import datetime as dt
import io

import discord

from bot.briefings.model import Briefing
from bot.briefings.pages import pages_of
from bot.discord.embeds import OutgoingMessage, render_messages
from bot.discord.pages import PagesView
from bot.discord.tree import NO_MENTIONS


def discord_time(value: dt.datetime | None) -> str:
    """A moment as Discord shows it in each reader's own time zone: "in 2 hours (2 June 2025 08:00)"."""
    return discord.utils.format_dt(value, "R") + f" ({discord.utils.format_dt(value, 'f')})" if value else "—"


async def send_briefing(
    interaction: discord.Interaction, briefing: Briefing, *, chart: bytes | None = None, ephemeral: bool = False,
    view: discord.ui.View | None = None,
) -> discord.Message | discord.WebhookMessage | None:  # fmt: skip
    """Reply with the briefing (split over several messages when Discord's limits require).

    ``ephemeral``: only the asker sees it (status pages, lists, help). ``view``: buttons under the
    last message. Returns the first message sent, so a thread can be opened on it.
    """
    now = discord.utils.utcnow()
    if chart is None:  # a long answer: one message whose pages the asker turns, not a wall of messages
        pages = [message for page in pages_of(briefing) for message in render_messages(page, timestamp=now)]
        if len(pages) > 1:
            return await _send_pages(interaction, pages, ephemeral=ephemeral, view=view)
    messages = render_messages(briefing, timestamp=now)
    first: discord.Message | discord.WebhookMessage | None = None
    for index, message in enumerate(messages):
        buttons = view if view is not None and index == len(messages) - 1 else discord.utils.MISSING
        files: list[discord.File] = []
        if index == 0 and chart is not None:
            filename = f"kfor-{briefing.kind}.png"
            message.embeds[0].set_image(url=f"attachment://{filename}")
            files.append(discord.File(io.BytesIO(chart), filename=filename))
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(embeds=message.embeds, allowed_mentions=NO_MENTIONS, files=files,
                                                    ephemeral=ephemeral, view=buttons)  # fmt: skip
            first = await interaction.original_response()
        else:
            sent = await interaction.followup.send(embeds=message.embeds, allowed_mentions=NO_MENTIONS, wait=True,
                                                   files=files, ephemeral=ephemeral, view=buttons)  # fmt: skip
            first = first or sent
    return first


async def _send_pages(
    interaction: discord.Interaction, pages: list[OutgoingMessage], *, ephemeral: bool, view: discord.ui.View | None
) -> discord.Message | discord.WebhookMessage | None:  # fmt: skip
    """The first page with ◀ ▶ (and the answer's own buttons after them), instead of a wall of messages."""
    turner = PagesView(pages, interaction.user.id, extra=list(view.children) if view is not None else ())
    if not interaction.response.is_done():
        await interaction.response.send_message(embeds=pages[0].embeds, allowed_mentions=NO_MENTIONS,
                                                ephemeral=ephemeral, view=turner)  # fmt: skip
        turner.message = await interaction.original_response()
    else:
        turner.message = await interaction.followup.send(embeds=pages[0].embeds, allowed_mentions=NO_MENTIONS,
                                                         wait=True, ephemeral=ephemeral, view=turner)  # fmt: skip
    return turner.message
