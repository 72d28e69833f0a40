"""Records validated by pydantic from JSON and TOML: every problem named with its place, nothing coerced silently."""

from __future__ import annotations

import json

import pytest

from bot.core.models import Contingent, Coverage, Snapshot, Source
from bot.core.reports import ReportMeta
from bot.core.validation import InvalidRecord


def test_a_stored_snapshot_reads_back_equal_and_writes_back_byte_for_byte(seed_snapshot: Snapshot) -> None:
    text = seed_snapshot.to_json()
    again = Snapshot.from_json(text)
    assert again == seed_snapshot and again.to_json() == text
    assert again.coverage is Coverage.COMPLETE and isinstance(again.contingents, tuple)


def test_every_problem_of_a_document_is_named_with_its_place(seed_snapshot: Snapshot) -> None:
    data = json.loads(seed_snapshot.to_json())
    data["contingents"][0]["troops"] = -1
    data["contingents"][1]["troops"] = True  # JSON's true is no troop figure
    data["contingents"][2]["flag"] = "🇩🇪"
    data["source"].pop("publisher")
    data["coverage"] = "most"
    data["unattributed"] = [120, "many"]
    with pytest.raises(InvalidRecord) as caught:
        Snapshot.from_data(data)
    problems = caught.value.problems
    assert "contingents.0.troops: must be ≥ 0, not -1" in problems
    assert any(p.startswith("contingents.1.troops: must be a whole number") for p in problems)
    assert "contingents.2.flag: unknown key" in problems
    assert "source.publisher: missing" in problems
    assert any(p.startswith("coverage:") and "'most'" in p for p in problems)
    assert any(p.startswith("unattributed.1:") for p in problems)


def test_a_records_own_rules_hold_however_it_is_made(seed_snapshot: Snapshot) -> None:
    with pytest.raises(ValueError, match=r"(?s)as_of.*must be YYYY-MM or YYYY-MM-DD"):
        Snapshot(mission="KFOR", as_of="2025-13", source=seed_snapshot.source, contingents=())
    with pytest.raises(ValueError, match="'Italy' is listed twice"):
        Snapshot(mission="KFOR", source=seed_snapshot.source,
                 contingents=[Contingent(nation="Italy", troops=1), Contingent(nation="Italy", troops=2)])  # fmt: skip
    with pytest.raises(ValueError, match=r"(?s)id.*must be lower-case"):
        Source(id="Has Spaces", title="t", publisher="p")
    with pytest.raises(ValueError, match="troops"):
        Contingent(nation="Italy", troops=-5)


def test_a_list_given_for_a_sequence_is_kept_as_a_tuple(seed_snapshot: Snapshot) -> None:
    """Snapshots are hashable and compare equal however their figures were handed over."""
    listed = Snapshot(mission="KFOR", source=seed_snapshot.source, contingents=list(seed_snapshot.contingents),
                      as_of=seed_snapshot.as_of, coverage="complete")  # fmt: skip
    assert listed.contingents == seed_snapshot.contingents and hash(listed)
    assert listed.coverage is Coverage.COMPLETE


def test_report_meta_from_toml_names_wrong_and_unknown_keys() -> None:
    meta = ReportMeta.from_data({"as_of": "2024-01", "coverage": "partial", "unattributed": [40, 60],
                                 "source": {"title": "Placemat", "publisher": "NATO"}})  # fmt: skip
    assert (meta.coverage, meta.unattributed, meta.mission) == (Coverage.PARTIAL, (40, 60), "KFOR")
    with pytest.raises(InvalidRecord) as caught:
        ReportMeta.from_data({"stated_total": "4,686", "sauce": 1, "source": {"title": "t"}})
    assert set(caught.value.problems) == {
        "stated_total: must be a whole number, not '4,686'",
        "sauce: unknown key; did you mean source?",
        "source.publisher: missing",
    }


def test_what_is_not_an_object_is_one_problem_not_one_per_field(seed_snapshot: Snapshot) -> None:
    data = json.loads(seed_snapshot.to_json())
    data["contingents"][0] = ["Italy", 1258]
    del data["source"]
    with pytest.raises(InvalidRecord) as caught:
        Snapshot.from_data(data)
    assert caught.value.problems == [
        "source: missing",
        "contingents.0: must be a table of keys and values, not ['Italy', 1258]",
    ]
    with pytest.raises(InvalidRecord) as caught:
        Snapshot.from_data([1, 2])
    assert caught.value.problems == ["must be a table of keys and values, not [1, 2]"]


def test_a_later_format_version_is_refused_not_misread(seed_snapshot: Snapshot) -> None:
    data = json.loads(seed_snapshot.to_json())
    data["version"] = 2
    with pytest.raises(InvalidRecord, match="version: this kfor-bot reads version 1, not 2"):
        Snapshot.from_data(data)
