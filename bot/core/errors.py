"""Errors a user can cause and fix, kept apart from bugs.

Transports show a :class:`UserError` as a short answer (an ephemeral reply in Discord, one line on
stderr in the console) and treat anything else as an unexpected failure.
"""

from __future__ import annotations

#: An error line quotes what it was given (a path, a value, a typed line): a 50 KB value must not become a
#: 50 KB line.
ERROR_LINE_CHARS = 500


def one_line(message: str) -> str:
    """``message`` on one line of at most :data:`ERROR_LINE_CHARS` characters, cut with "…"."""
    line = " ".join(message.split())
    return line if len(line) <= ERROR_LINE_CHARS else line[: ERROR_LINE_CHARS - 1] + "…"


class UserError(Exception):
    """A mistake in what a person asked for; the message says what is wrong and how to fix it."""

    def __init__(self, message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions

    def __str__(self) -> str:
        if not self.suggestions:
            return self.message
        return f"{self.message} Did you mean: {', '.join(self.suggestions)}?"


class UnknownNationError(UserError):
    """A name, alias, code or flag that matches no nation in the reference data."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(f"Unknown nation {query.strip()!r}.", suggestions=suggestions)
        self.query = query


class NoContingentError(UnknownNationError):
    """A real country that is not among the mission's contributors: it has no contingent, say so."""

    def __init__(self, query: str, country: str, mission: str) -> None:
        super().__init__(query)
        self.message = f"{country} has no contingent in {mission}."
        self.args = (self.message,)
        self.country = country


class ScenarioError(UserError):
    """A scenario expression that cannot be parsed or applied; names the offending part."""


class UnknownSnapshotError(UserError):
    """A snapshot date that is not in the catalogue."""
