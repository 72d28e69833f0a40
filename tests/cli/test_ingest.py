"""`kfor-bot ingest`, run as a real process: the JSON contract, names, errors that name their lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import DATA, SEED_COPY, SEED_FIGURES
from tests.documents import PAGE_FIGURES, PLACEMAT_FIGURES, contributions_page, placemat_pdf
from tests.process import ENV, kfor


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


def test_ingest_a_generated_placemat_pdf(tmp_path: Path) -> None:
    """A PDF placemat through the real CLI: read as pdf, every nation and figure, the unattributed 12, the totals."""
    report = tmp_path / "placemat.pdf"
    report.write_bytes(placemat_pdf())
    text = kfor("ingest", str(report))
    assert text.returncode == 0
    assert "Format: pdf" in text.stdout
    assert "Unattributed: 12 troops in 1 figure(s) with no nation" in text.stdout
    assert re.search(r"^Luxembourg +23$", text.stdout, re.MULTILINE)
    as_json = kfor("ingest", str(report), "--json")
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout)
    assert {c["nation"]: c["troops"] for c in data["contingents"]} == PLACEMAT_FIGURES
    assert (data["unattributed"], data["stated_total"], data["stated_nations"]) == ([12], 4273, 30)
    assert data["coverage"] == "partial"
    assert f"{report}: format: pdf" in as_json.stderr.splitlines()


def test_ingest_a_generated_web_page(tmp_path: Path) -> None:
    """An HTML page through the real CLI: read as html, the contributions table only, its Total row."""
    report = tmp_path / "kfor.html"
    report.write_text(contributions_page(), encoding="utf-8")
    text = kfor("ingest", str(report))
    assert text.returncode == 0
    assert "Format: html" in text.stdout
    assert "Stated total: 3,485" in text.stdout
    as_json = kfor("ingest", str(report), "--json")
    data = json.loads(as_json.stdout)
    assert {c["nation"]: c["troops"] for c in data["contingents"]} == PAGE_FIGURES
    assert data["stated_total"] == 3485
    assert f"{report}: format: html" in as_json.stderr.splitlines()


def test_ingest_binary_data_is_one_clear_error(tmp_path: Path) -> None:
    """An image given as a report: exit 1 and one line 'not a text report', in text and in JSON; no traceback."""
    report = tmp_path / "flag.png"
    report.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    text = kfor("ingest", str(report))
    assert text.returncode == 1
    assert "Format: unknown" in text.stdout
    assert "not a text report" in text.stdout
    assert "Traceback" not in text.stderr
    as_json = kfor("ingest", str(report), "--json")
    assert as_json.returncode == 1
    data = json.loads(as_json.stdout)
    assert data["report_format"] == "unknown"
    assert [e["code"] for e in data["errors"]] == ["not-text"]


def test_a_flag_that_breaks_a_rule_is_named_in_one_line() -> None:
    """`--as-of Feb` is a usage error naming the flag and the form it needs, not a traceback."""
    result = kfor("ingest", str(SEED_COPY), "--as-of", "Feb")
    assert result.returncode == 2
    assert result.stderr.strip() == "kfor-bot: --as-of: must be YYYY-MM or YYYY-MM-DD, not 'Feb'"


def test_ingesting_a_report_keeps_all_its_sidecar_says() -> None:
    """A history report with its .meta.toml gives the stored snapshot: partial, its stated total and its
    figures without a nation; `ingest` once dropped them and called the list complete."""
    for name in ("2022-08-info-ks-net", "2017-02-docslib-org"):
        result = kfor("ingest", f"data/sources/kfor-history/{name}.csv", "--json")
        assert result.returncode == 0, result.stderr
        stored = next((DATA / "snapshots" / "kfor").glob(f"*--{name}.json")).read_text(encoding="utf-8")
        assert result.stdout == stored
        assert json.loads(result.stdout)["coverage"] == "partial"


def test_ingest_applies_the_configured_plausibility_cap() -> None:
    result = kfor(
        "ingest", "data/sources/kfor-history/2024-01-search-com-vn.csv", env={**ENV, "KFOR_MAX_TROOPS": "1000"}
    )
    assert result.returncode == 1
    assert "1,322 troops for Italy is above the 1,000 a single contingent can plausibly have" in result.stdout


def test_a_discord_mention_in_a_text_report_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """'<@&123>: 7' pasted from Discord is no nation's row: said, not silently dropped nor a failure."""
    report = tmp_path / "r.txt"
    report.write_text("Italy: 1258\nGermany: 269\n<@&123>: 7\n@everyone 5\n")
    result = kfor("ingest", str(report), "--json", "--as-of", "2025-06")
    assert result.returncode == 0
    assert {c["nation"]: c["troops"] for c in json.loads(result.stdout)["contingents"]} == {
        "Italy": 1258,
        "Germany": 269,
    }
    assert "line 3: skipped '<@&123>: 7': a Discord mention is not a nation" in result.stderr
    assert "line 4: skipped '@everyone 5': a Discord mention is not a nation" in result.stderr
