"""Change digests: what changed in one look, for alerts in Discord, webhooks and the console.

A digest has three parts: the head (an embed: total before → after, each changed nation as
"602 → 320 (−282, −46.8%)" under grew, shrank, joined or left, the rank moves that matter, source
and date), the detail (the full per-nation table and the report's own caveats, posted inside the
discussion thread), and the thread's name ("KFOR 2025-06: US −282").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.briefings import formatting as fmt
from bot.briefings.build import changes_chart, changes_fields, footer_of, total_line
from bot.briefings.model import ALERT, DIGEST, Briefing, BriefingField, Column, Footer, Table
from bot.core.diff import Significance, TroopDiff, diff_snapshots, significant_changes
from bot.core.models import Snapshot
from bot.core.nations import NationRegistry
from bot.core.ranking import rank_contingents
from bot.core.reports.coverage import coverage_line
from bot.core.scenarios import run_scenario

THREAD_NAME_LIMIT = 100


#: The After figure of a nation a partial report does not list: unknown, never 0.
NOT_LISTED = "—"


@dataclass(frozen=True, slots=True)
class Digest:
    head: Briefing
    detail: Briefing
    thread_name: str
    significant: bool  # False when no change passes the subscription's thresholds


def filtered_diff(diff: TroopDiff, significance: Significance) -> TroopDiff:
    """The diff restricted to the changes (and rank moves) a subscription wants to hear about."""
    wanted = significance.nations
    return TroopDiff(
        changes=significant_changes(diff, significance),
        rank_moves=tuple(m for m in diff.rank_moves if wanted is None or m.nation in wanted),
        total_before=diff.total_before,
        total_after=diff.total_after,
        nations_before=diff.nations_before,
        nations_after=diff.nations_after,
    )


def thread_name(after: Snapshot, diff: TroopDiff, registry: NationRegistry) -> str:
    """``KFOR 2025-06: US −282, DE +31, +2 more``, within Discord's 100 characters."""
    parts = [f"{registry.get(c.nation).alpha2} {fmt.signed(c.delta)}" for c in diff.changes[:3]]
    if len(diff.changes) > 3:
        parts.append(f"+{len(diff.changes) - 3} more")
    name = f"{after.mission} {after.as_of_label}: " + (", ".join(parts) or f"total {fmt.signed(diff.total_delta)}")
    return name[:THREAD_NAME_LIMIT]


def build_digest(
    before: Snapshot,
    after: Snapshot,
    registry: NationRegistry,
    significance: Significance | None = None,
    covered_changes: int = 1,
) -> Digest:
    """The digest of the change from ``before`` to ``after`` (several changes when catching up).

    When either side is partial, only the nations both list are compared, and no total, arrival,
    departure or rank is announced (:func:`bot.core.diff.diff_snapshots`).
    """
    compared = diff_snapshots(before, after)
    full = compared.diff
    shown = filtered_diff(full, significance) if significance else full
    period = (
        f"{before.as_of_label} → {after.as_of_label}"
        if before.as_of != after.as_of
        else f"{after.as_of_label} figures revised"
    )
    title = f"{after.mission} update — {period}"
    summary = total_line(full, after.mission)
    unlisted: list[str] = []
    if compared.partial:
        summary = partial_summary(before, after, compared.shared, compared.out_of_view)
        if not after.is_complete and before.is_complete:
            unlisted = [c.nation for c in before.contingents if c.nation not in after.troops_by_nation]
    notes: list[str] = []  # the report's own caveats go with the table, in the thread: not on every alert
    if covered_changes > 1:
        title = f"{after.mission} catch-up — {covered_changes} changes, {period}"
        notes.insert(0, f"The bot was away while the figures changed {covered_changes} times; this sums them up.")
    hidden = len(full.changes) - len(shown.changes)
    if hidden:
        notes.append(f"{hidden} smaller change(s) below this channel's alert threshold are in the thread's table.")
    # Short names and no rank columns: the thread's table fits a phone (the head lists the rank moves).
    rows = [
        (
            registry.get(row.nation).short_label,
            fmt.troops(before.troops_by_nation.get(row.nation, 0)),
            fmt.troops(row.troops),
            fmt.signed_or_blank(row.troops - before.troops_by_nation.get(row.nation, 0)),
        )
        for row in rank_contingents(after.troops_by_nation)
        if not compared.partial or row.nation in before.troops_by_nation
    ]
    rows += [(registry.get(c.nation).short_label, fmt.troops(c.before), "0", fmt.signed(c.delta)) for c in full.left]
    # The nations a partial report leaves out keep their last known figure, marked so: never a 0.
    # A dash in the After column (a long word there would push After and Δ off a phone's screen).
    rows += [(registry.get(n).short_label, fmt.troops(before.troops_by_nation[n]), NOT_LISTED, "")
             for n in unlisted]  # fmt: skip
    head = Briefing(
        kind="digest",
        title=title,
        summary=summary,
        fields=tuple(changes_fields(shown, registry)),
        notes=tuple(notes),
        footer=footer_of(after),
        colour=DIGEST,
        chart=changes_chart(before, after, [c.nation for c in full.changes], registry)
        if len(full.changes) >= 3
        else None,
    )
    detail = Briefing(
        kind="digest-detail",
        title=f"{after.mission} — every contingent, {period}",
        table=Table(
            columns=(
                Column(header="Nation"),
                Column(header="From", align="right"),  # short: a 4-digit row must fit a phone's 30 (#20)
                Column(header="To", align="right"),
                Column(header="Δ", align="right"),
            ),
            rows=tuple(rows),
            notes=(f"{NOT_LISTED} not in this report: the nation keeps its last known figure.",) if unlisted else (),
        ),
        notes=after.warnings,
        footer=footer_of(after),
        colour=head.colour,
    )
    return Digest(head, detail, thread_name(after, full, registry), significant=bool(shown.changes))


