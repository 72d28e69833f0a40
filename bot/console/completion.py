"""Tab completion for the console: subcommands, nation names, chart kinds, scenario presets, and the words that
stand for an answer's buttons (``next``, ``prev``, ``chart``).

Completion works on the whole line (readline's word delimiters are switched off), because nation
names have spaces in them ("United States", "North Macedonia"): Tab after ``/kfor country uni``
offers ``/kfor country United Kingdom`` and ``/kfor country United States``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.briefings.commands import COMMANDS
from bot.briefings.service import BriefingService
from bot.core.nations import normalize_name

PREFIX = "/kfor"
NATION_COMMANDS = ("country", "history")
CHART_KINDS = ("top", "history", "scenario")
#: What the buttons under a Discord answer are in the console: turn its pages, draw its chart.
BUTTON_WORDS = ("next", "prev", "chart")


class CommandCompleter:
    """Completions of a typed line, and the ``complete(text, state)`` function readline calls."""

    def __init__(self, service: BriefingService) -> None:
        self.service = service
        self._matches: list[str] = []

    def candidates(self, line: str) -> list[str]:
        """Every way to complete ``line`` (the text before the cursor), as whole lines."""
        stripped = line.lstrip()
        if not stripped or (PREFIX.startswith(stripped) and stripped != PREFIX):
            return [f"{PREFIX} "]
        words = [word for word in BUTTON_WORDS if word.startswith(stripped.casefold())]
        if words:
            return words
        head, sep, rest = stripped.partition(" ")
        if head.lstrip("/").casefold() != PREFIX.lstrip("/"):
            return []
        if not sep:
            return [f"{PREFIX} "]
        command, sep, argument = rest.lstrip().partition(" ")
        if not sep:  # still typing the subcommand
            return [f"{PREFIX} {spec.name} " for spec in COMMANDS if spec.name.startswith(command.casefold())]
        start = f"{PREFIX} {command} "
        if command in NATION_COMMANDS:
            return [start + name for name in self._nations(argument)]
        if command == "scenario":
            return [start + key for key in self._presets(argument)]
        if command == "chart":
            kind, sep, subject = argument.partition(" ")
            if not sep:
                return [f"{start}{k} " for k in CHART_KINDS if k.startswith(kind.casefold())]
            if kind == "history":
                return [f"{start}{kind} {name}" for name in self._nations(subject)]
            if kind == "scenario":
                return [f"{start}{kind} {key}" for key in self._presets(subject)]
        return []

    def _nations(self, typed: str) -> list[str]:
        """Nation names for ``typed`` (contributors first, largest first, when nothing is typed yet)."""
        present = self.service.catalog.latest.troops_by_nation
        if not typed.strip():
            return [self.service.registry.get(n).shown for n in sorted(present, key=lambda n: -present[n])]
        folded = normalize_name(typed)
        names = [n.shown for n in self.service.registry.complete(typed)]
        starting = [name for name in names if normalize_name(name).startswith(folded)]
        return starting or names  # the names that continue what was typed; else what it resembles

    def _presets(self, typed: str) -> list[str]:
        return [key for key in self.service.presets if key.startswith(typed.strip().casefold())]

    def complete(self, text: str, state: int) -> str | None:
        """readline's completer: the ``state``-th completion of ``text`` (the whole line here)."""
        if state == 0:
            self._matches = self.candidates(text)
        return self._matches[state] if state < len(self._matches) else None


def install(completer: CommandCompleter) -> Callable[[], None] | None:
    """Bind Tab to ``completer`` in readline, where the platform has it; returns how to undo it."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: no line editing, no completion
        return None
    previous, delims = readline.get_completer(), readline.get_completer_delims()
    readline.set_completer(completer.complete)
    readline.set_completer_delims("")
    if "libedit" in (readline.__doc__ or ""):  # macOS's readline is libedit, with its own syntax
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")

    def undo() -> None:
        readline.set_completer(previous)
        readline.set_completer_delims(delims)

    return undo
