"""`kfor-bot ask`, run as a real process: plain text, JSON, one-line errors and exit codes."""

from __future__ import annotations

import json

from tests.process import kfor


def test_ask_prints_plain_text_when_piped() -> None:
    result = kfor("ask", "/kfor top 5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("KFOR — top 5 contingents\n")
    assert "1,258" in result.stdout
    assert "as of 2025-02" in result.stdout
    assert result.stderr == ""


def test_ask_json() -> None:
    result = kfor("ask", "/kfor country Türkiye", "--json")
    data = json.loads(result.stdout)
    assert data["title"] == "🇹🇷 Turkey in KFOR"
    assert {f["name"]: f["value"] for f in data["fields"]}["Troops"] == "325"


def test_ask_errors_are_one_line_on_stderr_with_nonzero_exit() -> None:
    for command, words in (
        ("/kfor country Slov", "Slovakia"),
        ("/kfor tpo", "top"),
        ("/kfor scenario US-900", "below"),
    ):
        result = kfor("ask", command)
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert words in result.stderr
