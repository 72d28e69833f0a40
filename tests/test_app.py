"""The entry point (`python -m bot`, `kfor-bot`): which transport runs when."""

from __future__ import annotations

from tests.process import kfor


def test_console_is_the_default_without_a_token() -> None:
    result = kfor(stdin="/kfor top 1\n")
    assert result.returncode == 0
    assert "kfor-bot console" in result.stdout
    assert "KFOR — largest contingent" in result.stdout


def test_an_error_quoting_a_huge_value_is_still_one_short_line(monkeypatch, capsys) -> None:
    """A 60 KB setting (a hostile or broken environment) is named in one line of at most 500 characters."""
    from bot.app import ERROR_LINE_CHARS, main

    monkeypatch.setenv("KFOR_MISSION", "x" * 60_000)
    assert main(["ask", "/kfor top 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kfor-bot: ") and err.count("\n") == 1 and len(err) <= len("kfor-bot: \n") + ERROR_LINE_CHARS
