"""The date a report gives itself: "as of 15 June 2025", "Stand: Juni 2025", a dated title.

A figure shown with a date the report never gave is a small lie: the watch used to date an undated
report with the day it was fetched, and the next dated report was then refused as "an older
edition". So the date is read from the document first — an explicit "as of" (in the four languages
the sources are written in), else a month and year in the report's first lines (its title or
heading) — and only a report that gives none is told as "undated, retrieved …" (see
:attr:`bot.core.models.Snapshot.as_of_label`).

Pure: text in, an ISO date of the precision the report gives (``2025-06`` or ``2025-06-15``) out.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "agosto": 8,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: "15 June 2025", "15. Juni 2025", "1er juin 2025", "June 15, 2025", "June 2025", "2025-06-15", "2025-06".
_DATE = (
    rf"(?:(?P<day>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?\s+(?P<year>(?:19|20)\d\d)"
    rf"|(?P<month2>{_MONTH})\.?\s+(?:(?P<day2>\d{{1,2}}),?\s+)?(?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?))\b"
)
#: The words that introduce a report's own date: "as of", "Stand", "au", "al", "aggiornato al".
_AS_OF = re.compile(
    rf"\b(?:as\s+(?:of|at)|updated|dated|stand(?:\s+vom)?|aktualisiert(?:\s+am)?|mis\s+à\s+jour\s+le|en\s+date\s+du"
    rf"|situation\s+au|au|aggiornat[oi]\s+al|dati\s+al|situazione\s+al|al)\s*:?\s+{_DATE}",
    re.IGNORECASE,
)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)
#: A date in the first lines only is the report's (its title or heading); further down it is prose.
_HEAD_LINES = 5


def _iso(match: re.Match[str]) -> str | None:
    if match.group("iso"):
        return match.group("iso")
    month_name = (match.group("month") or match.group("month2") or "").casefold()
    year = match.group("year") or match.group("year2")
    day = match.group("day") or match.group("day2")
    month = _MONTHS.get(month_name)
    if month is None or year is None:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return f"{year}-{month:02d}"


def report_date(text: str) -> str | None:
    """The date a report gives itself: the newest "as of …" in it, else a date in its first lines."""
    stated = [iso for match in _AS_OF.finditer(text) if (iso := _iso(match))]
    if stated:
        return max(stated)
    head = "\n".join([line for line in text.splitlines() if line.strip()][:_HEAD_LINES])
    for match in _ANY_DATE.finditer(head):
        if iso := _iso(match):
            return iso
    return None


def http_date(value: str | None) -> str | None:
    """The day of an HTTP date (``Last-Modified: Sun, 15 Jun 2025 08:00:00 GMT``), or None."""
    if not value:
        return None
    from email.utils import parsedate_to_datetime  # with the socket module: 4 ms a one-shot answer never needs

    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def pdf_date(value: str | None) -> str | None:
    """The day of a PDF metadata date (``D:20250615083000+01'00'``), or None."""
    match = re.match(r"^(?:D:)?((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])?", value or "")
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"
