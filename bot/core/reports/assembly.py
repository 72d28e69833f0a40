"""Turn what a format parser read into a validated :class:`Snapshot`.

Every format (free text, CSV, JSON) produces the same :class:`Extraction`: the nation figures it
found with their line numbers, the totals the report states, and the issues met on the way.
The checks that do not depend on the format live here, once: duplicates, stated total against
listed sum, stated nation count against listed nations, an empty report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, Strict, field_validator

from bot.core.models import Contingent, Count, Coverage, Record, Snapshot, Source, Text, check_as_of
from bot.core.reports.figures import MAX_TROOPS
from bot.core.reports.formats import ReportFormat
from bot.core.reports.issues import Issue, Severity, error, warning

#: The code of a warning for a line (or table row) that looked like data but was not read, so
#: that nothing a report lists disappears without a word.
SKIPPED = "skipped-line"


class ReportMeta(Record):
    """What a report does not say about itself: mission, as-of date and source (a ``.meta.toml`` sidecar)."""

    mission: Text = "KFOR"
    as_of: Annotated[str, Strict()] | None = None
    source: Source
    #: What the source covers, when known from outside the report; else inferred (see :func:`assemble`).
    coverage: Coverage | None = None
    #: Figures the source states outside the listing (in its headline or prose), when the report
    #: itself does not state them; a stated figure in the report wins.
    stated_total: Count | None = None
    stated_total_approx: Annotated[bool, Strict()] = False
    stated_nations: Count | None = None
    #: Figures the source gives without a nation, when the report copy could not carry them.
    unattributed: tuple[Count, ...] = ()
    #: The plausibility cap: a figure above it is an error naming its line, not a contingent.
    max_troops: Annotated[int, Strict(), Field(ge=1)] = MAX_TROOPS
    #: The format a stored snapshot's original report was read as (kept when the snapshot is reloaded).
    read_as: Annotated[str, Strict()] | None = None
    #: The report is this project's copy of the source's figures, not the publisher's document.
    transcribed: Annotated[bool, Strict()] = False

    _as_of_form = field_validator("as_of")(check_as_of)


@dataclass(frozen=True, slots=True)
class Entry:
    """A figure for one nation as read from one line of a report."""

    nation: str
    troops: int
    line: int | None
    approx: bool = False


@dataclass(frozen=True, slots=True)
class Unattributed:
    """A figure the report gives without a nation beside it (a placemat flag without a caption)."""

    troops: int
    line: int | None


@dataclass(frozen=True, slots=True)
class Stated:
    """A figure the report states about itself (total troops, number of nations)."""

    value: int
    line: int | None


@dataclass(slots=True)
class Extraction:
    """Everything a format parser read, before cross-checks."""

    entries: list[Entry] = field(default_factory=list)
    stated_total: Stated | None = None
    stated_nations: Stated | None = None
    unattributed: list[Unattributed] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: The words by which the report says it lists only some nations ("the 20 largest contributors").
    partial_wording: str | None = None
    #: Every figure was read from running text (a press paragraph), none from a list or table.
    from_prose: bool = False
    #: The date of the part of the document that was read, when the parser knows it (the newest of
    #: several dated tables); it wins over a date found elsewhere in the document.
    as_of: str | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    """A snapshot when the report is usable, and every issue found either way.

    ``format`` is what the report was read as (None when it could not be read at all, e.g. binary
    data), so that a person can tell "the PDF had no text" from "the page had no table".
    """

    snapshot: Snapshot | None
    issues: tuple[Issue, ...]
    format: ReportFormat | None = None
    #: Why the snapshot's coverage is what it is, when the report (or its meta) decided it; None when
    #: nothing in it did, so that the source's configuration or the last complete list may decide
    #: (:func:`bot.core.reports.coverage.decide_coverage`).
    coverage_basis: str | None = None

    @property
    def ok(self) -> bool:
        return self.snapshot is not None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def skipped(self) -> tuple[Issue, ...]:
        """The lines that looked like data but were not read (each a warning with its line)."""
        return tuple(i for i in self.issues if i.code == SKIPPED)


def _line_ref(line: int | None) -> str:
    return f"line {line}" if line is not None else "an earlier entry"


def assemble(extraction: Extraction, meta: ReportMeta) -> IngestResult:
    """Cross-check an extraction and build the snapshot, or explain why there is none."""
    issues = list(extraction.issues)
    first_seen: dict[str, Entry] = {}
    for entry in extraction.entries:
        if entry.troops > meta.max_troops:
            issues.append(error("implausible-figure", f"{entry.troops:,} troops for {entry.nation} is above the "
                                f"{meta.max_troops:,} a single contingent can plausibly have", entry.line))  # fmt: skip
            continue
        previous = first_seen.get(entry.nation)
        if previous is None:
            first_seen[entry.nation] = entry
        elif previous.troops != entry.troops:
            issues.append(
                error(
                    "conflicting-duplicate",
                    f"{entry.nation} is listed twice with different figures: {previous.troops:,} "
                    f"({_line_ref(previous.line)}) and {entry.troops:,}",
                    entry.line,
                )
            )
        else:
            issues.append(
                warning(
                    "duplicate",
                    f"{entry.nation} is listed twice with the same figure {entry.troops:,} "
                    f"(also {_line_ref(previous.line)}); counted once",
                    entry.line,
                )
            )
    if not first_seen and not any(issue.severity is Severity.ERROR for issue in issues):
        issues.append(error("no-contingents", "no national contingents were found in the report"))

    listed_total = sum(e.troops for e in first_seen.values())
    stated_total = extraction.stated_total or (
        Stated(meta.stated_total, None) if meta.stated_total is not None else None
    )
    stated_nations = extraction.stated_nations or (
        Stated(meta.stated_nations, None) if meta.stated_nations is not None else None
    )
    unattributed = extraction.unattributed or [Unattributed(troops, None) for troops in meta.unattributed]
    unattributed_sum = sum(u.troops for u in unattributed)
    if unattributed:
        explained = listed_total + unattributed_sum
        detail = f"{len(unattributed)} figure(s) with no nation: {unattributed_sum:,} troops"
        if stated_total is not None:
            detail += f"; listed {listed_total:,} + unattributed {unattributed_sum:,} = {explained:,} "
            detail += f"against a stated total of {stated_total.value:,}"
        issues.append(warning("unattributed", detail, unattributed[0].line))
    if stated_total is not None and first_seen and stated_total.value != listed_total + unattributed_sum:
        issues.append(
            warning(
                "total-mismatch",
                f"the report states a total of {stated_total.value:,} troops but its figures add "
                f"up to {listed_total + unattributed_sum:,} "
                f"(difference {listed_total + unattributed_sum - stated_total.value:+,})".replace("-", "−"),
                stated_total.line,
            )
        )
    if stated_nations is not None and first_seen and stated_nations.value != len(first_seen):
        issues.append(
            warning(
                "nation-count-mismatch",
                f"the report states {stated_nations.value} nations but lists {len(first_seen)}",
                stated_nations.line,
            )
        )

    if any(issue.severity is Severity.ERROR for issue in issues):
        return IngestResult(None, tuple(issues))
    basis: str | None
    if meta.coverage is not None:
        coverage, basis = meta.coverage, f"the source is described as {meta.coverage}"
    else:
        coverage, basis = infer_coverage(len(first_seen), listed_total, stated_total, stated_nations,
                                         bool(unattributed), extraction.partial_wording,
                                         extraction.from_prose)  # fmt: skip
    contingents = sorted(
        (Contingent(nation=e.nation, troops=e.troops, approx=e.approx) for e in first_seen.values()),
        key=lambda c: (-c.troops, c.nation),
    )
    snapshot = Snapshot(
        mission=meta.mission,
        as_of=meta.as_of,
        source=meta.source,
        coverage=coverage,
        stated_total=stated_total.value if stated_total else None,
        stated_total_approx=meta.stated_total_approx and stated_total is not None,
        stated_nations=stated_nations.value if stated_nations else None,
        contingents=tuple(contingents),
        unattributed=tuple(u.troops for u in unattributed),
        read_as=meta.read_as,
        transcribed=meta.transcribed,
        # Messages without line numbers: the same report in another format gives the same snapshot. On a
        # partial list a total or a count above what it lists is what makes it partial, said once by the
        # coverage line of every answer: not a warning besides.
        warnings=tuple(
            i.message
            for i in issues
            if i.severity is Severity.WARNING and not (coverage is Coverage.PARTIAL and i.code in _EXPLAINED_BY_PARTIAL)
        ),
    )
    return IngestResult(snapshot, tuple(issues), coverage_basis=basis)


#: Warnings a partial list explains by being partial.
_EXPLAINED_BY_PARTIAL = frozenset({"total-mismatch", "nation-count-mismatch"})


def infer_coverage(
    nations: int,
    listed_total: int,
    stated_total: Stated | None,
    stated_nations: Stated | None,
    unattributed: bool,
    wording: str | None = None,
    from_prose: bool = False,
) -> tuple[Coverage, str | None]:
    """The coverage the report itself gives, and why; ``(COMPLETE, None)`` when it says nothing of it.

    A report that lists fewer troops than its stated total, fewer nations than its stated count,
    figures without a nation, says it is a selection ("top 20"), or names its figures only in running
    text (a press paragraph names the nations it talks about, not the mission) is partial. A stated
    total its rows match is complete, whatever else it says. Listing *more* nations than stated (the February
    2025 report lists 29 and says 27) is a warning, not missing data.
    """
    if unattributed:
        return Coverage.PARTIAL, "it gives figures without a nation"
    if stated_total is not None and listed_total < stated_total.value:
        return Coverage.PARTIAL, f"it states {stated_total.value:,} troops and lists {listed_total:,}"
    if stated_nations is not None and nations < stated_nations.value:
        return Coverage.PARTIAL, f"it states {stated_nations.value} nations and lists {nations}"
    if stated_total is not None:
        return Coverage.COMPLETE, "its figures add up to its stated total"
    if wording is not None:
        return Coverage.PARTIAL, f"it says {wording!r}"
    if from_prose:
        return Coverage.PARTIAL, "it names its figures in running text, not in a list"
    if stated_nations is not None:
        return Coverage.COMPLETE, "it lists the nations it says it has"
    return Coverage.COMPLETE, None
