"""Troop figures as reports write them: ``1,258``, ``1.258``, ``1 258``, ``1258 troops``, ``rund 2350``.

Reports come from many languages and tools, so thousands may be grouped by commas, dots or
(narrow) spaces: German, Italian, Turkish and Serbian write ``1.258``, French ``1 258``. A figure
is a whole, non-negative number of people; anything else (``2,5`` is a decimal comma, not a
figure) is an error that says which of those rules it breaks.

A figure the source gives as approximate ("about 550", "rund 2350", "~600") is read as that
figure with a flag, so that it is shown as "≈2,350" rather than passed off as a count.
"""

from __future__ import annotations

import re

_GROUPED = re.compile(r"^\d{1,3}(?:[,.\u00a0\u202f\u2009 ]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_NEGATIVE = re.compile(r"^[-−–]\s*\d")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")
#: Words for troops in the other languages of KFOR's press, as they follow a figure: German
#: (compounds too: "Bundeswehrsoldaten", "US-Soldaten"), French, Italian, Turkish (with the
#: suffixes a number takes: "369 askerle"), Serbian, Albanian.
LOCAL_UNIT_WORDS = (
    r"(?:[^\W\d_]+-?)?soldat(?:inn)?en|armeeangehörigen?"
    r"|soldats|militaires"
    r"|soldati|militari"
    r"|asker(?:le|den|imiz(?:le)?)?|(?:askeri\s+)?personel\w*"
    r"|vojnika|vojnici|vojnik|pripadnika"
    r"|ushtarë(?:t)?|ushtarakë(?:t)?"
)
_UNIT_SUFFIX = re.compile(
    rf"\s*(?:troops?|soldiers?|personnel|pers\.?|service\s*members?|staff|{LOCAL_UNIT_WORDS})\s*$", re.IGNORECASE
)
#: Words that make the figure after them approximate, in the same languages: "about"-like words
#: only, never bounds such as "more than", "oltre", "knapp" or "nearly", which say something else.
APPROX_WORDS = (
    r"about|around|approximately|approx\.|roughly|some|circa|ca\.|an\s+estimated"
    r"|rund|etwa|ungefähr|zirka|annähernd|rd\."
    r"|environ|quelque|approximativement|à\s+peu\s+près"
    r"|approssimativamente|all['’]incirca|intorno\s+a(?:i|lle|gli)?"
    r"|yaklaşık|takriben|tahminen"
    r"|oko|otprilike|približno|cirka"
    r"|rreth|afërsisht|përafërsisht"
)
#: The signs that do the same: "~600", "≈600".
APPROX_SIGNS = "~≈∼"
_APPROX_PREFIX = re.compile(rf"^\s*(?:(?:{APPROX_WORDS})\s+|[{APPROX_SIGNS}]\s*)", re.IGNORECASE)
#: What a figure may look like before it is checked closely; used to tell data lines from prose.
NUMBERISH = re.compile(r"^[-−–]?\s*\d[\d,.\u00a0\u202f\u2009 ]*$")
#: No mission has ever counted a billion troops: longer digit runs are not troop figures (and would
#: otherwise reach Python's limit on converting long digit strings to int).
MAX_DIGITS = 12
#: The default plausibility cap on one figure (the setting ``max_troops``): KFOR peaked near 50,000,
#: so a million troops for one nation is a typo or a broken report, never news.
MAX_TROOPS = 1_000_000
#: "999,999,999,999 service members" fits; anything longer is no figure, and is not scanned whole,
#: so a hostile "figure" of megabytes costs no more than a short one.
MAX_FIGURE_TEXT = 64


class FigureError(ValueError):
    """A figure that is not a whole, non-negative number; the message says why."""


def strip_unit(text: str) -> str:
    """Drop a trailing unit word such as "troops" or "soldiers"."""
    return _UNIT_SUFFIX.sub("", text.strip())


def split_approx(text: str) -> tuple[str, bool]:
    """The figure without a leading "about"-like word or sign, and whether there was one.

    ``"rund 2350"`` → ``("2350", True)``, ``"~530"`` → ``("530", True)``, ``"530"`` → ``("530", False)``.
    """
    match = _APPROX_PREFIX.match(text)
    if match is None:
        return text, False
    return text[match.end() :], True


def looks_numeric(text: str) -> bool:
    """Whether ``text`` (without unit or "about") has the shape of a figure, valid or not (judged on its start)."""
    return bool(NUMBERISH.match(strip_unit(split_approx(text[:MAX_FIGURE_TEXT])[0])))


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


#: Row labels that carry a report's own total ("Total", "Grand total troops") and its nation count
#: ("Contributing nations"), in every tabular and line-based format.
TOTAL_NAME = re.compile(
    r"^(?:grand\s+|overall\s+)?total(?:\s+(?:troops|strength|personnel|force))?$|^(?:\w+\s+)?total$",
    re.IGNORECASE,
)
COUNT_NAME = re.compile(r"\b(?:nations|countries|contributors|tcns?)\b", re.IGNORECASE)
