"""Free-text and markdown reports: the seed, list styles, tables, prose, and every error."""

from __future__ import annotations

import re

import pytest

from bot.briefings import formatting as fmt
from bot.core.models import Coverage, Source
from bot.core.nations import NationRegistry
from bot.core.reports import IngestResult, ReportMeta, ingest_report
from bot.core.reports.text import name_trie, read_text
from tests.conftest import SEED_COPY, SEED_FIGURES, SEED_ORIGINAL

META = ReportMeta(as_of="2025-06", source=Source(title="t", publisher="p"))


def ingest(text: str, registry: NationRegistry) -> IngestResult:
    return ingest_report(text, META, registry)


def codes(result: IngestResult) -> list[str]:
    return [issue.code for issue in result.issues]


def test_seed_parses_to_29_nations_and_4686_troops(registry: NationRegistry) -> None:
    """The February 2025 report: 29 nations, 4,686 troops, every figure right, and the 27-vs-29 warning."""
    result = ingest(SEED_COPY.read_text(encoding="utf-8"), registry)
    snapshot = result.snapshot
    assert snapshot is not None
    assert len(snapshot.contingents) == 29
    assert snapshot.total == 4686
    assert snapshot.troops_by_nation == SEED_FIGURES
    assert snapshot.stated_total == 4686
    assert snapshot.stated_nations == 27
    assert codes(result) == ["nation-count-mismatch"]
    warning = result.warnings[0]
    assert "27" in warning.message
    assert "29" in warning.message
    assert warning.line == 11


def test_data_copy_of_the_seed_is_verbatim() -> None:
    """data/ keeps the report exactly as received (when the steering copy is present to compare)."""
    if not SEED_ORIGINAL.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SEED_COPY.read_bytes() == SEED_ORIGINAL.read_bytes()


def test_prose_figures_pair_with_the_nearest_nation(registry: NationRegistry) -> None:
    """'The United States … with 602 soldiers, after Italy’s 1,258 troops' gives both figures."""
    text = "The United States maintains the second-largest contingent with 602 soldiers, after Italy’s 1,258 troops."
    result = ingest(text, registry)
    assert result.snapshot.troops_by_nation == {"United States": 602, "Italy": 1258}


def test_prose_ignores_increments_and_unattached_figures(registry: NationRegistry) -> None:
    """'sent 100 more troops' is a change, not a stock; a figure with no nation is not a contingent."""
    text = "Germany: 269\nGermany sent 100 more troops last year. Around 4,000 soldiers patrol the north."
    result = ingest(text, registry)
    assert result.snapshot.troops_by_nation == {"Germany": 269}


@pytest.mark.parametrize(
    "line",
    [
        "Hungary – 89",
        "Hungary — 89",
        "Hungary - 89",
        "Hungary 89",
        "Hungary (89)",
        "Hungary\t89",
        "| Hungary | 89 |",
        "- Hungary: 89",
        "* Hungary: 89 troops",
        "1. Hungary: 89",
        "**Hungary**: 89",
    ],
)
def test_list_styles(registry: NationRegistry, line: str) -> None:
    """Placemat and table styles all read as Hungary with 89 troops."""
    assert ingest(line, registry).snapshot.troops_by_nation == {"Hungary": 89}


def test_markdown_table_with_header_separator_rank_and_total(registry: NationRegistry) -> None:
    """A table with a rank column, a header and a Total row: nations plus a stated total."""
    text = (
        "| # | Nation | Troops |\n|---|:---|---:|\n| 1 | Italy | 1,322 |\n| 2 | Türkiye | 1.258 |\n| | Total | 2 580 |"
    )
    result = ingest(text, registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1322, "Turkey": 1258}
    assert result.snapshot.stated_total == 2580
    assert result.issues == ()


def test_groups_with_each(registry: NationRegistry) -> None:
    """'Czech Republic & Denmark: 35 each' and 'Sweden and France: 3 each' list every nation."""
    text = "Czech Republic & Denmark: 35 each\nSweden and France: 3 each\nLithuania, Portugal: 1 each"
    result = ingest(text, registry)
    assert result.snapshot.troops_by_nation == {
        "Czech Republic": 35,
        "Denmark": 35,
        "Sweden": 3,
        "France": 3,
        "Lithuania": 1,
        "Portugal": 1,
    }


def test_a_group_without_each_is_an_error(registry: NationRegistry) -> None:
    """One figure for two nations is ambiguous: an error naming the line, not a guess."""
    result = ingest("Italy: 5\nPoland & Latvia: 5", registry)
    assert not result.ok
    (issue,) = result.errors
    assert issue.code == "ambiguous-group"
    assert issue.line == 2


