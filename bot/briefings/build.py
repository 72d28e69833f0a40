"""Build briefings from core results: the one place that decides what an answer says."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from bot.briefings import formatting as fmt
from bot.briefings.model import (
    ALERT,
    SCENARIO,
    Briefing,
    BriefingField,
    ChartRequest,
    ChartSeries,
    Column,
    Footer,
    Table,
)
from bot.core.catalog import SnapshotCatalog
from bot.core.diff import RankMove, TroopDiff
from bot.core.freshness import Latest
from bot.core.models import Coverage, Snapshot
from bot.core.nations import NationRegistry
from bot.core.queries import Comparison, HistoryPoint, NationDetail, NationHistory, Overview, TopResult
from bot.core.ranking import rank_contingents
from bot.core.reports.coverage import coverage_line
from bot.core.scenarios import Preset, ScenarioOutcome


def footer_of(snapshot: Snapshot) -> Footer:
    return Footer(source=snapshot.source.citation(), as_of=snapshot.as_of_label,
                  coverage=fmt.coverage(snapshot.coverage), url=snapshot.source.url)  # fmt: skip


def point_figure(snapshot: Snapshot, nation: str) -> str:
    """A nation's figure in a snapshot as the source gives it (``≈`` approximate, ``est.`` estimate)."""
    return fmt.figure(snapshot.troops_by_nation[nation], approx=nation in snapshot.approx_nations,
                      estimate=snapshot.coverage is Coverage.ESTIMATE)  # fmt: skip


def short_source(snapshot: Snapshot) -> str:
    """The publisher alone, for tables where a whole citation does not fit."""
    return snapshot.source.publisher


def source_keys(snapshots: Iterable[Snapshot]) -> tuple[dict[str, str], str]:
    """Each publisher's one-letter key (A, B, …, first seen first) and the note under a table that names them.

    A publisher's name does not fit a phone's table ("News report citing BILD and official NATO/KFOR figures"),
    and cut short it says nothing ("News repo…"): the table shows the key, the note the whole name (#20).
    """
    keys: dict[str, str] = {}
    for snapshot in snapshots:
        publisher = snapshot.source.publisher
        if publisher not in keys:
            index = len(keys)
            keys[publisher] = chr(ord("A") + index) if index < 26 else str(index + 1)
    return keys, "Src: " + "; ".join(f"{key} {publisher}" for publisher, key in keys.items()) + "."


def nation_label(registry: NationRegistry, name: str) -> str:
    """Flag and the name NATO writes today ("🇹🇷 Türkiye") for a canonical name ("Turkey")."""
    return registry.get(name).label


def shown_name(registry: NationRegistry, name: str) -> str:
    """The name NATO writes today ("Türkiye") for a canonical name ("Turkey"), without the flag."""
    return registry.get(name).shown


def corrected(typed: str | None, name: str, text: str) -> str:
    """``text`` after a line saying which nation a typo was read as ("Germny → Germany"), when it was."""
    return f"*{typed.strip()} → {name}*\n{text}" if typed else text


#: How many nations a rank-move list shows before "and N more".
FIELD_LINES = 6


def top_briefing(result: TopResult, registry: NationRegistry) -> Briefing:
    snapshot = result.snapshot
    shown = len(result.rows)
    shown_troops = sum(row.troops for row in result.rows)
    share = 100.0 * shown_troops / snapshot.total if snapshot.total else 0.0
    if shown >= result.nations:
        title = f"{snapshot.mission} — all {result.nations} contingents"
    else:
        title = (
            f"{snapshot.mission} — top {shown} contingents"
            if shown != 1
            else f"{snapshot.mission} — largest contingent"
        )
    summary = (
        f"{shown} of {result.nations} nations provide {fmt.troops(shown_troops)} of "
        f"{fmt.troops(snapshot.total)} troops ({fmt.percent(share)})."
    )
    # The report's own inconsistencies belong in overview and sources, not on every answer.
    notes = []
    if result.requested > result.nations:
        notes.append(f"Asked for {result.requested}; {snapshot.mission} has {result.nations} contingents.")
    # Short names ("N. Macedonia", "US"): a whole ranking of 30 fits the code block of a 390 px phone (#20).
    rows = tuple(
        (str(row.rank), registry.get(row.nation).short_label, fmt.troops(row.troops), fmt.percent(row.share))
        for row in result.rows
    )
    return Briefing(
        kind="top",
        title=title,
        summary=summary,
        table=Table(
            columns=(
                Column(header="#", align="right"),
                Column(header="Nation"),
                Column(header="Troops", align="right"),
                Column(header="Share", align="right"),
            ),
            rows=rows,
        ),
        notes=tuple(notes),
        footer=footer_of(snapshot),
        chart=ChartRequest(
            kind="top",
            title=f"{snapshot.mission} contingents, {snapshot.as_of_label}",
            labels=tuple(shown_name(registry, row.nation) for row in result.rows),
            series=(ChartSeries(name=snapshot.as_of_label, values=tuple(row.troops for row in result.rows)),),
        ),
    )


