"""Announcements reconciled with official lists: confirmed, partly, contradicted only when due, never for ceilings."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.announcements import expected_troops, initial_state, reconcile, same_story, stale, tolerance
from bot.core.claims import Claim

TODAY = dt.date(2025, 9, 1)
MARCH = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


def claim(kind: str = "increase", change: int | None = 100, level: int | None = None, effective: str | None = "2025-05",
          nation: str = "Poland", published: dt.datetime | None = MARCH) -> Claim:  # fmt: skip
    return Claim(nation, kind, change, level, True, effective, "https://x.test/a", published, "quote")


@pytest.mark.parametrize(
    ("observed", "as_of", "state"),
    [
        (347, "2025-06", "confirmed"),  # 247 + 100
        (335, "2025-06", "confirmed"),  # within max(15, 25) of 347
        (290, "2025-06", "partly_confirmed"),  # moved +43 of +100
        (247, "2025-06", "announced"),  # not moved, but only a month after it was due
        (247, "2025-08", "contradicted"),  # two months after it was due, still 247
        (200, "2025-08", "contradicted"),  # the other way
    ],
)
def test_an_increase_against_a_new_list(observed: int, as_of: str, state: str) -> None:
    """Poland 247 on the last list, +100 from May: what each later figure makes of it."""
    verdict = reconcile(claim(), 247, {"Poland": observed, "Italy": 1000}, True, as_of, TODAY)
    assert verdict.state == state
    assert verdict.expected == 347


def test_ceilings_commands_and_no_change_are_never_matched_to_a_headcount() -> None:
    """ "up to 350" is no figure of troops: whatever the list shows, it stays announced."""
    for kind, level in (("ceiling", 350), ("command", None), ("no_change", 400), ("extension", 350)):
        verdict = reconcile(claim(kind, None, level), 300, {"Poland": 350}, True, "2026-01", TODAY)
        assert verdict.state == "announced", kind


def test_a_partial_list_confirms_only_nations_it_lists() -> None:
    """A partial list without Poland says nothing of Poland; a complete one without it means 0."""
    assert reconcile(claim(), 247, {"Italy": 1000}, False, "2026-01", TODAY).state == "announced"
    assert reconcile(claim("withdraw_all", None, 0), 247, {"Italy": 1000}, True, "2026-01", TODAY).state == "confirmed"


def test_an_undated_claim_is_due_six_months_after_publication_and_expires_after_eighteen() -> None:
    """Without a date in the text, a list of the next month does not contradict it."""
    undated = claim(effective=None)
    assert reconcile(undated, 247, {"Poland": 247}, True, "2025-04", TODAY).state == "announced"
    assert reconcile(undated, 247, {"Poland": 247}, True, "2025-09", TODAY).state == "contradicted"
    later = reconcile(claim(effective="2027"), 247, {"Poland": 247}, True, "2025-09", dt.date(2026, 10, 1))
    assert later.state == "expired"


def test_expected_figures_and_the_tolerance() -> None:
    """A level is the figure, a withdrawal is 0, a change needs a baseline; the tolerance is at least 15."""
    assert expected_troops(claim("level", None, 400), None) == 400
    assert expected_troops(claim("decrease", -80), 247) == 167
    assert expected_troops(claim(), None) is None
    assert tolerance(claim(change=20), 100) == 15 and tolerance(claim(change=400), 100) == 100


def test_a_story_is_one_nation_one_kind_one_size_within_two_weeks() -> None:
    """Syndicated copies (±10 %, 14 days) are one story; another size or a month later is another."""
    first = claim(change=150)
    assert same_story(first, claim(change=140, published=dt.datetime(2025, 3, 10, tzinfo=dt.UTC)))
    assert not same_story(first, claim(change=100))
    assert not same_story(first, claim(change=150, published=dt.datetime(2025, 4, 1, tzinfo=dt.UTC)))
    assert not same_story(first, claim(change=150, nation="Italy"))


def test_an_official_claim_is_announced_and_a_single_press_claim_is_a_candidate() -> None:
    """Two independent publishers make a press story announced; the same publisher twice does not."""
    assert initial_state("official", ["BMVg"]) == "announced"
    assert initial_state("press", ["Zeitung"]) == "candidate"
    assert initial_state("press", ["Zeitung", "zeitung"]) == "candidate"
    assert initial_state("press", ["Zeitung", "Reuters"]) == "announced"


def test_an_open_claim_expires_without_any_list_after_eighteen_months() -> None:
    """Months without a new official list do not keep a claim open for ever; seventeen months do not expire it."""
    assert stale(claim(), MARCH, dt.date(2026, 8, 1)) is None
    verdict = stale(claim(), MARCH, dt.date(2026, 9, 1))
    assert verdict is not None and verdict.state == "expired"
    assert stale(claim(published=None), MARCH, dt.date(2026, 9, 1)) is not None  # from when it was recorded


def test_a_partly_confirmed_decrease_reads_with_a_true_minus() -> None:
    """ "moved -43 of the -100 claimed" read with a hyphen (#20): every figure shown has a true minus (U+2212)."""
    verdict = reconcile(claim("decrease", -100), 247, {"Poland": 204}, True, "2025-06", TODAY)
    assert verdict.state == "partly_confirmed" and "moved −43 of the −100 claimed" in verdict.reason
    assert "-" not in verdict.reason.split("shows")[1]
    assert verdict.reason.startswith("the official list of 2025-06 shows 204")  # the date keeps its hyphen
