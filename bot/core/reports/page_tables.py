"""Read the table of nations and troops among the tables of a web page.

A page about KFOR holds more tables than the one that matters: an infobox ("Size: 4,686 troops"), a
list of commanders with their nations and terms ("2019–2021"), navigation boxes. Each table is
scored by how many of its rows pair a nation with a troop figure; its nation and troop columns are
found from the header ("Troops", "Personnel", …) or, without one, from what the cells hold, and a
column of years is never a troop column. The best table is read. Other tables are not: a page that
keeps past figures in a table of the same shape would otherwise double every nation, so another
table with a troop header and nations in it is named in a warning instead.

Cells arrive as :mod:`bot.sources.documents` extracts them (this module parses no HTML): visible
text without superscript footnotes, the alt text of images (a flag's "Flag of Italy") and the
cell's spans. Footnote markers left in the text ("1,258[3]", "Italy*") are dropped, a flag emoji
beside a name is that nation, a flag image alone is read as the nation it names, and a figure in a
row with no caption at all is *unattributed*. A ``Total`` row is the stated total.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from bot.core.nations import Nation, NationRegistry
from bot.core.reports.assembly import SKIPPED, Entry, Extraction, Stated, Unattributed
from bot.core.reports.dates import report_date
from bot.core.reports.figures import COUNT_NAME, TOTAL_NAME, FigureError, looks_numeric, parse_figure
from bot.core.reports.issues import error, warning


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell as a person sees it."""

    text: str
    #: Alt (or title) text of the images in the cell, e.g. a flag's "Flag of Italy"; "" for an image without one.
    images: tuple[str, ...] = ()
    header: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    #: The line of the page where the row starts, so issues can name it.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...]
    line: int | None = None
    #: Its caption or the heading above it ("As of 15 June 2025", "Earlier: January 2024"), where a page dates it.
    title: str = ""


_MARKERS = re.compile(r"\[[^\[\]]{0,24}\]|[*†‡§¶]+")
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_PARENTHESES = re.compile(r"\s*\([^()]{0,40}\)")
_ALT_NOISE = re.compile(r"^(?:the\s+)?flag\s+of\s+|\s+flag$|\.(?:svg|png|gif|jpe?g|webp)$", re.IGNORECASE)
_NO_FIGURE = {"", "-", "–", "—", "n/a", "na", "?", "…", "..."}
_TROOP_HEADER = re.compile(r"troop|personnel|soldier|strength|contribution|contingent|deployed|size", re.IGNORECASE)
_NOT_TROOPS = re.compile(
    r"year|from|since|until|term|period|date|rank|share|percent|change|^#$|^no\.?$|%|Δ", re.IGNORECASE
)
#: Spans beyond these are malformed or hostile; capping them keeps a table's grid small.
_MAX_COLSPAN = 50
_MAX_ROWSPAN = 500
_MAX_NAME_LENGTH = 80
_MAX_CELL_TEXT = 200


def _clean(text: str) -> str:
    """Text without footnote markers, with whitespace collapsed; only its start when it is long.

    No name or figure is longer than a few dozen characters, so a cell of megabytes is read no
    further than that: every cell costs bounded time however large the page.
    """
    if len(text) > _MAX_CELL_TEXT:
        text = text[:_MAX_CELL_TEXT] + "…"
    return " ".join(_MARKERS.sub(" ", text).split())


def _figure_text(cell: Cell | None) -> str:
    return _FLAG.sub("", _clean(cell.text)).strip() if cell is not None else ""


@dataclass(slots=True)
class _NameReader:
    registry: NationRegistry

    def nation(self, cell: Cell | None) -> tuple[Nation | None, str]:
        """The nation a cell names (its text, else a flag emoji, else an image's alt text) and the name as written."""
        if cell is None:
            return None, ""
        text = _clean(cell.text)
        words = _FLAG.sub(" ", text).strip()
        if words:
            return self._lookup(words), words
        for flag in _FLAG.findall(text):
            nation = self.registry.exact(flag)
            if nation is not None:
                return nation, flag
        for alt in cell.images:
            label = _ALT_NOISE.sub("", alt.strip()).strip()
            if label:
                return self._lookup(label), label
        return None, ""

    def _lookup(self, name: str) -> Nation | None:
        if len(name) > _MAX_NAME_LENGTH:
            return None
        return self.registry.exact(name) or self.registry.exact(_PARENTHESES.sub("", name))


