"""Briefings as Discord embeds, always within Discord's limits.

A briefing of any size becomes one or more messages of one or more embeds: the first embed
carries title, summary, caveats and fields; a long table continues in further embeds (and, past
the 6,000 characters a message may hold, in further messages). Text is shortened only where
Discord would otherwise reject it, and then visibly ("…").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import discord

from bot.briefings.model import Briefing
from bot.briefings.tables import table_lines, without_flags
from bot.discordbot import limits

CODE_FENCE = "```"
#: Our own cap on footers (Discord allows 2,048): with a 256-character title and a full 4,096-character
#: description, every embed then stays under the 6,000 characters a whole message may hold.
FOOTER_BUDGET = 500
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


@dataclass(slots=True)
class OutgoingMessage:
    """The embeds of one message (the caller adds files and allowed mentions)."""

    embeds: list[discord.Embed] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(embed) for embed in self.embeds)


def _code_blocks(lines: list[str], limit: int) -> list[str]:
    """Table lines packed into code blocks of at most ``limit`` characters, header repeated."""
    header, rows = lines[0], lines[1:]
    blocks: list[str] = []
    current = [header]
    overhead = len(CODE_FENCE) * 2 + 2

    def size(chunk: list[str]) -> int:
        return sum(len(line) + 1 for line in chunk) + overhead

    for row in rows:
        row = clip(row, limit - overhead - len(header) - 2)
        if size([*current, row]) > limit and len(current) > 1:
            blocks.append(current)  # type: ignore[arg-type]
            current = [header]
        current.append(row)
    blocks.append(current)  # type: ignore[arg-type]
    return [f"{CODE_FENCE}\n" + "\n".join(chunk) + f"\n{CODE_FENCE}" for chunk in blocks]  # type: ignore[arg-type]


def _embed(briefing: Briefing, title: str, description: str | None, timestamp: dt.datetime | None) -> discord.Embed:
    embed = discord.Embed(
        title=clip(title, limits.EMBED_TITLE),
        description=clip(description, limits.EMBED_DESCRIPTION) if description else None,
        colour=briefing.colour,
        timestamp=timestamp,
    )
    if briefing.footer is not None:  # on every embed, so any part read alone still cites its source
        embed.set_footer(text=clip(briefing.footer.text(), FOOTER_BUDGET))
    return embed


def render_messages(briefing: Briefing, *, timestamp: dt.datetime | None = None) -> list[OutgoingMessage]:
    """The briefing as messages of embeds, each message within every Discord limit."""
    parts = [briefing.summary] if briefing.summary else []
    if briefing.notes:
        parts.append("\n".join(f"⚠️ *{note}*" for note in briefing.notes))
    head = _embed(briefing, briefing.title, "\n\n".join(parts), timestamp)
    embeds = [head]
    continued = f"{briefing.title} (continued)"

    current = head
    for item in briefing.fields:
        name, value = clip(item.name, limits.FIELD_NAME), clip(item.value or "—", limits.FIELD_VALUE)
        if len(current.fields) >= limits.EMBED_FIELDS or len(current) + len(name) + len(value) > limits.EMBED_TOTAL:
            current = _embed(briefing, continued, None, timestamp)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=item.inline)

    if briefing.table is not None and briefing.table.rows:
        caption = f"**{briefing.table.caption}**\n" if briefing.table.caption else ""
        # One space between columns and no flags: embeds are narrow (about 45 monospace characters).
        lines = table_lines(without_flags(briefing.table), gap=1)
        blocks = _code_blocks(lines, limits.EMBED_DESCRIPTION - len(caption))
        text = current.description or ""
        merged = f"{text}\n\n{caption}{blocks[0]}" if text else f"{caption}{blocks[0]}"
        if len(merged) <= limits.EMBED_DESCRIPTION and len(current) - len(text) + len(merged) <= limits.EMBED_TOTAL:
            current.description = merged
            blocks, caption = blocks[1:], ""
        for index, block in enumerate(blocks):
            embeds.append(_embed(briefing, continued, (caption if index == 0 else "") + block, timestamp))
    return _pack(embeds)


def _pack(embeds: list[discord.Embed]) -> list[OutgoingMessage]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters."""
    messages = [OutgoingMessage()]
    for embed in embeds:
        current = messages[-1]
        if current.embeds and (
            len(current.embeds) >= limits.EMBEDS_PER_MESSAGE or current.size + len(embed) > limits.EMBED_TOTAL
        ):
            current = OutgoingMessage()
            messages.append(current)
        current.embeds.append(embed)
    return messages
