"""The interactive console: the ``/kfor`` commands of Discord, answered in a terminal.

This is what a newcomer sees first (``kfor-bot`` with no ``DISCORD_TOKEN``). It shares the
command table and the briefing service with Discord, so its answers carry the same figures.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console

from bot.briefings.render.text import print_briefing
from bot.briefings.service import BriefingService
from bot.core.errors import UserError
from bot.settings import Settings

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
        "/kfor scenario withdraw US. /kfor help lists them; quit or Ctrl-D leaves."
    )


def answer_line(service: BriefingService, line: str, console: Console, errors: Console) -> None:
    """Answer one typed line: a briefing, or a one-line error for a user's mistake."""
    try:
        briefing = service.answer(line)
    except UserError as exc:
        errors.print(f"[bold red]✗[/] {exc}", highlight=False, markup=True)
        return
    print_briefing(briefing, console)


def run_console(
    service: BriefingService,
    read_line: Callable[[str], str] = input,
    console: Console | None = None,
    settings: Settings | None = None,
) -> int:
    """Read commands until quit or end of input; returns the process exit code.

    With ``settings``, the watch cycle runs in the background and prints digests here.
    """
    console = console or Console()
    errors = Console(stderr=True) if console.file is sys.stdout else console
    watch = None
    if settings is not None:
        from bot.console.watch import ConsoleWatch

        watch = ConsoleWatch(settings, service, lambda b: _interject(console, lambda: print_briefing(b, console)),
                             lambda text: _interject(console, lambda: console.print(
                                 text, style="dim", highlight=False, markup=False)))  # fmt: skip
        watch.start()
    try:
        return _loop(service, read_line, console, errors, watch)
    finally:
        if watch is not None:
            watch.stop()


def _interject(console: Console, show: Callable[[], None]) -> None:
    """Print something from the watcher while the prompt waits: on a fresh line, then the prompt again."""
    console.print()
    show()
    console.print(PROMPT, end="", highlight=False, markup=False)


def _loop(service: BriefingService, read_line: Callable[[str], str], console: Console, errors: Console,
          watch: ConsoleWatch | None) -> int:  # fmt: skip
    with contextlib.suppress(ImportError):  # line editing and history where the platform has it
        import readline  # noqa: F401
    console.print(banner(service), highlight=False)
    if watch is not None:
        console.print(f"Watching {watch.settings.source} every {watch.settings.poll_minutes:g} min; digests of changes "
                      "appear here.", style="dim", highlight=False)  # fmt: skip
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
        answer_line(service, line, console, errors)
