"""Briefings as Discord embed payloads (plain dicts), always within Discord's limits.

A briefing of any size becomes one or more messages of one or more embeds: the first embed
carries title, summary, caveats and fields; a long table continues in further embeds (and, past
the 6,000 characters a message may hold, in further messages). Text is shortened only where
Discord would otherwise reject it, and then visibly ("…").

The result comes first: when an answer has fields (the outcome of a scenario, the facts of the
overview) and its table fits in one field, the table is the last field, after them; otherwise it
follows the summary. The first embed links to the source (its title is the link), and an alert's
reference travels in that link, never in the visible footer. Only the first embed has the link:
Discord folds embeds that share one into a gallery.

Plain dicts, not discord.py objects: webhooks and ``kfor-bot check`` post the same payloads
without importing discord.py; the bot turns them into ``discord.Embed`` with ``from_dict``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from rich.cells import cell_len

from bot.briefings.model import Briefing, Table
from bot.briefings.render import discord_limits as limits
from bot.briefings.render.tables import table_lines, without_flags

Embed = dict[str, Any]

CODE_FENCE = "```"
#: What a 390 px phone shows of a code block line in an embed: the project's measure (#20).
PHONE_CHARS = 30
#: A thousands separator between digits (``1,258``, ``−1,258``).
_GROUPED = re.compile(r"(\d),(\d{3})")
#: Our own cap on footers (Discord allows 2,048): with a 256-character title and a full 4,096-character
#: description, every embed then stays under the 6,000 characters a whole message may hold.
FOOTER_BUDGET = 500
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def embed_size(embed: Embed) -> int:
    """The characters Discord counts against the 6,000 per message."""
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", ()))
        + len(embed.get("footer", {}).get("text", ""))
        + len(embed.get("author", {}).get("name", ""))
    )


def _unfenced(line: str) -> str:
    """A table line that cannot end its code block: a cell of backticks (\u0060\u0060\u0060) would close it early.

    Each backtick becomes U+02CB (ˋ), which looks alike and keeps the columns aligned.
    """
    return line.replace("`", "\u02cb")


def _code_blocks(lines: list[str], limit: int) -> list[str]:
    """Table lines packed into code blocks of at most ``limit`` characters, header repeated."""
    lines = [_unfenced(line) for line in lines]
    header, rows = lines[0], lines[1:]
    overhead = len(CODE_FENCE) * 2 + 2
    blocks: list[list[str]] = []
    current = [header]
    size = len(header) + 1 + overhead
    for row in rows:
        row = clip(row, limit - overhead - len(header) - 2)
        if size + len(row) + 1 > limit and len(current) > 1:
            blocks.append(current)
            current, size = [header], len(header) + 1 + overhead
        current.append(row)
        size += len(row) + 1
    blocks.append(current)
    return [f"{CODE_FENCE}\n" + "\n".join(chunk) + f"\n{CODE_FENCE}" for chunk in blocks]


def _plain(text: str) -> str:
    """``text`` with the markdown marks a note may contain ("* from a partial list") escaped."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def _table_text(table: Table, limit: int) -> tuple[str, list[str], str]:
    """A table as caption, code blocks of at most ``limit`` characters, and its notes."""
    caption = f"**{table.caption}**\n" if table.caption else ""
    notes = "\n".join(f"*{_plain(note)}*" for note in table.notes)
    # One space between columns and no flags: embeds are narrow (about 45 monospace characters on a
    # desktop, 32 on a phone), and Discord shows flag emoji in code blocks as letters or boxes.
    lines = phone_lines(without_flags(table))
    return caption, _code_blocks(lines, limit - len(caption) - len(notes) - 1), notes


def phone_lines(table: Table) -> list[str]:
    """The table's lines for a code block: within a phone's width when the figures allow it.

    One space between columns; when a row is still wider than :data:`PHONE_CHARS` (four-digit figures
    beside "N. Macedonia"), figures drop their thousands separator (1,258 → 1258) rather than the row
    being cut at the screen's edge.
    """
    lines = table_lines(table, gap=1)
    if max(map(cell_len, lines)) <= PHONE_CHARS:
        return lines
    rows = tuple(tuple(_GROUPED.sub(r"\1\2", cell) for cell in row) for row in table.rows)
    return table_lines(replace(table, rows=rows), gap=1)


def _embed(briefing: Briefing, title: str, description: str | None, timestamp: dt.datetime | None) -> Embed:
    embed: Embed = {"type": "rich", "title": clip(title, limits.EMBED_TITLE), "color": briefing.colour}
    if description:
        embed["description"] = clip(description, limits.EMBED_DESCRIPTION)
    if timestamp is not None:
        embed["timestamp"] = timestamp.isoformat()
    if briefing.footer is not None:  # on every embed, so any part read alone still cites its source
        embed["footer"] = {"text": clip(briefing.footer.text(), FOOTER_BUDGET)}
    return embed


