"""Raw bytes in: generated web pages and placemat PDFs, encodings, binary garbage, one entry point."""

from __future__ import annotations

import codecs
import io

import pytest

from bot.core.models import Source
from bot.core.nations import NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta
from bot.sources.documents import DocumentError, decode_text, html_tables, ingest_document, pdf_text, sniff_format
from tests.documents import (
    PAGE_FIGURES,
    PAGE_ROWS,
    PAGE_TOTAL,
    PLACEMAT_FIGURES,
    PLACEMAT_NATIONS,
    PLACEMAT_TOTAL,
    PLACEMAT_UNATTRIBUTED,
    contributions_page,
    placemat_pdf,
)

META = ReportMeta(as_of="2024-05", source=Source(title="t", publisher="p"))


def ingest(data: bytes, registry: NationRegistry, name: str = "", content_type: str | None = None) -> IngestResult:
    return ingest_document(data, META, registry, name=name, content_type=content_type)


# -- web pages ------------------------------------------------------------------------------------


def test_a_generated_kfor_page_gives_exactly_its_contributions_table(registry: NationRegistry) -> None:
    """Infobox, commanders, prose ignored; flags, links, [3] and <sup> markers understood; the Total row stated."""
    result = ingest(contributions_page().encode(), registry, name="kfor.html")
    assert result.format is ReportFormat.HTML
    snapshot = result.snapshot
    assert snapshot.troops_by_nation == PAGE_FIGURES
    assert snapshot.stated_total == PAGE_TOTAL == 3485
    assert snapshot.stated_nations is None
    assert snapshot.unattributed == ()
    assert result.issues == ()


@pytest.mark.parametrize("written", ["1,258", "1.258", "1 258", "1\u00a0258", "1&nbsp;258", "1&#8239;258"])
def test_thousands_separators_in_a_page(registry: NationRegistry, written: str) -> None:
    """Italy's figure grouped by comma, dot, space, no-break or narrow no-break space is 1,258 every time."""
    rows = ((PAGE_ROWS[0][0], written, 1258), *PAGE_ROWS[1:])
    snapshot = ingest(contributions_page(rows).encode(), registry).snapshot
    assert snapshot.troops_by_nation["Italy"] == 1258


def test_rows_of_the_page_that_are_not_contingents_name_their_page_line(registry: NationRegistry) -> None:
    """A flag with no caption is unattributed; a subtotal row is a skipped line with its line on the page."""
    extra = (
        '<tr><td>11</td><td><img alt="" src="/flags/x.svg"></td><td>12</td><td>0.3%</td></tr>\n'
        "<tr><td></td><td>NATO members total</td><td>3,000</td><td></td></tr>"
    )
    page = contributions_page(extra_rows=extra, total="3 497")
    result = ingest(page.encode(), registry)
    assert result.snapshot.troops_by_nation == PAGE_FIGURES
    assert result.snapshot.unattributed == (12,)
    (skipped,) = result.skipped
    line = page.splitlines().index("<tr><td></td><td>NATO members total</td><td>3,000</td><td></td></tr>") + 1
    assert skipped.line == line
    assert "NATO members total" in skipped.message


def test_html_tables_drops_footnotes_and_hidden_text_and_keeps_alt_text() -> None:
    """The extraction: <sup> and display:none text gone, an image's alt kept, spans and header cells marked."""
    page = (
        "<table><tr><th colspan='2'>Nation</th></tr>"
        "<tr><td><span style='display: none'>zzz</span><img alt='Flag of Italy'> Italy</td>"
        "<td>1,258<sup>[3]</sup></td></tr></table>"
    )
    (table,) = html_tables(page)
    header, row = table.rows
    assert (header.cells[0].header, header.cells[0].colspan) == (True, 2)
    assert [c.text for c in row.cells] == ["Italy", "1,258"]
    assert row.cells[0].images == ("Flag of Italy",)


def test_a_page_without_a_contributions_table_says_so(registry: NationRegistry) -> None:
    """Today's 'no national contingents' for a page becomes: none of its tables lists nations with troops."""
    result = ingest(b"<!doctype html><p>KFOR has 4,686 troops.</p><table><tr><td>Size</td></tr></table>", registry)
    assert result.format is ReportFormat.HTML
    assert [i.code for i in result.errors] == ["no-table"]


