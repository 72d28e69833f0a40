"""Queries over the catalogue: top N, one nation, overview, comparisons, history."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.catalog import SnapshotCatalog
from bot.core.errors import UnknownNationError, UnknownSnapshotError, UserError
from bot.core.queries import compare_snapshots, mission_overview, nation_detail, nation_history, top_contingents
from bot.core.ranking import rank_contingents
from tests.conftest import snapshot_of


def test_top_n_and_all(seed_snapshot) -> None:
    """Top 5 of the seed; a count above 29 returns all 29; 0 is refused."""
    top = top_contingents(seed_snapshot, 5)
    assert [r.nation for r in top.rows] == ["Italy", "United States", "Hungary", "Turkey", "Germany"]
    assert top.nations == 29
    assert len(top_contingents(seed_snapshot, 100).rows) == 29
    with pytest.raises(UserError, match="at least 1"):
        top_contingents(seed_snapshot, 0)


def test_nation_detail_with_and_without_a_previous_snapshot(seed_snapshot, registry) -> None:
    """Germany: 269, rank 5 of 29; with a later snapshot, its change is reported."""
    single = SnapshotCatalog.of("KFOR", [seed_snapshot])
    detail = nation_detail(single, registry, "germny")
    assert (detail.troops, detail.row.rank, detail.nations, detail.change) == (269, 5, 29, None)
    later = snapshot_of({"Germany": 300, "Italy": 1000}, "2025-06")
    detail = nation_detail(SnapshotCatalog.of("KFOR", [seed_snapshot, later]), registry, "DE")
    assert (detail.troops, detail.change, detail.previous.as_of) == (300, 31, "2025-02")


def test_nation_absent_now_reports_when_last_seen(seed_snapshot, registry) -> None:
    later = snapshot_of({"Italy": 1000}, "2025-06")
    detail = nation_detail(SnapshotCatalog.of("KFOR", [seed_snapshot, later]), registry, "Germany")
    assert detail.row is None
    assert detail.troops == 0
    assert detail.last_seen.as_of == "2025-02"
    assert detail.change == -269


def test_unknown_nation_suggests(seed_snapshot, registry) -> None:
    with pytest.raises(UnknownNationError) as excinfo:
        nation_detail(SnapshotCatalog.of("KFOR", [seed_snapshot]), registry, "Slov")
    assert "Slovenia" in excinfo.value.suggestions


def test_overview(seed_snapshot, registry) -> None:
    """4,686 troops, 29 nations, partners = Switzerland, Austria, Armenia, Moldova, Ireland (430)."""
    overview = mission_overview(seed_snapshot, registry)
    assert (overview.total, overview.nations) == (4686, 29)
    assert (overview.split.partner_troops, overview.split.partner_nations) == (430, 5)
    assert overview.split.nato_troops == 4256
    assert overview.largest[0].nation == "Italy"
    assert round(overview.hhi) == 1147
    assert overview.effective_nations == pytest.approx(10_000 / overview.hhi)


def test_compare_needs_two_snapshots_and_defaults_to_the_latest_two(seed_snapshot) -> None:
    with pytest.raises(UserError, match="needs two snapshots"):
        compare_snapshots(SnapshotCatalog.of("KFOR", [seed_snapshot]))
    middle = snapshot_of({"Italy": 1000}, "2025-06")
    last = snapshot_of({"Italy": 900}, "2025-09")
    catalog = SnapshotCatalog.of("KFOR", [last, seed_snapshot, middle])
    comparison = compare_snapshots(catalog)
    assert (comparison.before.as_of, comparison.after.as_of) == ("2025-06", "2025-09")
    assert comparison.diff.total_delta == -100
    reversed_ = compare_snapshots(catalog, "2025-09", "2025-02")
    assert (reversed_.before.as_of, reversed_.after.as_of) == ("2025-02", "2025-09")
    with pytest.raises(UnknownSnapshotError, match="Complete ones: 2025-02, 2025-06, 2025-09"):
        compare_snapshots(catalog, "2024-01")
    with pytest.raises(UserError, match="pick two different"):
        compare_snapshots(catalog, "2025-06", "2025-06")


def test_history(seed_snapshot, registry) -> None:
    later = snapshot_of({"Italy": 1000, "Germany": 300}, "2025-06")
    history = nation_history(SnapshotCatalog.of("KFOR", [seed_snapshot, later]), registry, "🇮🇹")
    assert [(p.snapshot.as_of, p.troops, p.rank) for p in history.points] == [
        ("2025-02", 1258, 1),
        ("2025-06", 1000, 1),
    ]


def test_catalogue_rules(seed_snapshot) -> None:
    """Dates must be present and unique; a date prefix finds a snapshot."""
    catalog = SnapshotCatalog.of("KFOR", [seed_snapshot])
    assert catalog.get("2025").as_of == "2025-02"
    with pytest.raises(ValueError, match="share a date"):
        SnapshotCatalog.of("KFOR", [seed_snapshot, seed_snapshot])
    with pytest.raises(ValueError, match="needs a date"):
        SnapshotCatalog.of("KFOR", [seed_snapshot.replace(as_of=None)])
    with pytest.raises(UnknownSnapshotError):
        _ = SnapshotCatalog.of("KFOR", []).latest


@given(st.dictionaries(st.sampled_from(["Italy", "Germany", "Hungary", "Turkey", "Austria", "Poland"]),
                       st.integers(min_value=0, max_value=500), min_size=1))  # fmt: skip
def test_history_ranks_and_shares_as_the_full_ranking_does(registry, troops) -> None:
    """The history's one-pass rank and share of a nation equal its row in the full competition ranking."""
    if not any(troops.values()):
        troops["Italy"] = 1
    catalog = SnapshotCatalog.of("KFOR", [snapshot_of(troops, "2025-06")])
    ranked = {row.nation: row for row in rank_contingents(troops)}
    for nation in ("Italy", "Germany", "Poland"):
        (point,) = nation_history(catalog, registry, nation).points
        row = ranked.get(nation)
        assert (point.troops, point.rank) == ((row.troops, row.rank) if row else (0, None))
        assert point.share == pytest.approx(row.share if row else 0.0)
