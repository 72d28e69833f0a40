"""One message per webhook post: a digest and its table in one message, within Discord's limits, cut visibly."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.briefings.digest import build_digest
from bot.briefings.model import Footer
from bot.briefings.render import discord_limits as limits
from bot.briefings.render.embeds import CUT_NOTE, embed_size, one_message
from tests.briefings.test_digest import AFTER, BEFORE
from tests.discord.test_embeds import huge_briefing


def _within_limits(embeds: list[dict]) -> bool:
    return 1 <= len(embeds) <= limits.EMBEDS_PER_MESSAGE and sum(map(embed_size, embeds)) <= limits.EMBED_TOTAL


def test_a_digest_and_its_table_are_one_message_nothing_left_out(registry) -> None:
    """The digest's embed first (with its link), the table's after it, no cut note: a real change fits whole."""
    digest = build_digest(BEFORE, AFTER, registry)
    embeds, left_out = one_message(digest.head, digest.detail)
    assert left_out == 0 and _within_limits(embeds)
    assert embeds[0]["title"] == "KFOR update — 2025-02 → 2025-06"
    assert "US             602   320 −282" in embeds[-1]["description"]
    assert all(CUT_NOTE not in e.get("description", "") for e in embeds)


def test_only_the_first_embed_of_the_message_links() -> None:
    """Discord folds embeds that share a link into one: the table's embeds must not carry the source's."""
    footer = Footer(source="NATO", as_of="2025-02", url="https://www.nato.int/placemat.pdf")
    linked = replace(huge_briefing(rows=30, fields=0, text=10), footer=footer)
    embeds, _ = one_message(linked, linked)
    assert embeds[0]["url"] == "https://www.nato.int/placemat.pdf" and all("url" not in e for e in embeds[1:])


def test_what_does_not_fit_is_cut_at_an_embed_and_said() -> None:
    """800 table rows cannot be one message: the first embeds are kept whole, a last one says the rest is cut."""
    big = replace(huge_briefing(rows=800, fields=0, text=10), title="Table", notes=())
    embeds, left_out = one_message(big)
    assert _within_limits(embeds) and left_out > 0
    assert embeds[-1]["description"] == CUT_NOTE
    assert all(e["description"].count("```") % 2 == 0 for e in embeds)  # no code block cut in half
    assert "Nation 0 " in embeds[0]["description"] and "Nation 799 " not in str(embeds)  # the first rows, in order


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 600), fields=st.integers(0, 40), text=st.integers(0, 6000))
def test_any_pair_of_briefings_is_one_message_within_limits(rows: int, fields: int, text: int) -> None:
    """Whatever the digest and table, one message Discord accepts: at most 10 embeds and 6,000 characters."""
    embeds, left_out = one_message(huge_briefing(rows=5, fields=fields, text=text), huge_briefing(rows=rows, fields=0))
    assert _within_limits(embeds)
    assert left_out == 0 or embeds[-1].get("description") == CUT_NOTE or len(embeds) == 1


def test_a_table_drops_thousands_separators_only_when_a_row_would_not_fit_a_phone() -> None:
    """1,258 as written while every row fits 30 characters; 1258 when four-digit figures beside "N. Macedonia"
    would run past a phone's edge."""
    from bot.briefings.model import Column, Table
    from bot.briefings.render.embeds import PHONE_CHARS, phone_lines

    columns = (Column(header="Nation"), Column(header="From", align="right"), Column(header="To", align="right"),
               Column(header="Δ", align="right"))  # fmt: skip
    fits = phone_lines(Table(columns=columns, rows=(("Italy", "1,258", "1,100", "−158"),)))
    assert fits[1].split() == ["Italy", "1,258", "1,100", "−158"]
    wide = phone_lines(Table(columns=columns, rows=(("N. Macedonia", "1,367", "2,667", "+1,300"),)))
    assert wide[1].split() == ["N.", "Macedonia", "1367", "2667", "+1300"] and max(map(len, wide)) <= PHONE_CHARS
