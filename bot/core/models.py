"""The data the whole bot speaks: sources, contingents and snapshots.

A :class:`Snapshot` is one dated statement of who contributes how many troops to a mission,
always tied to the :class:`Source` it came from, so every figure the bot shows can cite it.
Snapshots are immutable pydantic models: a stored snapshot, a JSON report or a ``.meta.toml``
sidecar is validated once, where it comes in (every problem named with its place, see
:mod:`bot.core.validation`), and the same rules hold for a snapshot the bot makes itself (a report
ingested, a scenario applied). The rest of the core then trusts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator, model_validator

from bot.core.validation import InvalidRecord, lines_of

#: An ISO 8601 calendar date, possibly of reduced precision (``2025-02`` or ``2025-02-19``):
#: reports often say only "February 2025", and the bot must not invent a day.
AS_OF_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,79}$")

#: A count of troops or nations: a whole number ≥ 0, given as one. Strict, so that ``"1258"``,
#: ``1258.0`` and JSON's ``true`` in a report are refused rather than read as troops.
Count = Annotated[int, Strict(), Field(ge=0)]
#: Text a record needs: not empty, and never a number taken for a name.
Text = Annotated[str, Strict(), Field(min_length=1)]


def check_as_of(as_of: str | None) -> str | None:
    """The rule of every as-of date a record holds: none, or :data:`AS_OF_PATTERN`'s form."""
    if as_of is not None and not AS_OF_PATTERN.match(as_of):
        raise ValueError(f"must be YYYY-MM or YYYY-MM-DD, not {as_of!r}")
    return as_of


class Record(BaseModel):
    """A record read from a file a person or a publisher writes: frozen, and no key it does not know.

    Built on first use (``defer_build``), so a command that never reads one does not pay for it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def replace(self, **changes: Any) -> Self:
        """This record with ``changes``, validated again (``model_copy`` would skip the rules and
        keep cached totals of the old figures)."""
        return self.model_validate({**{name: getattr(self, name) for name in type(self).model_fields}, **changes})

    @classmethod
    def from_data(cls, data: object) -> Self:
        """The record from parsed JSON or TOML; :class:`InvalidRecord` names every problem and its place."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidRecord(lines_of(exc, cls)) from None


SNAPSHOT_FORMAT: Literal["kfor-bot/snapshot"] = "kfor-bot/snapshot"
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


class Source(Record):
    """Where a snapshot's figures come from, as shown in every briefing's footer."""

    #: A short, stable identifier (``2017-02-docslib-org``): with the date, it tells apart two
    #: sources that describe the same month.
    id: Annotated[str, Strict()] | None = None
    title: Text
    publisher: Text
    url: Annotated[str, Strict()] | None = None
    #: Where the verbatim copy of the report is kept in this repository, when it is.
    document: Annotated[str, Strict()] | None = None
    note: Annotated[str, Strict()] | None = None

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str | None) -> str | None:
        if value is not None and not SOURCE_ID_PATTERN.match(value):
            raise ValueError(f"must be lower-case letters, digits, dots and dashes, not {value!r}")
        return value

    def citation(self) -> str:
        """A one-line citation: publisher and title, e.g. for an embed footer."""
        return f"{self.publisher} — {self.title}"


class Contingent(Record):
    """One nation's troops in a snapshot; ``nation`` is the canonical English short name."""

    nation: Text
    troops: Count
    #: The source gives the figure as approximate ("rund 2350", "circa 620", "about 550"). Most
    #: figures are exact: it is written only where true, to keep data files readable.
    approx: Annotated[bool, Strict()] = Field(default=False, exclude_if=lambda approx: not approx)


def _only_if(value: object) -> bool:
    """Written to a data file only when set: most snapshots have no such extra."""
    return not value


class Snapshot(Record):
    """A dated, sourced list of national contingents of one mission.

    ``stated_total`` and ``stated_nations`` are what the report itself claims; they may differ
    from the listed figures (the February 2025 report lists 29 nations but says 27), which is why
    both are kept and the difference is reported as a warning rather than corrected.
    The field order is the JSON snapshot format's (documented in the README); the extras most
    snapshots don't use are left out of it when unset.
    """

    format: Literal["kfor-bot/snapshot"] = "kfor-bot/snapshot"
    version: Annotated[int, Strict()] = SNAPSHOT_FORMAT_VERSION
    mission: Text
    as_of: Annotated[str, Strict()] | None = None
    source: Source
    coverage: Coverage = Coverage.COMPLETE
    stated_total: Count | None = None
    #: The stated total is itself approximate ("~4,686", "knapp 14.000").
    stated_total_approx: Annotated[bool, Strict()] = Field(default=False, exclude_if=_only_if)
    stated_nations: Count | None = None
    contingents: tuple[Contingent, ...]
    #: Figures the report gives without a nation (a placemat flag without its caption): kept,
    #: never guessed, never dropped.
    unattributed: tuple[Count, ...] = Field(default=(), exclude_if=_only_if)
    #: The format the original report was read as ("pdf", "html", "csv", "text"), for /kfor sources.
    read_as: Annotated[str, Strict()] | None = Field(default=None, exclude_if=lambda value: value is None)
    #: The report read is a copy of the source's figures made for this project (a CSV typed from a web
    #: page or an article), not the publisher's own document: /kfor sources says so.
    transcribed: Annotated[bool, Strict()] = Field(default=False, exclude_if=_only_if)
    warnings: tuple[Annotated[str, Strict()], ...] = ()
    #: The report gave no date: ``as_of`` is the day it was retrieved, and is shown as such
    #: ("undated, retrieved 2026-12-03"), never as if the report said so.
    as_of_retrieved: Annotated[bool, Strict()] = Field(default=False, exclude_if=_only_if)

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:  # a later format may mean other things
        if version != SNAPSHOT_FORMAT_VERSION:
            raise ValueError(f"this kfor-bot reads version {SNAPSHOT_FORMAT_VERSION}, not {version!r}")
        return version

    _as_of_form = field_validator("as_of")(check_as_of)

    @model_validator(mode="after")
    def _each_nation_once(self) -> Self:
        seen: set[str] = set()
        for contingent in self.contingents:
            if contingent.nation in seen:
                raise ValueError(f"contingents: nation {contingent.nation!r} is listed twice")
            seen.add(contingent.nation)
        return self

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
        date = self.as_of or "date unknown"
        if not self.source.id:
            return date
        source = self.source.id.removeprefix(f"{self.as_of}-") if self.as_of else self.source.id
        return f"{date}/{source}"

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
        if self.as_of_retrieved:
            return f"undated, retrieved {self.as_of}"
        return self.as_of or "date unknown"

    @property
    def dated(self) -> bool:
        """The report itself gave the date (not the day it was retrieved): it may be ordered against others."""
        return self.as_of is not None and not self.as_of_retrieved

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
        return self.replace(contingents=tuple(contingents), stated_total=None, stated_total_approx=False,
                            stated_nations=None, unattributed=(), warnings=())  # fmt: skip

    def footer(self) -> str:
        """``Source … · as of …``: the line every briefing built on this snapshot carries."""
        when = self.as_of_label if self.as_of_retrieved else f"as of {self.as_of_label}"
        return f"Source: {self.source.citation()} · {when}"

    def to_json(self) -> str:
        """The project's JSON snapshot format, as the data files keep it."""
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """A snapshot from its JSON form; :class:`InvalidRecord` names every problem and its place."""
        return cls.from_data(json.loads(text))
