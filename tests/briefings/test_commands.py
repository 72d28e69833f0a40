"""Typed /kfor commands: parsing against the command table, errors for bad input."""

from __future__ import annotations

import pytest

from bot.briefings.commands import COMMANDS, parse_command
from bot.core.errors import UnknownNationError, UserError


@pytest.mark.parametrize(
    ("text", "name", "arguments"),
    [
        ("/kfor top 5", "top", {"count": 5}),
        ("kfor top count=7", "top", {"count": 7}),
        ("top", "top", {}),
        ("/kfor country United Kingdom", "country", {"nation": "United Kingdom"}),
        ("/kfor country nation=🇩🇪", "country", {"nation": "🇩🇪"}),
        ("/kfor scenario withdraw US", "scenario", {"change": "withdraw US"}),
        ('/kfor scenario "US-50%; Germany+200"', "scenario", {"change": "US-50%; Germany+200"}),
        ("/kfor compare 2025-02 2025-06", "compare", {"before": "2025-02", "after": "2025-06"}),
        ("/kfor compare after=2025-06", "compare", {"after": "2025-06"}),
        ("/KFOR Overview", "overview", {}),
        ("/kfor history Italy’s", "history", {"nation": "Italy’s"}),
    ],
)
def test_parse_command(text: str, name: str, arguments: dict) -> None:
    command = parse_command(text)
    assert (command.name, command.arguments) == (name, arguments)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/kfor", "Type a subcommand"),
        ("/kfor tpo 5", "Did you mean: top"),
        ("/kfor top five", "whole number"),
        ("/kfor top 5 6", "Too many arguments"),
        ("/kfor country", "needs <nation>"),
        ("/kfor overview now", "Too many arguments"),
    ],
)
def test_bad_commands_explain_themselves(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_command(text)


def test_answer_reaches_the_service(service) -> None:
    assert service.answer("/kfor top 1").table.rows[0][1] == "🇮🇹 Italy"
    with pytest.raises(UnknownNationError, match="Did you mean: Slovakia, Slovenia"):
        service.answer("/kfor country Slov")


def test_every_command_has_a_service_method_and_help(service) -> None:
    """The command table and the service agree: each subcommand answers and appears in /kfor help."""
    help_text = " ".join(f.name for f in service.help().fields)
    for spec in COMMANDS:
        assert callable(getattr(service, spec.name))
        assert f"/kfor {spec.name}" in help_text
    presets = next(f.value for f in service.help().fields if f.name == "Scenario presets")
    assert "us-withdrawal" in presets
    assert "top3-leave" in presets