def test_stated_total_and_count_lines_are_not_nations(registry: NationRegistry) -> None:
    """'Total' and 'Troop Contributing Nations: 2' are stated figures; mismatches are warnings."""
    result = ingest("Troop Contributing Nations: 3\nItaly: 10\nSpain: 5\nTotal: 16", registry)
    snapshot = result.snapshot
    assert snapshot.stated_total == 16
    assert snapshot.stated_nations == 3
    assert sorted(codes(result)) == ["nation-count-mismatch", "total-mismatch"]
    total_warning = next(w for w in result.warnings if w.code == "total-mismatch")
    assert "16" in total_warning.message
    assert "15" in total_warning.message
    assert total_warning.line == 4
    assert snapshot.coverage is Coverage.PARTIAL  # 2 listed of the 3 it states
    # What makes the list partial is said by its coverage line; the team sees no warning besides.
    assert not any("3 nations but lists 2" in w or "total" in w for w in snapshot.warnings)


def test_unknown_nation_is_an_error_with_line_and_suggestions(registry: NationRegistry) -> None:
    """A misspelt nation in a report is not guessed: error, line number, close matches."""
    result = ingest("Italy: 5\nGermny: 269", registry)
    assert result.snapshot is None
    (issue,) = result.errors
    assert (issue.code, issue.line) == ("unknown-nation", 2)
    assert issue.suggestions[0] == "Germany"
    assert "line 2" in issue.describe()
    assert "Germany" in issue.describe()


def test_unknown_member_of_a_group_is_named(registry: NationRegistry) -> None:
    result = ingest("Italy: 5\nCzechia & Narnia: 4 each", registry)
    (issue,) = result.errors
    assert issue.code == "unknown-nation"
    assert "Narnia" in issue.message


@pytest.mark.parametrize(
    ("line", "message"), [("Sweden: -3", "negative"), ("France: n/a", "not a number"), ("Spain: 12.5", "whole number")]
)
def test_bad_figures_are_errors_naming_the_line(registry: NationRegistry, line: str, message: str) -> None:
    result = ingest(f"Italy: 5\n{line}", registry)
    (issue,) = result.errors
    assert issue.line == 2
    assert message in issue.message


def test_conflicting_duplicates_are_errors_and_equal_ones_warnings(registry: NationRegistry) -> None:
    """Italy listed twice with different figures is an error naming both; the same figure twice is a warning."""
    conflicting = ingest("Italy: 5\nSpain: 3\nItaly: 6", registry)
    (issue,) = conflicting.errors
    assert issue.code == "conflicting-duplicate"
    assert issue.line == 3
    assert "line 1" in issue.message
    same = ingest("Italy’s 1,258 troops lead.\nItaly: 1,258", registry)
    assert same.snapshot.troops_by_nation == {"Italy": 1258}
    assert codes(same) == ["duplicate"]


def test_unrecognised_space_separated_line_is_a_warning_not_silence(registry: NationRegistry) -> None:
    """'Deployment update 2025' is no nation: it is reported as a skipped line rather than dropped silently."""
    result = ingest("Italy: 5\nDeployment Update 2025", registry)
    assert result.ok
    assert codes(result) == ["skipped-line"]
    assert result.warnings[0].line == 2


def test_empty_report_is_an_error(registry: NationRegistry) -> None:
    result = ingest("Nothing to see here.\n\nKFOR was established in 1999.", registry)
    assert not result.ok
    assert codes(result) == ["no-contingents"]


# -- the European press: localized names, units, number conventions, approximate figures ----------


