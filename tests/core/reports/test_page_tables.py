"""A web page's tables (as extracted): which one lists the contingents, and what each of its rows says."""

from __future__ import annotations

from bot.core.models import Source
from bot.core.nations import NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta, ingest_tables
from bot.core.reports.page_tables import Cell, Row, Table

META = ReportMeta(as_of="2024-05", source=Source(title="t", publisher="p"))


def table(*rows: tuple[str | Cell, ...], line: int = 1) -> Table:
    """A table from rows of plain strings (data cells) or ready cells; row n sits on line ``line + n``."""
    return Table(
        tuple(
            Row(tuple(c if isinstance(c, Cell) else Cell(c) for c in cells), line + n) for n, cells in enumerate(rows)
        ),
        line,
    )


def th(text: str, **spans: int) -> Cell:
    return Cell(text, header=True, **spans)


def read(tables: list[Table], registry: NationRegistry) -> IngestResult:
    return ingest_tables(tables, META, registry)


INFOBOX = table(("Size", "4,686 troops"), ("Part of", "NATO"), ("Lead nation", "Italy"))
COMMANDERS = table(
    (th("Commander"), th("Nation"), th("From"), th("To")),
    ("Maj. Gen. A", "Italy", "2019", "2020"),
    ("Maj. Gen. B", "Hungary", "2021", "2022"),
    ("Maj. Gen. C", "Turkey", "2023", "2024"),
    line=10,
)
CONTRIBUTIONS = table(
    (th("#"), th("Country"), th("Personnel"), th("Share")),
    ("1", "Italy[3]", "1,258[3]", "50.5%"),
    ("2", "🇺🇸 United States", "602", "24.2%"),
    ("3", Cell("", images=("Flag of Hungary",)), "365", "14.6%"),
    ("4", "Türkiye*", "265", "10.6%"),
    (th("Total", colspan=2), th("2 490"), th("100%")),
    line=20,
)
FIGURES = {"Italy": 1258, "United States": 602, "Hungary": 365, "Turkey": 265}


def test_the_contributions_table_is_read_and_the_others_ignored(registry: NationRegistry) -> None:
    """Infobox and commanders (nations with years) are passed over; every nation, its figure and the Total are read."""
    result = read([INFOBOX, COMMANDERS, CONTRIBUTIONS], registry)
    assert result.format is ReportFormat.HTML
    assert result.snapshot.troops_by_nation == FIGURES
    assert result.snapshot.stated_total == 2490
    assert result.issues == ()


def test_without_headers_the_troops_column_is_the_figures_not_the_ranks(registry: NationRegistry) -> None:
    """No header at all: the fullest figure column right of the nations, not the rank column left of them."""
    bare = table(("1", "Italy", "1,258"), ("2", "Germany", "269"), ("3", "Poland", "247"))
    assert read([bare], registry).snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269, "Poland": 247}


def test_a_column_of_years_is_never_a_troops_column(registry: NationRegistry) -> None:
    """A headerless table of nations and years is no list of contingents: nothing is read, and that is an error."""
    years = table(("Italy", "2019"), ("Hungary", "2021"), ("Turkey", "2023"))
    result = read([years], registry)
    assert result.snapshot is None
    assert [i.code for i in result.issues] == ["no-table"]


def test_a_page_without_a_table_of_nations_is_one_clear_error(registry: NationRegistry) -> None:
    """No table pairs nations with figures: one error saying how many tables were looked at."""
    result = read([INFOBOX], registry)
    (issue,) = result.errors
    assert issue.code == "no-table"
    assert "1 table(s)" in issue.message


def test_a_flag_without_a_caption_is_unattributed(registry: NationRegistry) -> None:
    """A row whose name cell holds only an image without alt text keeps its figure, for no nation."""
    contributions = table(
        (th("Nation"), th("Troops")), ("Italy", "1,258"), (Cell("", images=("",)), "12"), ("Germany", "269")
    )
    snapshot = read([contributions], registry).snapshot
    assert snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269}
    assert snapshot.unattributed == (12,)


