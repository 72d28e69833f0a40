"""Troop figures as reports write them: ``1,258``, ``1.258``, ``1 258``, ``1258 troops``.

Reports come from many languages and tools, so thousands may be grouped by commas, dots or
(narrow) spaces. A figure is a whole, non-negative number of people; anything else is an error
that says which of those rules it breaks.
"""

from __future__ import annotations

import re

_GROUPED = re.compile(r"^\d{1,3}(?:[,.\u00a0\u202f\u2009 ]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_NEGATIVE = re.compile(r"^[-−–]\s*\d")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")
_UNIT_SUFFIX = re.compile(r"\s*(?:troops?|soldiers?|personnel|pers\.?|service\s*members?|staff)\s*$", re.IGNORECASE)
#: What a figure may look like before it is checked closely; used to tell data lines from prose.
NUMBERISH = re.compile(r"^[-−–]?\s*\d[\d,.\u00a0\u202f\u2009 ]*$")
#: No mission has ever counted a billion troops: longer digit runs are not troop figures (and would
#: otherwise reach Python's limit on converting long digit strings to int).
MAX_DIGITS = 12
#: "999,999,999,999 service members" fits; anything longer is no figure, and is not scanned whole,
#: so a hostile "figure" of megabytes costs no more than a short one.
MAX_FIGURE_TEXT = 64


class FigureError(ValueError):
    """A figure that is not a whole, non-negative number; the message says why."""


def strip_unit(text: str) -> str:
    """Drop a trailing unit word such as "troops" or "soldiers"."""
    return _UNIT_SUFFIX.sub("", text.strip())


def looks_numeric(text: str) -> bool:
    """Whether ``text`` (without its unit) has the shape of a figure, valid or not (judged on its start)."""
    return bool(NUMBERISH.match(strip_unit(text[:MAX_FIGURE_TEXT])))


def parse_figure(text: str) -> int:
    """Parse a troop figure, accepting thousands separators; raise :class:`FigureError` otherwise."""
    if len(text) > MAX_FIGURE_TEXT:
        raise FigureError(f"{text[:20]!r}… is too long to be a troop figure")
    value = strip_unit(text)
    if not value:
        raise FigureError("no figure given")
    if _NEGATIVE.match(value):
        raise FigureError(f"negative figure {value!r}: troop numbers cannot be below zero")
    if sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        raise FigureError(f"{value[:20]!r}… has more than {MAX_DIGITS} digits: not a troop figure")
    if _PLAIN.match(value):
        return int(value)
    if _GROUPED.match(value):
        return int(re.sub(r"\D", "", value))
    if _DECIMAL.match(value):
        raise FigureError(f"{value!r} is not a whole number of troops")
    raise FigureError(f"{value!r} is not a number")
