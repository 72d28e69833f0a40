"""Figures in words and digits, and the dates a change takes effect from."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.claims.languages import LEXICONS
from bot.core.claims.numbers import effective_date, figures, words_to_digits


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("zweihundertzwanzig Soldaten", "de", 220),
        ("trecento militari", "it", 300),
        ("cent cinquante soldats", "fr", 150),
        ("two hundred and fifty troops", "en", 250),
    ],
)
def test_numbers_in_words_become_figures(text: str, lang: str, value: int) -> None:
    """text2num turns a number written in words into the figure it names, in each language."""
    assert [v for v, _, _ in figures(words_to_digits(text, lang))] == [value]


def test_thousands_are_grouped_three_ways_and_decimals_are_not_figures() -> None:
    """ "4,800", "4.800" and "4 800" are 4800; "1,5" is no troop figure at all."""
    assert [v for v, _, _ in figures("4,800 or 4.800 or 4 800")] == [4800, 4800, 4800]
    assert figures("1,5 Millionen") == []


@pytest.mark.parametrize(
    ("text", "lang", "published", "effective"),
    [
        ("ab Mai 2025", "de", None, "2025-05"),
        ("from June", "en", date(2025, 3, 1), "2025-06"),
        ("from June", "en", date(2025, 10, 1), "2026-06"),
        ("from June", "en", None, None),
        ("d'ici 2026", "fr", None, "2026"),
        ("à partir du 1er avril 2025", "fr", None, "2025-04-01"),
        ("entro il 2026", "it", None, "2026"),
        ("from April 1, 2024", "en", None, "2024-04-01"),
        ("published in a report", "en", date(2025, 3, 1), None),
        ("from 31 February 2025", "en", None, "2025-02"),  # no such day: the month it names
        ("ab dem 29. Februar 2028", "de", None, "2028-02-29"),
    ],
)
def test_effective_dates_come_from_the_text(
    text: str, lang: str, published: date | None, effective: str | None
) -> None:
    """The date is the text's own; the feed date only places a month without a year, and is never the date."""
    assert effective_date(text, LEXICONS[lang], published) == effective
