"""The nation registry: reference data, exact lookups for parsing, forgiving lookups for people."""

from __future__ import annotations

import json
import tomllib

import pycountry
import pytest

from bot.core.errors import NoContingentError, UnknownNationError
from bot.core.nations import NationRegistry, alpha2_to_flag, flag_to_alpha2, fold_letters, normalize_name
from bot.sources.datafiles import load_iso_countries
from tests.conftest import DATA

ISO = load_iso_countries(DATA)

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
    assert normalize_name("Hırvatistan") == normalize_name("Hirvatistan") == "hirvatistan"
    assert fold_letters("Mađarska, İtalya, Shqipëri") == "Madjarska, Italya, Shqiperi"


def test_conflicting_aliases_are_rejected() -> None:
    """Two nations may not share an alias: the registry refuses to build."""
    with pytest.raises(ValueError, match="names both"):
        NationRegistry.from_records(
            [
                {"name": "Italy", "alpha2": "IT", "aliases": ["X-land"]},
                {"name": "Spain", "alpha2": "ES", "aliases": ["X land"]},
            ],
            countries=ISO,
        )


# -- names in other languages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Italien", "Italy"), ("Türkei", "Turkey"), ("Allemagne", "Germany"), ("Stati Uniti", "United States"),
        ("Nemačka", "Germany"), ("SHBA", "United States"), ("Vereinigte Staaten", "United States"),
        ("États-Unis", "United States"), ("Almanya", "Germany"), ("Italija", "Italy"), ("İtalya", "Italy"),
        ("Paesi Bassi", "Netherlands"), ("Kuzey Makedonya", "North Macedonia"), ("Mal i Zi", "Montenegro"),
        ("Crna Gora", "Montenegro"), ("Royaume-Uni", "United Kingdom"), ("Birleşik Krallık", "United Kingdom"),
        ("Ujedinjeni Arapski Emirati", "United Arab Emirates"), ("Zvicër", "Switzerland"), ("Shqipëri", "Albania"),
    ],
)  # fmt: skip
def test_cldr_names_in_six_languages_resolve_exactly(registry: NationRegistry, query: str, expected: str) -> None:
    """German, French, Italian, Turkish, Serbian and Albanian names from CLDR name the right nation."""
    assert registry.exact(query).name == expected
    assert registry.resolve(query).name == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gjermania", "Germany"), ("Italije", "Italy"), ("Nemačke", "Germany"), ("SAD", "United States"),
        ("ABD", "United States"), ("Sjedinjene Američke Države", "United States"),
        ("Vereinigten Staaten", "United States"), ("Bundeswehr", "Germany"), ("İngiltere", "United Kingdom"),
    ],
)  # fmt: skip
def test_curated_press_forms_resolve_exactly(registry: NationRegistry, query: str, expected: str) -> None:
    """Press forms CLDR lacks (definite, genitive, abbreviations), curated in nations.toml, name the right nation."""
    assert registry.exact(query).name == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nemacka", "Germany"), ("Madjarska", "Hungary"), ("Hirvatistan", "Croatia"), ("Etats-Unis", "United States"),
        ("Turkei", "Turkey"), ("Italya", "Italy"), ("Shqiperi", "Albania"), ("Cekya", "Czech Republic"),
    ],
)  # fmt: skip
def test_localized_names_typed_without_diacritics_resolve(registry: NationRegistry, query: str, expected: str) -> None:
    """Names typed without č, đ, ı, ë or accents, as much of the region's online press writes them, still match."""
    assert registry.exact(query).name == expected


