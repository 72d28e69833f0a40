"""The transport-neutral briefing: what an answer says, not how a transport draws it.

A briefing is built once from a core result and then rendered as console text, JSON, a Discord
embed or a chart. It carries everything those need — title, summary, fields, an aligned table,
footer with source and date, a colour and the data of an optional chart — and nothing specific
to one of them, so limits such as Discord's 25 fields are enforced by that renderer alone.
Briefings are made by this program only, so they are plain frozen dataclasses, validated only where
one is read back: pydantic's ``TypeAdapter`` writes and reads them for the delivery ledger and ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

# One colour per kind of answer (0xRRGGBB; the Discord renderer uses them as embed colours), so a
# reader knows at a glance what a message is: figures on record, a what-if, news, or a problem.
NEUTRAL = 0x2B6CB0  # NATO-ish blue: briefings on the figures on record
SCENARIO = 0x805AD5  # purple: a what-if, not real figures
DIGEST = 0xDD6B20  # orange: an alert, the figures changed
HEALTHY = 0x2F855A  # green: the alerts' status when the source is fine
ALERT = 0xC53030  # red: something is wrong (a source problem)
ANNOUNCEMENT = 0xB7791F  # amber: a claim by a ministry or the press, not official figures


def _as_tuples(record: object, *names: str) -> None:
    """Lists given for sequence fields are kept as tuples: a briefing stays hashable (charts are cached by it)."""
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, tuple):
            object.__setattr__(record, name, tuple(value))


@dataclass(frozen=True, kw_only=True, slots=True)
class BriefingField:
    """A short labelled fact ("Total troops": "4,686"); inline ones sit side by side."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    header: str
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True, kw_only=True, slots=True)
class Table:
    """Rows of figures with aligned columns (rank, nation, troops, share …)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    #: Footnotes that explain the table ("* from a partial list"): shown with it, dropped with it.
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _as_tuples(self, "columns", "notes")
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))


@dataclass(frozen=True, kw_only=True, slots=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        _as_tuples(self, "values")


@dataclass(frozen=True, kw_only=True, slots=True)
class ChartRequest:
    """The data of a chart a transport may draw; no plotting library is touched to build it."""

    kind: Literal["top", "history", "scenario", "compare"]
    title: str
    labels: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = "troops"
    #: For a history: each point's coverage ("complete", "partial", "estimate"), aligned with ``labels``,
    #: so partial and estimated points are drawn differently from complete ones.
    markers: tuple[str, ...] = ()
    #: The source and date the picture carries along its bottom edge: a chart shared on its own still cites them.
    #: Filled from the answer's footer (see :class:`Briefing`).
    credit: str = ""

    def __post_init__(self) -> None:
        _as_tuples(self, "labels", "series", "markers")


#: Where an alert's reference goes when its source has no address of its own: the mission's public page.
REF_FALLBACK_URL = "https://jfcnaples.nato.int/kfor"
REF_ANCHOR = "#kfor-ref-"


@dataclass(frozen=True, kw_only=True, slots=True)
class Footer:
    """The provenance every figure carries: source and as-of date (and an alert's reference)."""

    source: str
    as_of: str
    #: How much of the mission the figures cover ("complete list", "partial figures", "estimates").
    coverage: str | None = None
    #: A short reference of an alert ("1a2b3c4d"): how a restarted bot finds what it sent. Never shown
    #: in the text; it travels in the link (see :meth:`link`).
    ref: str | None = None
    #: The source's own address, when it has one: answers link to it.
    url: str | None = None
    #: How old the figures are ("22 months ago"), for an answer given now (alerts are news: none).
    age: str | None = None

    def text(self) -> str:
        # No date for figures that have none of their own (a test's sample figures): no "as of" either.
        when = self.as_of if self.as_of.startswith("undated") else f"as of {self.as_of}" if self.as_of else ""
        text = f"Source: {self.source} · {when}" if when else f"Source: {self.source}"
        text = f"{text} · {self.age}" if self.age else text
        return f"{text} · {self.coverage}" if self.coverage else text

    def link(self) -> str | None:
        """The address an answer links to: the source's, carrying the alert's reference as an anchor.

        Discord shows an embed's link on its title and keeps it in the channel's history, so a
        restarted bot can find what it sent (``…#kfor-ref-1a2b3c4d``) while readers see a plain title.
        """
        if not self.ref:
            return self.url
        base = (self.url or REF_FALLBACK_URL).split("#", 1)[0]
        return f"{base}{REF_ANCHOR}{self.ref}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Briefing:
    """One answer, ready for any renderer."""

    kind: str
    title: str
    summary: str = ""
    fields: tuple[BriefingField, ...] = ()
    table: Table | None = None
    #: The whole table when ``table`` is a compact one (a phone-width extract): for a thread, a button, the console.
    full_table: Table | None = None
    #: Caveats, e.g. the report's own inconsistencies.
    notes: tuple[str, ...] = ()
    footer: Footer | None = None
    colour: int = NEUTRAL
    chart: ChartRequest | None = None

    def __post_init__(self) -> None:
        _as_tuples(self, "fields", "notes")
        if self.chart is not None and self.footer is not None and not self.chart.credit:
            object.__setattr__(self, "chart", replace(self.chart, credit=self.footer.text()))

    @property
    def complete_table(self) -> Table | None:
        """The whole table: ``full_table`` when the answer shows a compact one, else ``table``."""
        return self.full_table or self.table

    def without_table(self) -> Briefing:
        """The answer with no table (a chart reply, a discussion's head): nothing refers to one."""
        return replace(self, table=None, full_table=None)
