"""The header lines publishers write about a whole report: its total troops and number of nations.

NATO's own placemat puts both on one line (``Total: 4,686    Troop Contributing Nations: 29``),
and the figure after "Total:" was read as a number of nations, making every real placemat
"partial"; a text report with the same line was rejected as "not a number". The forms are read
here once, for every format, in English, German, French and Italian:

- ``Total: 4,686    Troop Contributing Nations: 29`` (and either half alone);
- ``Total troops: 4,686 from 29 nations``, ``4,686 troops from 29 nations``;
- ``KFOR Total Strength: 4,273``;
- ``Gesamtstärke: 4.686 Soldaten aus 29 Nationen``, ``Effectif total : 4 686 militaires de 29 pays``,
  ``Totale: 4.686 militari da 29 nazioni``.

A line is a header only when it is one of these forms through and through: a sentence that
mentions a total is prose, read elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.reports.figures import FigureError, parse_figure

_FIGURE = r"\d{1,3}(?:[,.\u00a0\u202f\u2009 ]\d{3})+(?!\d)|\d{1,7}"
_TOTAL = (
    r"(?:(?:kfor|mission)\s+)?(?:grand\s+|overall\s+)?total(?:\s+(?:troops|strength|personnel|force|soldiers))?"
    r"|(?:kfor[- ])?gesamt(?:stärke|zahl|personal)?|insgesamt|truppenstärke"
    r"|effectifs?(?:\s+total)?|total\s+des\s+effectifs"
    r"|totale(?:\s+(?:militari|truppe|forze))?|forza\s+totale|effettivi(?:\s+totali)?"
)
_UNIT = r"(?:troops|soldiers|personnel|soldaten|kräfte|militaires|soldats|militari|soldati|unità)"
_FROM = r"(?:from|of|aus|von|de|des|da|di|provenienti\s+da)"
_NATIONS = (
    r"(?:(?:troop[- ])?contributing\s+nations|tcns?|nations|countries|allies|"
    r"truppenstellende\s+(?:nationen|staaten)|truppensteller(?:nationen|staaten)?|nationen|staaten|länder|"
    r"nations\s+contributrices|pays(?:\s+contributeurs)?|"
    r"paesi(?:\s+contributori)?|nazioni(?:\s+contributrici)?)"
)
_SEPARATOR = r"\s*[:=\-–—]?\s*"
_GAP = r"(?:\s{2,}|\s*[,;|·•/]\s*|\t)"
#: ``Total: 4,686`` with its optional unit and ``from 29 nations``, then optionally ``Troop Contributing Nations: 29``.
_HEADER = re.compile(
    rf"^(?:(?:{_TOTAL}){_SEPARATOR}(?P<total>{_FIGURE})(?:\s+{_UNIT})?(?:\s+{_FROM}\s+(?P<count>\d{{1,3}})\s+{_NATIONS})?"
    rf"(?:{_GAP}{_NATIONS}{_SEPARATOR}(?P<count2>\d{{1,3}}))?"
    rf"|{_NATIONS}{_SEPARATOR}(?P<count3>\d{{1,3}})(?:{_GAP}(?:{_TOTAL}){_SEPARATOR}(?P<total2>{_FIGURE})(?:\s+{_UNIT})?)?"
    rf"|(?P<total3>{_FIGURE})\s+{_UNIT}\s+{_FROM}\s+(?P<count4>\d{{1,3}})\s+{_NATIONS})\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Header:
    """What a header line states; either may be missing."""

    total: int | None
    nations: int | None


def read_header(line: str) -> Header | None:
    """The stated total and nation count of a header line, or None when the line is not one."""
    text = line.strip().strip("*#").strip()
    match = _HEADER.match(text)
    if match is None:
        return None
    total_text = match["total"] or match["total2"] or match["total3"]
    count_text = match["count"] or match["count2"] or match["count3"] or match["count4"]
    try:
        total = parse_figure(total_text) if total_text else None
    except FigureError:
        return None
    return Header(total, int(count_text) if count_text else None)
