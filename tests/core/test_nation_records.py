"""data/nations.toml's records: every key known, every value of its type, names and codes unique."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.nation_records import ISO_CODES, NationRecord, NationsFile
from bot.core.validation import lines_of


def _problems(table: dict, codes: set[str] | None = None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        NationsFile.model_validate(table, context={ISO_CODES: codes} if codes is not None else None)
    return lines_of(caught.value, NationsFile)


def test_a_record_as_a_person_types_it_is_read_with_its_code_in_capitals() -> None:
    record = NationRecord.model_validate(
        {"name": "Albania", "alpha2": "al", "nato": 2009, "local_names": ["Shqipëria"]}
    )
    assert (record.alpha2, record.nato, record.eu, record.local_names) == ("AL", 2009, None, ("Shqipëria",))


def test_a_code_outside_iso_3166_is_refused_only_when_the_codes_are_known() -> None:
    assert _problems({"nation": [{"name": "Narnia", "alpha2": "XX"}]}, {"AL"}) == [
        "nation.0.alpha2: 'XX' is not an ISO 3166-1 alpha-2 code"
    ]
    assert _problems({"nation": [{"name": "Narnia", "alpha2": "X1"}]}) == [
        "nation.0.alpha2: must be a two-letter ISO 3166-1 alpha-2 code, not 'X1'"
    ]


def test_a_year_is_a_whole_number_of_the_alliances_lifetime() -> None:
    assert _problems({"nation": [{"name": "Albania", "alpha2": "AL", "nato": 209}]}) == [
        "nation.0.nato: must be ≥ 1945, not 209"
    ]
    assert _problems({"nation": [{"name": "Albania", "alpha2": "AL", "nato": True}]}) == [
        "nation.0.nato: must be a whole number, not True"
    ]


def test_an_empty_file_is_not_a_registry_of_no_nations() -> None:
    assert _problems({"mission": "KFOR"}) == ["nation: missing"]
    assert _problems({"nation": []}) == ["nation: must list at least one [[nation]]"]