def render_embeds(briefing: Briefing, *, timestamp: dt.datetime | None = None) -> list[list[Embed]]:
    """The briefing as messages (lists) of embed payloads, each message within every Discord limit."""
    parts = [briefing.summary] if briefing.summary else []
    if briefing.notes:
        parts.append("\n".join(f"⚠️ *{_plain(note)}*" for note in briefing.notes))
    head = _embed(briefing, briefing.title, "\n\n".join(parts), timestamp)
    link = briefing.footer.link() if briefing.footer is not None else None
    if link:
        head["url"] = link
    embeds = [head]
    continued = f"{briefing.title} (continued)"

    current = head
    fields = [(clip(item.name, limits.FIELD_NAME), clip(item.value or "—", limits.FIELD_VALUE), item.inline)
              for item in briefing.fields]  # fmt: skip
    table = briefing.table if briefing.table is not None and briefing.table.rows else None
    if table is not None and fields:
        caption, blocks, notes = _table_text(table, limits.FIELD_VALUE)
        if len(blocks) == 1:  # the whole table fits in one field: it follows the result
            name = clip(table.caption or "Table", limits.FIELD_NAME)
            fields.append((name, blocks[0] + (f"\n{notes}" if notes else ""), False))
            table = None
    for name, value, inline in fields:
        items = current.setdefault("fields", [])
        if len(items) >= limits.EMBED_FIELDS or embed_size(current) + len(name) + len(value) > limits.EMBED_TOTAL:
            current = _embed(briefing, continued, None, timestamp)
            embeds.append(current)
            items = current.setdefault("fields", [])
        items.append({"name": name, "value": value, "inline": inline})

    if table is not None:
        caption, blocks, notes = _table_text(table, limits.EMBED_DESCRIPTION)
        if notes:
            blocks[-1] += f"\n{notes}"
        text = current.get("description", "")
        merged = f"{text}\n\n{caption}{blocks[0]}" if text else f"{caption}{blocks[0]}"
        if (
            len(merged) <= limits.EMBED_DESCRIPTION
            and embed_size(current) - len(text) + len(merged) <= limits.EMBED_TOTAL
        ):
            current["description"] = merged
            blocks, caption = blocks[1:], ""
        for index, block in enumerate(blocks):
            embeds.append(_embed(briefing, continued, (caption if index == 0 else "") + block, timestamp))
    return _pack(embeds)


def _pack(embeds: list[Embed]) -> list[list[Embed]]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters."""
    messages: list[list[Embed]] = [[]]
    for embed in embeds:
        current = messages[-1]
        if current and (
            len(current) >= limits.EMBEDS_PER_MESSAGE
            or sum(map(embed_size, current)) + embed_size(embed) > limits.EMBED_TOTAL
        ):
            current = []
            messages.append(current)
        current.append(embed)
    return messages


#: The last embed of a message that had to be cut (see :func:`one_message`).
CUT_NOTE = "*The rest of the table did not fit in one Discord message; the source has every figure.*"


def one_message(*briefings: Briefing, timestamp: dt.datetime | None = None) -> tuple[list[Embed], int]:
    """The briefings' embeds as ONE message, in order, within Discord's 10 embeds and 6,000 characters.

    A webhook posts a change as one message (the digest, its table, the chart attached), since it
    cannot open a thread for the table as a channel does, and one request is one outcome for the
    ledger. A digest and its table fit with room to spare; what does not fit is cut at an embed
    boundary (a long table continues in whole code blocks, each with its header, so what is kept reads
    whole) and a short last embed says so. Returns the embeds and how many were left out.
    """
    embeds = [embed for briefing in briefings for message in render_embeds(briefing, timestamp=timestamp)
              for embed in message]  # fmt: skip
    for later in embeds[1:]:  # only the first links: Discord folds embeds that share a link into one
        later.pop("url", None)
    if _fits(embeds):
        return embeds, 0
    note: Embed = {"type": "rich", "description": CUT_NOTE, "color": embeds[0].get("color")}
    kept = embeds[: limits.EMBEDS_PER_MESSAGE - 1]
    while len(kept) > 1 and not _fits([*kept, note]):
        kept.pop()
    cut = [*kept, note] if _fits([*kept, note]) else kept  # a first embed of a full 6,000 has no room left to say so
    return cut, len(embeds) - len(kept)


def _fits(embeds: list[Embed]) -> bool:
    return len(embeds) <= limits.EMBEDS_PER_MESSAGE and sum(map(embed_size, embeds)) <= limits.EMBED_TOTAL
