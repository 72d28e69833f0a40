"""Snapshots of several sources and coverages in one catalogue, and the queries that must respect coverage."""

from __future__ import annotations

import pytest

from bot.core.catalog import SnapshotCatalog
from bot.core.errors import UnknownSnapshotError, UserError
from bot.core.models import Contingent, Coverage, Snapshot, Source
from bot.core.queries import compare_snapshots, nation_detail, nation_history


def _snapshot(as_of: str, troops: dict[str, int], coverage: Coverage, source_id: str, **extra) -> Snapshot:
    contingents = tuple(Contingent(nation=n, troops=t, approx=n in extra.pop("approx", ())) for n, t in troops.items())
    source = Source(id=source_id, title=f"Figures from {source_id}", publisher=source_id.title())
    return Snapshot(mission="KFOR", as_of=as_of, source=source, coverage=coverage, contingents=contingents, **extra)


@pytest.fixture
def catalog() -> SnapshotCatalog:
    """Two complete lists, a partial ranking in the same month as the first, a press figure and an estimate."""
    return SnapshotCatalog.of(
        "KFOR",
        [
            _snapshot("2023-10", {"Italy": 900, "Turkey": 369, "Germany": 100}, Coverage.COMPLETE, "official"),
            _snapshot("2023-10", {"Turkey": 780, "Italy": 900}, Coverage.PARTIAL, "ranking", stated_total=4000),
            _snapshot("2024-06", {"Italy": 1000, "Germany": 300, "Portugal": 50}, Coverage.COMPLETE, "table"),
            _snapshot("2024-08", {"Germany": 350}, Coverage.PARTIAL, "press", approx=("Germany",)),
            _snapshot("2024-12", {"Italy": 950, "Germany": 250}, Coverage.ESTIMATE, "factbook"),
        ],
    )


def test_latest_is_the_latest_complete_snapshot(catalog) -> None:
    """Top, overview and scenarios stand on the latest complete list, not on a later partial figure."""
    assert catalog.latest.key == "2024-06/table"
    assert [s.key for s in catalog.complete] == ["2023-10/official", "2024-06/table"]


def test_two_sources_for_one_month_are_both_kept_and_told_apart(catalog) -> None:
    """A date shared by two sources resolves to its complete snapshot; the key names either one."""
    assert catalog.get("2023-10").source.id == "official"
    assert catalog.get("2023-10/ranking").troops_by_nation["Turkey"] == 780
    assert catalog.label(catalog.get("2023-10/ranking")) == "2023-10/ranking"
    assert catalog.label(catalog.latest) == "2024-06"


def test_an_ambiguous_date_asks_for_a_key() -> None:
    """Two partial snapshots of one month: the user is told both keys rather than given one at random."""
    catalog = SnapshotCatalog.of(
        "KFOR",
        [
            _snapshot("2022-08", {"Italy": 1}, Coverage.PARTIAL, "a"),
            _snapshot("2022-08", {"Italy": 2}, Coverage.PARTIAL, "b"),
        ],
    )
    with pytest.raises(UnknownSnapshotError, match="2022-08/a, 2022-08/b"):
        catalog.get("2022-08")


def test_only_partial_snapshots_make_no_latest() -> None:
    """Without a complete list there is no mission total to brief on, and the error says why."""
    catalog = SnapshotCatalog.of("KFOR", [_snapshot("2022-08", {"Italy": 1}, Coverage.PARTIAL, "a")])
    with pytest.raises(UnknownSnapshotError, match="no complete KFOR snapshot"):
        _ = catalog.latest


def test_with_snapshots_adds_many_in_one_pass_and_replaces_same_key(catalog) -> None:
    """The watcher's new figures replace a snapshot with the same date and source, and keep the others."""
    newer = _snapshot("2024-06", {"Italy": 1001}, Coverage.COMPLETE, "table")
    extra = _snapshot("2025-01", {"Italy": 5}, Coverage.COMPLETE, "next")
    updated = catalog.with_snapshots([newer, extra])
    assert len(updated) == len(catalog) + 1
    assert updated.get("2024-06").troops_by_nation == {"Italy": 1001}
    assert updated.latest.key == "2025-01/next"


