"""The entry point (`python -m bot`, `kfor-bot`): which transport runs when."""

from __future__ import annotations

from tests.process import kfor


def test_console_is_the_default_without_a_token() -> None:
    result = kfor(stdin="/kfor top 1\n")
    assert result.returncode == 0
    assert "kfor-bot console" in result.stdout
    assert "KFOR — top 1 contingents" in result.stdout
