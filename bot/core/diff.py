"""What changed between two sets of figures: deltas, joins, departures, rank moves, total.

Used for comparisons between snapshots, for scenario outcomes and (through the significance
filter) for deciding which changes are worth an alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.core.models import Snapshot
from bot.core.ranking import percent_change, ranks_by_nation


@dataclass(frozen=True, slots=True)
class NationChange:
    """One nation whose figure differs; ``before``/``after`` are 0 when absent."""

    nation: str
    before: int
    after: int
    rank_before: int | None
    rank_after: int | None

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        return percent_change(self.before, self.after)

    @property
    def joined(self) -> bool:
        return self.before == 0 and self.after > 0

    @property
    def left(self) -> bool:
        return self.before > 0 and self.after == 0


@dataclass(frozen=True, slots=True)
class RankMove:
    """A nation present on both sides whose rank changed (1 is the largest)."""

    nation: str
    rank_before: int
    rank_after: int

    @property
    def places(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.rank_before - self.rank_after


@dataclass(frozen=True, slots=True)
class TroopDiff:
    """All differences between two ``{nation: troops}`` mappings."""

    changes: tuple[NationChange, ...]
    rank_moves: tuple[RankMove, ...]
    total_before: int
    total_after: int
    nations_before: int
    nations_after: int

    @property
    def total_delta(self) -> int:
        return self.total_after - self.total_before

    @property
    def total_percent(self) -> float | None:
        return percent_change(self.total_before, self.total_after)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def joined(self) -> tuple[NationChange, ...]:
        return tuple(c for c in self.changes if c.joined)

    @property
    def left(self) -> tuple[NationChange, ...]:
        return tuple(c for c in self.changes if c.left)

    @property
    def grew(self) -> tuple[NationChange, ...]:
        return tuple(c for c in self.changes if c.delta > 0 and not c.joined)

    @property
    def shrank(self) -> tuple[NationChange, ...]:
        return tuple(c for c in self.changes if c.delta < 0 and not c.left)


def diff_troops(before: Mapping[str, int], after: Mapping[str, int]) -> TroopDiff:
    """Compare two mappings; changes are ordered by size of change, largest first."""
    ranks_before, ranks_after = ranks_by_nation(before), ranks_by_nation(after)
    changes = [
        NationChange(
            nation,
            before.get(nation, 0),
            after.get(nation, 0),
            ranks_before.get(nation),
            ranks_after.get(nation),
        )
        for nation in before.keys() | after.keys()
        if before.get(nation, 0) != after.get(nation, 0)
    ]
    changes.sort(key=lambda c: (-abs(c.delta), c.nation))
    moves = [
        RankMove(nation, ranks_before[nation], ranks_after[nation])
        for nation in ranks_before.keys() & ranks_after.keys()
        if ranks_before[nation] != ranks_after[nation]
    ]
    moves.sort(key=lambda m: (-abs(m.places), m.rank_after, m.nation))
    return TroopDiff(
        changes=tuple(changes),
        rank_moves=tuple(moves),
        total_before=sum(before.values()),
        total_after=sum(after.values()),
        nations_before=len(ranks_before),
        nations_after=len(ranks_after),
    )


@dataclass(frozen=True, slots=True)
class Significance:
    """Which changes deserve an alert: at least ``min_change`` troops and ``min_percent`` percent.

    Joins and departures always pass. ``nations`` limits the filter to the named nations when set.
    """

    min_change: int = 1
    min_percent: float = 0.0
    nations: frozenset[str] | None = None

    def passes(self, change: NationChange) -> bool:
        if self.nations is not None and change.nation not in self.nations:
            return False
        if change.joined or change.left:
            return True
        percent = change.percent
        return abs(change.delta) >= self.min_change and (percent is None or abs(percent) >= self.min_percent)


def significant_changes(diff: TroopDiff, significance: Significance) -> tuple[NationChange, ...]:
    """The changes of ``diff`` that pass the filter, in the diff's order."""
    return tuple(change for change in diff.changes if significance.passes(change))


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """Two snapshots' difference, as far as their coverage allows.

    When either side is partial or an estimate (``partial``), only the nations both list are
    compared: a nation missing from a partial list is unknown, not zero, so nothing joined or left,
    and no total or rank is derived (ranks among a subset are not the mission's ranks).
    """

    diff: TroopDiff
    partial: bool
    shared: int
    out_of_view: int


def diff_snapshots(before: Snapshot, after: Snapshot) -> SnapshotDiff:
    """The difference between two snapshots that their coverage allows (see :class:`SnapshotDiff`)."""
    old, new = before.troops_by_nation, after.troops_by_nation
    if before.is_complete and after.is_complete:
        return SnapshotDiff(diff_troops(old, new), partial=False, shared=len(old.keys() & new.keys()), out_of_view=0)
    shared = old.keys() & new.keys()
    diff = diff_troops({n: old[n] for n in shared}, {n: new[n] for n in shared})
    unranked = tuple(replace(c, rank_before=None, rank_after=None) for c in diff.changes)
    return SnapshotDiff(replace(diff, changes=unranked, rank_moves=()), partial=True, shared=len(shared),
                        out_of_view=len(old.keys() ^ new.keys()))  # fmt: skip