def test_rows_that_are_not_contingents_are_reported_with_their_line(registry: NationRegistry) -> None:
    """A subtotal, a nation without a figure: warnings naming the row's line; a sub-heading: nothing."""
    contributions = table(
        (th("Nation"), th("Troops")),
        (th("NATO members", colspan=2),),
        ("Italy", "1,258"),
        ("NATO members total", "1,258"),
        ("Partners", "54"),
        ("Ireland", "–"),
        ("Germany", "269"),
        line=40,
    )
    result = read([contributions], registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269}
    assert result.snapshot.stated_total is None  # a subtotal is not the mission's total
    assert [(i.code, i.line) for i in result.skipped] == [
        ("skipped-line", 43),
        ("skipped-line", 44),
        ("skipped-line", 45),
    ]
    assert "'NATO members total' is not a nation" in result.skipped[0].message
    assert "Partners" in result.skipped[1].message
    assert "no figure for Ireland" in result.skipped[2].message


def test_a_misspelt_nation_or_a_bad_figure_is_an_error_naming_the_row(registry: NationRegistry) -> None:
    """'Germny' is not guessed and 'about 40' is no figure: errors with the rows' lines."""
    contributions = table((th("Nation"), th("Troops")), ("Italy", "1,258"), ("Germny", "269"), ("Spain", "about 40"))
    result = read([contributions], registry)
    assert result.snapshot is None
    assert [(i.code, i.line) for i in result.errors] == [("unknown-nation", 3), ("bad-figure", 4)]
    assert result.errors[0].suggestions[0] == "Germany"


def test_spans_keep_columns_in_place(registry: NationRegistry) -> None:
    """A nation cell spanning two rows (two figures, two sources) and a row header spanning two columns."""
    spanned = table(
        (th("Nation"), th("Source"), th("Troops")),
        (Cell("Italy", rowspan=2), "NATO", "1,258"),
        ("news", "1,258"),
        ("Poland", "NATO", "247"),
    )
    result = read([spanned], registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Poland": 247}
    assert [i.code for i in result.issues] == ["duplicate"]


def test_a_second_table_of_contingents_is_named_not_merged(registry: NationRegistry) -> None:
    """Past figures in a table of the same shape: the fuller table is read, the other named in a warning."""
    older = table((th("Nation"), th("Troops (2008)")), ("Italy", "2,000"), ("Germany", "2,500"), line=60)
    result = read([CONTRIBUTIONS, older], registry)
    assert result.snapshot.troops_by_nation == FIGURES
    (other,) = result.warnings
    assert (other.code, other.line) == ("other-table", 60)
    assert "line 20" in other.message


def test_of_several_dated_tables_the_newest_is_the_report(registry: NationRegistry) -> None:
    """A current table and an "Earlier: January 2024" one, as two tables (either order) or sections of one."""
    from dataclasses import replace

    from bot.core.reports import ingest_tables

    header = (th("Nation"), th("Troops"))
    current = table(header, ("Italy", "1,258"), ("Germany", "269"))
    earlier = table(header, ("Italy", "1,100"), ("Germany", "200"), line=20)
    undated = ReportMeta(source=META.source)
    for tables in (
        [replace(current, title="As of 15 June 2025"), replace(earlier, title="Earlier: January 2024")],
        [replace(earlier, title="Earlier: January 2024"), replace(current, title="As of 15 June 2025")],
        [table(header, (th("As of 15 June 2025", colspan=2),), ("Italy", "1,258"), ("Germany", "269"),
               (th("Earlier: January 2024", colspan=2),), ("Italy", "1,100"), ("Germany", "200"))],
    ):  # fmt: skip
        result = ingest_tables(tables, undated, registry)
        assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269}
        assert result.snapshot.as_of == "2025-06-15" and "older-tables" in [i.code for i in result.issues]
