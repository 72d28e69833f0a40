"""Ranks with ties, shares, HHI and the NATO/partner split."""

from __future__ import annotations

import pytest

from bot.core.apportion import apportion
from bot.core.ranking import herfindahl_index, nato_split, percent_change, rank_contingents


def test_equal_figures_share_a_rank_and_the_next_rank_skips() -> None:
    """35, 35 → both 2nd; the next is 4th (competition ranking), ties ordered by name."""
    rows = rank_contingents({"Italy": 100, "Denmark": 35, "Czech Republic": 35, "Canada": 5, "Chad": 0})
    assert [(r.nation, r.rank) for r in rows] == [("Italy", 1), ("Czech Republic", 2), ("Denmark", 2), ("Canada", 4)]
    assert sum(r.share for r in rows) == pytest.approx(100.0)
    assert rows[0].share == pytest.approx(100 * 100 / 175)


def test_hhi_bounds_and_value() -> None:
    """One nation → 10,000; two equal → 5,000; nothing → 0."""
    assert herfindahl_index({"Italy": 7}) == pytest.approx(10_000)
    assert herfindahl_index({"Italy": 5, "Spain": 5}) == pytest.approx(5_000)
    assert herfindahl_index({}) == 0.0


def test_nato_split_uses_membership_at_the_snapshot_year(registry) -> None:
    """Finland's troops count as partner troops in 2020 and as NATO troops in 2025."""
    troops = {"Finland": 70, "Italy": 100, "Switzerland": 10}
    assert nato_split(troops, registry, 2020).partner_troops == 80
    split = nato_split(troops, registry, 2025)
    assert (split.nato_troops, split.partner_troops, split.nato_nations, split.partner_nations) == (170, 10, 2, 1)


def test_percent_change() -> None:
    assert percent_change(200, 150) == pytest.approx(-25.0)
    assert percent_change(0, 5) is None


def test_apportion_sums_exactly_and_follows_size() -> None:
    """602 shared over the seed's remaining contingents adds up to 602, largest gets most."""
    weights = {"Italy": 1258, "Hungary": 365, "Lithuania": 1}
    parts = apportion(602, weights)
    assert sum(parts.values()) == 602
    assert parts["Italy"] > parts["Hungary"] > parts["Lithuania"] >= 0
    assert apportion(0, weights) == {"Italy": 0, "Hungary": 0, "Lithuania": 0}
    assert apportion(3, {"A": 1, "B": 1, "C": 1}) == {"A": 1, "B": 1, "C": 1}
    with pytest.raises(ValueError, match="zero weights"):
        apportion(5, {"A": 0})
