"""The ``/kfor`` command table and a parser for typed commands (console and ``kfor-bot ask``).

The table is the single description of the subcommands and their options: typed text is parsed
against it, and ``/kfor help`` is generated from it. It sits below the
:class:`~bot.briefings.service.BriefingService`, which uses it; Discord declares the same options
with discord.py's decorators and calls the same service methods.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.core.errors import UserError


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    help: str
    required: bool = False
    integer: bool = False
    greedy: bool = False  # takes the rest of the line ("scenario withdraw US")


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    help: str
    options: tuple[Option, ...] = ()

    def usage(self) -> str:
        parts = [f"/kfor {self.name}"]
        parts += [f"<{o.name}>" if o.required else f"[{o.name}]" for o in self.options]
        return " ".join(parts)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "top",
        "The largest contingents with their share of the mission.",
        (Option("count", "how many nations (default 5)", integer=True),),
    ),
    CommandSpec(
        "country",
        "One nation: troops, rank, share, NATO/EU status, change since the last snapshot.",
        (Option("nation", "name, alias, ISO code or flag", required=True, greedy=True),),
    ),
    CommandSpec("overview", "The whole mission: total, NATO vs partners, largest contingents, concentration."),
    CommandSpec(
        "scenario",
        "What if…? A preset name or changes such as 'withdraw US', 'US-50%', 'Germany+200'.",
        (Option("change", "preset or expression", required=True, greedy=True),),
    ),
    CommandSpec(
        "compare",
        "What changed between two snapshots (default: the latest two).",
        (Option("before", "snapshot date, e.g. 2025-02"), Option("after", "snapshot date")),
    ),
    CommandSpec(
        "latest",
        "Figures newer than the last complete list, per nation, with source, date and coverage.",
        (Option("since", "only what was published after this date, e.g. 2025-06"),),
    ),
    CommandSpec(
        "history",
        "One nation's figures across all snapshots.",
        (Option("nation", "name, alias, ISO code or flag", required=True, greedy=True),),
    ),
    CommandSpec(
        "chart",
        "A bar chart: the largest contingents (top), a nation's history or a scenario.",
        (
            Option("kind", "top, history or scenario (default top)"),
            Option("subject", "the nation of a history, the change of a scenario", greedy=True),
        ),
    ),
    CommandSpec(
        "announcements",
        "Claims by ministries and the press (news feeds): open and recent, each checked against the official lists.",
    ),
    CommandSpec("snapshots", "The snapshots on record."),
    CommandSpec("sources", "Where the figures come from."),
    CommandSpec("help", "This list."),
)
COMMANDS_BY_NAME = {spec.name: spec for spec in COMMANDS}


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str
    arguments: dict[str, str | int]


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote, e.g. "Italy’s" typed with a straight apostrophe
        return text.split()


#: Subcommands that need a server (a thread, a channel's subscriptions): named as such, not as unknown.
DISCORD_ONLY = {
    "discuss": "it opens a thread in a server channel",
    "alerts": "it shows a server's change alerts",
    "settings": "subscriptions and schedules belong to a server",
}


def parse_command(text: str) -> ParsedCommand:
    """Parse ``/kfor top 5``, ``kfor country name=Germany`` or ``scenario withdraw US``."""
    words = _tokens(text.strip())
    if words and words[0].lstrip("/").casefold() == "kfor":
        words = words[1:]
    if not words:
        raise UserError("Type a subcommand, e.g. '/kfor top 5'. '/kfor help' lists them all.")
    name = words[0].lstrip("/").casefold()
    spec = COMMANDS_BY_NAME.get(name)
    if spec is None and name in DISCORD_ONLY:
        raise UserError(f"/kfor {name} works in Discord only: {DISCORD_ONLY[name]}. '/kfor help' lists the rest.")
    if spec is None:
        # Only close names: "clear" suggested "scenario, chart", which look nothing like it.
        from rapidfuzz import fuzz, process

        close = tuple(
            match
            for match, score, _ in process.extract(name, list(COMMANDS_BY_NAME), scorer=fuzz.ratio, limit=2)
            if score >= 65
        )
        raise UserError(f"Unknown subcommand {name!r}; '/kfor help' lists them.", suggestions=close)
    arguments: dict[str, str | int] = {}
    positional: list[str] = []
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if sep and key in {o.name for o in spec.options}:
            arguments[key] = value
        else:
            positional.append(word)
    for option in spec.options:
        if not positional:
            break
        if option.name in arguments:
            continue
        if option.greedy:
            arguments[option.name] = " ".join(positional)
            positional = []
        else:
            arguments[option.name] = positional.pop(0)
    if positional:
        raise UserError(f"Too many arguments for /kfor {name}: {' '.join(positional)!r}. Usage: {spec.usage()}")
    for option in spec.options:
        if option.required and not str(arguments.get(option.name, "")).strip():
            raise UserError(f"/kfor {name} needs <{option.name}> ({option.help}). Usage: {spec.usage()}")
        if option.integer and option.name in arguments:
            raw = str(arguments[option.name])
            try:
                arguments[option.name] = int(raw)
            except ValueError:
                raise UserError(f"{option.name} must be a whole number, got {raw!r}.") from None
    return ParsedCommand(name, arguments)
