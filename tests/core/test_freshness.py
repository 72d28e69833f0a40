"""The figures' age, the stale-list line and what is newer than the last complete list (``now`` passed in)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.catalog import SnapshotCatalog
from bot.core.errors import UserError
from bot.core.freshness import age, age_of_label, latest_figures, stale_note
from bot.core.models import Coverage
from tests.conftest import SEED_FIGURES, snapshot_of

NOW = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("as_of", "said"),
    [("2026-12-03", "today"), ("2026-11-30", "3 days ago"), ("2026-11", "4 weeks ago"), ("2025-02", "22 months ago"),
     ("2017-02", "9 years ago")],
)  # fmt: skip
def test_age_is_said_as_people_say_it(as_of: str, said: str) -> None:
    assert age(as_of, NOW) == said
    assert age_of_label(f"undated, retrieved {as_of}", NOW) == said and age_of_label("date unknown", NOW) is None


def _catalog(*extra):
    return SnapshotCatalog.of("KFOR", [snapshot_of(SEED_FIGURES, "2025-02"), *extra])


def test_an_old_complete_list_is_said_once_with_where_newer_figures_are() -> None:
    partial = snapshot_of({"Germany": 310, "Italy": 1300}, "2025-06").replace(coverage=Coverage.PARTIAL)
    assert stale_note(_catalog(partial), NOW, 9) == (
        "The newest complete list is from 2025-02, 22 months ago. Newer figures for 2 nation(s): /kfor latest."
    )
    assert stale_note(_catalog(), dt.date(2025, 6, 1), 9) is None  # four months: not old yet
    assert stale_note(_catalog(), NOW, 24) is None  # the age is a setting


def test_latest_gives_each_nation_s_newest_figure_after_the_complete_list() -> None:
    june = snapshot_of({"Germany": 310, "Italy": 1300}, "2025-06").replace(coverage=Coverage.PARTIAL)
    august = snapshot_of({"Germany": 330}, "2025-08").replace(coverage=Coverage.PARTIAL)
    undated = snapshot_of({"Hungary": 1}, "2026-12-03").replace(coverage=Coverage.PARTIAL, as_of_retrieved=True)
    latest = latest_figures(_catalog(june, august, undated))
    assert [(r.nation, r.troops, r.delta, r.snapshot.as_of) for r in latest.rows] == [
        ("Germany", 330, 61, "2025-08"), ("Italy", 1300, 42, "2025-06")]  # fmt: skip
    assert [r.nation for r in latest_figures(_catalog(june, august), since="2025-07").rows] == ["Germany"]
    with pytest.raises(UserError, match="not a date"):
        latest_figures(_catalog(), since="June")
