"""Aligned plain-text tables, by display width (flag emoji are two cells wide).

Used by the plain console renderer and inside Discord code blocks; needs only ``rich.cells``,
so the Discord path does not load the rest of rich.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len

from bot.briefings.model import Table
from bot.core.nations import strip_flags


def without_flags(table: Table) -> Table:
    """The table with flag emoji removed from its cells.

    Discord does not turn emoji into images inside code blocks, so flags there show as two-letter
    boxes or letters depending on the reader's fonts, and break the alignment.
    """
    rows = tuple(tuple(strip_flags(cell) for cell in row) for row in table.rows)
    return replace(table, rows=rows)


def _pad(text: str, width: int, align: str) -> str:
    gap = " " * max(0, width - cell_len(text))
    return gap + text if align == "right" else text + gap


def table_lines(table: Table, gap: int = 2) -> list[str]:
    """The header and rows as aligned lines, columns ``gap`` spaces apart."""
    widths = [cell_len(c.header) for c in table.columns]
    for row in table.rows:
        widths = [max(w, cell_len(cell)) for w, cell in zip(widths, row, strict=True)]
    keep = [i for i, w in enumerate(widths) if w > 0]

    def line(cells: tuple[str, ...]) -> str:
        return (" " * gap).join(_pad(cells[i], widths[i], table.columns[i].align) for i in keep).rstrip()

    return [line(tuple(c.header for c in table.columns)), *(line(row) for row in table.rows)]