def read(text: str, registry: NationRegistry) -> dict[str, tuple[int, bool]]:
    """Nation → (troops, approx) as read_text found them, without the cross-checks."""
    return {e.nation: (e.troops, e.approx) for e in read_text(text, registry).entries}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Die Bundeswehr ist mit rund 2350 Soldaten im Kosovo.", {"Germany": (2350, True)}),
        ("Im Kosovo sind derzeit rund 2350 Bundeswehrsoldaten stationiert.", {"Germany": (2350, True)}),
        ("Deutschland stellt 1.258 Soldatinnen und Soldaten.", {"Germany": (1258, False)}),
        ("Die Vereinigten Staaten stellen etwa 600 Soldaten.", {"United States": (600, True)}),
        ("L'Allemagne compte 1 258 soldats au Kosovo.", {"Germany": (1258, False)}),
        ("Les États-Unis comptent environ 600 soldats, l'Italie quelque 1 250 militaires.",
         {"United States": (600, True), "Italy": (1250, True)}),
        ("Il contingente dell'Italia conta circa 620 militari.", {"Italy": (620, True)}),
        ("Gli Stati Uniti schierano 602 soldati.", {"United States": (602, False)}),
        ("Türkiye'nin KFOR'a 369 askerle katkısı sürüyor.", {"Turkey": (369, False)}),
        ("ABD'nin Kosova'da yaklaşık 600 askeri personeli var.", {"United States": (600, True)}),
        ("Yunanistan 300 civarında asker gönderdi.", {"Greece": (300, True)}),
        ("Italija ima 1.258 vojnika u sastavu KFOR-a.", {"Italy": (1258, False)}),
        ("SAD imaju oko 600 vojnika na Kosovu.", {"United States": (600, True)}),
        ("Nemacka ima 300 vojnika.", {"Germany": (300, False)}),
        ("SHBA ka 602 ushtarë në Kosovë.", {"United States": (602, False)}),
        ("Gjermania ka rreth 300 ushtarakë në KFOR.", {"Germany": (300, True)}),
    ],
)  # fmt: skip
def test_press_sentences_in_six_languages(registry: NationRegistry, sentence: str, expected: dict) -> None:
    """German, French, Italian, Turkish, Serbian and Albanian sentences give the nation, figure and approx flag."""
    assert read(sentence, registry) == expected


def test_an_approximate_figure_reaches_the_snapshot(registry: NationRegistry) -> None:
    """'rund 2350' becomes Contingent.approx, shown as ≈2,350; an exact figure beside it stays exact."""
    snapshot = ingest("Die Bundeswehr ist mit rund 2350 Soldaten im Kosovo.\nItalien: 1.258", registry).snapshot
    assert snapshot.troops_by_nation == {"Germany": 2350, "Italy": 1258}
    assert snapshot.approx_nations == {"Germany"}
    assert [fmt.figure(c.troops, approx=c.approx) for c in snapshot.contingents] == ["≈2,350", "1,258"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Germany has about 550 troops.", {"Germany": (550, True)}),
        ("Italy keeps around 3,500 soldiers there.", {"Italy": (3500, True)}),
        ("Poland has approximately 250 personnel.", {"Poland": (250, True)}),
        ("Hungary sent some 600 troops.", {"Hungary": (600, True)}),
        ("Austria provides ≈600 troops.", {"Austria": (600, True)}),
        ("The US contingent (~600 soldiers) is second.", {"United States": (600, True)}),
        ("Germany has 550 troops and Italy some 1,200 soldiers.", {"Germany": (550, False), "Italy": (1200, True)}),
    ],
)  # fmt: skip
def test_about_like_words_mark_english_prose_approximate(registry: NationRegistry, sentence: str, expected) -> None:
    """'about', 'around', 'approximately', 'some', '≈' and '~' flag the figure; a bare figure stays exact."""
    assert read(sentence, registry) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Italien: 1.258", {"Italy": (1258, False)}),
        ("Türkei – 369", {"Turkey": (369, False)}),
        ("Stati Uniti (602)", {"United States": (602, False)}),
        ("Maqedonia e Veriut 67", {"North Macedonia": (67, False)}),
        ("Macedonia del Nord 67", {"North Macedonia": (67, False)}),
        ("Deutschland: ca. 530 Soldaten", {"Germany": (530, True)}),
        ("Germany: ~530", {"Germany": (530, True)}),
        ("Germany: about 530", {"Germany": (530, True)}),
        ("Germany ~530", {"Germany": (530, True)}),
        ("| Germany | ≈530 |", {"Germany": (530, True)}),
        ("Czech Republic & Denmark: about 35 each", {"Czech Republic": (35, True), "Denmark": (35, True)}),
    ],
)  # fmt: skip
def test_list_lines_with_localized_names_and_approximate_figures(registry: NationRegistry, line: str, expected) -> None:
    """List styles read localized names, German thousands and 'about'/'ca.'/'~'/'≈' figures."""
    assert read(line, registry) == expected


