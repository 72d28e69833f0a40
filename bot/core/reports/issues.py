"""Validation issues found while reading a report.

Every problem is reported, never silently dropped: errors stop a report from becoming a snapshot,
warnings travel with the snapshot so briefings can show them (for example "the report says 27
nations but lists 29").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding, tied to the report line (1-based) it concerns when there is one."""

    severity: Severity
    code: str
    message: str
    line: int | None = None
    suggestions: tuple[str, ...] = ()

    def describe(self) -> str:
        """``line 12: unknown nation 'Germny' (did you mean Germany?)`` — one self-contained line."""
        where = f"line {self.line}: " if self.line is not None else ""
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        return f"{where}{self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "suggestions": list(self.suggestions),
        }


#: An issue quotes the line it is about; a 50 KB line is shown by its start, so one issue stays one line.
MAX_MESSAGE = 300


def _short(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def error(code: str, message: str, line: int | None = None, suggestions: tuple[str, ...] = ()) -> Issue:
    return Issue(Severity.ERROR, code, _short(message), line, suggestions)


def warning(code: str, message: str, line: int | None = None) -> Issue:
    return Issue(Severity.WARNING, code, _short(message), line)