def nation_briefing(detail: NationDetail, registry: NationRegistry) -> Briefing:
    """One nation: its figure, rank and share in one sentence, then its change and memberships.

    The figures are said once, in the summary, not repeated as fields: a short embed on a phone.
    """
    snapshot, nation = detail.snapshot, detail.nation
    year = snapshot.as_of_year
    mission = snapshot.mission
    alliance = f"NATO member since {nation.nato_since}" if nation.is_nato(year) else "Partner nation (not in NATO)"
    if nation.is_eu(year):
        eu = f"EU member since {nation.eu_since}"
    elif nation.eu_left is not None:
        eu = f"left the EU in {nation.eu_left}"
    else:
        eu = "not in the EU"
    if detail.row is None:
        summary = f"{nation.shown} has no contingent in {mission} as of {snapshot.as_of_label}."
        if detail.last_seen is not None:
            last = detail.last_seen.troops_by_nation[nation.name]
            summary += f" Last listed with {fmt.troops_count(last)} ({detail.last_seen.as_of_label})."
    else:
        row = detail.row
        summary = (
            f"**{fmt.troops_count(row.troops)}** — rank {row.rank} of {detail.nations}, "
            f"{fmt.percent(row.share)} of {mission}."
        )
    if detail.previous is None:
        change = "No earlier snapshot to compare with"
    else:
        change = (
            f"{fmt.signed(detail.change or 0)} since {detail.previous.as_of_label} "
            f"({fmt.troops(detail.previous_troops or 0)} then)"
        )
    fields = [
        BriefingField(name="Change", value=change),
        BriefingField(name="Membership", value=f"{alliance}\n{eu[0].upper()}{eu[1:]}"),
    ]
    if detail.newer:
        fields.append(BriefingField(name="Later figures (not a complete list)", inline=False, value="\n".join(
            f"{point_figure(s, nation.name)} — {s.as_of_label}, {short_source(s)}"
            + ("" if s.coverage is Coverage.ESTIMATE else f" ({fmt.coverage(s.coverage)})")
            for s in detail.newer)))  # fmt: skip
    return Briefing(
        kind="country",
        title=f"{nation.label} in {mission}",
        summary=corrected(detail.corrected_from, nation.shown, summary),
        fields=tuple(fields),
        footer=footer_of(snapshot),
    )


def overview_briefing(overview: Overview, registry: NationRegistry) -> Briefing:
    snapshot, split = overview.snapshot, overview.split
    # The report's own inconsistencies ("states 27 nations but lists 29") are this answer's notes.
    summary = f"{fmt.troops(overview.total)} troops from {overview.nations} nations."
    lead = overview.largest[0] if overview.largest else None
    fields = [  # the total and the nations are the summary's: not repeated as fields
        BriefingField(
            name="NATO members",
            value=f"{fmt.troops(split.nato_troops)} troops · {split.nato_nations} nations "
            f"({fmt.percent(split.nato_share)})",
        ),
        BriefingField(
            name="Partners",
            value=f"{fmt.troops(split.partner_troops)} troops · {split.partner_nations} nations "
            f"({fmt.percent(100 - split.nato_share if overview.total else 0)})",
        ),
    ]
    if lead is not None:
        fields.append(
            BriefingField(
                name="Lead nation",
                value=f"{nation_label(registry, lead.nation)} — {fmt.troops(lead.troops)} ({fmt.percent(lead.share)})",
            )
        )
        fields.append(BriefingField(name="Top 3 share", value=fmt.percent(overview.top3_share)))
    fields.append(
        BriefingField(
            name="Concentration (HHI)",
            value=f"{overview.hhi:,.0f} — like {overview.effective_nations:.1f} equal contributors",
            inline=False,
        )
    )
    return Briefing(
        kind="overview",
        title=f"{snapshot.mission} — mission overview",
        summary=summary,
        fields=tuple(fields),
        table=Table(
            caption="Largest contingents",
            columns=(
                Column(header="#", align="right"),
                Column(header="Nation"),
                Column(header="Troops", align="right"),
                Column(header="Share", align="right"),
            ),
            rows=tuple(
                (str(r.rank), registry.get(r.nation).short_label, fmt.troops(r.troops), fmt.percent(r.share))
                for r in overview.largest
            ),
        ),
        notes=snapshot.warnings,
        footer=footer_of(snapshot),
    )


