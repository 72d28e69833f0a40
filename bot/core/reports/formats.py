"""The report formats the bot reads, as one enum that every layer can name without importing a parser."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """What a report was read as; carried on :class:`~bot.core.reports.assembly.IngestResult`."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    #: A web page: the table of nations and troops is read, the rest of the page is not.
    HTML = "html"
    #: A PDF (a "Key Facts and Figures" placemat): its extracted text, read as a grid of nations and figures.
    PDF = "pdf"
