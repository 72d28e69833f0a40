"""Placemat text (what a "Key Facts and Figures" PDF yields): pairs, alternating lines, grids, unattributed figures."""

from __future__ import annotations

import pytest

from bot.core.models import Source
from bot.core.nations import NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta, ingest_report
from bot.core.reports.placemat import read_pairs

META = ReportMeta(as_of="2024-05", source=Source(title="t", publisher="p"))

#: What pypdf's layout mode makes of a three-column placemat whose sixth flag lost its caption.
LAYOUT_GRID = """\
     KFOR Key Facts and Figures

     Total: 1,210 troops                                 Troop Contributing Nations: 30


     Albania                             Luxembourg                          Austria
     13                                  23                                  487


     Hungary                             Poland
     350                                 258                                 12


     North Macedonia
     67
"""


def read(text: str, registry: NationRegistry) -> IngestResult:
    return ingest_report(text, META, registry, fmt=ReportFormat.PDF)


def codes(result: IngestResult) -> list[str]:
    return [issue.code for issue in result.issues]


def test_two_and_three_nations_to_a_line(registry: NationRegistry) -> None:
    """'Albania 13 Luxembourg 23' and 'Austria 487 Hungary 350 Poland 258' give every pair, nothing else."""
    result = read("Albania 13 Luxembourg 23\nAustria 487 Hungary 350 Poland 258", registry)
    assert result.snapshot.troops_by_nation == {
        "Albania": 13, "Luxembourg": 23, "Austria": 487, "Hungary": 350, "Poland": 258,
    }  # fmt: skip
    assert result.issues == ()
    assert result.format is ReportFormat.PDF


def test_alternating_name_and_figure_lines(registry: NationRegistry) -> None:
    """A caption line, then its figure line, as pypdf's plain extraction gives a one-column grid."""
    text = "Albania\n13\nUnited States\n602\nNorth Macedonia\n1,258 troops"
    result = read(text, registry)
    assert result.snapshot.troops_by_nation == {"Albania": 13, "United States": 602, "North Macedonia": 1258}
    assert result.issues == ()


def test_a_line_of_nations_then_a_line_of_figures_pairs_in_order(registry: NationRegistry) -> None:
    """'Austria Hungary Poland' over '487 350 258': a plain space separates figures, so three figures, in order."""
    result = read("Austria Hungary Poland\n487 350 258", registry)
    assert result.snapshot.troops_by_nation == {"Austria": 487, "Hungary": 350, "Poland": 258}


def test_layout_grid_pairs_by_column_and_keeps_the_captionless_figure(registry: NationRegistry) -> None:
    """In a laid-out grid a figure belongs to the nation above it; the one under no caption is unattributed."""
    result = read(LAYOUT_GRID, registry)
    snapshot = result.snapshot
    assert snapshot.troops_by_nation == {
        "Albania": 13, "Luxembourg": 23, "Austria": 487, "Hungary": 350, "Poland": 258, "North Macedonia": 67,
    }  # fmt: skip
    assert snapshot.unattributed == (12,)
    assert (snapshot.stated_total, snapshot.stated_nations) == (1210, 30)
    assert codes(result) == ["unattributed", "nation-count-mismatch"]
    assert result.warnings[0].line == 11
    assert "listed 1,198 + unattributed 12 = 1,210" in result.warnings[0].message
    assert snapshot.coverage == "partial"


def test_a_figure_right_after_a_figure_has_no_nation(registry: NationRegistry) -> None:
    """'Albania 13 12 Luxembourg 23': the 12 follows a figure, not a caption, so it is nobody's."""
    result = read("Albania 13 12 Luxembourg 23", registry)
    assert result.snapshot.troops_by_nation == {"Albania": 13, "Luxembourg": 23}
    assert result.snapshot.unattributed == (12,)


def test_a_figure_alone_is_unattributed_not_given_to_a_neighbour(registry: NationRegistry) -> None:
    """A flag without a caption between two cells: its figure is kept and given to no nation."""
    result = read("Albania 13\n12\nLuxembourg 23", registry)
    assert result.snapshot.troops_by_nation == {"Albania": 13, "Luxembourg": 23}
    assert result.snapshot.unattributed == (12,)
    assert codes(result) == ["unattributed"]