@pytest.mark.parametrize("line", ["Germany: more than 500", "Italia: oltre 600", "Deutschland: über 2000"])
def test_bounds_are_not_approximations(registry: NationRegistry, line: str) -> None:
    """'more than', 'oltre', 'über' are bounds, not "about": the line is an error, not an approximate figure."""
    assert codes(ingest(line, registry)) == ["bad-figure"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Deutschland hat 2,5 Soldaten pro Fahrzeug.", {}),  # a decimal comma: not 5 soldiers
        ("Italien hatte Ende 2024 1.258 Soldaten im Kosovo.", {"Italy": (1258, False)}),  # not 20,241,258
        ("La France compte 1 258 soldats.", {"France": (1258, False)}),
        ("Italija ima 12.345 vojnika.", {"Italy": (12345, False)}),
    ],
)
def test_number_conventions_of_the_press(registry: NationRegistry, sentence: str, expected: dict) -> None:
    """'1.258' and '1 258' are thousands; '2,5' is a decimal and no figure; a year before a figure stays apart."""
    assert read(sentence, registry) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Deutschland schickt weitere 200 Soldaten.",
        "La France envoie 200 soldats supplémentaires.",
        "L'Italia invia altri 200 militari.",
        "SAD šalju još 200 vojnika.",
        "Türkiye ek 100 asker gönderiyor.",
        "Gjermania dërgon 100 ushtarë shtesë.",
    ],
)
def test_localized_increments_are_not_contingents(registry: NationRegistry, sentence: str) -> None:
    """'weitere', 'supplémentaires', 'altri', 'još', 'ek', 'shtesë': reinforcements, not the contingent's size."""
    assert read(sentence, registry) == {}


def test_demonyms_are_not_read(registry: NationRegistry) -> None:
    """'il contingente italiano' names no nation CLDR knows: no figure rather than a guess."""
    assert read("Il contingente italiano conta circa 620 militari.", registry) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The island hosts 500 soldiers.", {}),  # English "island" is not German "Island" (Iceland)
        ("Island stellt 5 Soldaten.", {"Iceland": (5, False)}),
        ("It was a sad day: 600 soldiers left the base.", {}),  # "sad" is not Serbian "SAD"
        ("SAD imaju 600 vojnika.", {"United States": (600, False)}),
        ("Fas 30 askerle katkıda bulundu.", {}),  # three letters in title case: never a mention in prose
        ("Irland stellt 13 Soldaten, Island 5 Soldaten.", {"Ireland": (13, False), "Iceland": (5, False)}),
    ],
)
def test_localized_names_in_prose_do_not_collide(registry: NationRegistry, sentence: str, expected: dict) -> None:
    """A localized name is a mention only when capitalised; names under four letters only as upper-case codes."""
    assert read(sentence, registry) == expected


def test_a_huge_digit_run_is_an_error_not_a_crash(registry: NationRegistry) -> None:
    """Thousands of digits as a figure: an error naming the line; in prose: no entry. Never a ValueError."""
    result = ingest("Italy: 5\nPoland: " + "7" * 5000, registry)
    (issue,) = result.errors
    assert (issue.code, issue.line) == ("bad-figure", 2)
    prose = ingest("Italy: 5\nPoland sent " + "7" * 5000 + " troops from 3 nations.", registry)
    assert prose.snapshot.troops_by_nation == {"Italy": 5}


@pytest.mark.parametrize(
    ("text", "name", "fmt"),
    [
        ("Italy: 5", "", "text"),
        ("nation,troops\nItaly,5", "", "csv"),
        ('"Country";"Troops"\nItaly;5', "", "csv"),
        ("KFOR has troops from the United Nations, Italy and others.\nItaly: 5", "", "text"),
        ("Italy: 5", "report.md", "text"),
        (SEED_COPY.read_text(encoding="utf-8"), "", "text"),
    ],
)
def test_the_result_says_which_format_was_read(registry: NationRegistry, text: str, name: str, fmt: str) -> None:
    """A CSV header needs a cell that *is* a nation column: a sentence about the 'United Nations, …' stays text."""
    result = ingest_report(text, META, registry, name=name)
    assert result.format == fmt
    assert result.ok


@pytest.mark.parametrize(
    "title", ["KFOR troop contributions (2024)", "## KFOR troop contributions (2024)", "# KFOR 2024", "# Italy: 1,258"]
)
def test_dated_titles_and_markdown_headings_are_headings_not_entries(registry: NationRegistry, title: str) -> None:
    """A title with its year in parentheses, or any markdown heading, is neither an entry nor an error."""
    result = ingest(f"{title}\nGermany: 269", registry)
    assert result.snapshot.troops_by_nation == {"Germany": 269}
    assert result.issues == ()


def test_a_nation_with_a_figure_in_parentheses_is_still_an_entry(registry: NationRegistry) -> None:
    """'Poland (2000)' names a nation: the dated-title rule does not swallow it."""
    assert ingest("Poland (2000)", registry).snapshot.troops_by_nation == {"Poland": 2000}


