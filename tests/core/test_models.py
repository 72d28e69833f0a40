"""Snapshots: a copy with other figures is a new snapshot, with its own totals."""

from __future__ import annotations

from bot.core.models import Snapshot


def test_with_troops_recomputes_what_a_copy_would_keep(seed_snapshot: Snapshot) -> None:
    """A sample is a new snapshot: its cached total is its own (4,686 → 4,397), not the original's."""
    assert seed_snapshot.total == 4686  # cached on the original
    sample = seed_snapshot.with_troops(dict(seed_snapshot.troops_by_nation, **{"United States": 301, "Norway": 12}))
    assert sample.total == 4686 - 301 + 12
    assert sample.troops_by_nation["Norway"] == 12 and sample.contingents[0].nation == "Italy"
    assert (sample.as_of, sample.source, sample.mission) == (seed_snapshot.as_of, seed_snapshot.source, "KFOR")
    assert sample.stated_nations is None and sample.warnings == ()  # the report's own figures no longer apply
    without = seed_snapshot.with_troops(dict(seed_snapshot.troops_by_nation, Portugal=0))
    assert "Portugal" not in without.troops_by_nation