def notable_moves(diff: TroopDiff) -> tuple[RankMove, ...]:
    """The rank moves worth a line: of nations whose own figure changed, or of two places or more.

    When one nation leaves, everyone below it moves up a place; listing them all buries the news.
    """
    changed = {c.nation for c in diff.changes}
    return tuple(m for m in diff.rank_moves if m.nation in changed or abs(m.places) >= 2)


def changes_fields(diff: TroopDiff, registry: NationRegistry, limit: int = FIELD_LINES) -> Iterable[BriefingField]:
    """Who grew, shrank, joined and left, each as before → after (Δ, %), then the notable rank moves.

    The group with the largest change comes first: the headline of a digest is its first line.
    """
    groups = [("Grew", diff.grew), ("Shrank", diff.shrank), ("Joined", diff.joined), ("Left", diff.left)]
    groups.sort(key=lambda group: -max((abs(c.delta) for c in group[1]), default=0))
    for name, changes in groups:
        if not changes:
            continue
        parts = [f"{nation_label(registry, c.nation)} {fmt.change(c.before, c.after)}" for c in changes[:limit]]
        if len(changes) > limit:
            parts.append(f"and {len(changes) - limit} more")
        yield BriefingField(name=f"{name} ({len(changes)})", value="\n".join(parts), inline=False)
    notable = notable_moves(diff)
    if notable:
        moves = [f"{nation_label(registry, m.nation)} {m.rank_before} → {m.rank_after}" for m in notable[:limit]]
        if len(notable) > limit:
            moves.append(f"and {len(notable) - limit} more")
        yield BriefingField(name=f"Rank moves ({len(notable)})", value="\n".join(moves), inline=False)


def total_line(diff: TroopDiff, mission: str) -> str:
    return (
        f"{mission}: {fmt.troops(diff.total_before)} → {fmt.troops(diff.total_after)} troops "
        f"({fmt.signed(diff.total_delta)}, {fmt.signed_percent(diff.total_percent)}) · "
        f"{diff.nations_before} → {diff.nations_after} nations."
    )


#: A compact scenario table shows the changed nations and this many of the largest after the change.
COMPACT_TOP = 10
#: The longest scenario a briefing repeats in its title; a longer one is cut with "…".
SCENARIO_ECHO = 200


def scenario_briefing(outcome: ScenarioOutcome, registry: NationRegistry) -> Briefing:
    """The outcome first (totals, what changes, lead nation, backfill), then a phone-width table.

    The answer's table holds the changed nations and the top 10 ("… N more"); the whole ranking is
    ``full_table``, for a discussion thread, the "Full table" button and the console.
    """
    snapshot, diff = outcome.snapshot, outcome.diff
    full, compact = _scenario_tables(outcome, registry)
    echoed = fmt.quoted(outcome.title, SCENARIO_ECHO)  # a 10,000-character scenario is not repeated back whole
    summary = total_line(diff, snapshot.mission)
    if outcome.title != outcome.expression:  # a preset: show what it applies
        summary += f"\nApplied: `{outcome.expression}`"
    charted = _scenario_chart_nations(outcome)
    return Briefing(
        kind="scenario",
        title=f"Scenario — {echoed}",
        summary=summary,
        fields=tuple(_scenario_fields(outcome, registry)),
        table=compact or full,
        full_table=full if compact else None,
        footer=footer_of(snapshot),
        colour=SCENARIO,
        chart=before_after_chart(
            "scenario",
            f"{echoed} — {snapshot.mission}, {snapshot.as_of_label}",
            [shown_name(registry, n) for n in charted],
            ("before", {shown_name(registry, n): t for n, t in outcome.before.items()}),
            ("after", {shown_name(registry, n): t for n, t in outcome.after.items()}),
        ),
    )


