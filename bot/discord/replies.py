"""Replying to an interaction with a briefing, split over messages as Discord's limits require."""

from __future__ import annotations

import io

import discord

from bot.briefings.model import Briefing
from bot.discord.embeds import render_messages
from bot.discord.tree import NO_MENTIONS


async def send_briefing(
    interaction: discord.Interaction, briefing: Briefing, *, chart: bytes | None = None
) -> discord.Message | discord.WebhookMessage | None:
    """Reply with the briefing (split over several messages when Discord's limits require).

    Returns the first message sent, so a thread can be opened on it.
    """
    messages = render_messages(briefing, timestamp=discord.utils.utcnow())
    first: discord.Message | discord.WebhookMessage | None = None
    for index, message in enumerate(messages):
        extra = {}
        if index == 0 and chart is not None:
            filename = f"kfor-{briefing.kind}.png"
            message.embeds[0].set_image(url=f"attachment://{filename}")
            extra["file"] = discord.File(io.BytesIO(chart), filename=filename)
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(embeds=message.embeds, allowed_mentions=NO_MENTIONS, **extra)
            first = await interaction.original_response()
        else:
            sent = await interaction.followup.send(embeds=message.embeds, allowed_mentions=NO_MENTIONS, wait=True,
                                                   **extra)  # fmt: skip
            first = first or sent
    return first
