"""The snapshots of one mission, in date order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.core.errors import UnknownSnapshotError
from bot.core.models import Snapshot


@dataclass(frozen=True, slots=True)
class SnapshotCatalog:
    """A mission's snapshots sorted by as-of date; every snapshot in it has a date."""

    mission: str
    snapshots: tuple[Snapshot, ...]

    @classmethod
    def of(cls, mission: str, snapshots: Iterable[Snapshot]) -> SnapshotCatalog:
        ordered = sorted(snapshots, key=lambda s: s.as_of or "")
        for snapshot in ordered:
            if snapshot.as_of is None:
                raise ValueError(f"a catalogued snapshot needs a date ({snapshot.source.citation()})")
            if snapshot.mission != mission:
                raise ValueError(f"snapshot of {snapshot.mission} in the {mission} catalogue")
        dates = [s.as_of for s in ordered]
        if len(set(dates)) != len(dates):
            raise ValueError(f"two {mission} snapshots share a date: {dates}")
        return cls(mission, tuple(ordered))

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def __len__(self) -> int:
        return len(self.snapshots)

    @property
    def latest(self) -> Snapshot:
        if not self.snapshots:
            raise UnknownSnapshotError(f"There are no {self.mission} snapshots yet.")
        return self.snapshots[-1]

    def dates(self) -> list[str]:
        return [s.as_of or "" for s in self.snapshots]

    def get(self, as_of: str) -> Snapshot:
        """The snapshot of a date; a unique prefix ("2025" for "2025-02") is enough."""
        matches = [s for s in self.snapshots if s.as_of == as_of] or [
            s for s in self.snapshots if (s.as_of or "").startswith(as_of)
        ]
        if len(matches) == 1:
            return matches[0]
        available = ", ".join(self.dates()) or "none"
        raise UnknownSnapshotError(f"No single {self.mission} snapshot dated {as_of!r}. Available: {available}.")

    def with_snapshot(self, snapshot: Snapshot) -> SnapshotCatalog:
        """A catalogue with ``snapshot`` added (replacing one of the same date: newer figures win)."""
        others = [s for s in self.snapshots if s.as_of != snapshot.as_of]
        return SnapshotCatalog.of(self.mission, [*others, snapshot])

    def previous(self, snapshot: Snapshot) -> Snapshot | None:
        """The snapshot just before this one, or None for the first."""
        index = self.snapshots.index(snapshot)
        return self.snapshots[index - 1] if index > 0 else None
