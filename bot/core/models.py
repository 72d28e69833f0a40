"""The data the whole bot speaks: sources, contingents and snapshots.

A :class:`Snapshot` is one dated statement of who contributes how many troops to a mission,
always tied to the :class:`Source` it came from, so every figure the bot shows can cite it.
Snapshots are immutable dataclasses; their rules are checked once, when one is made (a report
ingested, a stored snapshot loaded, a scenario applied), and are then trusted by the rest of the core.
They are standard-library dataclasses rather than pydantic models so that a one-shot answer
(``kfor-bot ask``) does not pay pydantic's import; :mod:`bot.core.fields` reads them from JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from bot.core.fields import FieldReader, InvalidRecord, build, is_whole, require

#: An ISO 8601 calendar date, possibly of reduced precision (``2025-02`` or ``2025-02-19``):
#: reports often say only "February 2025", and the bot must not invent a day.
AS_OF_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,79}$")


def require_as_of(as_of: str | None) -> None:
    """The rule of every as-of date a record holds: none, or :data:`AS_OF_PATTERN`'s form."""
    require(as_of is None or bool(AS_OF_PATTERN.match(as_of)), "as_of", f"must be YYYY-MM or YYYY-MM-DD, not {as_of!r}")


SNAPSHOT_FORMAT = "kfor-bot/snapshot"
SNAPSHOT_FORMAT_VERSION = 1


class Coverage(StrEnum):
    """How much of the mission a snapshot describes, which decides what may be derived from it."""

    #: Every contributing nation is listed: totals, shares, joins and departures may be computed.
    COMPLETE = "complete"
    #: Some nations are listed: a nation missing from it is unknown, never zero, and no total,
    #: share, "joined" or "left" may be derived from it.
    PARTIAL = "partial"
    #: Rounded third-party estimates (the CIA World Factbook): a separate series, always labelled.
    ESTIMATE = "estimate"


@dataclass(frozen=True, kw_only=True, slots=True)
class Source:
    """Where a snapshot's figures come from, as shown in every briefing's footer."""

    #: A short, stable identifier (``2017-02-docslib-org``): with the date, it tells apart two
    #: sources that describe the same month.
    id: str | None = None
    title: str
    publisher: str
    url: str | None = None
    #: Where the verbatim copy of the report is kept in this repository, when it is.
    document: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        require(self.id is None or bool(SOURCE_ID_PATTERN.match(self.id)), "id",
                f"must be lower-case letters, digits, dots and dashes, not {self.id!r}")  # fmt: skip
        require(bool(self.title), "title", "must not be empty")
        require(bool(self.publisher), "publisher", "must not be empty")

    def citation(self) -> str:
        """A one-line citation: publisher and title, e.g. for an embed footer."""
        return f"{self.publisher} — {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def read(cls, reader: FieldReader) -> Source | None:
        return build(cls, reader, id=reader.text("id"), title=reader.text("title", required=True),
                     publisher=reader.text("publisher", required=True), url=reader.text("url"),
                     document=reader.text("document"), note=reader.text("note"))  # fmt: skip


SOURCE_FIELDS = tuple(f.name for f in fields(Source))


