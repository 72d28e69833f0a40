"""A claim: one nation, one kind of change, the figures the text gives, and where it was said."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Kind = Literal["increase", "decrease", "withdraw_all", "level", "ceiling", "command", "extension", "no_change"]
KINDS: tuple[Kind, ...] = ("increase", "decrease", "withdraw_all", "level", "ceiling", "command", "extension",
                           "no_change")  # fmt: skip
#: Kinds that say something about a headcount, and so can be confirmed or contradicted by a list of troops.
#: Ceilings, mandates, commands and "no change" never move a figure.
HEADCOUNT_KINDS: frozenset[str] = frozenset({"increase", "decrease", "withdraw_all", "level"})
#: A quote is at most this long: enough to judge the claim, short enough for an embed field.
QUOTE_LIMIT = 300
_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass(frozen=True, slots=True)
class Claim:
    """What one sentence of a feed entry says about one nation's contingent.

    ``change`` is signed (``+150``, ``-80``) and set for increases and decreases; ``level`` is the
    figure the text names as a whole (a headcount, a ceiling, 0 for a full withdrawal). ``effective``
    is the date the text gives for the change (``"2025-05"``, ``"2026"``, ``"2025-04-01"``), never the
    feed's own date; ``published`` is that feed date, kept apart.
    """

    nation: str
    kind: Kind
    change: int | None
    level: int | None
    approximate: bool
    effective: str | None
    link: str | None
    published: datetime | None
    quote: str

    @property
    def is_headcount(self) -> bool:
        return self.kind in HEADCOUNT_KINDS

    @property
    def effective_month_or_day(self) -> str | None:
        """``effective`` when it names a month (``YYYY-MM``) or a day (``YYYY-MM-DD``), else None.

        The JSON form promises one of those two shapes or null. A year alone ("d'ici 2026") is not
        stretched into a month it never named: it stays in the quote and in what the team reads.
        """
        if self.effective and _MONTH_OR_DAY.fullmatch(self.effective):
            return self.effective
        return None

    def to_dict(self, iso3: str | None = None) -> dict[str, Any]:
        """The claim as ``kfor-bot news --json`` prints it."""
        return {
            "nation": self.nation,
            "iso3": iso3,
            "kind": self.kind,
            "change": self.change,
            "level": self.level,
            "approximate": self.approximate,
            "effective": self.effective_month_or_day,
            "link": self.link,
            "published": self.published.isoformat() if self.published else None,
            "quote": self.quote,
        }


def shorten_quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when it is over ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
