"""The snapshots of one mission, in date order, from every source and of every coverage.

Several sources can describe the same month with different figures (a ranking and an official
table of October 2023 disagree on Türkiye), so a snapshot is identified by its date *and* its source
(:attr:`Snapshot.key`). Briefings about the whole mission (top, overview, scenarios) use only
complete snapshots; histories use every figure with its source; estimates are a series of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from bot.core.errors import UnknownSnapshotError
from bot.core.models import Coverage, Snapshot

#: Within one date, partial figures and estimates sort before the complete snapshot.
_COVERAGE_ORDER = {Coverage.ESTIMATE: 0, Coverage.PARTIAL: 1, Coverage.COMPLETE: 2}


def _order(snapshot: Snapshot) -> tuple[bool, str, int, str]:
    """Date order; an undated report (dated by its retrieval) first, so it never displaces a dated one."""
    return (snapshot.dated, snapshot.as_of or "", _COVERAGE_ORDER[snapshot.coverage], snapshot.source.id or "")


@dataclass(frozen=True, slots=True)
class SnapshotCatalog:
    """A mission's snapshots sorted by as-of date; every snapshot in it has a date and a unique key."""

    mission: str
    snapshots: tuple[Snapshot, ...]
    #: Snapshots a later one of the same key replaced with other figures (a same-day revision), oldest
    #: first: what "change since" compares a revision with, as its digest did.
    revisions: tuple[Snapshot, ...] = ()

    @classmethod
    def of(cls, mission: str, snapshots: Iterable[Snapshot]) -> SnapshotCatalog:
        ordered = sorted(snapshots, key=_order)
        for snapshot in ordered:
            if snapshot.as_of is None:
                raise ValueError(f"a catalogued snapshot needs a date ({snapshot.source.citation()})")
            if snapshot.mission != mission:
                raise ValueError(f"snapshot of {snapshot.mission} in the {mission} catalogue")
        keys = [s.key for s in ordered]
        if len(set(keys)) != len(keys):
            raise ValueError(f"two {mission} snapshots share a date and source: {keys}")
        return cls(mission, tuple(ordered))

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def __len__(self) -> int:
        return len(self.snapshots)

    @property
    def complete(self) -> tuple[Snapshot, ...]:
        """The snapshots that list every contributing nation, oldest first."""
        return tuple(s for s in self.snapshots if s.is_complete)

    @property
    def latest(self) -> Snapshot:
        """The latest *complete* snapshot: what briefings about the whole mission are built on."""
        complete = self.complete
        if not complete:
            if self.snapshots:
                raise UnknownSnapshotError(
                    f"There is no complete {self.mission} snapshot yet: "
                    f"the {len(self)} on record list only some nations."
                )
            raise UnknownSnapshotError(f"There are no {self.mission} snapshots yet.")
        return complete[-1]

    def label(self, snapshot: Snapshot) -> str:
        """How to name a snapshot to people: its date, unless another source's snapshot of that date needs the key."""
        same_date = [s for s in self.snapshots if s.as_of == snapshot.as_of]
        if len(same_date) == 1 or (snapshot.is_complete and sum(s.is_complete for s in same_date) == 1):
            return snapshot.as_of_label  # the date alone names it (a date means its complete list)
        return snapshot.key

    def get(self, reference: str) -> Snapshot:
        """The snapshot a user names: a key (``2023-10/republika-rs``), a date, or a unique prefix of either.

        A date that several sources share means its complete snapshot when there is exactly one.
        """
        reference = reference.strip()
        exact = [s for s in self.snapshots if reference in (s.key, s.as_of)]
        matches = exact or [s for s in self.snapshots if s.key.startswith(reference)]
        if len(matches) > 1:
            complete = [s for s in matches if s.is_complete]
            if len(complete) == 1:
                return complete[0]
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = ", ".join(s.key for s in matches)  # the full keys: what to type instead
            raise UnknownSnapshotError(f"{reference!r} matches several {self.mission} snapshots: {options}. Name one.")
        available = ", ".join(self.label(s) for s in self.complete) or "none"
        raise UnknownSnapshotError(
            f"No {self.mission} snapshot dated {reference!r}. Complete ones: {available} (/kfor snapshots lists all)."
        )

    def with_snapshots(self, snapshots: Iterable[Snapshot]) -> SnapshotCatalog:
        """A catalogue with every snapshot of ``snapshots`` added, in one pass (later ones win on a key)."""
        revised: list[Snapshot] = []
        current = {s.key: s for s in self.snapshots}
        for snapshot in snapshots:
            replaced = current.get(snapshot.key)
            if replaced is not None and replaced.troops_by_nation != snapshot.troops_by_nation:
                revised.append(replaced)
            current[snapshot.key] = snapshot
        if len(current) == len(self.snapshots) and all(current[s.key] is s for s in self.snapshots):
            return self
        catalog = SnapshotCatalog.of(self.mission, current.values())
        return replace(catalog, revisions=(*self.revisions, *revised)) if self.revisions or revised else catalog

    def revised(self, snapshot: Snapshot) -> Snapshot | None:
        """The version ``snapshot`` replaced the same day (same key, other figures), if any: the newest one."""
        earlier = [s for s in self.revisions if s.key == snapshot.key]
        return earlier[-1] if earlier else None

    def previous(self, snapshot: Snapshot) -> Snapshot | None:
        """The complete snapshot before this one (older date), or None: what "change since" compares with."""
        earlier = [s for s in self.complete if (s.as_of or "") < (snapshot.as_of or "")]
        return earlier[-1] if earlier else None
