"""The questions a team asks of the data: top N, one nation, the mission, history, comparisons.

Each query returns a plain result object; briefings are built from these, never from raw
snapshots, so the console and Discord necessarily show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.catalog import SnapshotCatalog
from bot.core.diff import TroopDiff, diff_snapshots
from bot.core.errors import UserError
from bot.core.models import Coverage, Snapshot
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
    #: Figures for this nation published after the latest complete snapshot by partial sources
    #: (a press article, a placemat copy) or estimates: shown beside, never mixed in.
    newer: tuple[Snapshot, ...] = ()
    #: What the person typed, when it was a prefix or a typo the registry corrected ("Germny").
    corrected_from: str | None = None

    @property
    def troops(self) -> int:
        return self.row.troops if self.row else 0

    @property
    def change(self) -> int | None:
        return None if self.previous_troops is None else self.troops - self.previous_troops


def nation_detail(catalog: SnapshotCatalog, registry: NationRegistry, query: str) -> NationDetail:
    """One nation in the latest complete snapshot, with its change since the complete one before."""
    match = registry.find(query)
    nation = match.nation
    snapshot = catalog.latest
    ranked = rank_contingents(snapshot.troops_by_nation)
    row = next((r for r in ranked if r.nation == nation.name), None)
    previous = catalog.previous(snapshot)
    previous_troops = previous.troops_by_nation.get(nation.name, 0) if previous else None
    last_seen = None
    if row is None:
        last_seen = next((s for s in reversed(catalog.snapshots) if s.troops_by_nation.get(nation.name)), None)
    newer = tuple(
        s
        for s in catalog.snapshots
        if not s.is_complete and (s.as_of or "") > (snapshot.as_of or "") and nation.name in s.troops_by_nation
    )
    return NationDetail(snapshot, nation, row, len(ranked), previous, previous_troops, last_seen, newer,
                        corrected_from=query if match.corrected else None)  # fmt: skip


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
    """Two snapshots side by side.

    When either side is partial or an estimate, only the nations present on both sides are compared
    (``partial``): a nation missing from a partial list is unknown, not zero, so nothing "joined" or
    "left", and no total, share or rank is derived. ``out_of_view`` counts the nations listed on one
    side only.
    """

    before: Snapshot
    after: Snapshot
    diff: TroopDiff
    partial: bool = False
    out_of_view: int = 0
    shared: int = 0


def compare_snapshots(catalog: SnapshotCatalog, before: str | None = None, after: str | None = None) -> Comparison:
    """Compare two snapshots by date or key; by default the latest complete one with the complete one before it."""
    complete = catalog.complete
    if len(complete) < 2 and not (before and after):
        only = ", ".join(catalog.label(s) for s in complete) or "none"
        raise UserError(
            f"A comparison needs two snapshots; {catalog.mission} has {len(complete)} complete one(s) ({only}). "
            "Name two dates (see /kfor snapshots) to compare partial figures."
        )
    newer = catalog.get(after) if after else catalog.latest
    if before:
        older = catalog.get(before)
    elif (revised := catalog.revised(newer)) is not None:
        # A same-day revision is compared with the version it revised, as its digest was: one pair, one diff.
        older = revised
    else:
        previous = catalog.previous(newer)
        if previous is None:
            raise UserError(f"{newer.key} is the first complete snapshot; name an earlier one to compare with.")
        older = previous
    if older is newer or (older.key == newer.key and older is not catalog.revised(newer)):
        raise UserError(f"Both sides are the {newer.key} snapshot; pick two different dates.")
    if (older.as_of or "") > (newer.as_of or ""):
        older, newer = newer, older
    compared = diff_snapshots(older, newer)
    if compared.partial and not compared.shared:
        raise UserError(
            f"{older.key} and {newer.key} name no nation in common ({older.coverage} and {newer.coverage} figures), "
            "so there is nothing to compare."
        )
    return Comparison(older, newer, compared.diff, compared.partial, compared.out_of_view, compared.shared)


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One dated figure for a nation, from one source.

    ``rank`` and ``share`` exist only for complete snapshots; in a complete snapshot that does not
    list the nation its figure is a known 0.
    """

    snapshot: Snapshot
    troops: int
    rank: int | None
    share: float | None
    approx: bool = False

    @property
    def coverage(self) -> Coverage:
        return self.snapshot.coverage


@dataclass(frozen=True, slots=True)
class NationHistory:
    nation: Nation
    points: tuple[HistoryPoint, ...]
    #: What the person typed, when it was a prefix or a typo the registry corrected ("Germny").
    corrected_from: str | None = None

    @property
    def reported(self) -> tuple[HistoryPoint, ...]:
        """The points with a figure the sources actually give (not the zeros of complete lists)."""
        return tuple(p for p in self.points if p.troops or p.snapshot.troops_by_nation.get(self.nation.name) == 0)


def nation_history(catalog: SnapshotCatalog, registry: NationRegistry, query: str) -> NationHistory:
    """Every dated figure for a nation from every source, oldest first.

    A complete snapshot without the nation gives a known 0; a partial snapshot or an estimate
    without it says nothing, so it gives no point at all.
    """
    match = registry.find(query)
    nation = match.nation
    points = []
    for snapshot in catalog:
        troops = snapshot.troops_by_nation.get(nation.name)
        if troops is None and not snapshot.is_complete:
            continue
        approx = nation.name in snapshot.approx_nations
        if snapshot.is_complete:
            # The nation's competition rank without ranking everyone: one pass per snapshot, so a long
            # history stays cheap (the same rank and share as rank_contingents gives).
            troops = troops or 0
            if troops > 0:
                rank = 1 + sum(1 for other in snapshot.troops_by_nation.values() if other > troops)
                points.append(HistoryPoint(snapshot, troops, rank, 100.0 * troops / snapshot.total, approx))
            else:
                points.append(HistoryPoint(snapshot, 0, None, 0.0, approx))
        else:
            points.append(HistoryPoint(snapshot, troops or 0, None, None, approx))
    return NationHistory(nation, tuple(points), corrected_from=query if match.corrected else None)
