"""``data/nations.toml``'s records: the curated facts on each nation, as a person types them.

A person edits this file by hand, and a mistake in it is wrong everywhere: a misspelt ``nat0``
would quietly turn a NATO member into a partner and change every member/partner split, a string
where a list belongs would make each of its letters a name for the nation. So every key is known
(an unknown one is an error with the nearest known key), every value has its type and bounds, and
names and codes are unique across the file. :class:`~bot.core.nations.NationRegistry` builds its
nations from these records, adding what ISO 3166 says of each code.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, Strict, ValidationInfo, field_validator, model_validator

from bot.core.models import Record, Text

#: A year of accession: NATO was founded in 1949, the EEC in 1958; nothing before the Second World War.
Year = Annotated[int, Strict(), Field(ge=1945, le=2100)]
#: Context key for validation: the set of ISO 3166-1 alpha-2 codes a record's ``alpha2`` must be in.
ISO_CODES = "iso_alpha2"


class NationRecord(Record):
    """One ``[[nation]]`` table; the comment at the top of ``data/nations.toml`` says what each key means."""

    name: Text
    alpha2: Annotated[str, Strict()]
    display: Annotated[str, Strict()] = ""
    short: Annotated[str, Strict()] = ""
    aliases: tuple[Text, ...] = ()
    local_names: tuple[Text, ...] = ()
    nato: Year | None = None
    eu: Year | None = None
    eu_left: Year | None = None

    @field_validator("alpha2")
    @classmethod
    def _iso_code(cls, code: str, info: ValidationInfo) -> str:
        codes = (info.context or {}).get(ISO_CODES)
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ValueError(f"must be a two-letter ISO 3166-1 alpha-2 code, not {code!r}")
        if codes is not None and code.upper() not in codes:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        return code.upper()

    @model_validator(mode="after")
    def _left_after_joining(self) -> Self:
        if self.eu_left is not None and (self.eu is None or self.eu_left <= self.eu):
            raise ValueError("eu_left: must be a year after eu, the year of joining")
        return self


class NationsFile(Record):
    """The whole file: the mission these nations contribute to, and one record per nation."""

    mission: Text = "the mission"
    nation: tuple[NationRecord, ...]

    @field_validator("nation")
    @classmethod
    def _each_once(cls, records: tuple[NationRecord, ...]) -> tuple[NationRecord, ...]:
        """Two records with one name or one code: which one a report means could not be told."""
        if not records:
            raise ValueError("must list at least one [[nation]]")
        for label in ("name", "alpha2"):
            seen: dict[str, str] = {}
            for record in records:
                value = str(getattr(record, label))
                if value.casefold() in seen:
                    raise ValueError(f"{seen[value.casefold()]} and {record.name} have the same {label} {value!r}")
                seen[value.casefold()] = record.name
        return records
