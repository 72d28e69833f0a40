"""Turn what a format parser read into a validated :class:`Snapshot`.

Every format (free text, CSV, JSON) produces the same :class:`Extraction`: the nation figures it
found with their line numbers, the totals the report states, and the issues met on the way.
The checks that do not depend on the format live here, once: duplicates, stated total against
listed sum, stated nation count against listed nations, an empty report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from bot.core.models import Contingent, Snapshot, Source
from bot.core.reports.issues import Issue, Severity, error, warning


class ReportMeta(BaseModel):
    """What a report does not say about itself: mission, as-of date and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mission: str = "KFOR"
    as_of: str | None = None
    source: Source


@dataclass(frozen=True, slots=True)
class Entry:
    """A figure for one nation as read from one line of a report."""

    nation: str
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
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """A snapshot when the report is usable, and every issue found either way."""

    snapshot: Snapshot | None
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return self.snapshot is not None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)


def _line_ref(line: int | None) -> str:
    return f"line {line}" if line is not None else "an earlier entry"


def assemble(extraction: Extraction, meta: ReportMeta) -> IngestResult:
    """Cross-check an extraction and build the snapshot, or explain why there is none."""
    issues = list(extraction.issues)
    first_seen: dict[str, Entry] = {}
    for entry in extraction.entries:
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
    stated_total = extraction.stated_total
    if stated_total is not None and first_seen and stated_total.value != listed_total:
        issues.append(
            warning(
                "total-mismatch",
                f"the report states a total of {stated_total.value:,} troops but its contingents add "
                f"up to {listed_total:,} (difference {listed_total - stated_total.value:+,})".replace("-", "−"),
                stated_total.line,
            )
        )
    stated_nations = extraction.stated_nations
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
    contingents = sorted(
        (Contingent(nation=e.nation, troops=e.troops) for e in first_seen.values()),
        key=lambda c: (-c.troops, c.nation),
    )
    snapshot = Snapshot(
        mission=meta.mission,
        as_of=meta.as_of,
        source=meta.source,
        stated_total=stated_total.value if stated_total else None,
        stated_nations=stated_nations.value if stated_nations else None,
        contingents=tuple(contingents),
        # Messages without line numbers: the same report in another format gives the same snapshot.
        warnings=tuple(i.message for i in issues if i.severity is Severity.WARNING),
    )
    return IngestResult(snapshot, tuple(issues))
