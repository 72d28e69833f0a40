"""Coverage decided from what a report says, the source's configuration, then the list's shape."""

from __future__ import annotations

import pytest

from bot.core.models import Coverage
from bot.core.reports import ReportMeta, ingest_report
from bot.core.reports.coverage import decide_coverage, partial_wording
from tests.conftest import SEED_FIGURES, TEST_SOURCE, snapshot_of

COMPLETE = snapshot_of(SEED_FIGURES, "2025-02")
RANKED = list(SEED_FIGURES)  # largest first


def _without(*nations: str) -> dict[str, int]:
    return {n: t for n, t in SEED_FIGURES.items() if n not in nations}


@pytest.mark.parametrize(
    ("listed", "coverage"),
    [
        (dict(list(SEED_FIGURES.items())[:20]), Coverage.PARTIAL),  # stops where the smallest begin: top 20
        (dict(list(SEED_FIGURES.items())[:27]), Coverage.PARTIAL),  # two smallest gone (Lithuania, Portugal: 1 each)
        (_without("Portugal"), Coverage.COMPLETE),  # one nation gone: it left
        (_without("Germany", "Poland"), Coverage.COMPLETE),  # from the middle of the ranking: they left
        (_without("Montenegro", "Lithuania", "Italy"), Coverage.COMPLETE),  # the smallest *and* the largest
    ],
)
def test_the_shape_of_a_list_decides_when_the_report_says_nothing(listed: dict[str, int], coverage: Coverage) -> None:
    """Without words or a total: top-N (≥ 2 missing, exactly the smallest) is partial, anything else complete."""
    assert decide_coverage(snapshot_of(listed), None, COMPLETE, publishes_complete=False).coverage is coverage


def test_a_source_that_publishes_complete_lists_is_complete_and_the_report_s_words_come_first() -> None:
    top = snapshot_of(dict(list(SEED_FIGURES.items())[:20]))
    assert decide_coverage(top, None, COMPLETE, publishes_complete=True).coverage is Coverage.COMPLETE
    said = top.replace(coverage=Coverage.PARTIAL)
    assert decide_coverage(said, "it says 'Top 20'", COMPLETE, publishes_complete=True).coverage is Coverage.PARTIAL
    assert decide_coverage(top, None, None, publishes_complete=False).coverage is Coverage.COMPLETE  # nothing to go by


@pytest.mark.parametrize(
    "text",
    [
        "Top 20 contributing nations",
        "KFOR's 20 largest contributors are:",
        "the largest troop contributors",
        "Smaller contributors are not listed.",
        "Die 20 größten Truppensteller der KFOR",
        "Kleinere Truppensteller sind nicht aufgeführt.",
        "Les principaux contributeurs de la KFOR",
        "les petits contributeurs ne sont pas listés",  # the rule's own words
        "I 20 maggiori contributori della KFOR",
        "Contributori minori non elencati.",
    ],
)
def test_wording_that_says_a_list_is_a_selection_is_read_in_four_languages(text: str) -> None:
    assert partial_wording(text)


@pytest.mark.parametrize(
    "text",
    [
        "Italy, the largest contributor, has 1,258 troops.",
        "Germany is one of the largest contributors to KFOR.",
        "Mit dem größten Truppensteller Italien sprach der Minister.",
        "L'Italie, l'un des principaux contributeurs",
        "KFOR contributing nations (placemat)",
    ],
)
def test_a_sentence_about_one_nation_does_not_make_a_list_partial(text: str) -> None:
    assert partial_wording(text) is None


def test_a_text_report_s_words_and_totals_decide_its_coverage(registry) -> None:
    meta = ReportMeta(source=TEST_SOURCE)
    rows = "".join(f"{n}: {t}\n" for n, t in list(SEED_FIGURES.items())[:20])
    worded = ingest_report("The 20 largest contributors to KFOR\n" + rows, meta, registry)
    assert worded.snapshot.coverage is Coverage.PARTIAL and "20 largest contributors" in worded.coverage_basis
    listed = sum(list(SEED_FIGURES.values())[:20])
    matched = ingest_report(f"Top 20 contributing nations\nTotal: {listed:,}\n" + rows, meta, registry)
    assert matched.snapshot.coverage is Coverage.COMPLETE  # a stated total its rows match is the whole mission
    silent = ingest_report(rows, meta, registry)
    assert silent.snapshot.coverage is Coverage.COMPLETE and silent.coverage_basis is None  # left to the watch
