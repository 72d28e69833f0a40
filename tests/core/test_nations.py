"""The nation registry: reference data, exact lookups for parsing, forgiving lookups for people."""

from __future__ import annotations

import pycountry
import pytest

from bot.core.errors import UnknownNationError
from bot.core.nations import NationRegistry, alpha2_to_flag, flag_to_alpha2, normalize_name

HISTORICAL_CONTRIBUTORS = [
    "Norway", "Netherlands", "Belgium", "Luxembourg", "Spain", "Estonia", "Ukraine", "Morocco", "Russia",
    "Azerbaijan", "Georgia", "Mongolia", "Argentina", "Jordan", "United Arab Emirates", "Slovakia", "Iceland",
]  # fmt: skip


def test_every_seed_nation_and_historical_contributor_is_known(registry: NationRegistry) -> None:
    """Every nation named in the seed and the historical KFOR contributors resolve exactly."""
    from tests.conftest import SEED_FIGURES

    for name in [*SEED_FIGURES, *HISTORICAL_CONTRIBUTORS]:
        nation = registry.exact(name)
        assert nation is not None, name
        assert nation.name == name


def test_iso_codes_and_flags_come_from_pycountry(registry: NationRegistry) -> None:
    """Alpha-3 codes and flags match pycountry for every nation (no hand-typed codes)."""
    for nation in registry:
        country = pycountry.countries.get(alpha_2=nation.alpha2)
        assert nation.alpha3 == country.alpha_3
        assert nation.flag == country.flag


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Türkiye", "Turkey"), ("turkiye", "Turkey"), ("Czechia", "Czech Republic"), ("US", "United States"),
        ("U.S.", "United States"), ("USA", "United States"), ("America", "United States"),
        ("united states of america", "United States"), ("UK", "United Kingdom"), ("Britain", "United Kingdom"),
        ("Great Britain", "United Kingdom"), ("Macedonia", "North Macedonia"), ("FYROM", "North Macedonia"),
        ("Moldova, Republic of", "Moldova"), ("the Netherlands", "Netherlands"), ("DEU", "Germany"),
        ("de", "Germany"), ("🇮🇹", "Italy"), ("Russian Federation", "Russia"),
    ],
)  # fmt: skip
def test_aliases_codes_and_flags_resolve_exactly(registry: NationRegistry, query: str, expected: str) -> None:
    """Aliases, ISO codes (any case), flags and ISO's formal names all name the right nation."""
    assert registry.exact(query).name == expected
    assert registry.resolve(query).name == expected


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Germny", "Germany"),
        ("Itlay", "Italy"),
        ("Swtzerland", "Switzerland"),
        ("hungray", "Hungary"),
        ("Slovnia", "Slovenia"),
        ("Czech", "Czech Republic"),
        ("Norwy", "Norway"),
    ],
)
def test_resolve_forgives_small_typos_and_unique_prefixes(registry: NationRegistry, typo: str, expected: str) -> None:
    """People's typos resolve; the exact lookup used for reports does not guess."""
    assert registry.resolve(typo).name == expected
    assert registry.exact(typo) is None


def test_ambiguous_or_unknown_names_raise_with_suggestions(registry: NationRegistry) -> None:
    """'Slov' could be two nations: the error names both instead of guessing."""
    with pytest.raises(UnknownNationError) as excinfo:
        registry.resolve("Slov")
    assert set(excinfo.value.suggestions) == {"Slovakia", "Slovenia"}
    assert "Slovakia" in str(excinfo.value)
    with pytest.raises(UnknownNationError) as excinfo:
        registry.resolve("Narnia")
    assert excinfo.value.query == "Narnia"


def test_two_letter_codes_are_never_fuzzy(registry: NationRegistry) -> None:
    """'XX' is no nation, even though it is one letter from several codes."""
    with pytest.raises(UnknownNationError):
        registry.resolve("XX")


def test_membership_depends_on_the_year(registry: NationRegistry) -> None:
    """Finland is a partner before 2023 and NATO after; the UK left the EU in 2020."""
    finland = registry.get("Finland")
    assert finland.status(2022) == "partner"
    assert finland.status(2025) == "NATO"
    uk = registry.get("United Kingdom")
    assert uk.is_eu(2019)
    assert not uk.is_eu(2021)
    assert not uk.is_eu()
    assert registry.get("Switzerland").status() == "partner"


def test_complete_lists_prefix_matches_first(registry: NationRegistry) -> None:
    """Autocomplete for 'ge' offers Germany and Georgia before anything else."""
    names = [n.name for n in registry.complete("ge")]
    assert set(names[:2]) == {"Georgia", "Germany"}
    assert len(registry.complete("", limit=25)) == 25


def test_helpers_round_trip_flags_and_fold_names() -> None:
    """Flags encode and decode; names fold case, accents, dots and '&'."""
    assert flag_to_alpha2(alpha2_to_flag("MK")) == "MK"
    assert flag_to_alpha2("ab") is None
    assert normalize_name("  Bosnia & Herzegovina ") == "bosnia and herzegovina"
    assert normalize_name("U.S.A.") == "usa"


def test_conflicting_aliases_are_rejected() -> None:
    """Two nations may not share an alias: the registry refuses to build."""
    with pytest.raises(ValueError, match="names both"):
        NationRegistry.from_records(
            [
                {"name": "Italy", "alpha2": "IT", "aliases": ["X-land"]},
                {"name": "Spain", "alpha2": "ES", "aliases": ["X land"]},
            ]
        )
