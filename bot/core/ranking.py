"""Rankings, shares and concentration of a mission's contingents.

These work on plain ``{nation: troops}`` mappings so that real snapshots and scenario outcomes
(which are not snapshots) are measured the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.nations import NationRegistry


@dataclass(frozen=True, slots=True)
class RankedContingent:
    """A nation's place in a mission: rank 1 is the largest; equal figures share a rank."""

    nation: str
    troops: int
    rank: int
    share: float  # percent of the listed total, 0..100


@dataclass(frozen=True, slots=True)
class Split:
    """Troops and nations of NATO members and of partner nations at one date."""

    nato_troops: int
    partner_troops: int
    nato_nations: int
    partner_nations: int

    @property
    def nato_share(self) -> float:
        total = self.nato_troops + self.partner_troops
        return 100.0 * self.nato_troops / total if total else 0.0


def rank_contingents(troops: Mapping[str, int]) -> list[RankedContingent]:
    """Nations with troops, largest first (ties by name), with competition ranks (1, 2, 2, 4)."""
    total = sum(troops.values())
    ordered = sorted(((n, t) for n, t in troops.items() if t > 0), key=lambda item: (-item[1], item[0]))
    ranked: list[RankedContingent] = []
    for position, (nation, count) in enumerate(ordered, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].troops == count else position
        ranked.append(RankedContingent(nation, count, rank, 100.0 * count / total if total else 0.0))
    return ranked


def ranks_by_nation(troops: Mapping[str, int]) -> dict[str, int]:
    return {row.nation: row.rank for row in rank_contingents(troops)}


def herfindahl_index(troops: Mapping[str, int]) -> float:
    """Herfindahl-Hirschman index of the shares in percent: 10,000 when one nation holds all.

    A single number for how much the mission depends on its largest contributors.
    """
    total = sum(troops.values())
    if total == 0:
        return 0.0
    return sum((100.0 * count / total) ** 2 for count in troops.values())


def nato_split(troops: Mapping[str, int], registry: NationRegistry, year: int | None) -> Split:
    """Troops of NATO members and partners, by membership in ``year`` (Finland joined in 2023)."""
    nato_troops = partner_troops = nato_nations = partner_nations = 0
    for nation, count in troops.items():
        if count <= 0:
            continue
        if registry.get(nation).is_nato(year):
            nato_troops += count
            nato_nations += 1
        else:
            partner_troops += count
            partner_nations += 1
    return Split(nato_troops, partner_troops, nato_nations, partner_nations)


def percent_change(before: int, after: int) -> float | None:
    """Change in percent of ``before``; None when there was nothing before."""
    return None if before == 0 else 100.0 * (after - before) / before
