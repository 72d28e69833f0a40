"""Read a "KFOR Key Facts and Figures" placemat from the text of its PDF.

A placemat lays the nations out in a grid of two or three columns, each cell a flag, a caption (the
nation) and a figure. Extracted from a PDF, the grid comes out in one of these shapes, all read here:

- a nation and its figure on one line, one to three to a line: ``Albania 13``,
  ``Albania 13 Luxembourg 23``, ``Austria 487 Hungary 350 Poland 258``;
- alternating lines, nations then figures: ``Albania`` / ``13``, or ``Austria Hungary Poland`` /
  ``487 350 258``;
- a layout-preserving grid (what :mod:`bot.sources.documents` extracts), where columns are set apart
  by two or more spaces and a figure belongs to the nation above it in the same column.

A figure with no nation beside or above it (a flag whose caption is missing) is *unattributed*: kept,
never handed to a neighbour. A nation without a figure, a caption that names no nation, or a line of
nations and a line of figures that do not pair up is reported with its line; nothing is guessed.
The stated total ("Total: 4,273", "4,273 troops") and the number of troop contributing nations
("30 TCNs", "Troop Contributing Nations: 30") are read from lines that name no nation; titles, dates
and page numbers are not data.

Thousands are grouped by ``,``, ``.`` or a no-break or thin space, never by a plain space: in a grid a
plain space separates columns, so ``487 350 258`` is three figures. One shape stays ambiguous: a
caption, a figure of one or two digits, one plain space and three digits (``ITALY 1 258``) is 1,258
troops, or 1 and a flag's figure of 258. The stated total decides (a joined figure above it is read as
written; otherwise the reading whose sum comes closer to it); with no total the report is refused with
the line named: a false "Italy 1,258 → 1" costs more than a missed edition.

Each line is cut into words once and read left to right (no backtracking regex), so the time taken
grows with the length of the text and no faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.core.errors import one_line
from bot.core.nations import Nation, NationRegistry
from bot.core.reports.assembly import SKIPPED, Entry, Extraction, Stated, Unattributed
from bot.core.reports.figures import FigureError, parse_figure
from bot.core.reports.headers import read_header
from bot.core.reports.issues import error, warning

_CHUNK = re.compile(r"[^ \t\r\n]+")
_FIGURE = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f\u2009]\d{3})+|\d+")
_FOOTNOTE = re.compile(r"\[[^\[\]]{0,12}\]$")
_EDGE_PUNCTUATION = "()[]:;,*†‡"
_UNITS = {"troops", "troop", "soldiers", "personnel", "pers", "staff"}
_COUNT_WORDS = {"nations", "countries", "contributors", "tcns", "tcn"}
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
#: At most this many spaces between a caption and its figure in one grid cell ("Albania 13");
#: a wider gap on a line that is not a plain list of pairs separates two columns.
_SAME_CELL_GAP = 3
#: A nation's name is at most this many words ("United States of America").
_MAX_NAME_WORDS = 6
#: A row of three "Nation figure" pairs fits in this many characters with room to spare.
_MAX_PAIRS_LINE = 240
#: A line with more words than this that names no nation is a sentence, not a caption.
_SHORT_LINE_WORDS = 6


@dataclass(frozen=True, slots=True)
class _Figure:
    text: str
    start: int
    end: int

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True, slots=True)
class _Name:
    """Words of a caption: a nation, or text that names none (``nation`` is None)."""

    nation: Nation | None
    text: str
    start: int
    end: int

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int


_Item = _Figure | _Name


@dataclass(slots=True)
class _Line:
    """One line cut into figures and captions, in reading order."""

    number: int
    text: str
    items: list[_Item]
    words: list[_Word | _Figure]  # before names are resolved, for stated totals and dates
    unit_after: set[int]  # indexes (in ``items``) of figures followed by "troops" and the like

    @property
    def layout(self) -> bool:
        """Whether positions on this line mean columns: indented, or items set apart by 2+ spaces."""
        if not self.items:
            return False
        if self.items[0].start >= 2:
            return True
        return any(b.start - a.end >= 2 for a, b in zip(self.items, self.items[1:], strict=False))


def _words(line: str) -> list[_Word | _Figure]:
    out: list[_Word | _Figure] = []
    for match in _CHUNK.finditer(line):
        chunk = match.group()
        core = _FOOTNOTE.sub("", chunk).strip(_EDGE_PUNCTUATION).removesuffix(".")
        if core and _FIGURE.fullmatch(core):
            out.append(_Figure(core, match.start(), match.end()))
        else:
            out.append(_Word(chunk, match.start(), match.end()))
    return out


def _is_name_word(word: str) -> bool:
    """Captions are capitalised; two- and three-letter codes count only in capitals ("IT", not "it")."""
    letters = word.strip(".,:;()*")
    if not letters:
        return False
    if not letters[0].isalpha():
        return True  # a flag emoji or similar: the registry decides
    return letters[0].isupper() and (len(letters) > 3 or letters.isupper() or len(letters.split(".")) > 1)


def _segment(run: list[_Word], registry: NationRegistry) -> Iterator[_Name]:
    """Split a run of words into nations (longest name first) and the text between that names none."""
    index = 0
    unknown: list[_Word] = []
    while index < len(run):
        found = None
        for stop in range(min(len(run), index + _MAX_NAME_WORDS), index, -1) if _is_name_word(run[index].text) else ():
            words = run[index:stop]
            nation = registry.exact(" ".join(w.text.strip(_EDGE_PUNCTUATION) for w in words))
            if nation is not None:
                found = (nation, stop)
                break
        if found is None:
            unknown.append(run[index])
            index += 1
            continue
        if unknown:
            yield _Name(None, " ".join(w.text for w in unknown), unknown[0].start, unknown[-1].end)
            unknown = []
        nation, stop = found
        yield _Name(nation, " ".join(w.text for w in run[index:stop]), run[index].start, run[stop - 1].end)
        index = stop
    if unknown:
        yield _Name(None, " ".join(w.text for w in unknown), unknown[0].start, unknown[-1].end)


def _cut(number: int, text: str, registry: NationRegistry) -> _Line:
    """Cut a line into figures and captions; words one space apart form one caption."""
    words = _words(text)
    items: list[_Item] = []
    unit_after: set[int] = set()
    run: list[_Word] = []

    def close_run() -> None:
        for name in _segment(run, registry):
            # A flag emoji and its caption ("🇮🇹 Italy") name one nation once.
            previous = items[-1] if items else None
            if isinstance(previous, _Name) and name.nation is not None and previous.nation is name.nation:
                items[-1] = _Name(name.nation, f"{previous.text} {name.text}", previous.start, name.end)
            else:
                items.append(name)
        run.clear()

    for index, word in enumerate(words):
        if isinstance(word, _Figure):
            close_run()
            items.append(word)
            continue
        folded = word.text.strip(_EDGE_PUNCTUATION + ".").casefold()
        if folded in _UNITS and index > 0 and isinstance(words[index - 1], _Figure):
            unit_after.add(len(items) - 1)
            continue
        if run and word.start - run[-1].end >= 2:
            close_run()  # two or more spaces: another column
        run.append(word)
    close_run()
    return _Line(number, text, items, words, unit_after)


def read_pairs(line: str, registry: NationRegistry) -> list[tuple[Nation, str]] | None:
    """The nations and figures of a line made only of pairs, two or more ("Albania 13 Luxembourg 23").

    None for anything else, so a caller keeps its own reading of single pairs and prose.
    """
    if len(line) > _MAX_PAIRS_LINE or not _may_be_pairs(line.split()):
        return None  # a sentence, not a row of a grid: not worth looking up every word
    cut = _cut(0, line, registry)
    pairs = _alternating_pairs(cut.items) if len(cut.items) >= 4 else None
    if pairs is None:
        return None
    return [(name.nation, figure.text) for name, figure in pairs if name.nation is not None]


def _may_be_pairs(words: list[str]) -> bool:
    """A cheap first look: runs of at most six words, each run capitalised and followed by a figure."""
    run = 0
    pairs = 0
    for word in words:
        if word[0].isdigit():
            if not run:
                return False
            run = 0
            pairs += 1
        elif run == 0 and pairs and word.strip(".,").casefold() in _UNITS:
            continue
        else:
            if run == 0 and not _is_name_word(word):
                return False
            run += 1
            if run > _MAX_NAME_WORDS:
                return False
    return pairs >= 2 and run == 0


def _alternating_pairs(items: list[_Item]) -> list[tuple[_Name, _Figure]] | None:
    """The (nation, figure) pairs of a line that alternates nation, figure, …; None when it does not."""
    if len(items) % 2:
        return None
    pairs = []
    for name, figure in zip(items[::2], items[1::2], strict=True):
        if not (isinstance(name, _Name) and name.nation is not None and isinstance(figure, _Figure)):
            return None
        pairs.append((name, figure))
    return pairs


@dataclass(slots=True)
class _Pending:
    """Nations on a line of their own, waiting for the line of figures under them."""

    names: list[_Name]
    line: _Line


@dataclass(frozen=True, slots=True)
class _Ambiguous:
    """``ITALY 1 258``: the entry as read (Italy 1), and the three digits that may be its thousands."""

    entry: Entry
    rest: Unattributed
    text: str

    @property
    def joined(self) -> int:
        return int(f"{self.entry.troops}{self.rest.troops:03d}")


@dataclass(slots=True)
class _PlacematReader:
    registry: NationRegistry
    pages: int = 1
    result: Extraction = field(default_factory=Extraction)
    pending: _Pending | None = None
    ambiguous: list[_Ambiguous] = field(default_factory=list)

    def read(self, text: str) -> Extraction:
        pages = text.split("\f")
        self.pages = len(pages)
        number = 0
        for page_number, page in enumerate(pages, start=1):
            lines = page.split("\n")
            content = [i for i, raw in enumerate(lines) if raw.strip()]
            for index, raw in enumerate(lines):
                number += 1
                if not raw.strip():
                    continue
                if (header := read_header(raw)) is not None:  # "Total: 4,686    Troop Contributing Nations: 29"
                    self._flush(page_number)
                    for kind, value in (("total", header.total), ("nations", header.nations)):
                        if value is not None:
                            self._set_stated(kind, _Figure(str(value), 0, 0), number)
                    continue
                line = _cut(number, raw.rstrip(), self.registry)
                if self._is_page_number(line, page_number, index in (content[0], content[-1])):
                    continue
                self._read_line(line, page_number)
            self._flush(page_number)
        self._settle_ambiguous()
        return self.result

    def _settle_ambiguous(self) -> None:
        """Each ``ITALY 1 258`` as the stated total says, or an error naming its line (see the module)."""
        total = self.result.stated_total
        if total is not None:
            # One nation never holds more than the whole mission: under a total of 4,686, "ALBANIA 13 250" is 13
            # and a flag's 250, whatever the other cases turn out to be (else its 13,250 would drag them apart).
            self.ambiguous = [case for case in self.ambiguous if case.joined <= total.value]
        if not self.ambiguous:
            return
        split = sum(e.troops for e in self.result.entries) + sum(u.troops for u in self.result.unattributed)
        joined = split - sum(a.entry.troops + a.rest.troops - a.joined for a in self.ambiguous)
        if total is not None and abs(joined - total.value) < abs(split - total.value):
            for case in self.ambiguous:
                self.result.unattributed.remove(case.rest)
                index = self.result.entries.index(case.entry)
                self.result.entries[index] = Entry(case.entry.nation, case.joined, case.entry.line, case.entry.approx)
            return
        if total is not None and abs(split - total.value) < abs(joined - total.value):
            return  # the flags' own figures come closer: read as written
        for case in self.ambiguous:
            self.result.issues.append(error(
                "ambiguous-figure",
                f"{one_line(case.text)!r}: {case.joined:,} troops for {case.entry.nation}, or "
                f"{case.entry.troops:,} and a figure of {case.rest.troops:,} with no nation? A plain space cannot "
                "tell, and the report states no total to tell by",
                case.entry.line,
            ))  # fmt: skip

    def _where(self, page: int) -> str:
        return f" (page {page})" if self.pages > 1 else ""

    def _is_page_number(self, line: _Line, page: int, at_edge: bool) -> bool:
        """A bare figure equal to the page's number, first or last on its page."""
        return (
            at_edge
            and self.pending is None
            and len(line.items) == 1
            and isinstance(line.items[0], _Figure)
            and line.items[0].text == str(page)
        )

    # -- one line -----------------------------------------------------------------------------
    def _read_line(self, line: _Line, page: int) -> None:
        nations = [i for i in line.items if isinstance(i, _Name) and i.nation is not None]
        figures = [i for i in line.items if isinstance(i, _Figure)]
        if not figures:
            self._flush(page)
            if nations:
                self.pending = _Pending(nations, line)  # captions; their figures follow
            return  # a title or heading
        if not nations:
            if any(isinstance(i, _Name) for i in line.items):  # figures and words, but no nation
                self._flush(page)
                if not self._read_stated(line) and not _is_boilerplate(line):
                    self._skip_captioned(line, page)
                return
            # Figures alone: under a line of nations they are those nations' figures ("Italy" / "1,258 troops");
            # otherwise "4,273 troops" is the stated total and a lone year is a date, not a contingent.
            if self.pending is None and ((line.unit_after and self._read_stated(line)) or _is_boilerplate(line)):
                return
        loose_names, loose_figures = self._read_pairs_on(line, page)
        if loose_figures:
            self._pair_with_pending(loose_figures, line, page)
        else:
            self._flush(page)
        if loose_names:
            self._flush(page)
            self.pending = _Pending(loose_names, line)

    def _read_pairs_on(self, line: _Line, page: int) -> tuple[list[_Name], list[_Figure]]:
        """Pairs within the line; what is left over: nations without a figure here, figures without a caption."""
        items = line.items
        pairs = _alternating_pairs(items)
        if pairs is not None:
            for name, figure in pairs:
                self._entry(name, figure, line, page)
            return [], []
        loose_names: list[_Name] = []
        loose_figures: list[_Figure] = []
        unknown_captions: list[tuple[_Name, _Figure]] = []
        index = 0
        while index < len(items):
            item = items[index]
            following = items[index + 1] if index + 1 < len(items) else None
            if isinstance(item, _Name):
                if isinstance(following, _Figure) and following.start - item.end <= _SAME_CELL_GAP:
                    if item.nation is not None:
                        read = self._entry(item, following, line, page)
                        rest = items[index + 2] if index + 2 < len(items) else None
                        if read is not None and isinstance(rest, _Figure) and _may_be_thousands(following, rest):
                            self._thousands(read, rest, line, page)
                            index += 3
                            continue
                    else:
                        unknown_captions.append((item, following))
                    index += 2
                    continue
                if item.nation is not None:
                    loose_names.append(item)
            else:
                loose_figures.append(item)
            index += 1
        for caption, _figure in unknown_captions:
            self._unknown_caption(caption, line, page)
        return loose_names, loose_figures

    def _pair_with_pending(self, figures: list[_Figure], line: _Line, page: int) -> None:
        """Figures under a line of nations: by column in a laid-out grid, else in order when the counts agree."""
        pending, self.pending = self.pending, None
        if pending is None:
            for figure in figures:
                self._unattributed(figure, line, page)
            return
        if pending.line.layout or line.layout:
            unmatched = list(pending.names)
            index = 0
            while index < len(figures):
                figure = figures[index]
                name = _same_column(figure, unmatched)
                if name is None:
                    self._unattributed(figure, line, page)
                    index += 1
                    continue
                unmatched.remove(name)
                read = self._entry(name, figure, line, page)
                rest = figures[index + 1] if index + 1 < len(figures) else None
                if (read is not None and rest is not None and _may_be_thousands(figure, rest)
                        and _same_column(rest, unmatched) is None):  # fmt: skip
                    self._thousands(read, rest, line, page)  # "Italy" over "1 258"
                    index += 1
                index += 1
            self._no_figure(unmatched, pending.line, page)
            return
        if len(pending.names) == len(figures):
            for name, figure in zip(pending.names, figures, strict=True):
                self._entry(name, figure, line, page)
            return
        names = ", ".join(n.nation.name for n in pending.names if n.nation is not None)
        self.result.issues.append(
            error(
                "unpaired-figures",
                f"line {pending.line.number} names {len(pending.names)} nation(s) ({names}) and line {line.number} "
                f"gives {len(figures)} figure(s) ({', '.join(f.text for f in figures)}){self._where(page)}; "
                "which figure is whose cannot be told",
                line.number,
            )
        )

    def _flush(self, page: int) -> None:
        """Nations whose figures never came: reported, not dropped."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._no_figure(pending.names, pending.line, page)

    # -- findings -------------------------------------------------------------------------------
    def _entry(self, name: _Name, figure: _Figure, line: _Line, page: int) -> Entry | None:
        nation = name.nation.name if name.nation is not None else name.text
        try:
            troops = parse_figure(figure.text)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"{exc} for {nation}{self._where(page)}", line.number))
            return None
        entry = Entry(nation, troops, line.number)
        self.result.entries.append(entry)
        return entry

    def _unattributed(self, figure: _Figure, line: _Line, page: int) -> None:
        try:
            troops = parse_figure(figure.text)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"{exc}{self._where(page)}", line.number))
            return
        self.result.unattributed.append(Unattributed(troops, line.number))

    def _thousands(self, entry: Entry, rest: _Figure, line: _Line, page: int) -> None:
        """The three digits after ``ITALY 1``: kept without a nation for now, settled at the end."""
        self._unattributed(rest, line, page)  # three plain digits always parse
        self.ambiguous.append(_Ambiguous(entry, self.result.unattributed[-1], line.text.strip()))

    def _no_figure(self, names: list[_Name], line: _Line, page: int) -> None:
        for name in names:
            nation = name.nation.name if name.nation is not None else name.text
            message = f"skipped {name.text!r}: no figure for {nation}{self._where(page)}"
            self.result.issues.append(warning(SKIPPED, message, line.number))

    def _unknown_caption(self, caption: _Name, line: _Line, page: int) -> None:
        """A figure under a caption that names no nation: a misspelt nation is an error, other text a skip."""
        suggestions = self.registry.suggest(caption.text) if len(caption.text.split()) <= 3 else ()
        if suggestions:
            self.result.issues.append(
                error(
                    "unknown-nation",
                    f"unknown nation {caption.text!r} in {line.text.strip()!r}{self._where(page)}",
                    line.number,
                    suggestions,
                )
            )
        else:
            self._skip(line, page, f"{caption.text!r} is not a known nation")

    def _skip_captioned(self, line: _Line, page: int) -> None:
        """A line with figures and words but no nation: one finding for the line, not one per figure."""
        captions = [
            item
            for item, following in zip(line.items, line.items[1:], strict=False)
            if isinstance(item, _Name) and isinstance(following, _Figure)
        ]
        if len(captions) == 1 and len(line.words) <= _SHORT_LINE_WORDS:
            self._unknown_caption(captions[0], line, page)
        else:
            self._skip(line, page, "no nation named")

    def _skip(self, line: _Line, page: int, why: str) -> None:
        message = f"skipped {line.text.strip()!r}: {why}{self._where(page)}"
        self.result.issues.append(warning(SKIPPED, message, line.number))

    # -- what the placemat says about itself ----------------------------------------------------------
    def _read_stated(self, line: _Line) -> bool:
        """Stated total and number of nations, from a line that names no nation; False when it states neither."""
        words = line.words
        folded = [w.text.strip(_EDGE_PUNCTUATION + ".").casefold() for w in words]
        total: _Figure | None = None
        count: _Figure | None = None
        for index, word in enumerate(words):
            if not isinstance(word, _Figure):
                continue
            after = _words_around(words, folded, index, 1)
            before = _words_around(words, folded, index, -1)
            if _names_count(after):  # "30 TCNs", "30 Troop Contributing Nations"
                count = count or word
            elif (after and after[0] in _UNITS) or "total" in before[-3:]:  # "4,273 troops", "Total: 4,273"
                total = total or word
            elif any(w in ("nations", "countries") for w in after[:5]) or _names_count(before[-1:]):
                count = count or word  # "27 allied and partner nations", "Troop Contributing Nations: 30"
        if total is not None and "total" not in folded and count is None and len(words) > _SHORT_LINE_WORDS:
            total = None  # "around 4,000 soldiers patrol the north": a sentence, not the placemat's total
        for kind, figure in (("total", total), ("nations", count)):
            if figure is not None:
                self._set_stated(kind, figure, line.number)
        return total is not None or count is not None

    def _set_stated(self, kind: str, figure: _Figure, number: int) -> None:
        try:
            value = parse_figure(figure.text)
        except FigureError as exc:
            self.result.issues.append(error("bad-figure", f"stated {kind}: {exc}", number))
            return
        attribute = "stated_total" if kind == "total" else "stated_nations"
        current: Stated | None = getattr(self.result, attribute)
        if current is None:
            setattr(self.result, attribute, Stated(value, number))
        elif current.value != value:
            self.result.issues.append(
                warning(
                    f"conflicting-stated-{kind}",
                    f"the report states {kind} {value:,} here but {current.value:,} on line {current.line}; "
                    "keeping the first",
                    number,
                )
            )


def _words_around(words: list[_Word | _Figure], folded: list[str], index: int, step: int) -> list[str]:
    """Up to five words after (step 1) or before (step -1) a figure, stopping at the next figure; in reading order."""
    out: list[str] = []
    position = index + step
    while 0 <= position < len(words) and len(out) < 5 and not isinstance(words[position], _Figure):
        out.append(folded[position])
        position += step
    return out if step > 0 else out[::-1]


def _names_count(words: list[str]) -> bool:
    """Words that name a number of nations: "TCNs", "nations", "troop contributing nations"."""
    if not words:
        return False
    first = words[0]
    return (
        first.startswith(("tcn", "troop-contributing"))
        or first in _COUNT_WORDS
        or words[:3] == ["troop", "contributing", "nations"]
    )


def _is_boilerplate(line: _Line) -> bool:
    """A date ("As of 1 May 2024"), a year ("KFOR 2024", "since 1999") or a page marker: not data."""
    folded = [w.text.strip(_EDGE_PUNCTUATION + ".").casefold() for w in line.words if isinstance(w, _Word)]
    if any(w in _MONTHS for w in folded) or "page" in folded:
        return True
    figures = [w for w in line.words if isinstance(w, _Figure)]
    return all(len(f.text) == 4 and f.text.isdigit() and 1900 <= int(f.text) <= 2099 for f in figures)


def _same_column(figure: _Figure, names: list[_Name]) -> _Name | None:
    """The nation above a figure in a grid: the nearest whose centre is within half the wider of the two."""
    best: _Name | None = None
    best_distance = 0.0
    for name in names:
        distance = abs(figure.center - name.center)
        reach = max(name.end - name.start, figure.end - figure.start) / 2 + 2
        if distance <= reach and (best is None or distance < best_distance):
            best, best_distance = name, distance
    return best


def _may_be_thousands(figure: _Figure, rest: _Figure) -> bool:
    """``1 258``: one or two plain digits, one plain space, then exactly three digits.

    Never three before the space: no contingent has reached 100,000, so ``AUSTRIA 487 350`` is Austria
    487 and a flag without its caption, as it always was, not a question to refuse the report over.
    """
    return (
        rest.start - figure.end == 1
        and figure.text.isdigit()
        and len(figure.text) <= 2
        and not figure.text.startswith("0")
        and len(rest.text) == 3
        and rest.text.isdigit()
    )


def read_placemat(text: str, registry: NationRegistry) -> Extraction:
    """Read a placemat's text (pages separated by form feeds); see the module docstring for the shapes read."""
    return _PlacematReader(registry).read(text)
