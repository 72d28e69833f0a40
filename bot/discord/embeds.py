"""Briefing payloads (:mod:`bot.briefings.render.embeds`) as discord.py ``Embed`` objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import discord

from bot.briefings.model import Briefing
from bot.briefings.render.embeds import clip, render_embeds

__all__ = ["OutgoingMessage", "clip", "render_messages"]


@dataclass(slots=True)
class OutgoingMessage:
    """The embeds of one message (the caller adds files and allowed mentions)."""

    embeds: list[discord.Embed] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(embed) for embed in self.embeds)


def render_messages(briefing: Briefing, *, timestamp: dt.datetime | None = None) -> list[OutgoingMessage]:
    """The briefing as messages of ``discord.Embed``, each within Discord's limits."""
    return [
        OutgoingMessage([discord.Embed.from_dict(payload) for payload in message])
        for message in render_embeds(briefing, timestamp=timestamp)
    ]