def _scenario_fields(outcome: ScenarioOutcome, registry: NationRegistry) -> Iterable[BriefingField]:
    """What changes, the lead nation, NATO's share, concentration and the backfill plan, in a few lines."""
    diff = outcome.diff
    changed = [f"{nation_label(registry, c.nation)} {fmt.change(c.before, c.after)}" for c in diff.changes]
    if len(changed) > FIELD_LINES:
        changed[FIELD_LINES:] = [f"and {len(changed) - FIELD_LINES} more"]
    yield BriefingField(name=f"What changes ({len(diff.changes)})", value="\n".join(changed) or "nothing",
                        inline=False)  # fmt: skip
    nato = " → ".join(fmt.percent(split.nato_share) for split in (outcome.split_before, outcome.split_after))
    yield BriefingField(name="Balance", inline=False, value=(
        f"Lead nation: {_lead_change(registry, outcome)}\nNATO members: {nato} of the troops\n"
        f"Concentration (HHI): {outcome.hhi_before:,.0f} → {outcome.hhi_after:,.0f}"))  # fmt: skip
    if outcome.gap and outcome.backfill:
        shares = sorted(((n, t) for n, t in outcome.backfill.items() if t), key=lambda item: (-item[1], item[0]))
        plan = ", ".join(f"{shown_name(registry, n)} {fmt.signed(t)}" for n, t in shares[:5])
        if len(shares) > 5:
            plan += f" and {len(shares) - 5} more"
        yield BriefingField(name=f"Backfill to restore {fmt.troops(diff.total_before)}", inline=False,
                            value=f"{fmt.troops_count(outcome.gap)}, shared by size: {plan}")  # fmt: skip
    elif outcome.gap:
        yield BriefingField(name="Backfill", value="No contributor would remain to backfill.", inline=False)


def _scenario_tables(outcome: ScenarioOutcome, registry: NationRegistry) -> tuple[Table, Table | None]:
    """The whole ranking after the scenario, and its compact extract (None when the whole one is short).

    Both have the same four columns, short names, troops, Δ and the backfill, so that they fit the code block
    of a 390 px phone (30 characters, #20); the rows are in rank order, so no rank column is needed. The
    extract holds the changed nations and the top 10 ("… N more"); the whole one every nation.
    """
    after = rank_contingents(outcome.after)
    changed = {c.nation for c in outcome.diff.changes}
    add = "Add" if outcome.gap else ""  # an empty header (and column) when nothing is backfilled
    notes = ("Add: its share of the backfill.",) if outcome.gap else ()
    columns = (  # "After", not "Troops": one character narrower than the header it replaces, so −1,258 fits
        Column(header="Nation"),
        Column(header="After", align="right"),
        Column(header="Δ", align="right"),
        Column(header=add, align="right"),
    )

    def cells(nation: str, troops: int) -> tuple[str, str, str, str]:
        delta = troops - outcome.before.get(nation, 0)
        backfill = outcome.backfill.get(nation, 0)
        return (registry.get(nation).short_label, fmt.troops(troops), fmt.signed_or_blank(delta),
                fmt.signed_or_blank(backfill))  # fmt: skip

    departed = [(c.nation, 0) for c in outcome.diff.left]
    full = Table(
        caption="Ranking after the scenario",
        notes=notes,
        columns=columns,
        rows=tuple(cells(row.nation, row.troops) for row in after) + tuple(cells(n, t) for n, t in departed),
    )
    shown = [(row.nation, row.troops) for row in after if row.rank <= COMPACT_TOP or row.nation in changed]
    rows = [cells(nation, troops) for nation, troops in shown[: COMPACT_TOP * 2] + departed]
    hidden = len(full.rows) - len(rows)
    if hidden <= 0:
        return full, None
    compact = Table(caption="After the scenario", notes=notes, columns=columns,
                    rows=(*rows, (f"… {hidden} more", "", "", "")))  # fmt: skip
    return full, compact


def before_after_chart(
    kind: Literal["scenario", "compare"], title: str, nations: Sequence[str],
    before: tuple[str, Mapping[str, int]], after: tuple[str, Mapping[str, int]],
) -> ChartRequest:  # fmt: skip
    """A paired bar chart of ``nations`` in two states (a scenario, or two snapshots)."""
    return ChartRequest(
        kind=kind,
        title=title,
        labels=tuple(nations),
        series=tuple(
            ChartSeries(name=name, values=tuple(troops.get(n, 0) for n in nations)) for name, troops in (before, after)
        ),
    )


SCENARIO_CHART_BARS = 12
#: A change's chart shows this many nations at most, the largest changes first.
CHANGE_CHART_BARS = 12


