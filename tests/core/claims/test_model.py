"""The claim record: its JSON form and its quote."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.claims.model import QUOTE_LIMIT, Claim, shorten_quote


def test_a_claim_prints_as_the_news_command_documents_it() -> None:
    """The keys and types of ``kfor-bot news --json``: signed change, ISO dates, the nation's code."""
    claim = Claim(
        "Germany",
        "decrease",
        -80,
        None,
        True,
        "2026",
        "https://x.test/a",
        datetime(2025, 3, 1, tzinfo=UTC),
        "Germany cuts 80.",
    )
    assert claim.to_dict("DEU") == {
        "nation": "Germany",
        "iso3": "DEU",
        "kind": "decrease",
        "change": -80,
        "level": None,
        "approximate": True,
        "effective": None,
        "link": "https://x.test/a",
        "published": "2025-03-01T00:00:00+00:00",
        "quote": "Germany cuts 80.",
    }
    assert claim.is_headcount


def test_the_json_effective_date_is_a_month_a_day_or_null() -> None:
    """``YYYY-MM`` and ``YYYY-MM-DD`` pass through; a year alone is null, never a made-up month."""

    def effective(text: str | None) -> object:
        return Claim("Italy", "increase", 50, None, False, text, None, None, "q").to_dict()["effective"]

    assert effective("2025-05") == "2025-05"
    assert effective("2025-04-01") == "2025-04-01"
    assert effective("2026") is None
    assert effective(None) is None


def test_a_long_quote_is_cut_at_a_word() -> None:
    """Quotes stay within the limit and end with an ellipsis, not half a word."""
    quote = shorten_quote("word " * 200)
    assert len(quote) <= QUOTE_LIMIT
    assert quote.endswith("word…")
