"""The interactive console, driven line by line as a person would type."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console

from bot.console.repl import run_console


def _typed(lines: list[str]) -> Iterator[str]:
    yield from lines
    raise EOFError


def _run(service, lines: list[str]) -> str:
    feed = _typed(lines)
    out = io.StringIO()
    code = run_console(service, read_line=lambda _prompt: next(feed), console=Console(file=out, width=120))
    assert code == 0
    return out.getvalue()


def test_console_answers_the_discord_commands(service) -> None:
    """Top, country with a typo, a preset scenario and help, then Ctrl-D."""
    out = _run(service, ["/kfor top 5", "/kfor country Germny", "/kfor scenario us-withdrawal", "/kfor help"])
    assert "kfor-bot console — KFOR" in out
    assert "KFOR — top 5 contingents" in out
    assert "🇩🇪 Germany in KFOR" in out
    assert "269 troops — rank 5 of 29" in out
    assert "Scenario — United States withdraws" in out
    assert "4,686 → 4,084" in out
    assert "/kfor scenario <change>" in out


def test_console_reports_mistakes_and_keeps_going(service) -> None:
    out = _run(service, ["/kfor country Atlantis", "/kfor top 1", "quit", "/kfor top 2"])
    assert "✗ Unknown nation 'Atlantis'" in out
    assert "KFOR — top 1 contingents" in out
    assert "top 2" not in out  # quit stopped the loop