def changes_chart(before: Snapshot, after: Snapshot, nations: Sequence[str], registry: NationRegistry) -> ChartRequest:
    """Each changed nation's bar before and after: a digest's chart and a comparison's.

    Two sources of one month are told apart by their keys, in the title and the legend alike.
    """
    names = [shown_name(registry, n) for n in nations][:CHANGE_CHART_BARS]
    same_month = before.as_of == after.as_of
    labels = [s.key if same_month else s.as_of_label for s in (before, after)]
    figures = [{shown_name(registry, n): t for n, t in s.troops_by_nation.items()} for s in (before, after)]
    return before_after_chart("compare", f"{after.mission}: {labels[0]} → {labels[1]}", names,
                              (labels[0], figures[0]), (labels[1], figures[1]))  # fmt: skip


def _scenario_chart_nations(outcome: ScenarioOutcome) -> list[str]:
    """The changed nations plus the largest others, up to a readable number of bars, largest first."""
    changed = {c.nation for c in outcome.diff.changes}
    ordered = [n for n, _ in _ordered({**outcome.after, **outcome.before})]
    room = max(0, SCENARIO_CHART_BARS - len(changed))
    chosen = changed | set([n for n in ordered if n not in changed][:room])
    return [n for n in ordered if n in chosen]


def _ordered(troops: dict[str, int]) -> list[tuple[str, int]]:
    return [(row.nation, row.troops) for row in rank_contingents(troops)]


def _lead_change(registry: NationRegistry, outcome: ScenarioOutcome) -> str:
    before, after = outcome.lead_before, outcome.lead_after
    if before.nation is None:
        return "none"
    start = f"{nation_label(registry, before.nation)} {fmt.percent(before.share)}"
    if after.nation is None:
        return f"{start} → no contingent left"
    if after.nation == before.nation:
        return f"{start} → {fmt.percent(after.share)}"
    return f"{start} → {nation_label(registry, after.nation)} {fmt.percent(after.share)}"


def comparison_briefing(comparison: Comparison, registry: NationRegistry) -> Briefing:
    """Each change said once, in one list (grew, shrank, joined, left, with its percentage); the whole table is
    ``full_table``, behind a button in Discord (#20) and printed in full by the console."""
    before, after, diff = comparison.before, comparison.after, comparison.diff

    def cell(snapshot: Snapshot, nation: str, troops: int) -> str:
        # "est." is said once, under the table: "est. 1,500" twice on a row is wider than a phone.
        if nation not in snapshot.troops_by_nation:
            return fmt.troops(troops)
        return fmt.figure(troops, approx=nation in snapshot.approx_nations)

    # Short names and no % column: the table fits a phone; the list gives each change's percentage.
    rows = tuple(
        (registry.get(c.nation).short_label, cell(before, c.nation, c.before), cell(after, c.nation, c.after),
         fmt.signed(c.delta))
        for c in diff.changes
    )  # fmt: skip
    estimated = [name for name, side in (("Before", before), ("After", after)) if side.coverage is Coverage.ESTIMATE]
    table_notes: tuple[str, ...] = ()
    if estimated:
        table_notes = (f"{' and '.join(estimated)}: CIA World Factbook estimates (rounded), a separate series "
                       "from NATO's figures.",)  # fmt: skip
    # Where each side comes from is a fact of the answer, not a warning: a field, not a ⚠️ note.
    sources = BriefingField(name="Sources", inline=False, value=(
        f"Before: {before.source.citation()} ({fmt.coverage(before.coverage)})\n"
        f"After: {after.source.citation()} ({fmt.coverage(after.coverage)})")[:1024])  # fmt: skip
    if comparison.partial:
        summary = (
            f"Partial figures: only the {comparison.shared} nations listed on both sides are compared; "
            f"{comparison.out_of_view} listed on one side only are out of view. "
            "No total, share, arrival or departure is derived from partial figures."
        )
        if not diff.changed:
            summary += " None of the compared figures changed."
    else:
        summary = total_line(diff, after.mission) if diff.changed else "No change in any contingent."
    return Briefing(
        kind="compare",
        # Two sources of one month are named by their keys, so the title never reads "2023-10 → 2023-10".
        title=f"{after.mission} — {after.as_of_label} figures revised"
        if before.key == after.key
        else f"{after.mission} — {before.key} → {after.key}"
        if before.as_of == after.as_of
        else f"{after.mission} — {before.as_of_label} → {after.as_of_label}",
        summary=summary,
        fields=(*changes_fields(diff, registry), sources),
        full_table=Table(
            caption="Every change",
            columns=(
                Column(header="Nation"),
                Column(header="From", align="right"),  # short: a 4-digit row must fit a phone's 30 (#20)
                Column(header="To", align="right"),
                Column(header="Δ", align="right"),
            ),
            rows=rows,
            notes=table_notes,
        )
        if rows
        else None,
        chart=changes_chart(before, after, [c.nation for c in diff.changes], registry) if diff.changes else None,
        footer=footer_of(after),
    )


