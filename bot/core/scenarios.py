"""Scenarios: "what if the United States withdraws?" applied to a snapshot.

A scenario is a short expression of changes, joined by ``,`` or ``;``::

    withdraw US              the whole contingent leaves (also "US withdraws", "US=0")
    US-50%  /  Germany+200   relative changes, in percent or troops
    UK-20   /  Italy=1000    absolute changes and new figures
    withdraw partners        groups: partners (non-NATO), NATO, EU, non-EU, top 3 / largest 3

The outcome compares before and after (total, ranking, shares, NATO/partner split, HHI) and plans
a backfill: how the remaining contributors could restore the old total in proportion to their size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Strict

from bot.core.apportion import apportion
from bot.core.diff import TroopDiff, diff_troops
from bot.core.errors import ScenarioError, UserError
from bot.core.models import Record, Snapshot, Text
from bot.core.nations import NationRegistry
from bot.core.ranking import Split, herfindahl_index, nato_split, rank_contingents
from bot.core.reports.figures import MAX_TROOPS, FigureError, parse_figure

_PART_SPLIT = re.compile(r";|,(?!\d{3}(?:\D|$))")
_WITHDRAW_PREFIX = re.compile(r"^(?:withdraw|remove|pull\s+out|drop)\s+(?P<target>.+)$", re.IGNORECASE)
_WITHDRAW_SUFFIX = re.compile(r"^(?P<target>.+?)\s+(?:withdraws?|leaves?|pulls?\s+out|exits?)$", re.IGNORECASE)
_ARITHMETIC = re.compile(r"^(?P<target>.+?)\s*(?P<op>[=+\-−–])\s*(?P<amount>\d[\d,.\u00a0 ]*)\s*(?P<percent>%)?$")
_TOP = re.compile(r"^(?:the\s+)?(?:top|largest|biggest)\s+(?P<n>\d+)(?:\s+\w+)?$", re.IGNORECASE)
#: "@everyone", "@here", "<@&123>", "<#456>": Discord markup names no nation and no group ("everyone" does).
_MENTION = re.compile(r"@|<[@#]")
_GROUPS = {
    "partners": "partners",
    "partner nations": "partners",
    "non nato": "partners",
    "non nato partners": "partners",
    "all partners": "partners",
    "nato": "nato",
    "nato members": "nato",
    "eu": "eu",
    "non eu": "non-eu",
    "all": "all",
    "everyone": "all",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One change: set, add or subtract (troops or percent) for some nations."""

    text: str
    nations: tuple[str, ...]
    op: str  # "=", "+", "-"
    amount: int
    percent: bool

    def apply(self, troops: int) -> int:
        if self.percent:
            change = int((Decimal(troops) * self.amount / 100).quantize(Decimal(1), ROUND_HALF_UP))
            return {"=": change, "+": troops + change, "-": troops - change}[self.op]
        return {"=": self.amount, "+": troops + self.amount, "-": troops - self.amount}[self.op]


class Preset(Record):
    """A named scenario: one ``[key]`` table of ``config/scenarios.toml``, which a person edits."""

    #: The table's name, which ``/kfor scenario`` offers (``us-withdrawal``).
    key: Text
    title: Text
    #: In the scenario language of :func:`parse_scenario` ("withdraw United States").
    change: Text
    description: Annotated[str, Strict()] = ""


def _resolve_target(
    target: str, base: Mapping[str, int], registry: NationRegistry, year: int | None, part: str
) -> tuple[str, ...]:
    if _MENTION.search(target):
        raise ScenarioError(
            f"In {part!r}: {target.strip()!r} is a Discord mention, not a nation or a group. "
            "Write a nation, 'all', 'NATO', 'partners', 'EU' or 'top 3'."
        )
    key = re.sub(r"[^a-z0-9]+", " ", target.casefold()).strip()
    present = [n for n, t in base.items() if t > 0]
    group = _GROUPS.get(key)
    if group == "all":
        return tuple(sorted(present))
    if group in ("partners", "nato"):
        nato = group == "nato"
        return tuple(sorted(n for n in present if registry.get(n).is_nato(year) == nato))
    if group in ("eu", "non-eu"):
        eu = group == "eu"
        return tuple(sorted(n for n in present if registry.get(n).is_eu(year) == eu))
    top = _TOP.match(target.strip())
    if top:
        count = int(top["n"])
        if count < 1:
            raise ScenarioError(f"In {part!r}: 'top' needs at least 1 nation.")
        return tuple(row.nation for row in rank_contingents(base)[:count])
    try:
        return (registry.resolve(target).name,)
    except UserError as exc:
        raise ScenarioError(f"In {part!r}: {exc}") from exc