@pytest.mark.parametrize(
    ("text", "total", "nations"),
    [
        ("Total: 4,273", 4273, None),
        ("4,273 troops", 4273, None),
        ("Total: 4,273 troops from 30 TCNs", 4273, 30),
        ("Troop Contributing Nations: 30", None, 30),
        ("30 TCNs", None, 30),
        ("KFOR: 4.273 troops from 30 allied and partner nations", 4273, 30),
    ],
)
def test_stated_total_and_number_of_nations(
    registry: NationRegistry, text: str, total: int | None, nations: int | None
) -> None:
    """The placemat's own total and count of troop contributing nations, however it words them."""
    snapshot = read(f"{text}\nItaly 5", registry).snapshot
    assert (snapshot.stated_total, snapshot.stated_nations) == (total, nations)
    assert snapshot.troops_by_nation == {"Italy": 5}


def test_titles_dates_years_and_page_numbers_are_not_data(registry: NationRegistry) -> None:
    """'As of 1 May 2024', 'KFOR 2024' and a page number at the foot of the page are read as nothing."""
    text = "KFOR Key Facts and Figures\nAs of 1 May 2024\nKFOR 2024\nAlbania 13\n\n1"
    result = read(text, registry)
    assert result.snapshot.troops_by_nation == {"Albania": 13}
    assert result.snapshot.unattributed == ()
    assert result.issues == ()


def test_pages_are_named_and_page_numbers_skipped(registry: NationRegistry) -> None:
    """Form feeds separate pages: each page's number is skipped, and a finding names its page."""
    result = read("Albania 13\nLuxembourg\nKey Facts\n1\fPoland 258\n2", registry)
    assert result.snapshot.troops_by_nation == {"Albania": 13, "Poland": 258}
    (skipped,) = result.skipped
    assert skipped.line == 2
    assert "no figure for Luxembourg (page 1)" in skipped.message


def test_lines_that_do_not_pair_up_are_an_error_not_a_guess(registry: NationRegistry) -> None:
    """One nation over two figures with no columns to go by: which is Poland's cannot be told."""
    result = read("Albania 13\nPoland\n258 12", registry)
    assert result.snapshot is None
    (issue,) = result.errors
    assert (issue.code, issue.line) == ("unpaired-figures", 3)
    assert "line 2 names 1 nation(s) (Poland)" in issue.message


def test_a_nation_without_a_figure_is_a_skipped_line(registry: NationRegistry) -> None:
    """A caption whose figure never comes is reported with its line, not dropped."""
    result = read("Albania\nLuxembourg 23", registry)
    assert result.snapshot.troops_by_nation == {"Luxembourg": 23}
    (skipped,) = result.skipped
    assert (skipped.code, skipped.line) == ("skipped-line", 1)
    assert "Albania" in skipped.message


def test_a_misspelt_caption_is_an_error_with_suggestions(registry: NationRegistry) -> None:
    """'Germny 269' is not guessed to be Germany: an error naming the line and the close match."""
    result = read("Italy 1,258\nGermny 269", registry)
    (issue,) = result.errors
    assert (issue.code, issue.line, issue.suggestions[0]) == ("unknown-nation", 2, "Germany")


def test_a_caption_that_names_no_nation_is_a_skipped_line(registry: NationRegistry) -> None:
    """'KFOR HQ staff 120' is a figure, but nobody's contingent: a warning with the line."""
    result = read("Italy 1,258\nKFOR HQ staff 120", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258}
    (skipped,) = result.skipped
    assert skipped.line == 2
    assert "KFOR HQ staff 120" in skipped.message


def test_flag_emoji_beside_a_caption_names_one_nation(registry: NationRegistry) -> None:
    """'🇮🇹 Italy 1,258 🇩🇪 Germany 269': the flag and the caption are the same nation, once."""
    result = read("🇮🇹 Italy 1,258 🇩🇪 Germany 269", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269}
    assert result.issues == ()


