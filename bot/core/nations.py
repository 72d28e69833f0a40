"""Nations: reference data and forgiving lookup by name, alias, ISO code, flag emoji or typo.

The curated table (``data/nations.toml``) holds what ISO does not: the canonical short name that
reports and the stored data use ("Turkey", "Czech Republic"), the name NATO writes today where it
differs ("Türkiye", "Czechia": what every answer shows), aliases, NATO and EU accession years. ISO
alpha-3 codes, flags and ISO's own names come from ISO 3166-1 as pycountry gives it (generated into
``data/iso_countries.json`` by ``scripts/iso_countries.py``), so codes are never typed by hand.

Names in other languages ("Italien", "Stati Uniti", "Nemačka", "SHBA") are input only: they find
the nation, and every answer still uses its canonical English name. They come from CLDR (generated
into ``data/localized_names.json`` by ``scripts/localized_names.py``) plus a few press forms CLDR
lacks, curated in nations.toml. English keys keep precedence: the forgiving lookups try the English
names, aliases and codes first and turn to localized names only when those give nothing, so an
English query resolves exactly as it would without them.

Two lookups serve two needs: :meth:`NationRegistry.exact` for report parsing, where a misspelt
nation must be an error rather than a guess, and :meth:`NationRegistry.resolve` for people, where
"Germny" should simply work (and say so: :meth:`NationRegistry.find` tells a correction from an exact
name) and "Slov" should ask "Slovakia or Slovenia?". A real country the registry does not list
("Serbia") is never "corrected" into a contributor that resembles it: it has no contingent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.errors import NoContingentError, UnknownNationError

if TYPE_CHECKING:
    from bot.core.nation_records import NationRecord

_REGIONAL_INDICATOR_A = 0x1F1E6
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a base letter and an accent, spelt as writers
# without the key spell them: Turkish dotless ı ("Hırvatistan" → "Hirvatistan"), Serbian đ
# ("Mađarska" → "Madjarska").
_UNDECOMPOSABLE = str.maketrans({"ı": "i", "đ": "dj", "Đ": "Dj"})
#: Similarity (0..1, Damerau-Levenshtein) above which a typo is taken as the nation it resembles.
TYPO_ACCEPT = 0.8
#: Similarity score (0..100, rapidfuzz ratio) a name must reach to be offered as a suggestion.
SUGGEST_MIN_SCORE = 55.0
#: Six languages' names make many more near misses ("Partners" is 59 % like the French "Argentine"):
#: a suggestion from them must be closer.
LOCALIZED_SUGGEST_MIN_SCORE = 70.0


def fold_letters(text: str) -> str:
    """Drop accents and spell the letters that have none to drop as plain-ASCII writers do; keep case.

    ``"Türkiye"`` → ``"Turkiye"``, ``"Mađarska"`` → ``"Madjarska"``, ``"İtalya"`` → ``"Italya"``:
    the press of the region is often typed without its diacritics.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_name(text: str) -> str:
    """Fold a nation name for comparison: case, accents, punctuation, '&' and a leading 'the'.

    ``"U.S."`` → ``"us"``, ``"Türkiye"`` → ``"turkiye"``, ``"The Netherlands"`` → ``"netherlands"``.
    """
    folded = fold_letters(text).casefold().replace("&", " and ").replace(".", "")
    folded = _NON_ALNUM.sub(" ", folded).strip()
    return folded.removeprefix("the ")


def flag_to_alpha2(text: str) -> str | None:
    """Decode a flag emoji (two regional indicator symbols) to its ISO alpha-2 code."""
    text = text.strip()
    if len(text) != 2:
        return None
    offsets = [ord(ch) - _REGIONAL_INDICATOR_A for ch in text]
    if all(0 <= offset < 26 for offset in offsets):
        return "".join(chr(ord("A") + offset) for offset in offsets)
    return None