@dataclass(frozen=True, slots=True)
class _GridRow:
    line: int | None
    cells: list[Cell | None]

    def at(self, column: int) -> Cell | None:
        return self.cells[column] if column < len(self.cells) else None


def _grid(table: Table) -> list[_GridRow]:
    """Rows with every cell at its column, spans expanded (a cell spanning two columns is in both)."""
    carried: dict[int, tuple[Cell, int]] = {}  # column → (cell, rows it still covers)
    grid = []
    for row in table.rows:
        cells: list[Cell | None] = []
        own = iter(row.cells)
        cell = next(own, None)
        while cell is not None or any(column >= len(cells) for column in carried):
            column = len(cells)
            if column in carried:
                above, left = carried.pop(column)
                cells.append(above)
                if left > 1:
                    carried[column] = (above, left - 1)
                continue
            if cell is None:
                cells.append(None)
                continue
            for _ in range(max(1, min(cell.colspan, _MAX_COLSPAN))):
                if cell.rowspan > 1:
                    carried[len(cells)] = (cell, min(cell.rowspan, _MAX_ROWSPAN) - 1)
                cells.append(cell)
            cell = next(own, None)
        grid.append(_GridRow(row.line, cells))
    return grid


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a table keeps its nations and troops, and how sure that is."""

    table: Table
    rows: list[_GridRow]  # the data rows, headers removed
    nation_column: int
    troops_column: int
    labelled: bool  # the troops column's header names troops
    score: int  # rows pairing a nation with a figure

    @property
    def rank(self) -> tuple[bool, int]:
        return self.labelled, self.score


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _layout(table: Table, names: _NameReader) -> _Layout | None:
    grid = _grid(table)
    nations = [[names.nation(cell)[0] for cell in row.cells] for row in grid]
    numeric = [[looks_numeric(_figure_text(cell)) for cell in row.cells] for row in grid]
    start = 0
    labels: dict[int, str] = {}
    while start < len(grid) and not any(nations[start]):
        row = grid[start]
        if any(numeric[start]) and not all(cell is None or cell.header for cell in row.cells):
            break
        for column, cell in enumerate(row.cells):
            if cell is not None and cell.text.strip():
                labels[column] = f"{labels.get(column, '')} {_clean(cell.text)}".strip()
        start += 1
    data = range(start, len(grid))
    nation_hits: Counter[int] = Counter(c for r in data for c, n in enumerate(nations[r]) if n is not None)
    if not nation_hits:
        return None
    nation_column = min(nation_hits, key=lambda c: (-nation_hits[c], c))
    figure_hits: Counter[int] = Counter(c for r in data for c, is_figure in enumerate(numeric[r]) if is_figure)
    years: Counter[int] = Counter(
        c for r in data for c, cell in enumerate(grid[r].cells) if numeric[r][c] and _is_year(_figure_text(cell))
    )

    def labelled(column: int) -> bool:
        return bool(_TROOP_HEADER.search(labels.get(column, "")))

    candidates = [
        c
        for c in figure_hits
        if c != nation_column
        and (labelled(c) or not _NOT_TROOPS.search(labels.get(c, "")))
        and (labelled(c) or years[c] < figure_hits[c])
    ]
    if not candidates:
        return None
    # A column headed "Troops" first; else the fullest column right of the nations (a rank column sits left).
    troops_column = min(candidates, key=lambda c: (not labelled(c), -figure_hits[c], c < nation_column, c))
    score = sum(1 for r in data if nations[r][nation_column] is not None and numeric[r][troops_column])
    rows = [grid[r] for r in data]
    return _Layout(table, rows, nation_column, troops_column, labelled(troops_column), score)


@dataclass(slots=True)
class _TableReader:
    names: _NameReader
    result: Extraction

    def read(self, layout: _Layout) -> None:
        for row in layout.rows:
            self._read_row(row, layout)

    def _read_row(self, row: _GridRow, layout: _Layout) -> None:
        figure_cell = row.at(layout.troops_column)
        figure = _figure_text(figure_cell)
        is_figure = looks_numeric(figure)
        texts = [_clean(cell.text).rstrip(":") for cell in dict.fromkeys(c for c in row.cells if c is not None)]
        if any(TOTAL_NAME.match(text) for text in texts):
            stated = figure if is_figure else next((t for t in reversed(texts) if looks_numeric(t)), "")
            self._stated("total", stated, row)
            return
        name_cell = row.at(layout.nation_column)
        nation, name = self.names.nation(name_cell)
        if nation is None and is_figure and COUNT_NAME.search(name):
            self._stated("nations", figure, row)
            return
        described = " | ".join(t for t in texts if t)
        issues = self.result.issues
        if nation is not None:
            if is_figure:
                try:
                    self.result.entries.append(Entry(nation.name, parse_figure(figure), row.line))
                except FigureError as exc:
                    issues.append(error("bad-figure", f"{exc} for {nation.name}", row.line))
            elif figure.casefold() in _NO_FIGURE:
                issues.append(warning(SKIPPED, f"skipped {described!r}: no figure for {nation.name}", row.line))
            else:
                issues.append(error("bad-figure", f"{figure!r} is not a number for {nation.name}", row.line))
        elif is_figure and name:
            suggestions = self.names.registry.suggest(name) if len(name) <= _MAX_NAME_LENGTH else ()
            if suggestions:
                message = f"unknown nation {name!r} in {described!r}"
                issues.append(error("unknown-nation", message, row.line, suggestions))
            else:
                issues.append(warning(SKIPPED, f"skipped {described!r}: {name!r} is not a nation", row.line))
        elif is_figure:  # a figure whose caption is missing (a flag without a name, an empty cell)
            try:
                self.result.unattributed.append(Unattributed(parse_figure(figure), row.line))
            except FigureError as exc:
                issues.append(error("bad-figure", str(exc), row.line))
        # else: a sub-heading ("NATO members") or an empty row

    def _stated(self, kind: str, figure: str, row: _GridRow) -> None:
        try:
            value = parse_figure(figure)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"stated {kind}: {exc}", row.line))
            return
        stated = Stated(value, row.line)
        if kind == "total":
            self.result.stated_total = self.result.stated_total or stated
        else:
            self.result.stated_nations = self.result.stated_nations or stated


def dated_sections(table: Table) -> list[Table]:
    """A table cut at its dated full-width rows ("As of June 2025" … "Earlier: January 2024" …), one per date.

    Each section keeps the table's header rows (those before the first dated row) and has the dated
    row's text as its title. A table without two dated rows is returned whole.
    """
    cuts = [
        index
        for index, row in enumerate(table.rows)
        if len(row.cells) == 1 and report_date(row.cells[0].text) and not looks_numeric(row.cells[0].text)
    ]
    if len(cuts) < 2:
        return [table]
    head = table.rows[: cuts[0]]
    bounds = [*cuts, len(table.rows)]
    return [
        Table((*head, *table.rows[start + 1 : end]), table.rows[start].line, table.rows[start].cells[0].text)
        for start, end in pairwise(bounds)
    ]


def read_tables(tables: list[Table], registry: NationRegistry) -> Extraction:
    """Read the page's table of contingents (see the module docstring for how it is chosen)."""
    names = _NameReader(registry)
    result = Extraction()
    tables = [section for table in tables for section in dated_sections(table)]
    layouts = [layout for table in tables if (layout := _layout(table, names)) is not None and layout.score]
    dated = [(as_of, layout) for layout in layouts if (as_of := report_date(layout.table.title))]
    if len(dated) > 1:  # several dated tables: the newest is the report, the others its history
        result.as_of, newest = max(dated, key=lambda pair: pair[0])
        older = f"{len(dated) - 1} older dated table(s) on the page were not read"
        result.issues.append(warning("older-tables", f"{older}; the newest ({result.as_of}) is the report",
                                     newest.table.line))  # fmt: skip
        layouts = [newest]
    if not layouts:
        result.issues.append(
            error("no-table", f"none of the page's {len(tables)} table(s) lists nations with troop figures")
        )
        return result
    best = max(layouts, key=lambda layout: layout.rank)  # the first of equals: the one higher on the page
    _TableReader(names, result).read(best)
    for other in layouts:
        if other is not best and other.labelled and other.score >= 2:
            result.issues.append(
                warning(
                    "other-table",
                    f"another table (line {other.table.line}) also lists {other.score} nations with troops; "
                    f"only the table at line {best.table.line} was read",
                    other.table.line,
                )
            )
    return result
