"""The figures known now: a partial report updates the nations it lists, the others keep their last figure."""

from __future__ import annotations

from bot.core.known import known_figures
from bot.core.models import Coverage
from tests.conftest import SEED_FIGURES, snapshot_of

COMPLETE = snapshot_of(SEED_FIGURES, "2025-02")


def test_known_figures_are_the_last_complete_list_with_later_partial_figures() -> None:
    partial = snapshot_of({"Germany": 310, "Italy": 1300}, "2025-06").replace(coverage=Coverage.PARTIAL)
    known = known_figures([COMPLETE, partial])
    assert known.is_complete and known.as_of == "2025-06" and len(known.contingents) == 29
    assert known.troops_by_nation["Germany"] == 310 and known.troops_by_nation["Portugal"] == 1
    assert known_figures([COMPLETE]) is COMPLETE and known_figures([partial]) is partial and known_figures([]) is None