# -- placemat PDFs --------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [2, 3])
def test_a_generated_placemat_pdf_gives_every_nation_figure_and_total(registry: NationRegistry, columns: int) -> None:
    """A 1-page placemat in 2 or 3 columns: every nation and figure, stated total and nations, the 12 unattributed."""
    result = ingest(placemat_pdf(columns=columns), registry, name="placemat.pdf")
    assert result.format is ReportFormat.PDF
    snapshot = result.snapshot
    assert snapshot.troops_by_nation == PLACEMAT_FIGURES
    assert snapshot.unattributed == PLACEMAT_UNATTRIBUTED == (12,)
    assert (snapshot.stated_total, snapshot.stated_nations) == (PLACEMAT_TOTAL, PLACEMAT_NATIONS)
    assert [i.code for i in result.issues] == ["unattributed", "total-mismatch", "nation-count-mismatch"]
    listed = sum(PLACEMAT_FIGURES.values())
    assert f"listed {listed:,} + unattributed 12 = {listed + 12:,} against a stated total of 4,273" in (
        result.issues[0].message
    )
    assert snapshot.coverage == "partial"


def test_page_numbers_of_a_multi_page_placemat_are_not_figures(registry: NationRegistry) -> None:
    """Three pages, each numbered at its foot: one unattributed 12 per page, no page number among them."""
    result = ingest(placemat_pdf(pages=3), registry)
    assert result.snapshot.unattributed == (12, 12, 12)
    assert result.snapshot.troops_by_nation == PLACEMAT_FIGURES


def test_pdf_text_keeps_the_grid_columns() -> None:
    """Layout extraction: the captions of one grid row share a line, their figures the line below, column by column."""
    text = pdf_text(placemat_pdf(columns=3))
    lines = [line for line in text.splitlines() if "Albania" in line or line.strip().startswith("13 ")]
    assert len(lines) == 2
    names, figures = lines
    assert names.index("Austria") == figures.index("487")
    assert names.index("Albania") == figures.index("13")


