"""Read troop figures from free text and markdown: news reports, placemats, pasted tables.

A line is read as data when it has the shape of a list entry — ``Hungary: 365``,
``Name – 89``, ``Name (89)``, ``Name 89``, a tab-separated pair, a markdown table row — and
either names a known nation or carries a figure. Such a line must parse completely, or it
becomes an error naming the line. Longer lines are prose; from prose the parser takes only
figures tied to a nation ("… the United States … with 602 soldiers, after Italy’s 1,258 troops")
and the mission's stated size ("4,686 troops from 27 allied and partner nations").

Prose may be in German, French, Italian, Turkish, Serbian or Albanian too: nations by their
names in those languages (see :mod:`bot.core.nations`), troops by those languages' words
("Soldaten", "soldats", "militari", "askerle", "vojnika", "ushtarë"), and "about"-like words
("rund", "circa", "oko", "rreth", "~") mark a figure as approximate in prose and in lists alike.
Demonyms ("il contingente italiano") are not read: CLDR, where the names come from, has none,
and a guess would be worse than a figure left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bot.core.nations import Nation, NationRegistry, fold_letters
from bot.core.reports.assembly import SKIPPED, Entry, Extraction, Stated, Unattributed
from bot.core.reports.figures import (
    APPROX_SIGNS,
    APPROX_WORDS,
    COUNT_NAME,
    LOCAL_UNIT_WORDS,
    TOTAL_NAME,
    FigureError,
    looks_numeric,
    parse_figure,
    split_approx,
)
from bot.core.reports.headers import Header, read_header
from bot.core.reports.issues import error, warning
from bot.core.reports.placemat import read_pairs

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]\s+|\d{1,3}[.)]\s+)")
_EACH = re.compile(r"^(?P<figure>.*?)\s*\b(?:each|apiece|per nation)\b\.?\s*$", re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"^:?-{2,}:?$")
#: "KFOR troop contributions (2024)": a title dated in parentheses, not a name with a figure.
_DATED_TITLE = re.compile(r"\(\s*(?:19|20)\d\d\s*\)$")
# Structured shapes, tried in order. Names hold no digits, so "Name 1,258" splits cleanly.
#: A row whose name is Discord markup (a role, user or channel mention, @everyone, @here) and that carries a figure.
_MENTION_ROW = re.compile(r"^(?:[-*•]\s*)?(?:<[@#][&!]?\d+>|@everyone|@here)\W*\d")
_COLON = re.compile(r"^(?P<name>[^:\d]{2,80}):\s*(?P<value>.*)$")
_DASH = re.compile(r"^(?P<name>[^\d–—]{2,80}?)\s*(?:\s-\s|[–—])\s*(?P<value>.+)$")
_PAREN = re.compile(r"^(?P<name>[^\d()]{2,80}?)\s*\((?P<value>[^()]*)\)\s*$")
_SPACED = re.compile(
    rf"^(?P<name>[^\d]{{2,80}}?)\s+(?P<value>(?:[{APPROX_SIGNS}]\s*)?[-−]?\d[\d,.\u00a0\u202f\u2009 ]*(?:\s+\w+)?)\s*$"
)
_GROUP_SPLIT = re.compile(r"\s*(?:&|,|\band\b|\bplus\b|/)\s*", re.IGNORECASE)
_MAX_NAME_WORDS = 8
_NAME_LINK_WORDS = {"of", "and", "the", "&", "-"}

# A figure starts where a run of digits starts (the digit, then "no digit before it", and not after
# "2," either: "2,5 Soldaten" is a decimal, not 5 soldiers) and has at most 12 digits
# (figures.MAX_DIGITS): without the bounds, each digit of a long run would start an attempt that
# scans to the run's end (quadratic time on "1111…"), and a run too long for int() would crash the
# reader. Leading with the digit itself lets the regex engine skip quickly to the next digit.
_FIGURE = r"\d(?<!\d\d)(?<!\d[.,]\d)(?:\d{0,2}(?:[,.\u00a0\u202f\u2009 ]\d{3}){1,3}|\d{0,11}(?!\d))"
_UNIT = rf"(?:troops|soldiers|personnel|service\s+members|servicemen|military\s+personnel|{LOCAL_UNIT_WORDS})"
_MISSION_SIZE = re.compile(
    rf"(?P<total>{_FIGURE})\s+{_UNIT}\s+from\s+(?P<count>\d{{1,4}})\s+(?:[\w-]+\s+){{0,4}}?(?:nations|countries)",
    re.IGNORECASE,
)
# An "about"-like word or sign may lead the figure (Turkish puts "civarında" after it); a German
# compound unit may name the force ("2350 Bundeswehrsoldaten", "602 US-Soldaten").
_PROSE_FIGURE = re.compile(
    rf"(?:(?<![\w.])(?P<approx>{APPROX_WORDS})\s+|(?P<sign>[{APPROX_SIGNS}])\s*)?"
    rf"(?P<figure>{_FIGURE})(?:\s+(?P<approx_after>civarında))?"
    rf"\s+(?:(?P<force>[^\W\d_]{{2,}}?)-?(?=soldat))?{_UNIT}\b",
    re.IGNORECASE,
)
# A change, not a stock: "100 more troops", "weitere 200 Soldaten", "200 soldats supplémentaires".
_INCREMENT_WORDS = re.compile(
    r"\b(?:more|additional|extra|another|fewer|further|weitere[nr]?|zusätzliche[nr]?|altri|ulteriori"
    r"|ek|ilave|još|dodatnih)\s*$",
    re.IGNORECASE,
)
_INCREMENT_AFTER = re.compile(r"^\s+(?:supplémentaires|in\s+più|shtesë|više)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
_MAX_PAIR_DISTANCE = 90
#: A line of at most this many words that names a nation and a figure is a list entry or says why not.
_SHORT_LINE_WORDS = 8
#: A figure that is not a year ("2024") nor part of a date or a decimal.
_LONE_FIGURE = re.compile(r"(?<![\d.,/-])(?!(?:19|20)\d\d(?!\d))\d{1,3}(?:[,.\u00a0 ]\d{3})*(?![\d.,/-]\d)")
#: A figure whose spaced groups have exactly three digits ("1 258"), so "112 1" is two figures.
_GRID_FIGURE = r"\d{1,3}(?:[,.\u00a0\u202f\u2009 ]\d{3})+(?!\d)|\d{1,7}"
_GRID_CELL = re.compile(
    rf"^(?P<name>[^\W\d_][^\d:()]{{1,60}}?)\s+(?P<figure>{_GRID_FIGURE})(?:\s+(?P<extra>\d{{1,4}}))?$"
)
_GRID_GAP = re.compile(r"\s{3,}|\t")
#: A list that goes on after a figure: "gefolgt von den USA mit etwa 600", "the US 602 and Hungary 365".
_CONTINUATION = re.compile(
    rf"\s*(?:\(\s*)?(?:(?:mit|with|avec|con|at|à|:)\s+)?(?:(?P<approx>{APPROX_WORDS})\s+)?"
    rf"(?P<figure>{_FIGURE})(?!\s*(?:%|percent|prozent|pour\s*cent|per\s*cento|years|jahre|ans|anni)\b)"
    r"(?![\d,.]\d)",
    re.IGNORECASE,
)
#: How far before a figure "more", "additional"… are looked for (bounded, so long lines stay linear).
_INCREMENT_LOOKBACK = 64


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A line split into a name part and a value part, with how it was split."""

    name: str
    value: str
    explicit: bool  # an explicit separator (colon, dash, parentheses, tab, table cell)


