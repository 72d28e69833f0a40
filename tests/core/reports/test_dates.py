"""A report's date comes from the report: "as of …", a dated heading, PDF metadata, HTTP Last-Modified."""

from __future__ import annotations

import pytest

from bot.core.reports import ReportMeta, ingest_report
from bot.core.reports.dates import http_date, pdf_date, report_date
from tests.conftest import TEST_SOURCE


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        ("## As of 15 June 2025\nItaly 1258", "2025-06-15"),
        ("KFOR troop contributions, February 2025\nItaly 1258", "2025-02"),
        ("Italy 1258\n\n\n\n\n\nFigures as of 1 May 2024.", "2024-05-01"),
        ("KFOR-Truppensteller, Stand: 15. Juni 2025", "2025-06-15"),
        ("Contributeurs de la KFOR, situation au 1er juin 2025", "2025-06-01"),
        ("Contributori KFOR, aggiornato al 15 giugno 2025", "2025-06-15"),
        ("Placemat 2025-06-15", "2025-06-15"),
        ("As of 1 January 2024: …\nAs of 15 June 2025: …", "2025-06-15"),  # the newest statement
        ("Italy 1258\nGermany 269", None),
    ],
)
def test_the_date_a_report_gives_itself(text: str, as_of: str | None) -> None:
    assert report_date(text) == as_of


def test_a_date_deep_in_prose_is_not_the_report_s() -> None:
    prose = "\n".join(["Italy 1258"] * 6 + ["KFOR was founded in June 1999."])
    assert report_date(prose) is None


def test_http_and_pdf_dates() -> None:
    assert http_date("Sun, 15 Jun 2025 08:00:00 GMT") == "2025-06-15"
    assert http_date("soon") is None and http_date(None) is None
    assert pdf_date("D:20250615083000+01'00'") == "2025-06-15" and pdf_date("yesterday") is None


def test_an_ingested_report_is_dated_by_its_heading_unless_its_meta_says_otherwise(registry) -> None:
    text = "## As of 15 June 2025\nItaly: 1258\nGermany: 269\n"
    assert ingest_report(text, ReportMeta(source=TEST_SOURCE), registry).snapshot.as_of == "2025-06-15"
    meta = ReportMeta(source=TEST_SOURCE, as_of="2025-07")
    assert ingest_report(text, meta, registry).snapshot.as_of == "2025-07"
