"""Troop figures with the separators and units reports use, and the errors for bad ones."""

from __future__ import annotations

import pytest

from bot.core.reports.figures import FigureError, looks_numeric, parse_figure, split_approx


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
        ("1.258 Soldaten", 1258),
        ("2350 Bundeswehrsoldaten", 2350),
        ("602 US-Soldaten", 602),
        ("1 258 soldats", 1258),
        ("620 militari", 620),
        ("369 askerle", 369),
        ("369 askeri personel", 369),
        ("1.258 vojnika", 1258),
        ("602 ushtarë", 602),
        ("90 ushtarakë", 90),
    ],
)
def test_parse_figure_accepts_thousands_separators_and_units(text: str, value: int) -> None:
    """Every common way of grouping thousands gives the same number, with a unit word in any of the seven languages."""
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
        ("2,5 Soldaten", "whole number"),
        ("~530", "not a number"),
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


@pytest.mark.parametrize(
    ("text", "rest", "approx"),
    [
        ("rund 2350", "2350", True), ("circa 620", "620", True), ("ca. 600", "600", True), ("etwa 500", "500", True),
        ("about 550", "550", True), ("around 3,500", "3,500", True), ("approximately 40", "40", True),
        ("some 600", "600", True), ("environ 500", "500", True), ("yaklaşık 300", "300", True),
        ("oko 300", "300", True), ("rreth 300", "300", True), ("≈600", "600", True), ("~ 600", "600", True),
        ("600", "600", False), ("more than 600", "more than 600", False), ("oltre 600", "oltre 600", False),
        ("knapp 600", "knapp 600", False), ("nearly 600", "nearly 600", False), ("some", "some", False),
    ],
)  # fmt: skip
def test_split_approx_takes_about_like_words_only(text: str, rest: str, approx: bool) -> None:
    """'rund', 'circa', 'about', 'oko', 'rreth', '≈', '~' mark a figure approximate; bounds like 'more than' do not."""
    assert split_approx(text) == (rest, approx)


def test_an_approximate_figure_looks_numeric() -> None:
    """'about 530' is a figure to a list line (so 'Germany: about 530' is data), 'about a hundred' is not."""
    assert looks_numeric("about 530")
    assert looks_numeric("≈ 530 Soldaten")
    assert not looks_numeric("more than 530")


def test_a_digit_run_too_long_for_a_troop_figure_is_a_figure_error() -> None:
    """Thirteen digits and more are no troop figure: a FigureError (never int()'s ValueError on 5,000 digits)."""
    assert parse_figure("999,999,999,999") == 999_999_999_999
    for text in ("1" * 13, "1,000,000,000,000"):
        with pytest.raises(FigureError, match="more than 12 digits"):
            parse_figure(text)
    with pytest.raises(FigureError, match="too long to be a troop figure"):
        parse_figure("1" * 5000)
    assert looks_numeric("1" * 5000)  # it has the shape of a figure: a bad one, reported as such
