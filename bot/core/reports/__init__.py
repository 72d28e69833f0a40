"""Report ingestion: free text, markdown, CSV and JSON snapshots become validated snapshots."""

from __future__ import annotations

from enum import StrEnum

from bot.core.nations import NationRegistry
from bot.core.reports.assembly import IngestResult, ReportMeta, assemble
from bot.core.reports.issues import Issue, Severity
from bot.core.reports.snapshot_json import read_snapshot_json
from bot.core.reports.tabular import NATION_COLUMNS, read_csv, render_csv
from bot.core.reports.text import read_text

__all__ = [
    "IngestResult",
    "Issue",
    "ReportFormat",
    "ReportMeta",
    "Severity",
    "detect_format",
    "ingest_report",
    "render_csv",
]


class ReportFormat(StrEnum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"


_SUFFIXES = {
    ".json": ReportFormat.JSON,
    ".csv": ReportFormat.CSV,
    ".tsv": ReportFormat.CSV,
    ".txt": ReportFormat.TEXT,
    ".md": ReportFormat.TEXT,
    ".markdown": ReportFormat.TEXT,
}


def detect_format(text: str, name: str = "") -> ReportFormat:
    """The report's format: JSON when it looks like JSON, else by file suffix, else by content.

    Content wins over a name for JSON because URLs often carry misleading names.
    """
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return ReportFormat.JSON
    for suffix, fmt in _SUFFIXES.items():
        if name.lower().endswith(suffix):
            return fmt
    first_line = stripped.split("\n", 1)[0].casefold()
    if any(sep in first_line for sep in ",;\t") and any(col in first_line for col in NATION_COLUMNS):
        return ReportFormat.CSV
    return ReportFormat.TEXT


def ingest_report(
    text: str,
    meta: ReportMeta,
    registry: NationRegistry,
    fmt: ReportFormat | None = None,
    name: str = "",
) -> IngestResult:
    """Parse and validate a report of any supported format into a snapshot and its issues.

    ``meta`` supplies mission, date and source for formats that do not carry them; a JSON
    snapshot carries its own.
    """
    fmt = fmt or detect_format(text, name)
    if fmt is ReportFormat.JSON:
        extraction, own_meta = read_snapshot_json(text, registry)
        meta = own_meta or meta
    elif fmt is ReportFormat.CSV:
        extraction = read_csv(text, registry)
    else:
        extraction = read_text(text, registry)
    return assemble(extraction, meta)