def parse_scenario(
    expression: str, base: Mapping[str, int], registry: NationRegistry, year: int | None = None
) -> tuple[Operation, ...]:
    """Parse an expression against the figures it will change; errors name the bad part."""
    parts = [p.strip() for p in _PART_SPLIT.split(expression)]
    if not any(parts):
        raise ScenarioError("The scenario is empty. Try 'withdraw US' or 'Germany+200'.")
    operations = []
    for part in parts:
        if not part:
            raise ScenarioError(f"Empty change in {expression!r}: remove the extra ',' or ';'.")
        withdraw = _WITHDRAW_PREFIX.match(part) or _WITHDRAW_SUFFIX.match(part)
        if withdraw:
            nations = _resolve_target(withdraw["target"], base, registry, year, part)
            operations.append(Operation(part, nations, "=", 0, percent=False))
            continue
        arithmetic = _ARITHMETIC.match(part)
        if not arithmetic:
            raise ScenarioError(
                f"Cannot read {part!r}. Write e.g. 'withdraw US', 'US=0', 'US-50%', 'Germany+200' or 'UK-20'."
            )
        try:
            amount = parse_figure(arithmetic["amount"])
        except FigureError as exc:
            raise ScenarioError(f"In {part!r}: {exc}.") from exc
        op = {"−": "-", "–": "-"}.get(arithmetic["op"], arithmetic["op"])
        nations = _resolve_target(arithmetic["target"], base, registry, year, part)
        operations.append(Operation(part, nations, op, amount, percent=bool(arithmetic["percent"])))
    return tuple(operations)


def apply_operations(
    base: Mapping[str, int], operations: tuple[Operation, ...], mission: str, as_of: str
) -> dict[str, int]:
    """The figures after the operations, in order; refuses anything that would go below zero."""
    after = dict(base)
    withdrawn_by: dict[str, str] = {}  # nation → the part that withdrew it, to name a repeat
    for operation in operations:
        if not operation.nations:
            raise ScenarioError(f"{operation.text!r} matches no contingent in {mission} as of {as_of}.")
        for nation in operation.nations:
            current = after.get(nation, 0)
            if current == 0 and operation.op == "=" and operation.amount == 0 and not operation.percent:
                if nation in withdrawn_by:
                    raise ScenarioError(
                        f"{operation.text!r} repeats {withdrawn_by[nation]!r}: {nation} is already withdrawn "
                        "in this scenario. Remove one of them."
                    )
                raise ScenarioError(
                    f"In {operation.text!r}: {nation} has no troops in {mission} as of {as_of}; nothing to withdraw."
                )
            new = operation.apply(current)
            if new < 0:
                raise ScenarioError(
                    f"In {operation.text!r}: {nation} has {current:,} troops; that change would leave {new:,}, "
                    "below zero."
                )
            after[nation] = new
            if new == 0 and current > 0:  # only a contingent that had troops can be withdrawn (twice)
                withdrawn_by[nation] = operation.text
    return {nation: count for nation, count in after.items() if count > 0}


@dataclass(frozen=True, slots=True)
class LeadShare:
    nation: str | None
    share: float


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    """A scenario's effect on one snapshot, with everything a briefing shows about it."""

    snapshot: Snapshot
    expression: str
    title: str
    operations: tuple[Operation, ...]
    before: dict[str, int]
    after: dict[str, int]
    diff: TroopDiff
    lead_before: LeadShare
    lead_after: LeadShare
    split_before: Split
    split_after: Split
    hhi_before: float
    hhi_after: float
    backfill: dict[str, int]

    @property
    def gap(self) -> int:
        """Troops to find to restore the old total (0 when the total did not fall)."""
        return max(0, -self.diff.total_delta)


def _lead(troops: Mapping[str, int]) -> LeadShare:
    ranked = rank_contingents(troops)
    return LeadShare(ranked[0].nation, ranked[0].share) if ranked else LeadShare(None, 0.0)


def run_scenario(
    snapshot: Snapshot, expression: str, registry: NationRegistry, title: str | None = None,
    max_troops: int = MAX_TROOPS,
) -> ScenarioOutcome:  # fmt: skip
    """Apply ``expression`` to ``snapshot`` and measure the outcome (no contingent above ``max_troops``)."""
    before = dict(snapshot.troops_by_nation)
    year = snapshot.as_of_year
    operations = parse_scenario(expression, before, registry, year)
    after = apply_operations(before, operations, snapshot.mission, snapshot.as_of_label)
    for nation, troops in after.items():
        if troops > max_troops:
            raise ScenarioError(
                f"{nation} would have {troops:,} troops, above the {max_troops:,} a single contingent can plausibly "
                "have. Check the figure."
            )
    diff = diff_troops(before, after)
    gap = max(0, -diff.total_delta)
    backfill = apportion(gap, after) if gap and after else {}
    return ScenarioOutcome(
        snapshot=snapshot,
        expression=expression,
        title=title or expression,
        operations=operations,
        before=before,
        after=after,
        diff=diff,
        lead_before=_lead(before),
        lead_after=_lead(after),
        split_before=nato_split(before, registry, year),
        split_after=nato_split(after, registry, year),
        hhi_before=herfindahl_index(before),
        hhi_after=herfindahl_index(after),
        backfill=backfill,
    )
