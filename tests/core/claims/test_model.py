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
        "effective": "2026",
        "link": "https://x.test/a",
        "published": "2025-03-01T00:00:00+00:00",
        "quote": "Germany cuts 80.",
    }
    assert claim.is_headcount


def test_a_long_quote_is_cut_at_a_word() -> None:
    """Quotes stay within the limit and end with an ellipsis, not half a word."""
    quote = shorten_quote("word " * 200)
    assert len(quote) <= QUOTE_LIMIT
    assert quote.endswith("word…")
