"""The JSON snapshot format: round trip, canonical names, and errors for broken files."""

from __future__ import annotations

import json

from bot.core.models import Source
from bot.core.nations import NationRegistry
from bot.core.reports import ReportFormat, ReportMeta, ingest_report

META = ReportMeta(source=Source(title="ignored", publisher="ignored"))


def test_json_round_trip(seed_snapshot, registry: NationRegistry) -> None:
    """A snapshot's JSON reads back to the same snapshot, with its own meta."""
    result = ingest_report(seed_snapshot.to_json(), META, registry, fmt=ReportFormat.JSON)
    assert result.snapshot == seed_snapshot


def test_json_names_are_canonicalised_and_warnings_recomputed(seed_snapshot, registry: NationRegistry) -> None:
    """'Türkiye' becomes 'Turkey'; a stale warning list in the file is replaced by fresh checks."""
    data = json.loads(seed_snapshot.to_json())
    data["contingents"][3]["nation"] = "Türkiye"
    data["warnings"] = ["stale"]
    result = ingest_report(json.dumps(data), META, registry, fmt=ReportFormat.JSON)
    assert result.snapshot.troops_by_nation["Turkey"] == 325
    assert result.snapshot.warnings == ("the report states 27 nations but lists 29",)


def test_json_errors_name_the_line_or_field(seed_snapshot, registry: NationRegistry) -> None:
    """Syntax errors give a line; schema errors give the field; unknown nations the line they are on."""
    broken = ingest_report('{\n  "mission": "KFOR",\n  oops\n}', META, registry, fmt=ReportFormat.JSON)
    assert broken.errors[0].code == "bad-json"
    assert broken.errors[0].line == 3

    data = json.loads(seed_snapshot.to_json())
    data["contingents"][0]["troops"] = -1
    negative = ingest_report(json.dumps(data), META, registry, fmt=ReportFormat.JSON)
    assert "contingents.0.troops" in negative.errors[0].message

    data = json.loads(seed_snapshot.to_json())
    data["contingents"][1]["nation"] = "Atlantis"
    text = json.dumps(data, indent=2)
    unknown = ingest_report(text, META, registry, fmt=ReportFormat.JSON)
    (issue,) = unknown.errors
    assert issue.code == "unknown-nation"
    assert text.splitlines()[issue.line - 1].strip() == '"nation": "Atlantis",'


def test_json_nested_too_deeply_is_one_error(registry: NationRegistry) -> None:
    """The decoder's RecursionError was a traceback out of ingest and check; it is a report error like bad JSON."""
    result = ingest_report("[" * 100_000 + "]" * 100_000, META, registry, fmt=ReportFormat.JSON)
    (issue,) = result.errors
    assert (issue.code, issue.message) == ("bad-json", "not a snapshot: nested too deeply")
