"""A long answer as pages: the page *source* of the paginator (what is on page N), kept apart from the
view that turns them (:mod:`bot.discord.pages`), as RoboDanny's paginator does.

A briefing knows its fields and its table's rows; a page is the same briefing with a slice of
them. Every page keeps the title, the footer (its source and date) and the table's own notes,
so any page read alone still cites its source; the summary and the answer's notes open page one.
Pure: no Discord, no I/O.
"""

from __future__ import annotations

from dataclasses import replace

from bot.briefings.model import Briefing, BriefingField

#: Characters of fields on one page, about two phone screens: /kfor sources' eighteen sources (5,000
#: characters) were about eight screens at once; /kfor help's list stays on one page.
FIELD_CHARS_PER_PAGE = 1600
#: Table rows on one page: the 29 contingents of a whole ranking stay on one page, a longer table turns.
ROWS_PER_PAGE = 30


def pages_of(briefing: Briefing, field_chars: int = FIELD_CHARS_PER_PAGE, rows: int = ROWS_PER_PAGE) -> list[Briefing]:
    """The briefing split into pages of about ``field_chars`` characters of fields and at most ``rows`` table
    rows; one page if it fits."""
    table = briefing.table
    field_pages = _field_pages(briefing.fields, field_chars)
    row_pages = [table.rows[i : i + rows] for i in range(0, len(table.rows), rows)] if table else []
    row_pages = row_pages or [()]
    count = max(len(field_pages), len(row_pages))
    if count == 1:
        return [briefing]
    pages = []
    for index in range(count):
        page_fields = field_pages[index] if index < len(field_pages) else ()
        page_table = None
        if table is not None and index < len(row_pages):
            page_table = replace(table, rows=row_pages[index])
        pages.append(replace(
            briefing,
            summary=briefing.summary if index == 0 else "",
            notes=briefing.notes if index == 0 else (),
            fields=page_fields,
            table=page_table,
            chart=None,
        ))  # fmt: skip
    return pages


def _field_pages(fields: tuple[BriefingField, ...], budget: int) -> list[tuple[BriefingField, ...]]:
    """Consecutive fields, a page at a time, each page within ``budget`` characters (a longer field alone)."""
    pages: list[tuple[BriefingField, ...]] = []
    page: list[BriefingField] = []
    used = 0
    for item in fields:
        size = len(item.name) + len(item.value)
        if page and used + size > budget:
            pages.append(tuple(page))
            page, used = [], 0
        page.append(item)
        used += size
    pages.append(tuple(page))
    return pages
