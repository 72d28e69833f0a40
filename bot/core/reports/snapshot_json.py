"""The project's own JSON snapshot format, read back with the same checks as any report.

The stored ``warnings`` are recomputed rather than trusted, and nation names are resolved to
their canonical form, so a hand-edited file with "Türkiye" or a wrong total is caught.
"""

from __future__ import annotations

import json

from bot.core.models import Snapshot
from bot.core.nations import NationRegistry
from bot.core.reports.assembly import Entry, Extraction, ReportMeta, Stated, Unattributed
from bot.core.reports.issues import error
from bot.core.validation import InvalidRecord


def _line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle``, so JSON errors can name a line too."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def read_snapshot_json(text: str, registry: NationRegistry) -> tuple[Extraction, ReportMeta | None]:
    """Read a JSON snapshot; the meta it carries replaces any meta given from outside."""
    result = Extraction()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        result.issues.append(error("bad-json", f"not valid JSON: {exc.msg}", exc.lineno))
        return result, None
    except RecursionError:  # thousands of nested brackets: the decoder gives up, and so do we, in one line
        result.issues.append(error("bad-json", "not a snapshot: nested too deeply"))
        return result, None
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "warnings"}
    try:
        snapshot = Snapshot.from_data(data)
    except InvalidRecord as exc:
        for problem in exc.problems:
            result.issues.append(error("bad-snapshot", problem))
        return result, None
    for contingent in snapshot.contingents:
        line = _line_of(text, json.dumps(contingent.nation)[1:-1])
        nation = registry.exact(contingent.nation)
        if nation is None:
            result.issues.append(
                error(
                    "unknown-nation",
                    f"unknown nation {contingent.nation!r}",
                    line,
                    registry.suggest(contingent.nation),
                )
            )
            continue
        result.entries.append(Entry(nation.name, contingent.troops, line, contingent.approx))
    if snapshot.stated_total is not None:
        result.stated_total = Stated(snapshot.stated_total, _line_of(text, '"stated_total"'))
    if snapshot.stated_nations is not None:
        result.stated_nations = Stated(snapshot.stated_nations, _line_of(text, '"stated_nations"'))
    result.unattributed = [Unattributed(troops, _line_of(text, '"unattributed"')) for troops in snapshot.unattributed]
    meta = ReportMeta(mission=snapshot.mission, as_of=snapshot.as_of, source=snapshot.source, read_as=snapshot.read_as,
                      coverage=snapshot.coverage, stated_total_approx=snapshot.stated_total_approx,
                      transcribed=snapshot.transcribed)  # fmt: skip
    return result, meta
