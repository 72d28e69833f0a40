"""A broken source must not pass for news: implausible drops are held as source problems."""

from __future__ import annotations

from bot.core.plausibility import Plausibility, implausible_change
from tests.conftest import SEED_FIGURES, snapshot_of

LIMITS = Plausibility()
BEFORE = snapshot_of(SEED_FIGURES, "2025-02")


def test_ordinary_changes_are_plausible() -> None:
    after = dict(SEED_FIGURES, **{"United States": 320})
    assert implausible_change(BEFORE, snapshot_of(after), LIMITS) is None
    assert implausible_change(None, BEFORE, LIMITS) is None  # the first snapshot is a baseline


def test_a_third_of_the_total_gone_is_a_problem() -> None:
    """Italy, the US and Hungary gone: −2,225 of 4,686 (47 %) at once."""
    after = {n: t for n, t in SEED_FIGURES.items() if n not in ("Italy", "United States", "Hungary")}
    problem = implausible_change(BEFORE, snapshot_of(after), LIMITS)
    assert problem is not None and "4,686 to 2,461" in problem and "33%" in problem


def test_half_the_nations_gone_is_a_problem() -> None:
    """The 15 smallest contingents gone removes few troops but over half the nations: held."""
    smallest = sorted(SEED_FIGURES, key=SEED_FIGURES.get)[:15]
    after = {n: t for n, t in SEED_FIGURES.items() if n not in smallest}
    problem = implausible_change(BEFORE, snapshot_of(after), LIMITS)
    assert problem is not None and "15 of 29 nations" in problem


def test_thresholds_are_settings() -> None:
    after = {n: t for n, t in SEED_FIGURES.items() if n not in ("Italy", "United States", "Hungary")}
    assert implausible_change(BEFORE, snapshot_of(after), Plausibility(max_total_drop=0.5)) is None
