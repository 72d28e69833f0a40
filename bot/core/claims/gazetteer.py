"""Which nation a sentence is about: the registry's names in every language, and the adjectives the press
uses instead ("German troops", "soldati italiani", "les militaires français", "die Bundeswehr").

The registry (:class:`~bot.core.nations.NationRegistry`) already knows each nation's names, aliases and
localized names (CLDR and press forms such as "Bundeswehr" and "Swisscoy"). What it lacks are adjectives,
which news writes more often than names: they are curated here for the contributors the press writes about.
Codes are matched only as the press writes them, in capitals ("US", "U.S.", "UK"): "it" and "de" are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.nations import NationRegistry, normalize_name

#: Adjectives and other forms by canonical name, as regular expressions over words (English, German,
#: Italian, French). Stems take any ending: "deutsch" finds "deutsche", "deutschen", "deutscher".
DEMONYMS: dict[str, str] = {
    "Albania": r"albanian|albanisch\w*|albanes[ei]|albanais\w*",
    "Austria": r"austrian|österreichisch\w*|austriac[oih]\w*|autrichien\w*",
    "Bulgaria": r"bulgarian|bulgarisch\w*|bulgar[oi]|bulgares?",
    "Canada": r"canadian|kanadisch\w*|canades[ei]|canadien\w*",
    "Croatia": r"croatian|kroatisch\w*|croat[oi]|croates?",
    "Czech Republic": r"czech|tschechisch\w*|cec[oh]\w*|tchèques?",
    "Denmark": r"danish|dänisch\w*|danes[ei]|danois\w*",
    "Finland": r"finnish|finnisch\w*|finlandes[ei]|finlandais\w*",
    "France": r"french|französisch\w*|frances[ei]|français\w*|francais\w*",
    "Germany": r"german|deutsch\w*|tedesc\w+|allemand\w*|bundestag\w*",
    "Greece": r"greek|griechisch\w*|grec[oi]|greci|grecs?|grecques?",
    "Hungary": r"hungarian|ungarisch\w*|ungheres[ei]|hongrois\w*",
    "Ireland": r"irish|irisch\w*|irlandes[ei]|irlandais\w*",
    "Italy": r"italian|italienisch\w*|italian[oi]|italien\w*",
    "Latvia": r"latvian|lettisch\w*|letton[ei]|lettons?",
    "Lithuania": r"lithuanian|litauisch\w*|lituan[oi]|lituaniens?",
    "Moldova": r"moldovan|moldauisch\w*|moldav[oi]|moldaves?",
    "Montenegro": r"montenegrin|montenegrinisch\w*|montenegrin[oi]|monténégrins?",
    "Netherlands": r"dutch|niederländisch\w*|olandes[ei]|néerlandais\w*",
    "North Macedonia": r"macedonian|mazedonisch\w*|macedon[ei]|macédoniens?",
    "Norway": r"norwegian|norwegisch\w*|norveges[ei]|norvégiens?",
    "Poland": r"polish|polnisch\w*|polacc[oh]i?|polonais\w*",
    "Portugal": r"portuguese|portugiesisch\w*|portoghes[ei]|portugais\w*",
    "Romania": r"romanian|rumänisch\w*|romen[oi]|roumain\w*",
    "Slovakia": r"slovak|slowakisch\w*|slovacc[oh]i?|slovaques?",
    "Slovenia": r"slovenian|slowenisch\w*|sloven[oi]|slovènes?",
    "Spain": r"spanish|spanisch\w*|spagnol[oi]|espagnol\w*",
    "Sweden": r"swedish|schwedisch\w*|svedes[ei]|suédois\w*",
    "Switzerland": r"swiss|schweizer\w*|svizzer[oi]|suisses?",
    "Turkey": r"turkish|türkisch\w*|turc[hi]i?|turcs?|turques?",
    "United Kingdom": r"british|britisch\w*|britannic[oih]\w*|britanniques?",
    "United States": r"american|amerikanisch\w*|statunitens[ei]|américain\w*|us-amerikanisch\w*",
}
#: Codes the press writes for a nation, matched in capitals only.
ACRONYMS: dict[str, str] = {
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
}


@dataclass(slots=True)
class Gazetteer:
    """Finds the nations a sentence names, by name in any language, adjective or capitalised code."""

    registry: NationRegistry
    _pattern: re.Pattern[str] = field(init=False, repr=False)
    _acronyms: re.Pattern[str] = field(init=False, repr=False)
    _by_key: dict[str, str] = field(init=False, repr=False)
    _demonyms: list[tuple[re.Pattern[str], str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {}
        for nation in self.registry:
            names = {nation.name, nation.shown, nation.iso_name, *nation.aliases, *nation.local_names}
            for name in names:
                key = normalize_name(name)
                if len(key) >= 4:  # codes and two-letter words are matched as capitals below, if at all
                    self._by_key.setdefault(key, nation.name)
        words = sorted((re.escape(key).replace(r"\ ", r"[\s\-]+") for key in self._by_key), key=len, reverse=True)
        self._pattern = re.compile(rf"(?<![\w])(?:the\s+)?({'|'.join(words)})(?![\w])", re.IGNORECASE)
        codes = sorted(ACRONYMS, key=len, reverse=True)
        self._acronyms = re.compile(rf"(?<![\w.])({'|'.join(re.escape(c) for c in codes)})(?![\w])")
        known = {nation.name for nation in self.registry}
        self._demonyms = [
            (re.compile(rf"(?<![\w])(?:{stems})(?![\w])", re.IGNORECASE), name)
            for name, stems in DEMONYMS.items()
            if name in known
        ]

    def nations_in(self, text: str) -> list[str]:
        """The canonical names of the nations ``text`` names, in order of first mention, each once."""
        found: list[tuple[int, str]] = []
        folded = _fold(text)
        for match in self._pattern.finditer(folded):
            name = self._by_key.get(normalize_name(match.group(1)))
            if name is not None:
                found.append((match.start(), name))
        found += [(m.start(), ACRONYMS[m.group(1)]) for m in self._acronyms.finditer(text)]
        for pattern, name in self._demonyms:
            found += [(m.start(), name) for m in pattern.finditer(text)]
        return list(dict.fromkeys(name for _, name in sorted(found)))


def _fold(text: str) -> str:
    """Accents dropped, length kept, so that positions in the folded text are positions in ``text``."""
    from bot.core.nations import fold_letters

    return "".join(folded if len(folded := fold_letters(ch)) == 1 else ch for ch in text)
