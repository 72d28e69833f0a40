"""The data the whole bot speaks: sources, contingents and snapshots.

A :class:`Snapshot` is one dated statement of who contributes how many troops to a mission,
always tied to the :class:`Source` it came from, so every figure the bot shows can cite it.
Snapshots are immutable pydantic models; they are validated once, when a report is ingested or a
stored snapshot is loaded, and are then trusted by the rest of the core.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

#: An ISO 8601 calendar date, possibly of reduced precision (``2025-02`` or ``2025-02-19``):
#: reports often say only "February 2025", and the bot must not invent a day.
AS_OF_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")

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


class Source(BaseModel):
    """Where a snapshot's figures come from, as shown in every briefing's footer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: A short, stable identifier (``2017-02-docslib-org``): with the date, it tells apart two
    #: sources that describe the same month.
    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9.-]{0,79}$")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    #: Where the verbatim copy of the report is kept in this repository, when it is.
    document: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """A one-line citation: publisher and title, e.g. for an embed footer."""
        return f"{self.publisher} — {self.title}"


class Contingent(BaseModel):
    """One nation's troops in a snapshot; ``nation`` is the canonical English short name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nation: str = Field(min_length=1)
    troops: Annotated[int, Field(ge=0)]
    #: The source gives the figure as approximate ("rund 2350", "circa 620", "about 550").
    approx: bool = False

    @model_serializer(mode="wrap")
    def _omit_exact(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Most figures are exact: store ``approx`` only where it is true, to keep data files readable."""
        data: dict[str, object] = handler(self)
        if not self.approx:
            data.pop("approx", None)
        return data


class Snapshot(BaseModel):
    """A dated, sourced list of national contingents of one mission.

    ``stated_total`` and ``stated_nations`` are what the report itself claims; they may differ
    from the listed figures (the February 2025 report lists 29 nations but says 27), which is why
    both are kept and the difference is reported as a warning rather than corrected.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = SNAPSHOT_FORMAT
    version: int = SNAPSHOT_FORMAT_VERSION
    mission: str = Field(min_length=1)
    as_of: str | None = None
    source: Source
    coverage: Coverage = Coverage.COMPLETE
    stated_total: Annotated[int, Field(ge=0)] | None = None
    #: The stated total is itself approximate ("~4,686", "knapp 14.000").
    stated_total_approx: bool = False
    stated_nations: Annotated[int, Field(ge=0)] | None = None
    contingents: tuple[Contingent, ...]
    #: Figures the report gives without a nation (a placemat flag without its caption): kept,
    #: never guessed, never dropped.
    unattributed: tuple[Annotated[int, Field(ge=0)], ...] = ()
    #: The format the original report was read as ("pdf", "html", "csv", "text"), for /kfor sources.
    read_as: str | None = None
    warnings: tuple[str, ...] = ()

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str | None) -> str | None:
        if value is not None and not AS_OF_PATTERN.match(value):
            raise ValueError(f"as_of must be YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value

    @field_validator("format")
    @classmethod
    def _check_format(cls, value: str) -> str:
        if value != SNAPSHOT_FORMAT:
            raise ValueError(f"format must be {SNAPSHOT_FORMAT!r}, got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_unique_nations(self) -> Snapshot:
        seen: set[str] = set()
        for contingent in self.contingents:
            if contingent.nation in seen:
                raise ValueError(f"nation {contingent.nation!r} is listed twice")
            seen.add(contingent.nation)
        return self

    @cached_property
    def total(self) -> int:
        """Sum of the listed contingents (which may differ from ``stated_total``)."""
        return sum(c.troops for c in self.contingents)

    @model_serializer(mode="wrap")
    def _omit_empty_extras(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Leave out the extras most snapshots don't use (no unattributed figures, an exact total)."""
        data: dict[str, object] = handler(self)
        if not self.unattributed:
            data.pop("unattributed", None)
        if not self.stated_total_approx:
            data.pop("stated_total_approx", None)
        if self.read_as is None:
            data.pop("read_as", None)
        return data

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

        (``model_copy(update=…)`` would keep the cached ``total`` and ``troops_by_nation`` of the original.)
        """
        approx = self.approx_nations
        contingents = [Contingent(nation=n, troops=t, approx=n in approx) for n, t in troops.items() if t > 0]
        contingents.sort(key=lambda c: (-c.troops, c.nation))
        data = self.model_dump(exclude={"contingents", "stated_total", "stated_total_approx", "stated_nations",
                                        "unattributed", "warnings"})  # fmt: skip
        return Snapshot.model_validate({**data, "contingents": contingents})

    def footer(self) -> str:
        """``Source … · as of …``: the line every briefing built on this snapshot carries."""
        return f"Source: {self.source.citation()} · as of {self.as_of_label}"

    def to_json(self) -> str:
        """The project's JSON snapshot format (documented in the README)."""
        return self.model_dump_json(indent=2, exclude={"total", "troops_by_nation", "approx_nations"}) + "\n"
