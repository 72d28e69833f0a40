"""The interactive console: the ``/kfor`` commands of Discord, answered in a terminal.

This is what a newcomer sees first (``kfor-bot`` with no ``DISCORD_TOKEN``). It shares the
command table and the briefing service with Discord, so its answers carry the same figures. Tab
completes commands and nation names; ``/kfor chart`` writes a PNG and prints its path; quit,
Ctrl-D or Ctrl-C leave. What a person types is never read as rich markup: ``[/x]`` is text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from bot.briefings.commands import parse_command
from bot.briefings.render.charts import default_chart_dir, write_chart
from bot.briefings.render.text import print_briefing
from bot.briefings.service import BriefingService
from bot.console.completion import CommandCompleter, install
from bot.core.errors import UserError
from bot.settings import Settings
from bot.sources.location import public_location

if TYPE_CHECKING:
    from bot.console.watch import ConsoleWatch

PROMPT = "kfor> "
QUIT_WORDS = {"quit", "exit", ":q", "/quit", "/exit"}


def banner(service: BriefingService) -> str:
    latest = service.catalog.latest
    return (
        f"kfor-bot console — {service.mission}, {len(service.catalog)} snapshot(s), latest {latest.as_of_label} "
        f"({latest.total:,} troops, {len(latest.contingents)} nations).\n"
        "Type the same commands as in Discord, e.g. /kfor top 5, /kfor country Germany, "
        "/kfor scenario withdraw US, /kfor chart. Tab completes; /kfor help lists them; quit, Ctrl-D or Ctrl-C leaves."
    )


def answer_line(service: BriefingService, line: str, console: Console, errors: Console,
                chart_dir: Path | None = None) -> None:  # fmt: skip
    """Answer one typed line: a briefing (and, for ``/kfor chart``, a PNG), or one line for a mistake."""
    try:
        briefing = service.answer(line)
    except UserError as exc:
        errors.print(Text.assemble(("✗ ", "bold red"), str(exc)), highlight=False)
        return
    print_briefing(briefing, console)
    if briefing.chart is not None and parse_command(line).name == "chart":
        directory = chart_dir or default_chart_dir()
        try:
            path = write_chart(briefing.chart, directory)
        except OSError as exc:  # a read-only or full state folder: say so, and keep answering
            errors.print(Text.assemble(("✗ ", "bold red"), f"cannot write the chart in {directory}: "
                                       f"{exc.strerror or type(exc).__name__}"), highlight=False)  # fmt: skip
            return
        console.print(Text.assemble("Chart: ", (str(path), "bold")), highlight=False)


def run_console(
    service: BriefingService,
    read_line: Callable[[str], str] = input,
    console: Console | None = None,
    settings: Settings | None = None,
    chart_dir: Path | None = None,
) -> int:
    """Read commands until quit or end of input; returns the process exit code.

    With ``settings``, the watch cycle runs in the background and prints digests here; charts go
    to ``chart_dir`` (by default the state folder's ``charts``).
    """
    console = console or Console()
    chart_dir = chart_dir or default_chart_dir(settings.state_dir if settings else None)
    errors = Console(stderr=True) if console.file is sys.stdout else console
    watch = None
    if settings is not None:
        from bot.console.watch import ConsoleWatch

        watch = ConsoleWatch(settings, service, lambda b: _interject(console, lambda: print_briefing(b, console)),
                             lambda text: _interject(console, lambda: console.print(
                                 text, style="dim", highlight=False, markup=False)))  # fmt: skip
        watch.start()
    undo_completion = install(CommandCompleter(service))
    try:
        return _loop(service, read_line, console, errors, watch, chart_dir)
    except KeyboardInterrupt:  # Ctrl-C: leave as quit does, without a traceback
        console.print()
        return 0
    finally:
        if undo_completion is not None:
            undo_completion()
        if watch is not None:
            watch.stop()


def _interject(console: Console, show: Callable[[], None]) -> None:
    """Print something from the watcher while the prompt waits: on a fresh line, then the prompt again."""
    console.print()
    show()
    console.print(PROMPT, end="", highlight=False, markup=False)


def _loop(service: BriefingService, read_line: Callable[[str], str], console: Console, errors: Console,
          watch: ConsoleWatch | None, chart_dir: Path) -> int:  # fmt: skip
    console.print(Text(banner(service)), highlight=False)
    if watch is not None:
        watched = public_location(watch.settings.source)
        console.print(Text(f"Watching {watched} every {watch.settings.poll_minutes:g} min; digests of "
                           "changes appear here.", style="dim"), highlight=False)  # fmt: skip
    while True:
        try:
            line = read_line(PROMPT).strip()
        except EOFError:
            console.print()
            return 0
        if not line:
            continue
        if line.casefold() in QUIT_WORDS:
            return 0
        answer_line(service, line, console, errors, chart_dir)