def test_every_cldr_name_names_its_own_nation(registry: NationRegistry) -> None:
    """No CLDR name collides: each of the 46 × 6 names in data/localized_names.json resolves to its own nation."""
    generated = json.loads((DATA / "localized_names.json").read_text(encoding="utf-8"))
    assert generated["languages"] == ["de", "fr", "it", "tr", "sr_Latn", "sq"]
    assert {nation.alpha2 for nation in registry} == set(generated["names"])
    for alpha2, by_language in generated["names"].items():
        assert set(by_language) == set(generated["languages"]), alpha2
        for name in by_language.values():
            assert registry.exact(name).alpha2 == alpha2, name
            assert registry.resolve(name).alpha2 == alpha2, name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Island", "Iceland"), ("Irland", "Ireland"), ("Irska", "Ireland"), ("Macaristan", "Hungary"),
        ("Macedonia del Nord", "North Macedonia"), ("Slovačka", "Slovakia"), ("Slovenija", "Slovenia"),
        ("Sllovaki", "Slovakia"), ("Slloveni", "Slovenia"), ("Lettonie", "Latvia"), ("Lituanie", "Lithuania"),
        ("Austri", "Austria"), ("Jordan", "Jordan"), ("Georgia", "Georgia"), ("Moldova", "Moldova"),
    ],
)  # fmt: skip
def test_look_alike_localized_names_stay_apart(registry: NationRegistry, query: str, expected: str) -> None:
    """Names one letter from another nation's ("Island"/"Irland", "Slovačka"/"Slovenija") resolve to their own."""
    assert registry.resolve(query).name == expected


def test_localized_names_are_input_only(registry: NationRegistry) -> None:
    """A nation found by its German name is still called by its canonical English name everywhere."""
    germany = registry.resolve("Deutschland")
    assert (germany.name, germany.label) == ("Germany", "🇩🇪 Germany")
    assert "Deutschland" in germany.local_names
    assert [n.name for n in registry.complete("Deutsch")] == ["Germany"]


def test_localized_typos_prefixes_and_suggestions(registry: NationRegistry) -> None:
    """Typos and prefixes of localized names resolve when no English name is close; ambiguity asks."""
    assert registry.resolve("Almnya").name == "Germany"
    assert registry.resolve("Njemačka").name == "Germany"  # Croatian, one letter from Serbian "Nemačka"
    assert registry.resolve("Gjerman").name == "Germany"
    with pytest.raises(UnknownNationError) as excinfo:
        registry.resolve("Vereinigte")
    assert set(excinfo.value.suggestions) == {"United Arab Emirates", "United States", "United Kingdom"}


def test_english_names_keep_precedence_over_localized_ones(registry: NationRegistry) -> None:
    """Every English typo, prefix, suggestion and autocomplete that had an answer keeps it with localized names."""
    records = tomllib.loads((DATA / "nations.toml").read_text(encoding="utf-8"))["nation"]
    english_only = NationRegistry.from_records(
        [{k: v for k, v in r.items() if k != "local_names"} for r in records], countries=ISO
    )

    def answer(reg: NationRegistry, query: str) -> str | None:
        try:
            return reg.resolve(query).name
        except UnknownNationError:
            return None

    queries = ["Germny", "Itlay", "hungray", "Slovnia", "Czech", "Norwy", "Mac", "Slov", "Aus", "Ice", "Brit",
               "Unted States", "Mol", "Mon", "Lat", "Ukr", "Narnia", "Austira", "Switz", "Turk", "Alb", "ge", "it",
               "Ger", "Can", "Fran", "Sp", "Rom", "Holand", "Belg"]  # fmt: skip
    for query in queries:
        if answer(english_only, query):  # where English finds a nation, localized names change nothing
            assert answer(registry, query) == answer(english_only, query), query
        if english_only.suggest(query):
            assert registry.suggest(query) == english_only.suggest(query), query
        english_list = [n.name for n in english_only.complete(query)]
        assert [n.name for n in registry.complete(query)][: len(english_list)] == english_list, query
    assert registry.resolve("Mac").name == "North Macedonia"  # though Turkish "Macaristan" (Hungary) starts so too
    assert [n.name for n in registry.complete("ge")] == ["Georgia", "Germany"]  # no localized look-alike added
    assert answer(english_only, "Holand") is None  # only where English finds none may a localized name answer
    assert answer(registry, "Holand") == "Netherlands"  # Albanian "Holandë", Serbian "Holandija"


def test_a_localized_name_that_names_another_nation_is_refused() -> None:
    """A localized name equal to another nation's name or alias stops the build, as a shared alias does."""
    with pytest.raises(ValueError, match="'Spanien' names both Spain and Italy"):
        NationRegistry.from_records(
            [{"name": "Italy", "alpha2": "IT"}, {"name": "Spain", "alpha2": "ES", "aliases": ["Spanien"]}],
            {"IT": ["Spanien"]},
            countries=ISO,
        )
    with pytest.raises(ValueError, match="names both"):
        NationRegistry.from_records(
            [{"name": "Italy", "alpha2": "IT", "local_names": ["Espagne"]}, {"name": "Spain", "alpha2": "ES"}],
            {"ES": ["Espagne"]},
            countries=ISO,
        )
    with pytest.raises(ValueError, match="FR, which no record names"):
        NationRegistry.from_records([{"name": "Italy", "alpha2": "IT"}], {"FR": ["Frankreich"]}, countries=ISO)


