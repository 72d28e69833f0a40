"""The questions a team asks of the data: top N, one nation, the mission, history, comparisons.

Each query returns a plain result object; briefings are built from these, never from raw
snapshots, so the console and Discord necessarily show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.catalog import SnapshotCatalog
from bot.core.diff import TroopDiff, diff_troops
from bot.core.errors import UserError
from bot.core.models import Snapshot
from bot.core.nations import Nation, NationRegistry
from bot.core.ranking import RankedContingent, Split, herfindahl_index, nato_split, rank_contingents


@dataclass(frozen=True, slots=True)
class TopResult:
    snapshot: Snapshot
    rows: tuple[RankedContingent, ...]
    requested: int
    nations: int


def top_contingents(snapshot: Snapshot, count: int) -> TopResult:
    """The ``count`` largest contingents (all of them when ``count`` exceeds the nations)."""
    if count < 1:
        raise UserError(f"Ask for at least 1 contingent (got {count}).")
    ranked = rank_contingents(snapshot.troops_by_nation)
    return TopResult(snapshot, tuple(ranked[:count]), count, len(ranked))


@dataclass(frozen=True, slots=True)
class NationDetail:
    snapshot: Snapshot
    nation: Nation
    row: RankedContingent | None  # None when the nation has no troops in this snapshot
    nations: int
    previous: Snapshot | None
    previous_troops: int | None
    last_seen: Snapshot | None  # latest earlier snapshot with troops, when absent now

    @property
    def troops(self) -> int:
        return self.row.troops if self.row else 0

    @property
    def change(self) -> int | None:
        return None if self.previous_troops is None else self.troops - self.previous_troops


def nation_detail(catalog: SnapshotCatalog, registry: NationRegistry, query: str) -> NationDetail:
    """One nation in the latest snapshot, with its change since the previous one."""
    nation = registry.resolve(query)
    snapshot = catalog.latest
    ranked = rank_contingents(snapshot.troops_by_nation)
    row = next((r for r in ranked if r.nation == nation.name), None)
    previous = catalog.previous(snapshot)
    previous_troops = previous.troops_by_nation.get(nation.name, 0) if previous else None
    last_seen = None
    if row is None:
        last_seen = next((s for s in reversed(catalog.snapshots) if s.troops_by_nation.get(nation.name)), None)
    return NationDetail(snapshot, nation, row, len(ranked), previous, previous_troops, last_seen)


@dataclass(frozen=True, slots=True)
class Overview:
    snapshot: Snapshot
    total: int
    nations: int
    split: Split
    largest: tuple[RankedContingent, ...]
    hhi: float

    @property
    def effective_nations(self) -> float:
        """1/HHI as a number of equal contributors: how many nations the mission "really" rests on."""
        return 10_000 / self.hhi if self.hhi else 0.0

    @property
    def top3_share(self) -> float:
        return sum(row.share for row in self.largest[:3])


def mission_overview(snapshot: Snapshot, registry: NationRegistry, largest: int = 5) -> Overview:
    troops = snapshot.troops_by_nation
    ranked = rank_contingents(troops)
    return Overview(
        snapshot=snapshot,
        total=snapshot.total,
        nations=len(ranked),
        split=nato_split(troops, registry, snapshot.as_of_year),
        largest=tuple(ranked[:largest]),
        hhi=herfindahl_index(troops),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    before: Snapshot
    after: Snapshot
    diff: TroopDiff


def compare_snapshots(catalog: SnapshotCatalog, before: str | None = None, after: str | None = None) -> Comparison:
    """Compare two snapshots by date; by default the latest with the one before it."""
    if len(catalog) < 2 and not (before and after):
        only = ", ".join(catalog.dates()) or "none"
        raise UserError(
            f"A comparison needs two snapshots; {catalog.mission} has {len(catalog)} so far ({only}). "
            "It will be possible once the tracked source publishes new figures."
        )
    newer = catalog.get(after) if after else catalog.latest
    if before:
        older = catalog.get(before)
    else:
        previous = catalog.previous(newer)
        if previous is None:
            raise UserError(f"{newer.as_of_label} is the first snapshot; name an earlier one to compare with.")
        older = previous
    if older.as_of == newer.as_of:
        raise UserError(f"Both sides are the {newer.as_of_label} snapshot; pick two different dates.")
    if (older.as_of or "") > (newer.as_of or ""):
        older, newer = newer, older
    return Comparison(older, newer, diff_troops(older.troops_by_nation, newer.troops_by_nation))


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    snapshot: Snapshot
    troops: int
    rank: int | None
    share: float


@dataclass(frozen=True, slots=True)
class NationHistory:
    nation: Nation
    points: tuple[HistoryPoint, ...]


def nation_history(catalog: SnapshotCatalog, registry: NationRegistry, query: str) -> NationHistory:
    """A nation's figure in every snapshot, oldest first (0 where it had no contingent)."""
    nation = registry.resolve(query)
    points = []
    for snapshot in catalog:
        row = next((r for r in rank_contingents(snapshot.troops_by_nation) if r.nation == nation.name), None)
        points.append(
            HistoryPoint(snapshot, row.troops if row else 0, row.rank if row else None, row.share if row else 0.0)
        )
    return NationHistory(nation, tuple(points))
