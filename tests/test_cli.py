"""The kfor-bot command line, run as a real process: ask, ingest, exit codes and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT, SEED_COPY, SEED_FIGURES

#: No token, and a state directory of the tests' own (the console's watcher keeps its store there).
ENV = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"KFOR_STATE_DIR": tempfile.mkdtemp()}


def kfor(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, input=stdin,
        env=env or ENV, timeout=60, check=False,
    )  # fmt: skip


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


def test_ingest_seed_json_contract() -> None:
    """ingest --json: canonical short names, int troops, stated total and count, warnings."""
    result = kfor("ingest", str(SEED_COPY), "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert {c["nation"]: c["troops"] for c in data["contingents"]} == SEED_FIGURES
    assert all(isinstance(c["troops"], int) for c in data["contingents"])
    assert (data["stated_total"], data["stated_nations"]) == (4686, 27)
    assert data["warnings"] == ["the report states 27 nations but lists 29"]
    assert "line 11" in result.stderr


def test_ingest_csv_with_iso_formal_names_gives_short_names(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report.write_text(
        "country,troops\nMoldova, Republic of,44\nKingdom of the Netherlands,5\nTürkiye,3\n".replace(
            "Moldova, Republic of", '"Moldova, Republic of"'
        )
    )
    result = kfor("ingest", str(report), "--json", "--as-of", "2025-06", "--publisher", "Test")
    data = json.loads(result.stdout)
    assert [c["nation"] for c in data["contingents"]] == ["Moldova", "Netherlands", "Turkey"]
    assert data["as_of"] == "2025-06"
    assert data["source"]["publisher"] == "Test"


def test_ingest_errors_exit_nonzero_and_name_lines(tmp_path: Path) -> None:
    report = tmp_path / "bad.txt"
    report.write_text("Italy: 1,258\nGermny: 269\nSweden: -3\n")
    result = kfor("ingest", str(report))
    assert result.returncode == 1
    assert "line 2" in result.stdout
    assert "Germany" in result.stdout
    assert "line 3" in result.stdout
    as_json = kfor("ingest", str(report), "--json")
    assert as_json.returncode == 1
    assert [e["line"] for e in json.loads(as_json.stdout)["errors"]] == [2, 3]
    assert kfor("ingest", str(tmp_path / "missing.txt")).returncode == 2


def test_console_is_the_default_without_a_token() -> None:
    result = kfor(stdin="/kfor top 1\n")
    assert result.returncode == 0
    assert "kfor-bot console" in result.stdout
    assert "KFOR — top 1 contingents" in result.stdout