def test_a_pdf_with_no_text_and_a_broken_pdf_are_clear_errors(registry: NationRegistry) -> None:
    """A scan (a page with no text layer) and a truncated file: one error each, format pdf, no exception."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    scan = canvas.Canvas(buffer)
    scan.rect(50, 50, 300, 200, fill=1)  # an image of the placemat would be just as textless
    scan.showPage()
    scan.save()
    result = ingest(buffer.getvalue(), registry)
    assert (result.format, [i.code for i in result.issues]) == (ReportFormat.PDF, ["no-text"])
    broken = ingest(b"%PDF-1.7\n1 0 obj <<", registry)
    assert (broken.format, [i.code for i in broken.issues]) == (ReportFormat.PDF, ["unreadable-pdf"])
    assert broken.issues[0].message.startswith("the PDF could not be read")


def test_a_pdf_is_a_pdf_whatever_its_name_or_declared_type(registry: NationRegistry) -> None:
    """The bytes win: a PDF served as text/csv from report.csv is read as a PDF."""
    assert sniff_format(placemat_pdf(), "report.csv", "text/csv") is ReportFormat.PDF
    result = ingest(placemat_pdf(), registry, name="report.csv", content_type="text/csv")
    assert result.snapshot.troops_by_nation == PLACEMAT_FIGURES


# -- encodings and detection ------------------------------------------------------------------------

REPORT = "KFOR — état des contingents\nTürkiye: 325\nItaly: 1,258\n"


@pytest.mark.parametrize(
    "encoded",
    [
        REPORT.encode("utf-8"),
        codecs.BOM_UTF8 + REPORT.encode("utf-8"),
        REPORT.encode("utf-16"),  # with its byte-order mark (little-endian here)
        codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"),
        REPORT.encode("utf-16-le"),  # the byte-order mark lost on the way (a copy, a careless export)
        REPORT.encode("utf-16-be"),
        REPORT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_text_in_any_usual_encoding_reads_the_same(registry: NationRegistry, encoded: bytes) -> None:
    """UTF-8 with or without BOM, UTF-16 with or without, Windows-1252: the same figures, the accents intact."""
    result = ingest(encoded, registry, name="report.txt")
    assert result.format is ReportFormat.TEXT
    assert result.snapshot.troops_by_nation == {"Turkey": 325, "Italy": 1258}


def test_a_declared_charset_decides_when_utf8_does_not_fit() -> None:
    """Windows-1250 bytes with charset=windows-1250 decode as such; without it, Windows-1252 is the fallback."""
    data = "Česko: 35".encode("cp1250")
    assert decode_text(data, "windows-1250") == "Česko: 35"
    assert decode_text(data) == "Èesko: 35"


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\xff\xfe\x00garbage\x80",  # a UTF-16 byte-order mark, then an odd number of bytes
    ],
    ids=["png", "all-bytes", "zip", "broken-utf-16"],
)
def test_binary_input_is_one_clear_error(registry: NationRegistry, garbage: bytes) -> None:
    """Bytes that are no text: one error, 'not a text report', and no UnicodeDecodeError."""
    result = ingest(garbage, registry, name="report.txt")
    assert result.snapshot is None
    (issue,) = result.issues
    assert issue.code == "not-text"
    assert issue.message.startswith("not a text report")
    assert "\n" not in issue.describe()
    with pytest.raises(DocumentError, match="not a text report"):
        decode_text(garbage)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "fmt"),
    [
        (b"<!DOCTYPE html><table><tr><td>Italy</td><td>5</td></tr></table>", "", None, "html"),
        (b"<table><tr><td>Italy</td><td>5</td></tr></table>", "report.txt", None, "html"),
        (b"<p>troops</p><table><tr><td>Italy</td><td>5</td></tr></table>", "kfor.htm", None, "html"),
        (b"<p>troops</p><table><tr><td>Italy</td><td>5</td></tr></table>", "kfor", None, "html"),
        (b"<p>troops</p><table><tr><td>Italy</td><td>5</td></tr></table>", "x", "text/html; charset=utf-8", "html"),
        (b"Italy: 5\n<table> is a word here", "notes.md", None, "text"),
        (b"nation,troops\nItaly,5", "", "text/plain", "csv"),
        (b"nation;troops\nItaly;5", "report.txt", "text/csv", "csv"),
        (b"Italy: 5", "feed.json", None, "json"),
    ],
)
def test_format_detection(registry: NationRegistry, data: bytes, name: str, content_type: str | None, fmt: str) -> None:
    """Markup first, then declared type, then name, then content; a .md name keeps an inline <table> as text."""
    assert ingest(data, registry, name=name, content_type=content_type).format == fmt


def test_a_two_megabyte_run_of_digits_is_refused_not_hung(registry: NationRegistry) -> None:
    """2 MB of digits in a text body: one bad-figure error (parsing is linear; see bench/bench_ingest.py)."""
    result = ingest(b"Italy: 5\nPoland: " + b"7" * 2_000_000, registry)
    assert [(i.code, i.line) for i in result.errors] == [("bad-figure", 2)]


def test_a_report_is_dated_by_its_text_then_by_its_pdf_metadata(registry: NationRegistry) -> None:
    """ "As of 1 May 2024" on the page wins; without it, the PDF's ModDate; a meta's own date wins over both."""
    undated_meta = ReportMeta(source=Source(title="t", publisher="p"))
    as_of = lambda data: ingest_document(data, undated_meta, registry, "placemat.pdf").snapshot.as_of  # noqa: E731
    assert as_of(placemat_pdf(made="D:20250615083000+01'00'")) == "2024-05-01"
    assert as_of(placemat_pdf(dated=None, made="D:20250615083000+01'00'")) == "2025-06-15"
    page = b"<html><body><h2>As of 15 June 2025</h2><table><tr><th>Nation</th><th>Troops</th></tr>" + (
        b"<tr><td>Italy</td><td>1,258</td></tr><tr><td>Germany</td><td>269</td></tr></table></body></html>"
    )
    assert ingest_document(page, undated_meta, registry, "page.html").snapshot.as_of == "2025-06-15"
    assert ingest_document(page, META, registry, "page.html").snapshot.as_of == "2024-05"
