"""The interactive console: the ``/kfor`` commands of Discord, answered in a terminal.

This is what a newcomer sees first (``kfor-bot`` with no ``DISCORD_TOKEN``). It shares the
command table and the briefing service with Discord, so its answers carry the same figures. Tab
completes commands and nation names; ``/kfor chart`` writes a PNG and prints its path; quit,
Ctrl-D or Ctrl-C leave. What a person types is never read as rich markup: ``[/x]`` is text.

The buttons under a Discord answer are words here (#20): ``next`` and ``prev`` turn the pages of a long
answer (◀ ▶), ``chart`` draws the chart of the last top, history, scenario or compare answer (the Chart
button).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from bot.briefings.commands import parse_command
from bot.briefings.model import Briefing, ChartRequest
from bot.briefings.pages import pages_of
from bot.briefings.render.charts import default_chart_dir, write_chart
from bot.briefings.render.text import print_briefing
from bot.briefings.service import BriefingService
from bot.console.completion import CommandCompleter, install
from bot.core.errors import UserError, one_line
from bot.settings import Settings
from bot.sources.location import public_location

if TYPE_CHECKING:
    from bot.console.watch import ConsoleWatch

PROMPT = "kfor> "
QUIT_WORDS = {"quit", "exit", ":q", "/quit", "/exit"}
#: The words that stand for an answer's buttons, and which way each turns the pages.
PAGE_WORDS = {"next": 1, "n": 1, "prev": -1, "previous": -1, "p": -1}
CHART_WORD = "chart"
#: The answers with a Chart button in Discord, and the option that names what they draw.
CHARTED = {"top": None, "history": "nation", "scenario": "change"}


@dataclass
class FollowUps:
    """What the last answer offers next, as its buttons do in Discord: its other pages and its chart."""

    pages: list[Briefing] = field(default_factory=list)
    index: int = 0
    #: The chart a Chart button under the last answer would draw: its kind and subject (a nation, a change).
    chart: tuple[str, str | None] | None = None

    def turn(self, step: int) -> Briefing | None:
        """The page ``step`` away from the one shown, or None past either end."""
        index = self.index + step
        if not 0 <= index < len(self.pages):
            return None
        self.index = index
        return self.pages[index]

    def hint(self) -> str | None:
        """The line under a page: where it is, and the words that turn it."""
        if len(self.pages) < 2:
            return None
        words = [w for w, ok in (("next", self.index < len(self.pages) - 1), ("prev", self.index > 0)) if ok]
        return f"Page {self.index + 1} of {len(self.pages)}: type {' or '.join(words)}."


def banner(service: BriefingService) -> str:
    latest = service.catalog.latest
    return (
        f"kfor-bot console — {service.mission}, {len(service.catalog)} snapshot(s), latest {latest.as_of_label} "
        f"({latest.total:,} troops, {len(latest.contingents)} nations).\n"
        "Type the same commands as in Discord, e.g. /kfor top 5, /kfor country Germany, "
        "/kfor scenario withdraw US, /kfor chart. Tab completes; /kfor help lists them; quit, Ctrl-D or Ctrl-C "
        "leaves.\n"
        "After a long answer, next and prev turn its pages; after top, history, a scenario or compare, chart draws it."
    )


def answer_line(service: BriefingService, line: str, console: Console, errors: Console,
                chart_dir: Path | None = None, follow: FollowUps | None = None) -> None:  # fmt: skip
    """Answer one typed line: a briefing (and, for ``/kfor chart``, a PNG), or one line for a mistake.

    With ``follow``, a long answer shows its first page, and ``next``, ``prev`` and ``chart`` act on the last
    answer as its buttons do in Discord.
    """
    word = line.strip().casefold()
    if follow is not None and word in PAGE_WORDS:
        page = follow.turn(PAGE_WORDS[word])
        if page is None:
            last = "more pages" if PAGE_WORDS[word] > 0 else "earlier page"
            return _error(errors, f"No {last}: 'next' and 'prev' turn the pages of a long answer.")
        return _show_page(page, follow, console)
    if follow is not None and word == CHART_WORD and follow.chart is not None:
        kind, subject = follow.chart
        try:
            request = service.chart(kind, subject).chart
        except UserError as exc:
            return _error(errors, str(exc))
        if request is not None:
            _write(request, chart_dir, console, errors)
        return
    try:
        command = parse_command(line)
        briefing = service.answer(line)
    except UserError as exc:
        return _error(errors, str(exc))
    if follow is None:
        print_briefing(briefing, console)
    else:
        # The whole table, as a terminal shows it, split where Discord's pages are.
        whole = replace(briefing, table=briefing.complete_table, full_table=None)
        follow.pages, follow.index = pages_of(whole), 0
        follow.chart = None
        if command.name == "compare" and briefing.chart is not None:  # what the answer's Chart button would draw
            before, after = (command.arguments.get(side) for side in ("before", "after"))
            keys = service.compared_keys(str(before) if before else None, str(after) if after else None)
            follow.chart = ("compare", "|".join(keys))  # the pair by key, as the button carries it
        elif command.name in CHARTED:
            option = CHARTED[command.name]
            named = command.arguments.get(option) if option else None
            follow.chart = (command.name, str(named) if named is not None else None)
        _show_page(follow.pages[0], follow, console)
    if briefing.chart is not None and command.name == "chart":
        _write(briefing.chart, chart_dir, console, errors)


def _error(errors: Console, message: str) -> None:
    """One line, however long what it quotes (a 50 KB line typed or pasted)."""
    errors.print(Text.assemble(("✗ ", "bold red"), one_line(message)), highlight=False)


def _show_page(page: Briefing, follow: FollowUps, console: Console) -> None:
    print_briefing(page, console)
    hint = follow.hint()
    if hint:
        console.print(Text(hint, style="dim"), highlight=False)


def _write(request: ChartRequest, chart_dir: Path | None, console: Console, errors: Console) -> None:
    """Draw the chart into ``chart_dir`` and say where, as ``kfor-bot ask`` does."""
    directory = chart_dir or default_chart_dir()
    try:
        path = write_chart(request, directory)
    except OSError as exc:  # a read-only or full state folder: say so, and keep answering
        return _error(errors, f"cannot write the chart in {directory}: {exc.strerror or type(exc).__name__}")
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
    follow = FollowUps()
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
        answer_line(service, line, console, errors, chart_dir, follow)
