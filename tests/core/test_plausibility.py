"""A broken source must not pass for news: implausible drops are held as source problems."""

from __future__ import annotations

from bot.core.models import Coverage
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


def test_a_third_of_the_nations_gone_is_a_problem() -> None:
    """A CSV cut after 15 of its 29 rows: 14 nations gone (48 %, few troops) is a truncated file, not news."""
    kept = list(SEED_FIGURES)[:15]
    after = {n: SEED_FIGURES[n] for n in kept}
    problem = implausible_change(BEFORE, snapshot_of(after), LIMITS)
    assert problem is not None and "14 of the 29 nations" in problem and "33%" in problem


def test_a_held_change_reads_as_what_the_report_would_mean_not_as_news() -> None:
    """ "19 of 29 nations would disappear at once" read like news of a withdrawal (#20): it says it is a hypothesis."""
    cut = {n: SEED_FIGURES[n] for n in list(SEED_FIGURES)[:10]}
    largest_gone = {n: t for n, t in SEED_FIGURES.items() if n not in ("Italy", "United States", "Hungary")}
    for after in (cut, largest_gone):
        problem = implausible_change(BEFORE, snapshot_of(after), LIMITS)
        assert problem is not None and problem.startswith("if this report were taken as it is, "), problem
        assert "disappear" not in problem and "at once" not in problem


def test_a_partial_report_after_a_complete_list_is_not_held_by_its_size() -> None:
    """A top-10 list (a third of the nations, most troops): partial, so its size is not a drop of the mission."""
    top = {n: SEED_FIGURES[n] for n in list(SEED_FIGURES)[:10]}
    assert implausible_change(BEFORE, snapshot_of(top).replace(coverage=Coverage.PARTIAL), LIMITS) is None
    assert implausible_change(BEFORE, snapshot_of(top), LIMITS) is not None  # the same list called complete is held


def test_thresholds_are_settings() -> None:
    after = {n: t for n, t in SEED_FIGURES.items() if n not in ("Italy", "United States", "Hungary")}
    assert implausible_change(BEFORE, snapshot_of(after), Plausibility(max_total_drop=0.5)) is None


def test_an_older_edition_is_a_problem_not_an_update() -> None:
    """A source that goes back to an earlier report is not announced as the current state."""
    older = snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2024-12")
    problem = implausible_change(BEFORE, older, LIMITS)
    assert problem is not None and "dated 2024-12, before the last good figures (2025-02)" in problem


def test_the_shipped_thresholds_are_the_documented_ones() -> None:
    """config/kfor.toml holds a third for troops and nations, as the README says."""
    from bot.settings import Settings

    settings = Settings(_env_file=None)
    assert round(settings.max_total_drop, 2) == round(settings.max_nations_drop, 2) == 0.33


def test_an_undated_report_never_freezes_the_watch() -> None:
    """Recorded with its retrieval day, it does not make every later dated report "an older edition"."""
    undated = snapshot_of(SEED_FIGURES, "2026-12-03").replace(as_of_retrieved=True)
    assert implausible_change(undated, snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06"), LIMITS) is None