@dataclass(frozen=True, kw_only=True, slots=True)
class Contingent:
    """One nation's troops in a snapshot; ``nation`` is the canonical English short name."""

    nation: str
    troops: int
    #: The source gives the figure as approximate ("rund 2350", "circa 620", "about 550").
    approx: bool = False

    def __post_init__(self) -> None:
        require(bool(self.nation), "nation", "must not be empty")
        require(
            is_whole(self.troops) and self.troops >= 0, "troops", f"must be a whole number ≥ 0, not {self.troops!r}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Most figures are exact: ``approx`` is stored only where it is true, to keep data files readable."""
        data: dict[str, Any] = {"nation": self.nation, "troops": self.troops}
        if self.approx:
            data["approx"] = True
        return data


CONTINGENT_FIELDS = tuple(f.name for f in fields(Contingent))


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """A dated, sourced list of national contingents of one mission.

    ``stated_total`` and ``stated_nations`` are what the report itself claims; they may differ
    from the listed figures (the February 2025 report lists 29 nations but says 27), which is why
    both are kept and the difference is reported as a warning rather than corrected.
    (No ``slots``: the totals below are cached on the instance.)
    """

    format: str = SNAPSHOT_FORMAT
    version: int = SNAPSHOT_FORMAT_VERSION
    mission: str
    as_of: str | None = None
    source: Source
    coverage: Coverage = Coverage.COMPLETE
    stated_total: int | None = None
    #: The stated total is itself approximate ("~4,686", "knapp 14.000").
    stated_total_approx: bool = False
    stated_nations: int | None = None
    contingents: tuple[Contingent, ...]
    #: Figures the report gives without a nation (a placemat flag without its caption): kept,
    #: never guessed, never dropped.
    unattributed: tuple[int, ...] = ()
    #: The format the original report was read as ("pdf", "html", "csv", "text"), for /kfor sources.
    read_as: str | None = None
    #: The report read is a copy of the source's figures made for this project (a CSV typed from a web
    #: page or an article), not the publisher's own document: /kfor sources says so.
    transcribed: bool = False
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("contingents", "unattributed", "warnings"):  # a list given is kept as a tuple
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "coverage", Coverage(self.coverage))
        require(self.format == SNAPSHOT_FORMAT, "format", f"must be {SNAPSHOT_FORMAT!r}, not {self.format!r}")
        require(self.version == SNAPSHOT_FORMAT_VERSION, "version",  # a later format may mean other things
                f"this kfor-bot reads version {SNAPSHOT_FORMAT_VERSION}, not {self.version!r}")  # fmt: skip
        require(bool(self.mission), "mission", "must not be empty")
        require_as_of(self.as_of)
        for name in ("stated_total", "stated_nations"):
            value = getattr(self, name)
            require(
                value is None or (is_whole(value) and value >= 0), name, f"must be a whole number ≥ 0, not {value!r}"
            )
        require(all(is_whole(t) and t >= 0 for t in self.unattributed), "unattributed", "must be whole numbers ≥ 0")
        seen: set[str] = set()
        for contingent in self.contingents:
            require(contingent.nation not in seen, "contingents", f"nation {contingent.nation!r} is listed twice")
            seen.add(contingent.nation)

    @cached_property
    def total(self) -> int:
        """Sum of the listed contingents (which may differ from ``stated_total``)."""
        return sum(c.troops for c in self.contingents)

    @property
    def is_complete(self) -> bool:
        return self.coverage is Coverage.COMPLETE

    @property
    def key(self) -> str:
        """What identifies a snapshot: its date and, when it has one, its source (``2023-10/republika-rs``).

        A source id that starts with the date (``2023-10-republika-rs``) is not repeated after it.
        """
        if not self.source.id:
            return self.as_of_label
        source = self.source.id.removeprefix(f"{self.as_of}-") if self.as_of else self.source.id
        return f"{self.as_of_label}/{source}"

    @property
    def unattributed_troops(self) -> int | None:
        """Troops the report counts but attributes to no listed nation; None when that is unknown.

        The explicit unattributed figures when the report has them, else the stated total minus the
        listed sum (never below zero).
        """
        if self.unattributed:
            return sum(self.unattributed)
        if self.stated_total is None:
            return None
        return max(self.stated_total - self.total, 0)

    @cached_property
    def approx_nations(self) -> frozenset[str]:
        """Nations whose figure the source gives as approximate."""
        return frozenset(c.nation for c in self.contingents if c.approx)

    @cached_property
    def troops_by_nation(self) -> dict[str, int]:
        """Troops keyed by canonical nation name, for O(1) lookups."""
        return {c.nation: c.troops for c in self.contingents}

    @property
    def as_of_label(self) -> str:
        """The as-of date for display; says so plainly when the report gave none."""
        return self.as_of or "date unknown"

    @property
    def as_of_year(self) -> int | None:
        """The year of the snapshot, used to decide NATO and EU membership at that time."""
        return int(self.as_of[:4]) if self.as_of else None

    def with_troops(self, troops: Mapping[str, int]) -> Snapshot:
        """This snapshot with other figures (a sample, a scenario's outcome): a new snapshot, so its totals
        are computed afresh; nations at 0 are left out, and the report's stated figures no longer apply.
        """
        approx = self.approx_nations
        contingents = [Contingent(nation=n, troops=t, approx=n in approx) for n, t in troops.items() if t > 0]
        contingents.sort(key=lambda c: (-c.troops, c.nation))
        return replace(self, contingents=tuple(contingents), stated_total=None, stated_total_approx=False,
                       stated_nations=None, unattributed=(), warnings=())  # fmt: skip

    def footer(self) -> str:
        """``Source … · as of …``: the line every briefing built on this snapshot carries."""
        return f"Source: {self.source.citation()} · as of {self.as_of_label}"

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON snapshot format (documented in the README), leaving out the extras most
        snapshots don't use (no unattributed figures, an exact total, an unknown original format)."""
        data: dict[str, Any] = {"format": self.format, "version": self.version, "mission": self.mission,
                                "as_of": self.as_of, "source": self.source.to_dict(), "coverage": self.coverage.value,
                                "stated_total": self.stated_total}  # fmt: skip
        if self.stated_total_approx:
            data["stated_total_approx"] = True
        data["stated_nations"] = self.stated_nations
        data["contingents"] = [c.to_dict() for c in self.contingents]
        if self.unattributed:
            data["unattributed"] = list(self.unattributed)
        if self.read_as is not None:
            data["read_as"] = self.read_as
        if self.transcribed:
            data["transcribed"] = True
        data["warnings"] = list(self.warnings)
        return data

    def to_json(self) -> str:
        """The project's JSON snapshot format, as the data files keep it."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: object) -> Snapshot:
        """A snapshot from its JSON form; :class:`InvalidRecord` names every problem and its place."""
        problems: list[str] = []
        reader = FieldReader(data, "", problems, SNAPSHOT_FIELDS)
        source = Source.read(FieldReader(reader.data.get("source"), "source", problems, SOURCE_FIELDS))
        contingents = []
        for where, item in reader.items("contingents", required=True):
            entry = FieldReader(item, where, problems, CONTINGENT_FIELDS)
            troops = entry.whole("troops", required=True)
            contingents.append(build(Contingent, entry, nation=entry.text("nation", required=True), troops=troops,
                                     approx=entry.flag("approx")))  # fmt: skip
        snapshot = build(cls, reader, format=reader.text("format", SNAPSHOT_FORMAT),
                         version=reader.whole("version", SNAPSHOT_FORMAT_VERSION),
                         mission=reader.text("mission", required=True), as_of=reader.text("as_of"), source=source,
                         coverage=reader.choice("coverage", Coverage, Coverage.COMPLETE),
                         stated_total=reader.whole("stated_total"),
                         stated_total_approx=reader.flag("stated_total_approx"),
                         stated_nations=reader.whole("stated_nations"), contingents=tuple(contingents),
                         unattributed=tuple(reader.wholes("unattributed")), read_as=reader.text("read_as"),
                         transcribed=reader.flag("transcribed"),
                         warnings=tuple(str(w) for _, w in reader.items("warnings")))  # fmt: skip
        if snapshot is None:
            raise InvalidRecord(problems)
        return snapshot

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        return cls.from_dict(json.loads(text))


SNAPSHOT_FIELDS = tuple(f.name for f in fields(Snapshot))