def test_short_localized_names_are_exact_only(registry: NationRegistry) -> None:
    """Turkish "Fas" (Morocco) and "SAD" match exactly, but three letters are never a prefix or a typo."""
    assert registry.exact("Fas").name == "Morocco"
    assert registry.exact("SAD").name == "United States"
    with pytest.raises(UnknownNationError):
        registry.resolve("Fa")
    with pytest.raises(UnknownNationError):
        registry.resolve("SAX")


def test_find_says_whether_a_name_was_corrected(registry: NationRegistry) -> None:
    """A typo or a prefix is a correction (the answer says so); a name, alias, code or flag is not."""
    assert (registry.find("Germny").nation.name, registry.find("Germny").corrected) == ("Germany", True)
    assert registry.find("Slovaki").corrected
    for exact in ("Germany", "germany", "DE", "DEU", "🇩🇪", "Deutschland", "Türkiye", "Czechia"):
        assert not registry.find(exact).corrected, exact


def test_a_real_country_without_troops_is_not_a_look_alike(registry: NationRegistry) -> None:
    """Serbia (by name, code or flag) has no contingent; Australia is not corrected to Austria."""
    for text in ("Serbia", "serbia", "RS", "SRB", "🇷🇸"):
        with pytest.raises(NoContingentError, match=r"^Serbia has no contingent in KFOR\.$"):
            registry.resolve(text)
    with pytest.raises(NoContingentError, match="Australia has no contingent"):
        registry.resolve("Australia")
    assert registry.resolve("Mac").name == "North Macedonia"  # lower-case letters are no ISO code (Macao's MAC)
    with pytest.raises(UnknownNationError) as unknown:
        registry.resolve("Atlantis")
    assert not isinstance(unknown.value, NoContingentError)


def test_names_nato_writes_today_are_shown_and_the_canonical_ones_kept(registry: NationRegistry) -> None:
    """Türkiye and Czechia are shown; "Turkey" and "Czech Republic" stay the keys and still find them."""
    turkey, czechia = registry.get("Turkey"), registry.get("Czech Republic")
    assert (turkey.shown, turkey.label) == ("Türkiye", "🇹🇷 Türkiye")
    assert (czechia.shown, czechia.label) == ("Czechia", "🇨🇿 Czechia")
    assert registry.resolve("Turkey") is registry.resolve("Türkiye") is turkey
    assert registry.resolve("Czech Republic") is registry.resolve("Czechia") is czechia
    assert registry.get("Germany").shown == "Germany"  # no display name: the canonical one


def test_short_names_for_phone_tables(registry: NationRegistry) -> None:
    """Names longer than 11 letters have a short form for narrow tables, and it is read as input too."""
    assert registry.get("United States").short_label == "🇺🇸 US"
    assert registry.get("North Macedonia").short_label == "🇲🇰 N. Macedonia"
    assert registry.get("Italy").short_label == "🇮🇹 Italy"
    assert registry.resolve("N. Macedonia").name == "North Macedonia"
    assert max(len(n.short or n.shown) for n in registry) <= 12


def test_kosovo_the_host_has_no_contingent(registry) -> None:
    """Kosovo is not in ISO 3166 (XK is user-assigned), yet it is a real country: no contingent, not 'unknown'."""
    from bot.core.errors import NoContingentError

    for name in ("Kosovo", "kosova", "🇽🇰", "XK"):
        with pytest.raises(NoContingentError, match="Kosovo has no contingent in KFOR"):
            registry.resolve(name)


def test_autocomplete_prefers_what_the_name_starts_with(registry: NationRegistry) -> None:
    """ "ita" offered the United Kingdom beside Italy (#20): a prefix match leaves out the look-alikes."""
    assert [n.name for n in registry.complete("ita")] == ["Italy"]
    assert [n.name for n in registry.complete("Germny")][:1] == ["Germany"]  # no prefix: close names still help