def test_compare_with_a_partial_side_compares_only_shared_nations(catalog) -> None:
    """A nation missing from a partial list is unknown: no 'left', no total, and the rest is out of view."""
    comparison = compare_snapshots(catalog, "2024-06", "2024-08")
    assert comparison.partial and comparison.shared == 1 and comparison.out_of_view == 2
    assert [(c.nation, c.delta) for c in comparison.diff.changes] == [("Germany", 50)]
    assert not comparison.diff.left and not comparison.diff.joined
    # ranks among the nations two lists share are not the mission's ranks: none are given
    assert not comparison.diff.rank_moves and comparison.diff.changes[0].rank_before is None


def test_compare_two_complete_lists_reports_joins_and_departures(catalog) -> None:
    """Between complete lists a missing nation is a real zero: Portugal joined, Turkey left."""
    comparison = compare_snapshots(catalog)
    assert (comparison.before.key, comparison.after.key) == ("2023-10/official", "2024-06/table")
    assert not comparison.partial
    assert [c.nation for c in comparison.diff.joined] == ["Portugal"]
    assert [c.nation for c in comparison.diff.left] == ["Turkey"]


def test_compare_of_lists_with_nothing_in_common_is_a_clear_error(catalog) -> None:
    with pytest.raises(UserError, match="no nation in common"):
        compare_snapshots(catalog, "2023-10/ranking", "2024-08")


def test_history_lists_every_source_and_skips_partial_lists_without_the_nation(catalog, registry) -> None:
    """Germany: complete lists (with rank), the press figure (≈), the estimate; not the ranking that omits it."""
    history = nation_history(catalog, registry, "Germany")
    assert [(p.snapshot.key, p.troops, p.rank, p.approx, p.coverage) for p in history.points] == [
        ("2023-10/official", 100, 3, False, Coverage.COMPLETE),
        ("2024-06/table", 300, 2, False, Coverage.COMPLETE),
        ("2024-08/press", 350, None, True, Coverage.PARTIAL),
        ("2024-12/factbook", 250, None, False, Coverage.ESTIMATE),
    ]


def test_history_shows_both_figures_of_one_month(catalog, registry) -> None:
    """Turkey in October 2023: 369 in the official list and 780 in the ranking, each with its source."""
    points = nation_history(catalog, registry, "Turkey").points
    assert [(p.snapshot.key, p.troops) for p in points[:2]] == [("2023-10/ranking", 780), ("2023-10/official", 369)]


def test_nation_detail_shows_later_partial_figures_beside_the_complete_one(catalog, registry) -> None:
    """The country answer stands on the complete list and shows the later press figure separately."""
    detail = nation_detail(catalog, registry, "Germany")
    assert detail.snapshot.key == "2024-06/table" and detail.troops == 300
    assert detail.previous is not None and detail.previous.key == "2023-10/official"
    assert [s.key for s in detail.newer] == ["2024-08/press", "2024-12/factbook"]


def test_an_undated_report_never_displaces_a_dated_one(seed_snapshot) -> None:
    """Retrieved on 2026-12-03 without a date of its own: shown as such, and the dated list stays the latest."""
    from tests.conftest import SEED_FIGURES, snapshot_of

    undated = snapshot_of(dict(SEED_FIGURES, Germany=300), "2026-12-03").replace(as_of_retrieved=True)
    catalog = SnapshotCatalog.of("KFOR", [seed_snapshot, undated])
    assert catalog.latest is seed_snapshot and catalog.snapshots[0] is undated
    assert undated.as_of_label == "undated, retrieved 2026-12-03" and not undated.dated
    assert undated.footer().endswith("· undated, retrieved 2026-12-03")


def test_a_same_day_revision_keeps_the_version_it_revised_for_compare(seed_snapshot) -> None:
    """2025-06 without Portugal, then revised with Portugal 25: compare defaults to that pair, as the digest did."""
    from bot.core.queries import compare_snapshots
    from tests.conftest import SEED_FIGURES, snapshot_of

    first = snapshot_of({n: t for n, t in SEED_FIGURES.items() if n != "Portugal"}, "2025-06")
    revision = snapshot_of(dict(SEED_FIGURES, Portugal=25), "2025-06")
    catalog = SnapshotCatalog.of("KFOR", [seed_snapshot]).with_snapshots([first]).with_snapshots([revision])
    assert catalog.latest is revision and catalog.revised(revision) is first
    comparison = compare_snapshots(catalog)
    assert comparison.before is first and [c.nation for c in comparison.diff.joined] == ["Portugal"]