def history_briefing(history: NationHistory, mission: str) -> Briefing:
    """Every dated figure for the nation, each with its source: ≈ approximate, est. estimate."""
    nation, points = history.nation, history.points
    if not points:
        return Briefing(
            kind="history", title=f"{nation.label} in {mission} over time",
            summary=corrected(history.corrected_from, nation.shown,
                              f"No source on record gives a figure for {nation.shown} in {mission}."),
        )  # fmt: skip
    shown = points if len(points) <= HISTORY_ROWS else _yearly(points)
    keys, keys_note = source_keys(point.snapshot for point in shown)
    rows = tuple(
        (
            point.snapshot.as_of_label,
            # The mark beside the figure it qualifies: a cut-off row must not make 551 read as an official total.
            fmt.figure(point.troops, approx=point.approx, estimate=point.coverage is Coverage.ESTIMATE)
            + ("*" if point.coverage is Coverage.PARTIAL else ""),
            str(point.rank) if point.rank else "–",
            keys[point.snapshot.source.publisher],
        )
        for point in shown
    )
    official = [p for p in points if p.coverage is not Coverage.ESTIMATE]
    # Counted as the footer counts them: "19 figures from 19 sources" above "from 11 publishers" read as a slip.
    publishers = {p.snapshot.source.publisher for p in points}
    plural = "s" * (len(publishers) != 1)
    if len(points) == 1:
        only = points[0]
        summary = (
            f"One figure on record: {rows[0][1]} troops ({only.snapshot.as_of_label}, {short_source(only.snapshot)}). "
            "History grows as new figures are published."
        )
    else:
        first, last = (official[0], official[-1]) if len(official) > 1 else (points[0], points[-1])
        summary = (
            f"{fmt.figure(first.troops, approx=first.approx)} ({first.snapshot.as_of_label}) → "
            f"{fmt.figure(last.troops, approx=last.approx)} ({last.snapshot.as_of_label}): "
            f"{len(points)} figures from {len(publishers)} publisher{plural}."
        )
    notes = []
    if len(shown) < len(points):  # a long series: one message, the chart has every figure
        notes.append(f"The table shows the last figure of each year ({len(shown)} of {len(points)}); "
                     "`/kfor chart kind:history` draws them all.")  # fmt: skip
    # What the table's marks mean: footnotes of the table, gone with it (a chart has its own legend).
    table_notes = []
    if any(p.coverage is not Coverage.COMPLETE for p in points):
        table_notes.append("* from a partial list or a single-nation report; # (rank) only in complete lists.")
    if any(p.approx for p in points):
        table_notes.append("≈ the source gives the figure as approximate.")
    if any(p.coverage is Coverage.ESTIMATE for p in points):
        table_notes.append("est. CIA World Factbook estimate (rounded), a separate series from NATO's figures.")
    table_notes.append(keys_note)
    latest = (official or list(points))[-1].snapshot
    # Credited truthfully: a table drawn from many reports is not one article's (#20).
    # The title links to the latest figure's source, the newest news of the nation.
    period = f"{points[0].snapshot.as_of_label} to {points[-1].snapshot.as_of_label}"
    footer = footer_of(latest) if len(points) == 1 else Footer(
        source=f"{len(points)} figures from {len(publishers)} publisher{plural} (see table)", as_of=period,
        url=latest.source.url)  # fmt: skip
    return Briefing(
        kind="history",
        title=f"{nation.label} in {mission} over time",
        summary=corrected(history.corrected_from, nation.shown, summary),
        table=Table(
            columns=(
                Column(header="As of"),
                Column(header="Troops", align="right"),
                Column(header="#", align="right"),
                Column(header="Src"),
            ),
            rows=rows,
            notes=tuple(table_notes),
        ),
        notes=tuple(notes),
        footer=footer,
        chart=ChartRequest(
            kind="history",
            title=f"{nation.shown} in {mission}",
            labels=tuple(p.snapshot.as_of_label for p in points),
            series=(ChartSeries(name=nation.shown, values=tuple(p.troops for p in points)),),
            markers=tuple(p.coverage.value for p in points),
        ),
    )


