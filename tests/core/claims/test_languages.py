"""The patterns of each language: the four languages read, and a language not read gives no lexicon."""

from __future__ import annotations

import pytest

from bot.core.claims.languages import LANGUAGES, lexicon


@pytest.mark.parametrize(
    ("lang", "ceiling", "not_ceiling"),
    [
        ("en", "up to 350 soldiers", "up to the parliament"),
        ("de", "bis zu 400 Soldaten", "bis zum Sommer"),
        ("it", "fino a 1200 militari", "fino a maggio"),
        ("fr", "jusqu'à 215 militaires", "jusqu'à l'été"),
    ],
)
def test_up_to_is_a_ceiling_only_before_a_figure(lang: str, ceiling: str, not_ceiling: str) -> None:
    """ "fino a" is "until" before a month: only a figure after it makes a ceiling."""
    words = lexicon(lang)
    assert words is not None
    assert words.ceiling.search(ceiling)
    assert not words.ceiling.search(not_ceiling)


def test_languages_are_found_by_code_and_region() -> None:
    """ "de-CH" reads as German; a language without patterns reads as nothing."""
    assert all(lexicon(code) is not None for code in LANGUAGES)
    assert lexicon("de-CH") is lexicon("de")
    assert lexicon("sr") is None
