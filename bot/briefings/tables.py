"""Aligned plain-text tables, by display width (flag emoji are two cells wide).

Used by the plain console renderer and inside Discord code blocks; needs only ``rich.cells``,
so the Discord path does not load the rest of rich.
"""

from __future__ import annotations

from rich.cells import cell_len

from bot.briefings.model import Table


def _pad(text: str, width: int, align: str) -> str:
    gap = " " * max(0, width - cell_len(text))
    return gap + text if align == "right" else text + gap


def table_lines(table: Table, rows: tuple[tuple[str, ...], ...] | None = None) -> list[str]:
    """The header and ``rows`` (default: all) as aligned lines; widths are computed over all rows."""
    widths = [cell_len(c.header) for c in table.columns]
    for row in table.rows:
        widths = [max(w, cell_len(cell)) for w, cell in zip(widths, row, strict=True)]
    keep = [i for i, w in enumerate(widths) if w > 0]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(_pad(cells[i], widths[i], table.columns[i].align) for i in keep).rstrip()

    chosen = table.rows if rows is None else rows
    return [line(tuple(c.header for c in table.columns)), *(line(row) for row in chosen)]