def _split_cells(cells: list[str]) -> _Candidate | None:
    """Name = first cell that is not a figure; value = the cell after it (markdown emphasis dropped)."""
    cells = [c.strip(" *_`") for c in cells]
    for index, cell in enumerate(cells):
        if cell and not looks_numeric(cell):
            if index + 1 < len(cells):
                return _Candidate(cell, cells[index + 1], explicit=True)
            return None
    return None


def _candidate(line: str, known: Callable[[str], object] | None = None) -> _Candidate | None:
    """Split a list-like line into name and value, or None for prose and headings.

    ``known`` tells a nation's name whose lower-case particles ("Maqedonia e Veriut 67",
    "Macedonia del Nord 67") would otherwise read as prose in the space-separated style.
    """
    if line.startswith("#"):
        return None  # a markdown heading ("# KFOR 2024")
    if line.startswith("|"):
        cells = line.strip().strip("|").split("|")
        if all(_TABLE_SEPARATOR.match(c.strip()) or not c.strip() for c in cells):
            return None
        return _split_cells(cells)
    if "\t" in line:
        return _split_cells(line.split("\t"))
    body = _BULLET.sub("", line, count=1)
    for pattern, explicit in ((_COLON, True), (_PAREN, True), (_DASH, True), (_SPACED, False)):
        match = pattern.match(body)
        if match:
            name = match["name"].strip(" *_`")
            if len(name.split()) > _MAX_NAME_WORDS:
                return None
            if not explicit and not _looks_like_a_name(name) and not (known and known(name)):
                return None
            return _Candidate(name, match["value"].strip(" *_`"), explicit)
    return None


