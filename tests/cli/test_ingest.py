"""`kfor-bot ingest`, run as a real process: the JSON contract, names, errors that name their lines."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEED_COPY, SEED_FIGURES
from tests.process import kfor


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