#: Countries ISO 3166 does not list but people name: Kosovo (the user-assigned XK, 🇽🇰), KFOR's host.
_NON_ISO_COUNTRIES = {"kosovo": "Kosovo", "kosova": "Kosovo", "kosovë": "Kosovo", "xk": "Kosovo", "xkx": "Kosovo",
                      "🇽🇰": "Kosovo"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class IsoCountry:
    """One country of ISO 3166-1: its codes and ISO's names for it."""

    alpha2: str
    alpha3: str
    name: str
    common_name: str | None = None
    official_name: str | None = None

    @property
    def shown(self) -> str:
        """The name people use: ISO's common name where it has one ("Taiwan"), else its name."""
        return self.common_name or self.name


class IsoCountries:
    """ISO 3166-1's countries, found by alpha-2 or alpha-3 code or by any of their ISO names."""

    def __init__(self, countries: Iterable[IsoCountry]) -> None:
        self._by_alpha2: dict[str, IsoCountry] = {}
        self._by_code: dict[str, IsoCountry] = {}
        self._by_name: dict[str, IsoCountry] = {}
        for country in countries:
            self._by_alpha2[country.alpha2] = country
            self._by_code[country.alpha2] = self._by_code[country.alpha3] = country
            for name in (country.name, country.common_name, country.official_name):
                if name:
                    self._by_name[name.casefold()] = country

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, Any]]) -> IsoCountries:
        """From ``data/iso_countries.json``'s ``countries`` list."""
        return cls(IsoCountry(**entry) for entry in entries)

    def get(self, alpha2: str) -> IsoCountry | None:
        return self._by_alpha2.get(alpha2.upper())

    def find(self, text: str) -> str | None:
        """The common name of the country ``text`` names exactly (name, official name or code), if any."""
        text = text.strip()
        if text.casefold() in _NON_ISO_COUNTRIES:
            return _NON_ISO_COUNTRIES[text.casefold()]
        if not text or text.isdigit():  # numeric codes: nobody means a country by them here
            return None
        code = flag_to_alpha2(text) or (text if len(text) <= 3 else None)
        if code is not None:
            # Codes only in capitals ("RS", "SRB"): "Mac" is a start of Macedonia, not Macao's MAC.
            country = self._by_code.get(code) if code.isupper() and len(code) >= 2 else None
        else:
            country = self._by_name.get(text.casefold())
        return country.shown if country is not None else None

    def __len__(self) -> int:
        return len(self._by_alpha2)

    def __iter__(self) -> Iterator[IsoCountry]:
        return iter(self._by_alpha2.values())


_FLAG_EMOJI = re.compile("[\U0001f1e6-\U0001f1ff]{2}\\s?")


def strip_flags(text: str) -> str:
    """``text`` without flag emoji (and the space after one), for what cannot draw them: a code block
    shows them as two letters and breaks its columns, a chart's typeface as two empty boxes."""
    return _FLAG_EMOJI.sub("", text)


def alpha2_to_flag(alpha2: str) -> str:
    """The flag emoji of an ISO alpha-2 code (regional indicator pair)."""
    return "".join(chr(_REGIONAL_INDICATOR_A + ord(ch) - ord("A")) for ch in alpha2.upper())


@dataclass(frozen=True, slots=True)
class Nation:
    """One nation's reference data."""

    #: The canonical name: the key in snapshots, data files and the store ("Turkey").
    name: str
    alpha2: str
    alpha3: str
    iso_name: str
    flag: str
    #: The name shown in answers, as NATO writes it today ("Türkiye"); the canonical name when empty.
    display: str = ""
    #: A short form for tables that must fit a phone ("US", "N. Macedonia"); the shown name when empty.
    short: str = ""
    aliases: tuple[str, ...] = ()
    #: Names in other languages (CLDR, plus curated press forms): found in input, never shown.
    local_names: tuple[str, ...] = ()
    nato_since: int | None = None
    eu_since: int | None = None
    eu_left: int | None = None

    def is_nato(self, year: int | None = None) -> bool:
        """Whether the nation is a NATO member in ``year`` (now, when ``year`` is None)."""
        if self.nato_since is None:
            return False
        return year is None or self.nato_since <= year

    def is_eu(self, year: int | None = None) -> bool:
        """Whether the nation is an EU member in ``year`` (now, when ``year`` is None)."""
        if self.eu_since is None:
            return False
        if year is None:
            return self.eu_left is None
        return self.eu_since <= year and (self.eu_left is None or year < self.eu_left)

    def status(self, year: int | None = None) -> str:
        """``"NATO"`` or ``"partner"``, as KFOR itself groups its troop contributors."""
        return "NATO" if self.is_nato(year) else "partner"

    @property
    def shown(self) -> str:
        """The name answers show: NATO's current spelling ("Türkiye", "Czechia")."""
        return self.display or self.name

    @property
    def label(self) -> str:
        """Flag and name, as shown in briefings."""
        return f"{self.flag} {self.shown}"

    @property
    def short_label(self) -> str:
        """Flag and short name, for the narrow tables of a phone ("🇺🇸 US")."""
        return f"{self.flag} {self.short or self.shown}"