def _looks_like_a_name(text: str) -> bool:
    """Capitalised words (bar 'of', 'and', 'the'): a name, where "KFOR was established in" is prose."""
    return all(word[0].isupper() or word in _NAME_LINK_WORDS for word in text.split())


class _TextReader:
    """State of one pass over a text report."""

    def __init__(self, registry: NationRegistry) -> None:
        self.registry = registry
        self.result = Extraction()
        self._prose_pattern = _nation_mention_pattern(registry)
        self._prose_lines: set[int] = set()

    def read(self, text: str) -> Extraction:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            if _MENTION_ROW.match(line):  # "<@&123>: 7", "@everyone 7": pasted from Discord, never a nation's row
                self.result.issues.append(
                    warning(SKIPPED, f"skipped {line!r}: a Discord mention is not a nation", number)
                )
                continue
            if (header := read_header(line)) is not None:
                self._header(header, number)
                continue
            if self._read_grid_row(line, number):
                continue
            before = (len(self.result.entries), len(self.result.issues), self.result.stated_total)
            candidate = _candidate(line, self.registry.exact)
            if candidate is None and self._read_pairs(line, number):
                continue
            if candidate is None or not self._read_candidate(candidate, number, line):
                self._read_prose(line, number)
            if before == (len(self.result.entries), len(self.result.issues), self.result.stated_total):
                self._unread(line, number)
        prose = self.result.entries and all(entry.line in self._prose_lines for entry in self.result.entries)
        self.result.from_prose = bool(prose)
        return self.result

    def _header(self, header: Header, number: int) -> None:
        if header.total is not None:
            self._set_stated("total", header.total, number)
        if header.nations is not None:
            self._set_stated("nations", header.nations, number)

    def _unread(self, line: str, number: int) -> None:
        """A short line that names a nation and a figure but gave nothing: said, never dropped in silence.

        Markdown headings ("# Italy: 1,258") are titles by choice, not entries.
        """
        if line.startswith("#") or len(line.split()) > _SHORT_LINE_WORDS or not _LONE_FIGURE.search(line):
            return
        named = next(self._mentions(line), None)
        if named is not None:
            why = f"it names {named[0].name} and a figure, but not as a list entry"
            self.result.issues.append(warning(SKIPPED, f"skipped {line!r}: {why}", number))

    def _read_grid_row(self, line: str, number: int) -> bool:
        """A placemat row as text: cells "NATION figure [figure]" apart by wide gaps, every cell a known nation.

        ``GERMANY 550 1       GREECE 113`` is Germany 550, an unattributed 1 (a flag without its
        caption) and Greece 113; ``HUNGARY 112 1`` is 112 and an unattributed 1, never one spaced
        number "112 1": a spaced thousands group has exactly three digits. False for anything else.
        """
        cells = _GRID_GAP.split(line)
        matches = [m for cell in cells if (m := _GRID_CELL.match(cell)) is not None]
        if len(matches) < len(cells) or not (len(cells) > 1 or any(m["extra"] for m in matches)):
            return False
        nations = [n for m in matches if (n := self.registry.exact(m["name"].strip())) is not None]
        if len(nations) < len(matches):
            return False
        for match, nation in zip(matches, nations, strict=True):
            figure, approx = split_approx(match["figure"])
            self.result.entries.append(Entry(nation.name, parse_figure(figure), number, approx))
            if match["extra"]:
                self.result.unattributed.append(Unattributed(int(match["extra"]), number))
        return True

    def _read_pairs(self, line: str, number: int) -> bool:
        """A placemat row pasted as text, "Albania 13 Luxembourg 23": every pair, or False."""
        pairs = read_pairs(line, self.registry)
        if pairs is None:
            return False
        for nation, figure in pairs:
            try:
                self.result.entries.append(Entry(nation.name, parse_figure(figure), number))
            except FigureError as exc:
                self.result.issues.append(error("bad-figure", f"{exc} in {line!r}", number))
        return True

    # -- list-like lines -------------------------------------------------------------------
    def _read_candidate(self, candidate: _Candidate, number: int, line: str) -> bool:
        """Handle a list-like line; False when it turns out to be prose after all."""
        name, value = candidate.name, candidate.value
        each = _EACH.match(value)
        figure_text = each["figure"] if each else value
        numeric = looks_numeric(figure_text)

        if TOTAL_NAME.match(name):
            return self._read_stated(figure_text, number, "total")
        if numeric and COUNT_NAME.search(name) and self.registry.exact(name) is None:
            return self._read_stated(figure_text, number, "nations")

        nations = self._nations_named(name)
        if nations is None:
            if not numeric or _DATED_TITLE.search(line):
                return False  # a heading or a sentence with a colon, not data
            suggestions = self.registry.suggest(name)
            if candidate.explicit or suggestions:
                self.result.issues.append(
                    error("unknown-nation", f"unknown nation {name!r} in {line!r}", number, suggestions)
                )
            else:
                self.result.issues.append(warning(SKIPPED, f"skipped {line!r}: {name!r} is not a known nation", number))
            return True
        if isinstance(nations, str):  # a group in which one part is unknown
            self.result.issues.append(
                error(
                    "unknown-nation",
                    f"unknown nation {nations!r} in {line!r}",
                    number,
                    self.registry.suggest(nations),
                )
            )
            return True
        if len(nations) > 1 and not each:
            names = " and ".join(n.name for n in nations)
            self.result.issues.append(
                error(
                    "ambiguous-group",
                    f"{line!r} gives one figure for {names}; write 'each' if every nation has it, "
                    "or list them on separate lines",
                    number,
                )
            )
            return True
        figure_text, approx = split_approx(figure_text)
        try:
            troops = parse_figure(figure_text)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"{exc} in {line!r}", number))
            return True
        for nation in nations:
            self.result.entries.append(Entry(nation.name, troops, number, approx))
        return True

    def _nations_named(self, name: str) -> list[Nation] | str | None:
        """The nation(s) a name part lists; the unknown part's text for a partly known group."""
        nation = self.registry.exact(name)
        if nation is not None:
            return [nation]
        parts = [p for p in _GROUP_SPLIT.split(name) if p]
        if len(parts) < 2:
            return None
        found = [self.registry.exact(p) for p in parts]
        known = [n for n in found if n is not None]
        if not known:
            return None
        if len(known) < len(parts):
            return next(p for p, n in zip(parts, found, strict=True) if n is None)
        return known

    def _read_stated(self, figure_text: str, number: int, kind: str) -> bool:
        try:
            value = parse_figure(figure_text)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"stated {kind}: {exc}", number))
            return True
        self._set_stated(kind, value, number)
        return True

    def _set_stated(self, kind: str, value: int, number: int) -> None:
        attribute = "stated_total" if kind == "total" else "stated_nations"
        current: Stated | None = getattr(self.result, attribute)
        if current is not None and current.value != value:
            self.result.issues.append(
                warning(
                    f"conflicting-stated-{kind}",
                    f"the report states {kind} {value:,} here but {current.value:,} on line {current.line}; "
                    "keeping the first",
                    number,
                )
            )
            return
        if current is None:
            setattr(self.result, attribute, Stated(value, number))

    # -- prose -----------------------------------------------------------------------------
    def _read_prose(self, line: str, number: int) -> None:
        taken: list[tuple[int, int]] = []
        for match in _MISSION_SIZE.finditer(line):
            self._set_stated("total", parse_figure(match["total"]), number)
            self._set_stated("nations", int(match["count"]), number)
            taken.append(match.span())
        figures = list(_PROSE_FIGURE.finditer(line))
        mentions = list(self._mentions(line)) if figures else []  # the costly scan, only where it can pay
        read: set[str] = set()
        self._prose_lines.add(number)
        ends = [end for _, end in mentions]
        for match in figures:
            start = match.start()
            # Bounded look-ups (a window, a bisection) keep a long line linear, not quadratic.
            inside = bisect_right(taken, (start, len(line) + 1)) - 1
            if (
                (inside >= 0 and start < taken[inside][1])
                or _INCREMENT_WORDS.search(line, max(0, start - _INCREMENT_LOOKBACK), start)
                or _INCREMENT_AFTER.match(line[match.end() : match.end() + _INCREMENT_LOOKBACK])
            ):
                continue
            nation = self.registry.exact(match["force"]) if match["force"] else None
            if nation is None:  # no force named in the unit: the nearest nation before the figure
                before = bisect_right(ends, start)
                if not before:
                    continue
                nation, end = mentions[before - 1]
                if start - end > _MAX_PAIR_DISTANCE:
                    continue
                gap = line[end:start]
                if _SENTENCE_END.search(gap) or _PROSE_FIGURE.search(gap):
                    continue
            approx = bool(match["approx"] or match["sign"] or match["approx_after"])
            self.result.entries.append(Entry(nation.name, parse_figure(match["figure"]), number, approx))
            read.add(nation.name)
        if read:
            self._read_continuation(line, number, mentions, read)

    def _read_continuation(self, line: str, number: int, mentions: list[tuple[Nation, int]], read: set[str]) -> None:
        """The nations of a list that goes on without the unit ("… 1,258 troops, the US 602 and Hungary 365").

        Read only in a sentence that already gave a nation's figure with its unit, so a year or a
        percentage beside a nation elsewhere is not taken for troops.
        """
        for nation, end in mentions:
            if nation.name in read:
                continue
            match = _CONTINUATION.match(line, end)
            if match is None:
                continue
            try:
                troops = parse_figure(match["figure"])
            except FigureError:
                self.result.issues.append(
                    warning(SKIPPED, f"skipped {nation.name}'s figure {match['figure']!r}: not a number", number)
                )
                continue
            self.result.entries.append(Entry(nation.name, troops, number, bool(match["approx"])))
            read.add(nation.name)

    def _mentions(self, line: str) -> Iterator[tuple[Nation, int]]:
        """Known nations named in a sentence, with the offset where each mention ends."""
        for match in self._prose_pattern.finditer(line):
            nation = self.registry.exact(match.group(0))
            if nation is not None:
                yield nation, match.end()


