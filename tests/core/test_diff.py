"""Diffs between two sets of figures, and the significance filter alerts will use."""

from __future__ import annotations

from bot.core.diff import Significance, diff_troops, significant_changes

BEFORE = {"Italy": 1258, "United States": 602, "Germany": 269, "Portugal": 1}
AFTER = {"Italy": 1258, "United States": 320, "Germany": 330, "Norway": 12}


def test_diff_lists_deltas_joins_departures_and_rank_moves() -> None:
    diff = diff_troops(BEFORE, AFTER)
    assert [(c.nation, c.delta) for c in diff.changes] == [
        ("United States", -282),
        ("Germany", 61),
        ("Norway", 12),
        ("Portugal", -1),
    ]
    assert [c.nation for c in diff.joined] == ["Norway"]
    assert [c.nation for c in diff.left] == ["Portugal"]
    assert [c.nation for c in diff.grew] == ["Germany"]
    assert [c.nation for c in diff.shrank] == ["United States"]
    assert {(m.nation, m.rank_before, m.rank_after) for m in diff.rank_moves} == {
        ("Germany", 3, 2),
        ("United States", 2, 3),
    }
    assert (diff.total_before, diff.total_after, diff.total_delta) == (2130, 1920, -210)
    assert diff.total_percent == -210 / 2130 * 100
    assert (diff.nations_before, diff.nations_after) == (4, 4)


def test_identical_figures_have_no_changes() -> None:
    diff = diff_troops(BEFORE, dict(BEFORE))
    assert not diff.changed
    assert diff.rank_moves == ()


def test_significance_thresholds_and_joins_always_pass() -> None:
    """With min 100 troops and 5 %, the US drop passes, Germany's +61 does not, Norway and Portugal always do."""
    diff = diff_troops(BEFORE, AFTER)
    passed = significant_changes(diff, Significance(min_change=100, min_percent=5))
    assert [c.nation for c in passed] == ["United States", "Norway", "Portugal"]
    strict_percent = significant_changes(diff, Significance(min_change=1, min_percent=50))
    assert [c.nation for c in strict_percent] == ["Norway", "Portugal"]


def test_significance_nation_filter() -> None:
    diff = diff_troops(BEFORE, AFTER)
    only = significant_changes(diff, Significance(nations=frozenset({"Germany"})))
    assert [c.nation for c in only] == ["Germany"]
