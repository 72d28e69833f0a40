"""CSV reports: a header row naming a ``nation`` (or ``country``) and a ``troops`` column.

Other columns are ignored, so exports from spreadsheets with ranks, notes or percentages load as
they are. The delimiter may be a comma, semicolon or tab. A ``Total`` row is a stated total and a
``Contributing nations`` row a stated nation count, as in the text format.

An optional ``approx`` column (``yes``, ``true``, ``1`` or ``≈``; empty, ``no``, ``false`` or ``0``
otherwise) marks a figure the source gives as approximate, as does an "about"-like word or sign
in the troops cell itself (``~530``); :func:`render_csv` writes the column back when one is.
"""

from __future__ import annotations

import csv
import io

from bot.core.models import Snapshot
from bot.core.nations import NationRegistry
from bot.core.reports.assembly import Entry, Extraction, Stated
from bot.core.reports.figures import COUNT_NAME, TOTAL_NAME, FigureError, parse_figure, split_approx
from bot.core.reports.issues import error

NATION_COLUMNS = ("nation", "country", "contributor", "contributing nation")
TROOP_COLUMNS = ("troops", "troop", "personnel", "soldiers", "strength")
APPROX_COLUMNS = ("approx", "approximate", "≈")
_APPROX_YES = {"yes", "y", "true", "1", "≈", "~"}
_APPROX_NO = {"", "no", "n", "false", "0"}


def _dialect(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _column(header: list[str], accepted: tuple[str, ...]) -> int | None:
    normalized = [cell.strip().casefold() for cell in header]
    for name in accepted:
        if name in normalized:
            return normalized.index(name)
    return None


def read_csv(text: str, registry: NationRegistry) -> Extraction:
    """Read a CSV report; every bad row becomes an error naming its line."""
    result = Extraction()
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        result.issues.append(error("empty", "the CSV file is empty"))
        return result
    rows = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=_dialect(lines[first]))
    header = next(rows)
    header_line = first + 1
    nation_col = _column(header, NATION_COLUMNS)
    troops_col = _column(header, TROOP_COLUMNS)
    approx_col = _column(header, APPROX_COLUMNS)
    if nation_col is None or troops_col is None:
        missing = " and ".join(
            label
            for label, col in (("a 'nation' (or 'country')", nation_col), ("a 'troops'", troops_col))
            if col is None
        )
        result.issues.append(
            error("bad-header", f"the header row {lines[first]!r} needs {missing} column", header_line)
        )
        return result
    for offset, row in enumerate(rows, start=1):
        number = header_line + offset
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(nation_col, troops_col):
            result.issues.append(error("short-row", f"row {row!r} has too few columns", number))
            continue
        name = row[nation_col].strip()
        figure, approx = split_approx(row[troops_col].strip())
        try:
            troops = parse_figure(figure)
        except FigureError as exc:
            result.issues.append(error("bad-figure", f"{exc} for {name!r}", number))
            continue
        flag = row[approx_col].strip().casefold() if approx_col is not None and approx_col < len(row) else ""
        if flag not in _APPROX_YES | _APPROX_NO:
            result.issues.append(
                error("bad-approx", f"approx {flag!r} for {name!r} is not yes/true/1/≈ or empty/no/false/0", number)
            )
            continue
        approx = approx or flag in _APPROX_YES
        if TOTAL_NAME.match(name):
            result.stated_total = Stated(troops, number)
            continue
        if COUNT_NAME.search(name) and registry.exact(name) is None:
            result.stated_nations = Stated(troops, number)
            continue
        nation = registry.exact(name)
        if nation is None:
            result.issues.append(error("unknown-nation", f"unknown nation {name!r}", number, registry.suggest(name)))
            continue
        result.entries.append(Entry(nation.name, troops, number, approx))
    return result


def render_csv(snapshot: Snapshot) -> str:
    """The snapshot as a CSV report that :func:`read_csv` reads back to the same contingents.

    The ``approx`` column is written only when a figure is approximate, so exact snapshots keep
    the plain two-column form.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    approx = any(contingent.approx for contingent in snapshot.contingents)
    writer.writerow(["nation", "troops", "approx"] if approx else ["nation", "troops"])
    for contingent in snapshot.contingents:
        row: list[object] = [contingent.nation, contingent.troops]
        writer.writerow([*row, "yes" if contingent.approx else ""] if approx else row)
    if snapshot.stated_total is not None:
        writer.writerow(["Total", snapshot.stated_total])
    if snapshot.stated_nations is not None:
        writer.writerow(["Contributing nations", snapshot.stated_nations])
    return out.getvalue()
