"""CSV reports: header detection, extra columns, delimiters, and errors naming lines."""

from __future__ import annotations

from bot.core.models import Source
from bot.core.nations import NationRegistry
from bot.core.reports import ReportFormat, ReportMeta, detect_format, ingest_report, render_csv

META = ReportMeta(as_of="2025-06", source=Source(title="t", publisher="p"))


def test_csv_with_extra_columns_and_country_header(registry: NationRegistry) -> None:
    """Only the country and troops columns matter; the rest is ignored."""
    text = 'rank,Country,Troops,note\n1,Italy,"1,258",lead nation\n2,United States,602,\n'
    result = ingest_report(text, META, registry, name="x.csv")
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "United States": 602}


def test_semicolon_csv_with_total_row(registry: NationRegistry) -> None:
    result = ingest_report("nation;troops\nItaly;1.258\nTotal;1.258\n", META, registry, fmt=ReportFormat.CSV)
    assert result.snapshot.stated_total == 1258
    assert result.issues == ()


def test_missing_columns_are_named(registry: NationRegistry) -> None:
    result = ingest_report("name,count\nItaly,5\n", META, registry, fmt=ReportFormat.CSV)
    (issue,) = result.errors
    assert issue.code == "bad-header"
    assert issue.line == 1
    assert "'nation'" in issue.message


def test_bad_rows_name_their_line(registry: NationRegistry) -> None:
    """Unknown nation on line 3, non-numeric figure on line 4, short row on line 5: all reported."""
    text = "nation,troops\nItaly,5\nGermny,3\nSpain,lots\nFrance\n"
    result = ingest_report(text, META, registry, fmt=ReportFormat.CSV)
    assert [(i.code, i.line) for i in result.errors] == [("unknown-nation", 3), ("bad-figure", 4), ("short-row", 5)]
    assert result.errors[0].suggestions[0] == "Germany"


def test_render_csv_reads_back_to_the_same_snapshot(seed_snapshot, registry: NationRegistry) -> None:
    """The seed rendered as CSV parses back to an equal snapshot (figures, stated totals, warnings)."""
    meta = ReportMeta(mission="KFOR", as_of=seed_snapshot.as_of, source=seed_snapshot.source)
    result = ingest_report(render_csv(seed_snapshot), meta, registry, fmt=ReportFormat.CSV)
    assert result.snapshot is not None and result.snapshot.read_as == "csv"  # what it was read as, and…
    assert result.snapshot.replace(read_as=seed_snapshot.read_as) == seed_snapshot  # …all else equal


def test_detect_format_by_name_then_content() -> None:
    assert detect_format("", "r.CSV") is ReportFormat.CSV
    assert detect_format("{}", "") is ReportFormat.JSON
    assert detect_format("Country,Troops\nItaly,5") is ReportFormat.CSV
    assert detect_format("Italy: 5") is ReportFormat.TEXT
    assert detect_format("Italy: 5", "notes.md") is ReportFormat.TEXT


def test_approx_column_marks_approximate_figures(registry: NationRegistry) -> None:
    """An 'approx' column of yes/true/1/≈ (or '~' in the troops cell) sets Contingent.approx; empty/no/0 do not."""
    text = "nation,troops,approx\nGermany,2350,yes\nItaly,620,TRUE\nTurkey,369,1\nHungary,365,≈\nPoland,247,\n"
    text += "Austria,105,no\nGreece,~121,0\nRomania,182,false\n"
    result = ingest_report(text, META, registry, fmt=ReportFormat.CSV)
    assert result.issues == ()
    assert result.snapshot.approx_nations == {"Germany", "Italy", "Turkey", "Hungary", "Greece"}
    assert result.snapshot.troops_by_nation["Greece"] == 121


def test_an_unreadable_approx_value_is_an_error_naming_the_line(registry: NationRegistry) -> None:
    """'maybe' is neither yes nor no: an error on its line, not a silent guess."""
    result = ingest_report("nation;troops;approx\nItaly;5;\nSpain;3;maybe\n", META, registry, fmt=ReportFormat.CSV)
    (issue,) = result.errors
    assert (issue.code, issue.line) == ("bad-approx", 3)
    assert "'maybe'" in issue.message


def test_render_csv_writes_the_approx_column_only_when_needed(registry: NationRegistry) -> None:
    """A snapshot with an approximate figure round-trips through CSV; an exact one keeps two columns."""
    text = "nation,troops,approx\nGermany,2350,yes\nItaly,1258,\n"
    snapshot = ingest_report(text, META, registry, fmt=ReportFormat.CSV).snapshot
    rendered = render_csv(snapshot)
    assert rendered.splitlines()[:2] == ["nation,troops,approx", "Germany,2350,yes"]
    assert ingest_report(rendered, META, registry, fmt=ReportFormat.CSV).snapshot == snapshot
    exact = ingest_report("nation,troops\nItaly,1258\n", META, registry, fmt=ReportFormat.CSV).snapshot
    assert render_csv(exact).splitlines()[0] == "nation,troops"


def test_localized_nation_names_in_csv(registry: NationRegistry) -> None:
    """German nation names and thousands in a CSV give the canonical English names and whole figures."""
    text = "nation;troops\nItalien;1.258\nVereinigte Staaten;602\nTürkei;369\n"
    result = ingest_report(text, META, registry, fmt=ReportFormat.CSV)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "United States": 602, "Turkey": 369}
