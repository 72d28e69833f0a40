"""Report ingestion: free text, markdown, CSV, JSON snapshots, web-page tables and placemat text.

Everything here takes text or already-extracted structures: turning the bytes of a PDF or an HTML
page into those is :mod:`bot.sources.documents`' job (it needs third-party parsers; the core needs
none), and its ``ingest_document`` is the one entry point for raw bytes.

Each format's parser is imported when a report of that format arrives: answering from the stored
JSON snapshots (``kfor-bot ask``) never pays for the text, placemat and web-page parsers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.nations import NationRegistry
from bot.core.reports.assembly import SKIPPED, IngestResult, ReportMeta, assemble
from bot.core.reports.coverage import partial_wording
from bot.core.reports.dates import report_date
from bot.core.reports.formats import ReportFormat
from bot.core.reports.issues import Issue, Severity
from bot.core.reports.tabular import NATION_COLUMNS, read_csv, render_csv

if TYPE_CHECKING:
    from bot.core.reports.page_tables import Table

__all__ = [
    "SKIPPED",
    "IngestResult",
    "Issue",
    "ReportFormat",
    "ReportMeta",
    "Severity",
    "detect_format",
    "ingest_report",
    "ingest_tables",
    "render_csv",
]

_SUFFIXES = {
    ".json": ReportFormat.JSON,
    ".csv": ReportFormat.CSV,
    ".tsv": ReportFormat.CSV,
    ".txt": ReportFormat.TEXT,
    ".md": ReportFormat.TEXT,
    ".markdown": ReportFormat.TEXT,
}


def detect_format(text: str, name: str = "") -> ReportFormat:
    """The format of a text report: JSON when it looks like JSON, else by file suffix, else by content.

    Content wins over a name for JSON because URLs often carry misleading names. A first line is a
    CSV header only when one of its cells *is* a nation column ("nation", "country"), so a sentence
    about the "United Nations, …" stays text.
    """
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return ReportFormat.JSON
    for suffix, fmt in _SUFFIXES.items():
        if name.lower().endswith(suffix):
            return fmt
    first_line = stripped.split("\n", 1)[0].casefold()
    for delimiter in ",;\t":
        if delimiter in first_line:
            cells = {cell.strip().strip("\"'") for cell in first_line.split(delimiter)}
            if cells & set(NATION_COLUMNS):
                return ReportFormat.CSV
    return ReportFormat.TEXT


def ingest_report(
    text: str,
    meta: ReportMeta,
    registry: NationRegistry,
    fmt: ReportFormat | None = None,
    name: str = "",
) -> IngestResult:
    """Parse and validate a text report of any supported format into a snapshot and its issues.

    ``meta`` supplies mission, date and source for formats that do not carry them; a JSON
    snapshot carries its own. ``fmt=ReportFormat.PDF`` reads text already extracted from a
    placemat PDF. An HTML page is read from its tables (:func:`ingest_tables`), not its text.
    """
    fmt = fmt or detect_format(text, name)
    if fmt is ReportFormat.JSON:
        from bot.core.reports.snapshot_json import read_snapshot_json

        extraction, own_meta = read_snapshot_json(text, registry)
        meta = own_meta or meta
    elif fmt is ReportFormat.CSV:
        extraction = read_csv(text, registry)
    elif fmt is ReportFormat.PDF:
        from bot.core.reports.placemat import read_placemat

        extraction = read_placemat(text, registry)
    elif fmt is ReportFormat.HTML:
        raise ValueError("an HTML page is read from its tables: use ingest_tables (or bot.sources.documents)")
    else:
        from bot.core.reports.text import read_text

        extraction = read_text(text, registry)
    if fmt is not ReportFormat.JSON:
        extraction.partial_wording = partial_wording(text)
        meta = _dated(meta, text)
    return _read_as(replace(assemble(extraction, meta), format=fmt))


def ingest_tables(tables: list[Table], meta: ReportMeta, registry: NationRegistry, page_text: str = "") -> IngestResult:
    """Parse and validate a web page's tables (already extracted) into a snapshot and its issues.

    ``page_text`` is the page's text around the tables (headings, captions): where a page says its
    table is a selection ("Top 20 contributing nations").
    """
    from bot.core.reports.page_tables import read_tables

    extraction = read_tables(tables, registry)
    extraction.partial_wording = partial_wording(page_text)
    if meta.as_of is None and extraction.as_of is not None:
        meta = meta.replace(as_of=extraction.as_of)
    return _read_as(replace(assemble(extraction, _dated(meta, page_text)), format=ReportFormat.HTML))


def _dated(meta: ReportMeta, text: str) -> ReportMeta:
    """The meta with the date the report gives itself, when the meta has none (see :mod:`.dates`)."""
    if meta.as_of is not None:
        return meta
    as_of = report_date(text)
    return meta.replace(as_of=as_of) if as_of else meta


def _read_as(result: IngestResult) -> IngestResult:
    """The snapshot remembers the format its report was read as (a stored JSON snapshot keeps its own)."""
    if result.snapshot is None or result.format is None or result.format is ReportFormat.JSON:
        return result
    return replace(result, snapshot=result.snapshot.replace(read_as=result.format.value))
