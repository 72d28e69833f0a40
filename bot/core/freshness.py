"""How old the figures are, and what is newer than the last complete list.

The newest complete list of KFOR's contingents can be many months old while newer figures exist
(a minister's press release, a top-20 page): an answer that does not say its figures' age passes
an old list off as the current state. So every answer says how old its figures are ("as of
2025-02 · 22 months ago"), answers carry one line when the newest complete list is older than a
configured age, and :func:`latest_figures` gathers, per nation, the figures published after it.

Pure: ``now`` is an argument, never read from a clock here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.core.catalog import SnapshotCatalog
from bot.core.errors import UserError
from bot.core.models import AS_OF_PATTERN, Coverage, Snapshot

_DATE_IN_LABEL = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def as_of_date(as_of: str) -> dt.date:
    """The day an as-of date stands for: its own day, or the first of its month (``2025-02`` → 1 February)."""
    year, month, *day = (int(part) for part in as_of.split("-"))
    return dt.date(year, month, day[0] if day else 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is not later)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def age(as_of: str, now: dt.date) -> str:
    """How long ago an as-of date was, as people say it: "today", "5 days ago", "3 weeks ago", "22 months ago"."""
    then = as_of_date(as_of)
    days = (now - then).days
    if days <= 0:
        return "today" if days == 0 else "dated in the future"
    if days < 14:
        return f"{days} day{'s' * (days != 1)} ago"
    months = months_between(then, now)
    if months < 2:
        return f"{days // 7} weeks ago"
    if months < 24:
        return f"{months} months ago"
    return f"{months // 12} years ago"


def age_of_label(label: str, now: dt.date) -> str | None:
    """The age of the date in an as-of label ("2025-02", "undated, retrieved 2026-12-03"), or None without one;
    of a range ("2015-08 to 2025-04"), the age of its end: how old the newest figure is."""
    found = list(_DATE_IN_LABEL.finditer(label))
    match = found[-1] if found else None
    if match is None or not AS_OF_PATTERN.match(match.group(0)):
        return None
    return age(match.group(0), now)


def stale_note(catalog: SnapshotCatalog, now: dt.date, max_age_months: int) -> str | None:
    """One line when the newest complete list is older than ``max_age_months``, pointing to newer figures."""
    complete = catalog.complete
    if not complete or complete[-1].as_of is None:
        return None
    newest = complete[-1]
    months = months_between(as_of_date(newest.as_of or ""), now)
    if months < max_age_months:
        return None
    newer = latest_figures(catalog).rows
    pointer = (
        f" Newer figures for {len(newer)} nation(s): /kfor latest." if newer else " No newer figures are on record."
    )
    return f"The newest complete list is from {newest.as_of_label}, {age(newest.as_of or '', now)}.{pointer}"


@dataclass(frozen=True, slots=True)
class LatestFigure:
    """A nation's newest figure published after the last complete list, with where it comes from."""

    nation: str
    troops: int
    #: The nation's figure in the last complete list (0 when it listed none).
    complete_troops: int
    snapshot: Snapshot

    @property
    def delta(self) -> int:
        return self.troops - self.complete_troops


@dataclass(frozen=True, slots=True)
class Latest:
    """What is newer than the last complete list (``base``), per nation, newest figure first in each."""

    base: Snapshot
    since: str
    rows: tuple[LatestFigure, ...]
    #: The newer reports the rows come from, oldest first.
    reports: tuple[Snapshot, ...]


def latest_figures(catalog: SnapshotCatalog, since: str | None = None) -> Latest:
    """Per nation, the newest figure published after the last complete list (or after ``since``, a date).

    Only dated reports count (an undated one cannot be placed after anything), and no estimates (a
    separate series, see /kfor history). A nation named by several newer reports takes the newest one's figure.
    """
    base = catalog.latest
    if since is not None and not AS_OF_PATTERN.match(since.strip()):
        raise UserError(f"{since!r} is not a date: write YYYY-MM or YYYY-MM-DD, e.g. 2025-06.")
    start = since.strip() if since else base.as_of or ""
    reports = tuple(
        s
        for s in catalog.snapshots
        if s.dated and (s.as_of or "") > start and s is not base and s.coverage is not Coverage.ESTIMATE
    )
    newest: dict[str, LatestFigure] = {}
    for report in sorted(reports, key=lambda s: s.as_of or ""):
        for nation, troops in report.troops_by_nation.items():
            newest[nation] = LatestFigure(nation, troops, base.troops_by_nation.get(nation, 0), report)
    rows = sorted(newest.values(), key=lambda row: (row.snapshot.as_of or "", row.troops), reverse=True)
    return Latest(base, start, tuple(rows), tuple(sorted(reports, key=lambda s: s.as_of or "")))