#: A longer history is summarised to a figure per year, so that it fits one message.
HISTORY_ROWS = 30


def _yearly(points: Sequence[HistoryPoint]) -> list[HistoryPoint]:
    """The last figure of each year (an official one when the year has one), then at most ``HISTORY_ROWS``."""
    by_year: dict[str, HistoryPoint] = {}
    for point in points:  # oldest first: a later figure of the year replaces an earlier one
        year = point.snapshot.as_of_label[:4]
        kept = by_year.get(year)
        if kept is None or point.coverage is not Coverage.ESTIMATE or kept.coverage is Coverage.ESTIMATE:
            by_year[year] = point
    yearly = list(by_year.values())
    if len(yearly) > HISTORY_ROWS:  # more years than rows: evenly spread, always with the latest
        step = (len(yearly) - 1) / (HISTORY_ROWS - 1)
        yearly = [yearly[round(i * step)] for i in range(HISTORY_ROWS)]
    return yearly


#: How a report's format is named to a team.
REPORT_FORMATS = {"pdf": "a PDF placemat", "html": "a web page's table", "csv": "a CSV table", "text": "text"}


def listed_line(snapshot: Snapshot) -> str:
    """What a snapshot lists, against what its source states: the figures a reader weighs it by."""
    nations = len(snapshot.contingents)
    read_as = REPORT_FORMATS.get(snapshot.read_as or "", snapshot.read_as)
    if snapshot.transcribed:  # a CSV typed from the source for this project: not what the publisher published
        read_as = f"{read_as or 'a report'} transcribed from the source"
    read_as = f"{read_as}: " if read_as else ""
    text = f"{read_as}{nations} nation(s), {fmt.troops(snapshot.total)} troops listed"
    if snapshot.stated_total is not None and snapshot.stated_total != snapshot.total:
        approx = "≈" if snapshot.stated_total_approx else ""
        text += f" of a stated {approx}{fmt.troops(snapshot.stated_total)}"
    if snapshot.stated_nations is not None and snapshot.stated_nations != nations:
        text += f" (the source says {snapshot.stated_nations} nations)"
    if snapshot.unattributed:
        text += (
            f"; {len(snapshot.unattributed)} figure(s) without a nation: "
            f"{', '.join(fmt.troops(u) for u in snapshot.unattributed)} "
            f"(= {fmt.troops(sum(snapshot.unattributed))})"
        )
    elif not snapshot.is_complete and snapshot.unattributed_troops:
        text += f"; {fmt.troops(snapshot.unattributed_troops)} troops not attributed to a nation"
    skipped = sum(warning.startswith("skipped ") for warning in snapshot.warnings)
    if skipped:
        text += f"; {skipped} line(s) that looked like data were not read"
    return text


#: A snapshot's coverage in a narrow column, explained under the table.
COVERAGE_MARKS = {Coverage.COMPLETE: "all", Coverage.PARTIAL: "part", Coverage.ESTIMATE: "est"}


def snapshots_briefing(catalog: SnapshotCatalog) -> Briefing:
    # Narrow enough for a phone (#20): the date, a short coverage mark, the figures, and the publisher's key,
    # named under the table (the whole citation is in /kfor sources).
    keys, keys_note = source_keys(catalog)
    rows = []
    for s in catalog:
        listed = fmt.troops(s.total) if s.is_complete else f"{fmt.troops(s.total)}*"
        rows.append((s.as_of_label, COVERAGE_MARKS[s.coverage], listed, str(len(s.contingents)),
                     keys[s.source.publisher]))  # fmt: skip
    counts = {c: sum(1 for s in catalog if s.coverage is c) for c in Coverage}
    summary = (
        f"{len(catalog)} snapshot(s) on record: {counts[Coverage.COMPLETE]} complete, "
        f"{counts[Coverage.PARTIAL]} partial, {counts[Coverage.ESTIMATE]} estimate(s). "
        f"Totals, shares and scenarios use the latest complete list ({catalog.label(catalog.latest)})."
    )
    return Briefing(
        kind="snapshots",
        title=f"{catalog.mission} — snapshots",
        summary=summary,
        table=Table(
            columns=(
                Column(header="As of"),
                Column(header="Cov."),
                Column(header="Troops", align="right"),
                Column(header="N", align="right"),
                Column(header="Src"),
            ),
            rows=tuple(rows),
            notes=(
                "Cov.: all = a complete list, part = partial figures, est = estimates; N = nations listed.",
                *(
                    ("* the sum of the figures listed, not the mission's total.",)
                    if len(rows) > counts[Coverage.COMPLETE]
                    else ()
                ),
                keys_note,
            ),
        ),
        footer=footer_of(catalog.latest),
    )