def test_markdown_table_under_a_dated_title(registry: NationRegistry) -> None:
    """A dated title, then a markdown table with bold Total: every row, the stated total, no issue."""
    text = (
        "# KFOR troop contributions (2024)\n\nKFOR troop contributions (2024)\n\n"
        "| Nation | Troops |\n|---|---:|\n| Italy | 1,258 |\n| Germany | 269 |\n| **Total** | **1,527** |\n"
    )
    result = ingest(text, registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 269}
    assert result.snapshot.stated_total == 1527
    assert result.issues == ()


def test_placemat_rows_pasted_as_text(registry: NationRegistry) -> None:
    """'Albania 13 Luxembourg 23' and three pairs to a line read as every pair, in a text report too."""
    result = ingest("Albania 13 Luxembourg 23\nAustria 487 Hungary 350 Poland 258", registry)
    assert result.snapshot.troops_by_nation == {
        "Albania": 13, "Luxembourg": 23, "Austria": 487, "Hungary": 350, "Poland": 258,
    }  # fmt: skip
    assert result.issues == ()
    assert {e.nation: e.troops for e in result.snapshot.contingents}["Luxembourg"] == 23


def test_the_name_trie_matches_what_a_plain_alternation_matches(registry: NationRegistry) -> None:
    """The prose scan's trie finds the same mentions, case-insensitively and longest first, as "a|b|…" did."""
    names = {k for n in registry for k in (n.name, n.iso_name, *n.aliases) if len(k) > 3}
    plain = re.compile(rf"(?i:\b(?:{'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})\b)")
    trie = re.compile(rf"(?i:\b(?:{name_trie(names)})\b)")
    text = SEED_COPY.read_text(encoding="utf-8") + " ".join(
        f"{name.upper()}, {name.lower()} and {name}s, {name[:-1]}" for name in sorted(names)
    )
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(trie.finditer(text))) > 2 * len(names)


@pytest.mark.parametrize(
    "header",
    ["Total: 4,686    Troop Contributing Nations: 29", "Total troops: 4,686 from 29 nations",
     "Gesamtstärke: 4.686 Soldaten aus 29 Nationen", "Effectif total : 4 686 militaires de 29 pays"],
)  # fmt: skip
def test_a_header_line_states_total_and_nations_instead_of_rejecting_the_report(registry, header: str) -> None:
    result = ingest(f"{header}\nItaly: 1258\nGermany: 269\n", registry)
    assert result.ok and (result.snapshot.stated_total, result.snapshot.stated_nations) == (4686, 29)
    assert result.snapshot.coverage.value == "partial"  # 2 listed of the 29 it states


def test_a_two_column_placemat_row_as_text_keeps_every_nation_and_the_unattributed_figure(registry) -> None:
    """``GERMANY 550 1       GREECE 113`` and ``HUNGARY 112 1``: figures exact, the 1s kept without a nation."""
    result = ingest("ITALY 1 258\nGERMANY 550 1       GREECE 113\nHUNGARY 112 1\n", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258, "Germany": 550, "Greece": 113, "Hungary": 112}
    assert result.snapshot.unattributed == (1, 1)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Italy contributes 1,258 troops, followed by the US 602 and Hungary 365.",
         {"Italy": 1258, "United States": 602, "Hungary": 365}),
        ("Italien stellt mit rund 1250 Soldaten das größte Kontingent, gefolgt von den USA mit etwa 600.",
         {"Italy": 1250, "United States": 600}),
        ("L'Italie fournit 1 258 soldats, suivie par les États-Unis 602 et la Hongrie 365.",
         {"Italy": 1258, "United States": 602, "Hungary": 365}),
    ],
)  # fmt: skip
def test_a_press_list_that_goes_on_without_its_unit_is_read_whole_and_partial(registry, paragraph, expected) -> None:
    """The nations after "followed by", "gefolgt von", "suivie par" are read; a paragraph is never a complete list."""
    result = ingest(paragraph, registry)
    assert result.snapshot.troops_by_nation == expected
    assert result.snapshot.coverage.value == "partial" and "running text" in result.coverage_basis


def test_a_short_line_with_a_nation_and_a_figure_is_never_dropped_in_silence(registry) -> None:
    """A shape the reader does not take ("Germany = 269 (est)") is a skipped-line warning naming it."""
    result = ingest("Italy: 1258\nGermany = 269 (est)\n", registry)
    assert result.snapshot.troops_by_nation == {"Italy": 1258}
    assert [i.line for i in result.skipped] == [2] and "Germany" in result.skipped[0].message
