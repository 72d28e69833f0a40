"""Troop figures with the separators and units reports use, and the errors for bad ones."""

from __future__ import annotations

import pytest

from bot.core.reports.figures import FigureError, looks_numeric, parse_figure


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,258", 1258),
        ("1.258", 1258),
        ("1 258", 1258),
        ("1\u202f258", 1258),
        ("12,345,678", 12345678),
        ("602 soldiers", 602),
        ("89 troops", 89),
        ("7", 7),
        ("0", 0),
    ],
)
def test_parse_figure_accepts_thousands_separators_and_units(text: str, value: int) -> None:
    """Every common way of grouping thousands gives the same number."""
    assert parse_figure(text) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5", "negative"),
        ("−5", "negative"),
        ("12.5", "whole number"),
        ("n/a", "not a number"),
        ("", "no figure"),
        ("1,25", "whole number"),
        ("12,34,5", "not a number"),
    ],
)
def test_parse_figure_rejects_with_a_reason(text: str, reason: str) -> None:
    """Negative, fractional and non-numeric figures are refused, saying which."""
    with pytest.raises(FigureError, match=reason):
        parse_figure(text)


def test_looks_numeric_separates_figures_from_words() -> None:
    assert looks_numeric("1,258 troops")
    assert looks_numeric("-3")
    assert not looks_numeric("about a hundred")


def test_a_digit_run_too_long_for_a_troop_figure_is_a_figure_error() -> None:
    """Thirteen digits and more are no troop figure: a FigureError (never int()'s ValueError on 5,000 digits)."""
    assert parse_figure("999,999,999,999") == 999_999_999_999
    for text in ("1" * 13, "1,000,000,000,000"):
        with pytest.raises(FigureError, match="more than 12 digits"):
            parse_figure(text)
    with pytest.raises(FigureError, match="too long to be a troop figure"):
        parse_figure("1" * 5000)
    assert looks_numeric("1" * 5000)  # it has the shape of a figure: a bad one, reported as such
