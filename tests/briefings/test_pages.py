"""A long answer as pages: every page keeps its title and source; summary and notes open page one."""

from __future__ import annotations

from bot.briefings.model import Briefing, BriefingField, Column, Footer, Table
from bot.briefings.pages import pages_of


def _long(fields: int, rows: int) -> Briefing:
    return Briefing(kind="sources", title="KFOR — sources", summary="All of them.", notes=("a note",),
                    fields=tuple(BriefingField(name=f"S{i}", value="x" * 300) for i in range(fields)),
                    table=Table(columns=(Column(header="N"),), rows=tuple((str(i),) for i in range(rows)),
                                notes=("* a mark",)),
                    footer=Footer(source="NATO", as_of="2025-02"))  # fmt: skip


def test_a_short_answer_is_one_page_as_it_was() -> None:
    briefing = _long(3, 10)
    assert pages_of(briefing) == [briefing]


def test_every_field_and_row_is_on_exactly_one_page_and_every_page_cites_its_source() -> None:
    pages = pages_of(_long(18, 70))
    assert len(pages) == 4  # 18 fields of ~300 characters, five to a 1,600-character page; 70 rows, 30 a page
    assert [f.name for p in pages for f in p.fields] == [f"S{i}" for i in range(18)]
    assert [r for p in pages if p.table for r in p.table.rows] == [(str(i),) for i in range(70)]
    assert all(p.footer == Footer(source="NATO", as_of="2025-02") and p.title == "KFOR — sources" for p in pages)
    assert pages[0].summary and all(not p.summary and not p.notes for p in pages[1:])
    assert all(p.table is None or p.table.notes == ("* a mark",) for p in pages)
