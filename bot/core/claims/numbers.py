"""Figures and dates in a sentence: numbers written in words, thousands grouped by a comma, a dot or a
space, and the month or year a change takes effect from.

Numbers in words become digits with text2num's ``alpha2digit`` ("zweihundertzwanzig" → 220,
"trecento" → 300, "cent cinquante" → 150). A month without a year takes the year of the next such
month on or after the month before publication: "from June" in a March article is this June, in an
October one next June. Without a publication date such a month gives no date at all: guessing a year
would invent one.
"""

from __future__ import annotations

import re
from datetime import date

from text_to_num import alpha2digit

from bot.core.claims.languages import Lexicon

#: A figure: digits, thousands grouped by a comma, dot, apostrophe or (narrow) space ("4,800", "4.800", "4 800").
FIGURE = re.compile(
    r"(?<![\d.,])\d{1,3}(?:(?:[,.'’]|\u202f|\u00a0| )\d{3})+(?![\d]|[.,]\d)|(?<![\d.,])\d+(?![\d]|[.,]\d)"
)
_YEAR = r"(20\d\d)"


def words_to_digits(text: str, lang: str) -> str:
    """``text`` with numbers written in words as digits, in that language; unchanged where text2num fails."""
    try:
        return str(alpha2digit(text, lang))
    except (ValueError, KeyError, IndexError, AssertionError):  # text2num refuses some edge cases by raising
        return text


def figure_value(text: str) -> int:
    """The integer a matched figure stands for (``"4,800"`` → 4800)."""
    return int(re.sub(r"\D", "", text))


def figures(text: str) -> list[tuple[int, int, int]]:
    """Every figure in ``text`` as (value, start, end)."""
    return [(figure_value(m.group()), m.start(), m.end()) for m in FIGURE.finditer(text)]


def _month_names(lexicon: Lexicon) -> str:
    return "|".join(sorted(lexicon.months, key=len, reverse=True))


def date_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Where the sentence names a date ("1 April 2025", "Mai 2025", "2026" after "by"), to keep its figures from
    being read as troops."""
    months = _month_names(lexicon)
    day = r"(?:\d{1,2}(?:\.|er|°|st|nd|rd|th)?\s+)?"
    patterns = [
        rf"\b{day}(?:{months})\b(?:\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?,?)?(?:\s+{_YEAR})?",
        rf"\b(?:{lexicon.from_year}|in|im|nel|en|del|of)\s+"
        rf"(?:(?:the )?(?:year |jahr |anno |l'année )?|il |l')?{_YEAR}\b",
        r"\b(19|20)\d\d\b",
    ]
    spans = []
    for pattern in patterns:
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return spans


def effective_date(text: str, lexicon: Lexicon, published: date | None) -> str | None:
    """The date a change takes effect, as the text gives it after a forward-looking preposition.

    ``"2025-05"`` for "ab Mai 2025", ``"2026"`` for "d'ici 2026", ``"2025-04-01"`` for "from 1 April 2025";
    None when the text gives none, or gives a month without a year and ``published`` is unknown.
    """
    months = _month_names(lexicon)
    lead = rf"(?<!\w)(?:{lexicon.from_date})\s+(?:the\s+|le\s+|il\s+|dem\s+|del\s+|de\s+|d')?"
    day = r"(?:(\d{1,2})(?:\.|er|°|st|nd|rd|th)?\s+)?"
    dated = re.search(rf"{lead}{day}({months})\b(?:\s+(\d{{1,2}})(?!\d)(?:st|nd|rd|th)?,?)?(?:\s+{_YEAR})?", text,
                      re.IGNORECASE)  # fmt: skip
    if dated:
        day_before, month_name, day_after, year_text = dated.groups()
        month = lexicon.months[month_name.lower()]
        if year_text:
            year = int(year_text)
        elif published is not None:
            year = published.year if month >= published.month - 1 else published.year + 1
        else:
            return None
        day_text = day_before or day_after
        if day_text and _is_day(year, month, int(day_text)):
            return f"{year:04d}-{month:02d}-{int(day_text):02d}"
        return f"{year:04d}-{month:02d}"  # "from 31 February": the month is still said, the day is no day
    yearly = re.search(rf"(?<!\w)(?:{lexicon.from_year})\s+(?:the end of |fine |la fin |ende |l'année |il )?{_YEAR}\b",
                       text, re.IGNORECASE)  # fmt: skip
    return yearly.group(1) if yearly else None


def _is_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists: ``--json`` promises a real ``YYYY-MM-DD``, never 2025-02-31."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