#: The made-up change a test digest shows: one nation shrinks, one grows, one joins.
SAMPLE_CHANGE = "US-50%, Germany+31, Norway+12"
SAMPLE_TITLE = "TEST — sample digest (not real figures)"


def sample_digest(snapshot: Snapshot, registry: NationRegistry) -> Digest:
    """What an alert looks like, on figures made up from ``snapshot`` (the alert test), and marked as such.

    It credits no report: the figures are the scenario :data:`SAMPLE_CHANGE` applied to the latest list, so its
    footer, its thread's table and its notes say "sample figures for a test", never the source's name or
    the source's own caveats as if a real report said them (#20).
    """
    outcome = run_scenario(snapshot, SAMPLE_CHANGE, registry)
    sample = snapshot.with_troops(outcome.after)  # a new snapshot: its totals are the sample's, not the copy's
    digest = build_digest(snapshot, sample, registry)
    footer = Footer(source=f"sample figures made up for this test from the {snapshot.as_of_label} list, "
                           "not a report", as_of="")  # fmt: skip
    said = f"This is what an alert looks like; the change shown is the scenario '{SAMPLE_CHANGE}', not news."
    head = replace(digest.head, title=SAMPLE_TITLE, notes=(said,), footer=footer, chart=None)
    detail = replace(digest.detail, title=f"{SAMPLE_TITLE} — every contingent", notes=(said,), footer=footer)
    return replace(digest, head=head, detail=detail, thread_name="TEST — sample digest")


def partial_summary(before: Snapshot, after: Snapshot, shared: int, out_of_view: int) -> str:
    """What a partial report covered and what is (not) derived from it, for the head of a digest."""
    if not after.is_complete:
        covered = coverage_line(after, before if before.is_complete else None)
        unlisted = sum(1 for nation in before.troops_by_nation if nation not in after.troops_by_nation)
        kept = f"; the {unlisted} it does not list keep their last known figures" if unlisted else ""
        return (f"Partial report: {covered}. Only the nations it lists are compared{kept}. No total, arrival, "
                "departure, share or rank is derived from it.")  # fmt: skip
    return (
        f"Partial figures: the {shared} nations listed on both sides are compared; {out_of_view} listed on "
        "one side only are out of view. No total, arrival or departure is derived from partial figures."
    )


def problem_briefing(mission: str, source: str, problem: str, last_good: Snapshot | None) -> Briefing:
    """The one notice subscribers get when the tracked source breaks."""
    kept = (
        f"The last good figures ({last_good.as_of_label}, {last_good.total:,} troops) are kept"
        if last_good
        else "No figures have been recorded yet"
    )
    return Briefing(
        kind="source-problem",
        title=f"{mission} source problem",
        summary=f"The tracked source cannot be used: {problem}.\n{kept}; no alert is sent until it is valid again.",
        fields=(BriefingField(name="Watched source", value=source[:1000], inline=False),),
        colour=ALERT,
        footer=Footer(
            source=source[:200],
            as_of=last_good.as_of_label if last_good else "—",
            url=source if source.startswith(("https://", "http://")) else None,
        ),
    )