def test_thousands_separators_but_not_plain_spaces(registry: NationRegistry) -> None:
    """'1,258', '1.258' and '1 258' (no-break space) are one figure each; a plain space separates two."""
    result = read("Italy 1,258 Hungary 1.350\nPoland 1\u00a0258", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Hungary": 1350, "Poland": 1258}


def test_a_huge_digit_run_is_an_error_not_a_crash(registry: NationRegistry) -> None:
    """A million digits where a figure should be: one bad-figure error naming the line."""
    result = read("Italy 5\nPoland " + "9" * 1_000_000, registry)
    (issue,) = result.errors
    assert (issue.code, issue.line) == ("bad-figure", 2)


@pytest.mark.parametrize(
    ("line", "pairs"),
    [
        ("Albania 13 Luxembourg 23", [("Albania", "13"), ("Luxembourg", "23")]),
        ("United States 602 North Macedonia 67", [("United States", "602"), ("North Macedonia", "67")]),
        ("Albania 13", None),  # one pair: the text reader's own job
        ("Albania 13 Luxembourg", None),
        ("KFOR 2024 and Italy 1,258", None),
        ("Italy leads with 1,258 troops and Germany 269", None),
    ],
)
def test_read_pairs_takes_only_rows_of_pairs(registry: NationRegistry, line: str, pairs: list | None) -> None:
    """read_pairs, used by the text reader, answers only for a line made entirely of nation–figure pairs."""
    found = read_pairs(line, registry)
    assert (None if found is None else [(n.name, f) for n, f in found]) == pairs


def test_nato_s_header_line_is_a_total_and_a_nation_count_not_4686_nations(registry: NationRegistry) -> None:
    text = "KFOR Key Facts and Figures\nTotal: 4,686    Troop Contributing Nations: 29\nITALY 1258      GERMANY 550 1\n"
    result = read(text, registry)
    assert (result.snapshot.stated_total, result.snapshot.stated_nations) == (4686, 29)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 550} and result.snapshot.unattributed == (1,)


#: A complete placemat as a line per nation, every figure's thousands set apart by a plain space.
def _spaced_placemat(total: str | None) -> str:
    from tests.conftest import SEED_FIGURES

    head = f"Total: {total}    Troop Contributing Nations: 29\n" if total else ""
    rows = "\n".join(f"{n.upper()} {t:,}".replace(",", " ") for n, t in SEED_FIGURES.items())
    return f"KFOR Key Facts and Figures\n{head}{rows}\n"


def test_italy_1_258_is_read_by_the_stated_total_never_as_1(registry: NationRegistry) -> None:
    """``ITALY 1 258``: 1,258 when that comes closer to the stated total; a flag's 258 when the split does."""
    joined = read(_spaced_placemat("4,686"), registry)
    assert joined.ok and joined.snapshot.troops_by_nation["Italy"] == 1258 and joined.snapshot.unattributed == ()
    assert joined.snapshot.is_complete
    split = read(_spaced_placemat("3,687"), registry)  # what Italy 1 plus a captionless flag of 258 add up to
    assert split.ok and split.snapshot.troops_by_nation["Italy"] == 1 and split.snapshot.unattributed == (258,)


def test_italy_1_258_with_no_stated_total_refuses_the_report_naming_the_line(registry: NationRegistry) -> None:
    """Nothing to tell 1,258 from 1 and 258 by: an error, so the watch holds the last good figures."""
    result = read(_spaced_placemat(None), registry)
    assert not result.ok and result.snapshot is None
    (ambiguous,) = [i for i in result.issues if i.code == "ambiguous-figure"]
    assert ambiguous.message.startswith("'ITALY 1 258': 1,258 troops for Italy, or 1 and a figure of 258")


def test_a_grid_of_figures_is_still_three_figures(registry: NationRegistry) -> None:
    """``487 350 258`` under three nations: columns, never thousands, as before."""
    result = read("Austria Hungary Poland\n487 350 258\n", registry)
    assert result.snapshot.troops_by_nation == {"Austria": 487, "Hungary": 350, "Poland": 258}


def test_a_lost_caption_after_a_three_digit_figure_is_a_flag_s_figure_not_a_question(registry: NationRegistry) -> None:
    """``Austria 487 350 Poland 258`` (Hungary's caption lost): 487 and a flag's 350, never 487,350 or a refusal."""
    result = read("Austria 487 350 Poland 258\nGermany 550\n", registry)
    assert result.ok and result.snapshot.troops_by_nation == {"Austria": 487, "Poland": 258, "Germany": 550}
    assert result.snapshot.unattributed == (350,)
    beside_italy = read("Total: 2,903\nItaly 1 258 Germany 550\nAustria 487 350 Poland 258\n", registry)
    assert beside_italy.snapshot.troops_by_nation["Italy"] == 1258  # 487,350 no longer outvotes Italy's 1,258


def test_a_joined_figure_above_the_stated_total_is_read_as_written(registry: NationRegistry) -> None:
    """``ALBANIA 13 250`` under a total of 2,094: 13 and a flag's 250, and Italy's ``1 258`` still 1,258."""
    result = read("Total: 2,094\nItaly 1 258 Germany 550\nAlbania 13 250 Luxembourg 23\n", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 550, "Albania": 13, "Luxembourg": 23}
    assert result.snapshot.unattributed == (250,)
