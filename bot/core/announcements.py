"""Announcements: claims grouped into one story, their state, and their reconciliation with official figures.

Pure: a claim's state before any list (:func:`initial_state`), whether two claims tell one story
(:func:`same_story`), what figure a claim leads one to expect (:func:`expected_troops`), and what a new
official snapshot makes of it (:func:`reconcile`). A claim is confirmed when the nation's figure is
within max(15, 25 % of the change) of the expected one; ceilings, mandates, commands and "no change"
are never matched to a headcount; a partial list says nothing of a nation it does not list; a list
that does not show the change yet contradicts it only once the change is well past due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from bot.core.claims.model import HEADCOUNT_KINDS, Claim

State = Literal["candidate", "announced", "confirmed", "partly_confirmed", "contradicted", "expired", "dismissed"]
STATES: tuple[State, ...] = ("candidate", "announced", "confirmed", "partly_confirmed", "contradicted", "expired",
                             "dismissed")  # fmt: skip
#: States a new list may still change.
OPEN_STATES: frozenset[str] = frozenset({"candidate", "announced"})
#: Two claims within this many days and this share of each other's size tell the same story.
STORY_DAYS = 14
STORY_SHARE = 0.10
#: A list this many months after the change was due that does not show it contradicts the claim.
DUE_MONTHS = 2
#: Without a date of its own, a change is due this many months after it was published.
UNDATED_DUE_MONTHS = 6
#: A claim no list has settled this many months after publication expires.
EXPIRE_MONTHS = 18


@dataclass(frozen=True, slots=True)
class Announcement:
    """One story as recorded: the first claim of it, who said it, its state and what settled it."""

    id: int
    mission: str
    claim: Claim
    tier: str
    publishers: tuple[str, ...]
    state: State
    reason: str | None
    #: The nation's figure on the last list when the claim was recorded, and that list's date.
    baseline: int | None
    baseline_as_of: str | None
    #: The figure of the list that settled it.
    observed: int | None
    settled_position: int | None
    recorded_at: dt.datetime
    updated_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def expected(self) -> int | None:
        return expected_troops(self.claim, self.baseline)


def initial_state(tier: str, publishers: Collection[str]) -> State:
    """Announced when an official feed said it, or two independent publishers; else a candidate (listed, not pushed)."""
    return "announced" if tier == "official" or len({p.casefold() for p in publishers}) >= 2 else "candidate"


def same_story(a: Claim, b: Claim) -> bool:
    """Whether two claims tell one story: one nation, one kind, sizes within 10 %, published within 14 days."""
    if (a.nation, a.kind) != (b.nation, b.kind):
        return False
    if a.published and b.published and abs(a.published - b.published) > dt.timedelta(days=STORY_DAYS):
        return False
    return _close(a.change, b.change) and _close(a.level, b.level)


def _close(x: int | None, y: int | None) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= STORY_SHARE * max(abs(x), abs(y))


def expected_troops(claim: Claim, baseline: int | None) -> int | None:
    """The figure the claim leads one to expect for its nation, from the last complete list's ``baseline``.

    None when the claim moves no headcount, or is a change with no baseline to add it to.
    """
    if claim.kind == "withdraw_all":
        return 0
    if claim.kind == "level":
        return claim.level
    if claim.kind in ("increase", "decrease") and claim.change is not None and baseline is not None:
        return max(0, baseline + claim.change)
    return None


def tolerance(claim: Claim, baseline: int | None) -> int:
    """How far the official figure may be from the expected one and still confirm the claim."""
    expected = expected_troops(claim, baseline)
    change = abs(claim.change) if claim.change is not None else abs((expected or 0) - (baseline or 0))
    return max(15, round(0.25 * change))


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one official list makes of a claim: a state and the reason shown in its thread."""

    state: State
    reason: str
    observed: int | None = None
    expected: int | None = None


def reconcile(claim: Claim, baseline: int | None, troops: dict[str, int] | None, complete: bool, as_of: str | None,
              today: dt.date) -> Verdict:  # fmt: skip
    """What a new official list (``troops`` by nation, dated ``as_of``) makes of an open claim.

    ``baseline`` is the nation's figure on the last list before the claim. Confirmed within the tolerance;
    partly confirmed when the figure moved the claimed way by more than the tolerance but not the whole way;
    contradicted only when the list is dated well after the change was due; else still pending (announced).
    """
    if claim.kind not in HEADCOUNT_KINDS:
        return Verdict("announced", f"a {claim.kind.replace('_', ' ')} is never matched to a headcount")
    expected = expected_troops(claim, baseline)
    if expected is None:
        return Verdict("announced", "no earlier figure to add the change to")
    if troops is None:
        return Verdict("announced", "no official list yet")
    if claim.nation not in troops and not complete:
        return Verdict("announced", "the new list is partial and does not list this nation", expected=expected)
    observed = troops.get(claim.nation, 0)
    margin = tolerance(claim, baseline)
    if abs(observed - expected) <= margin:
        return Verdict("confirmed", f"the official list of {as_of or 'today'} shows {observed}, expected ≈ {expected}",
                       observed, expected)  # fmt: skip
    if baseline is not None and expected != baseline:
        moved, wanted = observed - baseline, expected - baseline
        if moved * wanted > 0 and abs(moved) > margin and abs(moved) < abs(wanted):
            return Verdict("partly_confirmed", f"the official list of {as_of or 'today'} shows {observed}: "
                           f"moved {_signed(moved)} of the {_signed(wanted)} claimed", observed, expected)  # fmt: skip
    if _due_before(claim, as_of):
        return Verdict("contradicted", f"the official list of {as_of} shows {observed}, expected ≈ {expected}",
                       observed, expected)  # fmt: skip
    if claim.published and _months_between(claim.published.date(), today) >= EXPIRE_MONTHS:
        return Verdict("expired", "no official list settled it", observed, expected)
    return Verdict("announced", f"the official list of {as_of or 'today'} shows {observed}; the change is not due yet",
                   observed, expected)  # fmt: skip


def stale(claim: Claim, recorded: dt.datetime, today: dt.date) -> Verdict | None:
    """An open claim no list has settled :data:`EXPIRE_MONTHS` after it was published (or recorded): expired."""
    since = (claim.published or recorded).date()
    if _months_between(since, today) >= EXPIRE_MONTHS:
        return Verdict("expired", f"no official list settled it within {EXPIRE_MONTHS} months")
    return None


def _due_before(claim: Claim, as_of: str | None) -> bool:
    """Whether a list dated ``as_of`` is at least :data:`DUE_MONTHS` after the change was due."""
    listed = _month(as_of)
    if listed is None:
        return False
    due = _month(claim.effective)
    if due is None:
        if claim.published is None:
            return False
        due = _add_months((claim.published.year, claim.published.month), UNDATED_DUE_MONTHS - DUE_MONTHS)
    return listed >= _add_months(due, DUE_MONTHS)


def _signed(value: int) -> str:
    """``-43`` → ``−43`` (U+2212, as every figure shown reads); only the figure, never the date beside it."""
    return f"{value:+d}".replace("-", "\u2212")


def _month(text: str | None) -> tuple[int, int] | None:
    """``"2025-05"``, ``"2025-05-01"`` → (2025, 5); ``"2026"`` → (2026, 12), the latest the year allows."""
    if not text:
        return None
    parts = text.split("-")
    try:
        return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 12)
    except ValueError:
        return None


def _add_months(month: tuple[int, int], count: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 + count
    return (index // 12, index % 12 + 1)


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