@dataclass(frozen=True, slots=True)
class NationMatch:
    """What :meth:`NationRegistry.find` made of a person's text: the nation, and whether it was a guess."""

    nation: Nation
    query: str
    #: True when the text was completed or a typo corrected ("Germny" → Germany), not named exactly.
    corrected: bool = False


@dataclass(slots=True)
class NationRegistry:
    """All known nations with an index of every way to name them."""

    nations: tuple[Nation, ...]
    #: The mission these nations contribute to: what a real country missing from them has no contingent in.
    mission: str = "the mission"
    #: Every ISO country, to tell a real country that sends no troops ("Serbia") from a typo.
    countries: IsoCountries = field(default_factory=lambda: IsoCountries(()), repr=False)
    _by_key: dict[str, Nation] = field(default_factory=dict, repr=False)
    _by_name: dict[str, Nation] = field(default_factory=dict, repr=False)
    #: The two tiers of the forgiving lookups, as (keys for prefixes, keys for typos), sorted:
    #: English names, aliases and codes first; then every key, localized names included.
    _tiers: tuple[tuple[list[str], list[str]], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for nation in self.nations:
            self._by_name[nation.name] = nation
            names = {nation.name, nation.shown, nation.short or nation.name, nation.iso_name, *nation.aliases,
                     nation.alpha2, nation.alpha3}  # fmt: skip
            self._index(nation, names)
        english = sorted(self._by_key)
        # Localized names after every English key, so that one naming another nation's English key
        # is refused below instead of silently taking it over.
        for nation in self.nations:
            self._index(nation, set(nation.local_names))
        every = sorted(self._by_key)
        # Codes (2-3 letters) are matched exactly only: "IT" one typo away from "IE" is no match.
        self._tiers = (
            (english, [key for key in english if len(key) > 3]),
            (every, [key for key in every if len(key) > 3]),
        )

    def _index(self, nation: Nation, names: Iterable[str]) -> None:
        """Make each name a key for ``nation``; a key that already names another nation is a data error."""
        for name in names:
            key = normalize_name(name)
            other = self._by_key.get(key)
            if other is not None and other is not nation:
                raise ValueError(f"{name!r} names both {other.name} and {nation.name}")
            self._by_key[key] = nation

    @classmethod
    def from_records(
        cls, records: Iterable[NationRecord | Mapping[str, Any]], localized: Mapping[str, Iterable[str]] | None = None,
        mission: str = "the mission", *, countries: IsoCountries,
    ) -> NationRegistry:  # fmt: skip
        """Build the registry from curated records (the ``[[nation]]`` tables of nations.toml, validated).

        ``countries`` is ISO 3166-1 (``data/iso_countries.json``): each record's alpha-2 code must be in it.
        ``localized`` maps an alpha-2 code to the nation's names in other languages, as CLDR gives
        them (``data/localized_names.json``); a record's own ``local_names`` add the press forms
        CLDR lacks.
        """
        localized = dict(localized or {})
        nations = []
        from bot.core.nation_records import NationRecord  # the file's schema: built only where records are read

        for given in records:
            record = given if isinstance(given, NationRecord) else NationRecord.model_validate(given)
            country = countries.get(record.alpha2)
            if country is None:
                raise ValueError(f"{record.name!r}: {record.alpha2!r} is not an ISO 3166 alpha-2 code")
            iso_names = {country.name, country.common_name, country.official_name}
            aliases = tuple(dict.fromkeys([*record.aliases, *sorted(n for n in iso_names if n)]))
            local_names = tuple(dict.fromkeys([*record.local_names, *localized.pop(record.alpha2, ())]))
            nation = Nation(name=record.name, alpha2=record.alpha2, alpha3=country.alpha3, iso_name=country.name,
                            flag=alpha2_to_flag(record.alpha2), display=record.display, short=record.short,
                            aliases=aliases, local_names=local_names, nato_since=record.nato, eu_since=record.eu,
                            eu_left=record.eu_left)  # fmt: skip
            nations.append(nation)
        if localized:
            raise ValueError(f"localized names for {', '.join(sorted(localized))}, which no record names")
        return cls(tuple(sorted(nations, key=lambda n: n.name)), mission, countries)

    def __iter__(self) -> Iterator[Nation]:
        return iter(self.nations)

    def __len__(self) -> int:
        return len(self.nations)

    def get(self, name: str) -> Nation:
        """The nation with this canonical name (a name already resolved elsewhere)."""
        return self._by_name[name]

    def exact(self, text: str) -> Nation | None:
        """The nation this text names exactly (any case, accents, punctuation, any language), or None."""
        alpha2 = flag_to_alpha2(text)
        if alpha2 is not None:
            text = alpha2
        return self._by_key.get(normalize_name(text))

    def resolve(self, text: str) -> Nation:
        """The nation a person meant: exact name, alias, code, flag, unique prefix or small typo."""
        return self.find(text).nation

    def find(self, text: str) -> NationMatch:
        """Like :meth:`resolve`, and says whether the text was corrected (a prefix or a typo).

        Prefixes and typos are tried on the English keys first and on all keys (localized names
        too) only when those give nothing. A real country that is not among these nations raises
        :class:`NoContingentError` (exactly that, not a look-alike contributor); anything else
        unknown raises :class:`UnknownNationError` with the closest names.
        """
        nation = self.exact(text)
        if nation is not None:
            return NationMatch(nation, text)
        country = self.countries.find(text)
        if country is not None:
            raise NoContingentError(text, country, self.mission)
        query = normalize_name(text)
        if not query:
            raise UnknownNationError(text)
        for prefix_keys, fuzzy_keys in self._tiers:
            nation = self._forgive(query, prefix_keys, fuzzy_keys)
            if nation is not None:
                return NationMatch(nation, text, corrected=True)
        raise UnknownNationError(text, tuple(self.get(name).shown for name in self.suggest(text)))

    def _forgive(self, query: str, prefix_keys: list[str], fuzzy_keys: list[str]) -> Nation | None:
        """The one nation that ``query`` starts or misspells among these keys, or None."""
        if len(query) >= 3:
            prefixed = {self._by_key[key].name for key in prefix_keys if key.startswith(query)}
            if len(prefixed) == 1:
                return self._by_name[prefixed.pop()]
        if len(query) >= 4:
            from rapidfuzz.distance import DamerauLevenshtein  # only for a misspelling: 10 ms off every start

            scored: dict[str, float] = {}
            for key in fuzzy_keys:
                score = DamerauLevenshtein.normalized_similarity(query, key)
                name = self._by_key[key].name
                scored[name] = max(score, scored.get(name, 0.0))
            ranked = sorted(scored.items(), key=lambda item: -item[1])
            best_name, best = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if best >= TYPO_ACCEPT and best - runner_up >= 0.05:
                return self._by_name[best_name]
        return None

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Up to ``limit`` canonical names closest to ``text``, best first (English keys first)."""
        query = normalize_name(text)
        for tier, min_score in zip(self._tiers, (SUGGEST_MIN_SCORE, LOCALIZED_SUGGEST_MIN_SCORE), strict=False):
            names = self._suggestions(query, tier, limit, min_score)
            if names:
                return names
        return ()

    def _suggestions(self, query: str, tier: tuple[list[str], list[str]], limit: int, min_score: float
                     ) -> tuple[str, ...]:  # fmt: skip
        """Nations whose keys in this tier start with ``query``, then those close to it (rapidfuzz)."""
        if not query:
            return ()
        from rapidfuzz import fuzz, process  # only for an unknown name: 10 ms off every start

        prefix_keys, fuzzy_keys = tier
        names: dict[str, None] = {}
        for key in prefix_keys:
            if len(query) >= 3 and key.startswith(query):
                names.setdefault(self._by_key[key].name)
        matches = process.extract(query, fuzzy_keys, scorer=fuzz.ratio, limit=limit * 4)
        for key, score, _ in matches:
            if score >= min_score:
                names.setdefault(self._by_key[key].name)
        return tuple(names)[:limit]

    def complete(self, text: str, limit: int = 25) -> list[Nation]:
        """Nations for an autocomplete list: English prefix matches (else close names), then localized ones.

        Localized prefix matches come after everything English ("Deutsch" → Germany), and close
        localized names only when nothing else matched, so that English input lists as it always did.
        """
        query = normalize_name(text)
        if not query:
            return list(self.nations[:limit])
        english, every = self._tiers
        names: dict[str, None] = {}
        for key in english[0]:
            if key.startswith(query):
                names.setdefault(self._by_key[key].name)
        if not names:  # a prefix is what a typing person means: "ita" is Italy, not also the United Kingdom
            names.update(dict.fromkeys(self._suggestions(query, english, limit, SUGGEST_MIN_SCORE)))
        for key in every[0]:
            if key.startswith(query):
                names.setdefault(self._by_key[key].name)
        if not names:
            names.update(dict.fromkeys(self._suggestions(query, every, limit, LOCALIZED_SUGGEST_MIN_SCORE)))
        return [self._by_name[name] for name in names][:limit]