def latest_briefing(latest: Latest, registry: NationRegistry) -> Briefing:
    """Per nation, the figures published after the last complete list: figure, change, date, source, coverage."""
    base = latest.base
    since = f"the complete list of {base.as_of_label}" if latest.since == base.as_of else latest.since
    if not latest.rows:
        return Briefing(kind="latest", title=f"{base.mission} — newer than {since}",
                        summary=f"No figures newer than {since} are on record.", footer=footer_of(base))  # fmt: skip
    rows = tuple(
        (
            registry.get(row.nation).short_label,
            point_figure(row.snapshot, row.nation),
            "±0" if row.delta == 0 else fmt.signed_or_blank(row.delta),  # the same figure again: said, not blank
            row.snapshot.as_of_label,
        )
        for row in latest.rows
    )
    fields = tuple(
        BriefingField(
            name=f"{report.as_of_label} · {fmt.coverage(report.coverage)}"[:256],
            value=f"{report.source.citation()} — {coverage_line(report, base)}"[:1024],
            inline=False,
        )
        for report in reversed(latest.reports)
    )[:10]
    summary = (
        f"{len(latest.rows)} nation(s) have figures newer than {since} ({base.total:,} troops, "
        f"{len(base.contingents)} nations). Δ is against that list; partial reports leave the other nations "
        "at their last known figure."
    )
    return Briefing(
        kind="latest",
        title=f"{base.mission} — newer than {since}",
        summary=summary,
        fields=fields,
        table=Table(
            columns=(
                Column(header="Nation"),
                Column(header="Now", align="right"),
                Column(header="Δ", align="right"),
                Column(header="As of"),
            ),
            rows=rows,
        ),
        footer=footer_of(latest.reports[-1]),
    )


def sources_briefing(catalog: SnapshotCatalog) -> Briefing:
    fields = []
    estimates = [s for s in catalog if s.coverage is Coverage.ESTIMATE]
    for snapshot in reversed([s for s in catalog if s.coverage is not Coverage.ESTIMATE]):
        source = snapshot.source
        title = f"[{source.title}]({source.url})" if source.url else f"**{source.title}**"
        lines = [f"{title} — {source.publisher} · {fmt.coverage(snapshot.coverage)}"]
        lines.append("Read: " + listed_line(snapshot))
        if snapshot.warnings and snapshot.is_complete:
            lines.append("Caveats: " + "; ".join(snapshot.warnings))
        fields.append(BriefingField(name=f"{catalog.label(snapshot)}", value="\n".join(lines), inline=False))
    if estimates:
        editions = ", ".join(f"{s.as_of_label} ({len(s.contingents)})" for s in estimates)
        fields.append(BriefingField(name="Estimates (a separate series)", inline=False, value=(
            f"**{estimates[-1].source.publisher}**, rounded figures for a few nations per edition, "
            f"never mixed into NATO's figures. Editions (nations): {editions}")))  # fmt: skip
    fields.append(
        BriefingField(
            name="Nation reference data",
            value="ISO 3166 codes and flags from pycountry; NATO and EU accession years from NATO and EU "
            "membership pages (see data/nations.toml).",
            inline=False,
        )
    )
    return Briefing(
        kind="sources",
        title=f"{catalog.mission} — where the figures come from",
        summary="Every figure the bot shows is taken from these public reports, unchanged, with its coverage: "
        "a complete list of nations, partial figures (some nations; a missing nation is unknown, not zero) "
        "or estimates.",
        fields=tuple(fields),
        footer=footer_of(catalog.latest),
    )


def presets_field(presets: dict[str, Preset]) -> BriefingField:
    return BriefingField(
        name="Scenario presets",
        value="\n".join(f"`{p.key}` — {p.title}" for p in presets.values()),
        inline=False,
    )


def error_briefing(message: str) -> Briefing:
    return Briefing(kind="error", title="Cannot answer that", summary=message, colour=ALERT)
