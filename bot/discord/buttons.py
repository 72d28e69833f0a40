"""The buttons under some answers: "Full table" (a scenario, a comparison), "Post publicly" (a private answer)
and "Run scenario" (an announcement).

A button's ``custom_id`` says everything its click needs ("kfor:table:2025-02:withdraw US"), so a
click is answered the same way after a restart, by any instance: the cog's interaction listener
(:meth:`bot.discord.cog.KforCog.on_button`) reads it back with :func:`parse_button`. No view is
kept in memory per message.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.briefings.render import discord_limits as limits

PREFIX = "kfor:"
FULL_TABLE = "table"
#: "Full table" under /kfor compare: every change as a table, privately, for the member who clicks.
COMPARE_TABLE = "changes"
POST_PUBLICLY = "public"
CHART = "chart"
#: The charts a Chart button draws: the kinds of /kfor chart, and a comparison's changes.
CHART_KINDS = ("top", "history", "scenario", "compare")
#: "Run scenario" under an announcement: the claimed change through the scenario engine, on today's figures.
RUN_SCENARIO = "scenario"
#: The private answers a member may post for everyone to see.
PUBLIC_ANSWERS = ("help", "sources")


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """What a button asks for: the full table of a scenario on some figures, or an answer posted publicly."""

    action: str
    #: For a full table: the snapshot the scenario was run on; for a public post: the answer's name.
    subject: str
    #: For a full table: the scenario's change as typed (a preset key or an expression).
    change: str = ""
    #: For a comparison's table: its two snapshots as typed (empty: the default of /kfor compare).
    before: str = ""
    after: str = ""


def full_table_button(as_of: str, change: str) -> discord.ui.Button[discord.ui.View] | None:
    """A "Full table" button for a scenario on the ``as_of`` figures; None when its change is too long to carry."""
    custom_id = f"{PREFIX}{FULL_TABLE}:{as_of}:{change}"
    if len(custom_id) > limits.CUSTOM_ID:
        return None  # /kfor discuss still opens a thread with the full table
    return discord.ui.Button(label="Full table", emoji="📋", custom_id=custom_id)


def full_table_view(as_of: str, change: str) -> discord.ui.View | None:
    """The "Full table" button alone."""
    return buttons_view(full_table_button(as_of, change))


def compare_table_button(
    as_of: str, before: str | None, after: str | None
) -> discord.ui.Button[discord.ui.View] | None:
    """A "Full table" button under /kfor compare on the ``as_of`` figures (the latest complete list then).

    None when a snapshot as typed holds a colon or the whole is too long to carry in a ``custom_id``.
    """
    typed = (before or "", after or "")
    if any(":" in text for text in typed):
        return None
    custom_id = f"{PREFIX}{COMPARE_TABLE}:{as_of}:{typed[0]}:{typed[1]}"
    if len(custom_id) > limits.CUSTOM_ID:
        return None
    return discord.ui.Button(label="Full table", emoji="📋", custom_id=custom_id)


def chart_button(kind: str, subject: str = "") -> discord.ui.Button[discord.ui.View] | None:
    """A "Chart" button under a top, history, scenario or compare answer: the picture without a second command.

    None when the subject (a long scenario) cannot be carried in a ``custom_id``.
    """
    custom_id = f"{PREFIX}{CHART}:{kind}:{subject}"
    if len(custom_id) > limits.CUSTOM_ID:
        return None
    return discord.ui.Button(label="Chart", emoji="📊", custom_id=custom_id)


def buttons_view(*buttons: discord.ui.Button[discord.ui.View] | None) -> discord.ui.View | None:
    """A view carrying the given buttons (those that are not None), or None when there is none."""
    present = [button for button in buttons if button is not None]
    if not present:
        return None
    view = discord.ui.View(timeout=None)
    for button in present:
        view.add_item(button)
    view.stop()
    return view


def run_scenario_view(change: str) -> discord.ui.View | None:
    """A "Run scenario" button for an announced change ("Poland+100"); None when it is too long to carry."""
    custom_id = f"{PREFIX}{RUN_SCENARIO}:{change}"
    if len(custom_id) > limits.CUSTOM_ID:
        return None
    return _view(discord.ui.Button(label="Run scenario", emoji="🧮", custom_id=custom_id))


def post_publicly_view(answer: str) -> discord.ui.View:
    """A "Post publicly" button under a private answer (help, sources)."""
    return _view(discord.ui.Button(label="Post publicly", emoji="📣", custom_id=f"{PREFIX}{POST_PUBLICLY}:{answer}"))


def _view(button: discord.ui.Button[discord.ui.View]) -> discord.ui.View:
    """A view that only carries the button to Discord.

    Stopped before it is sent, so discord.py keeps nothing per message: clicks reach the cog's
    listener through the ``custom_id`` alone, now or after a restart.
    """
    view = discord.ui.View(timeout=None)
    view.add_item(button)
    view.stop()
    return view


def parse_button(custom_id: str) -> ButtonPress | None:
    """The press a ``custom_id`` of ours stands for; None for anything else."""
    if not custom_id.startswith(PREFIX):
        return None
    action, _, rest = custom_id.removeprefix(PREFIX).partition(":")
    if action == FULL_TABLE:
        as_of, sep, change = rest.partition(":")
        return ButtonPress(action, as_of, change) if sep and change else None
    if action == RUN_SCENARIO and rest:
        return ButtonPress(action, "", rest)
    if action == POST_PUBLICLY and rest in PUBLIC_ANSWERS:
        return ButtonPress(action, rest)
    if action == COMPARE_TABLE:
        parts = rest.split(":")
        return ButtonPress(action, parts[0], before=parts[1], after=parts[2]) if len(parts) == 3 else None
    if action == CHART:
        kind, _, subject = rest.partition(":")
        return ButtonPress(action, kind, subject) if kind in CHART_KINDS else None
    return None