def _nation_mention_pattern(registry: NationRegistry) -> re.Pattern[str]:
    """One regex for every name and alias (any case), code (upper case only) and localized name.

    Localized names are found as written and without their diacritics ("Nemacka", "Turkiye"), and
    must begin with their capital, as all six languages write a country: German "Island" is
    Iceland, the English "island" is not. Names of three letters or fewer ("Fas", "SAD") are only
    found as upper-case codes, like "US" and "UK". The names are tries (:func:`name_trie`), so a
    position in the text tries a few first letters rather than every name.
    """
    english = {name for nation in registry for name in (nation.name, nation.iso_name, *nation.aliases) if len(name) > 3}
    by_capital: dict[str, set[str]] = {}
    for nation in registry:
        for name in nation.local_names:
            for form in {name, fold_letters(name)}:
                if len(form) > 3 and form.casefold() not in {e.casefold() for e in english}:
                    by_capital.setdefault(form[0], set()).add(form[1:])
    localized = [f"{re.escape(capital)}(?i:{name_trie(rests)})" for capital, rests in sorted(by_capital.items())]
    alternation = "|".join([*localized, f"(?i:{name_trie(english)})"])
    codes = r"\b[A-Z](?:\.?[A-Z]){1,2}\b\.?"
    return re.compile(rf"\b(?:{alternation})\b|{codes}")


#: A trie of names: one child per next letter; the key "" marks that a name ends here.
Trie = dict[str, "Trie"]


def name_trie(names: Iterable[str]) -> str:
    """The names as one case-insensitive regex that matches what "|".join(longest first) matches.

    Built as a trie (shared prefixes merged, a shorter name an optional end of a longer one), so a
    position in the text tries a few first letters rather than every name: with a few hundred
    names, that scan is most of what reading a long text's prose costs.
    """
    trie: Trie = {}
    for name in names:
        node = trie
        for char in name:
            lower = char.lower()
            node = node.setdefault(lower if len(lower) == 1 else char, {})
        node[""] = {}  # a name ends here

    def pattern(node: Trie) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def read_text(text: str, registry: NationRegistry) -> Extraction:
    """Read a free-text or markdown report (see the module docstring for what is understood)."""
    return _TextReader(registry).read(text)
