"""Briefings for a terminal: rich tables when interactive, plain aligned text when piped.

Plain text keeps ``kfor-bot ask "/kfor top 5" | grep Italy`` and log files readable; rich output is
what a person at the console sees. A terminal is wide, so both show the whole table (a scenario's
``full_table``, not the phone-width extract Discord shows). Every text reaches rich as a ``Text``, never
as markup: a nation, a scenario or a usage line with square brackets ("[count]") prints as it is.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from rich.cells import cell_len

from bot.briefings.model import Briefing
from bot.briefings.render.tables import table_lines

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def plain(markdown: str) -> str:
    """Discord's markdown as a terminal shows it: no ``**``, ``*`` or backticks; a link as "title (address)"."""
    text = _LINK.sub(r"\1 (\2)", markdown)
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text)).replace("`", "")


if TYPE_CHECKING:  # rich's console is imported for a terminal only: piped output needs plain text
    from rich.console import Console, Group


def render_text(briefing: Briefing) -> str:
    """Plain text: title, summary, fields, table, notes, footer."""
    out = [briefing.title, "=" * cell_len(briefing.title)]
    if briefing.summary:
        out.append(plain(briefing.summary))
    if briefing.fields:
        out.append("")
        for field in briefing.fields:
            value = plain(field.value)
            first, *rest = value.split("\n")
            out.append(f"{field.name}: {first}")
            out.extend(f"    {line}" for line in rest)
    table = briefing.complete_table
    if table is not None:
        out.append("")
        if table.caption:
            out.append(table.caption)
        out.extend(table_lines(table))
        out.extend(table.notes)
    for note in briefing.notes:
        out.append(f"Note: {note}")
    if briefing.footer is not None:
        out += ["", briefing.footer.text()]
    return "\n".join(out) + "\n"


def render_rich(briefing: Briefing) -> Group:
    """A rich renderable: a panel in the briefing's colour, then the source line under it."""
    from rich.console import Group, RenderableType
    from rich.panel import Panel
    from rich.table import Table as RichTable
    from rich.text import Text

    colour = f"#{briefing.colour:06x}"
    parts: list[RenderableType] = []
    if briefing.summary:
        parts.append(Text(plain(briefing.summary), style="bold"))
    if briefing.fields:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style=colour, no_wrap=True)
        grid.add_column()
        for field in briefing.fields:
            grid.add_row(Text(field.name), Text(plain(field.value)))
        parts += [Text(""), grid]
    source = briefing.complete_table
    if source is not None:
        table = RichTable(
            title=Text(source.caption) if source.caption else None,
            header_style=f"bold {colour}",
            show_edge=False,
            title_justify="left",
            pad_edge=False,
        )
        for column in source.columns:
            table.add_column(Text(column.header), justify=column.align)
        for row in source.rows:
            table.add_row(*(Text(cell) for cell in row))
        parts += [Text(""), table]
        parts += [Text(note, style="dim") for note in source.notes]
    for note in briefing.notes:
        parts.append(Text(f"Note: {note}", style="yellow"))
    panel = Panel(
        Group(*parts),
        title=Text(briefing.title, style=f"bold {colour}"),
        title_align="left",
        border_style=colour,
        expand=False,
    )
    footer = Text(briefing.footer.text(), style="dim") if briefing.footer else Text("")
    return Group(panel, footer)


def print_briefing(briefing: Briefing, console: Console) -> None:
    """Rich output on a terminal, plain text otherwise."""
    if console.is_terminal:
        console.print(render_rich(briefing))
    else:
        console.file.write(render_text(briefing))


def show(briefing: Briefing) -> None:
    """Print to stdout: rich on a terminal, plain text when piped (without importing rich's console)."""
    if sys.stdout.isatty():
        from rich.console import Console

        print_briefing(briefing, Console())
    else:
        sys.stdout.write(render_text(briefing))
