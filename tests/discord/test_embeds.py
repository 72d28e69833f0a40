"""The Discord renderer keeps every message within Discord's limits, however large the answer."""

from __future__ import annotations

from dataclasses import replace

import discord
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.briefings.model import Briefing, BriefingField, Column, Footer, Table
from bot.briefings.render import discord_limits as limits
from bot.discord.embeds import clip, render_messages


def assert_within_limits(messages) -> None:
    for message in messages:
        assert 1 <= len(message.embeds) <= limits.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in message.embeds) <= limits.EMBED_TOTAL
        for embed in message.embeds:
            assert len(embed.title or "") <= limits.EMBED_TITLE
            assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
            assert len(embed.fields) <= limits.EMBED_FIELDS
            for field in embed.fields:
                assert 0 < len(field.name) <= limits.FIELD_NAME
                assert 0 < len(field.value) <= limits.FIELD_VALUE
            assert len(embed.footer.text or "") <= limits.FOOTER_TEXT
            assert (embed.description or "").count("```") % 2 == 0  # no code block cut in half


def huge_briefing(rows: int = 800, fields: int = 60, text: int = 5000) -> Briefing:
    return Briefing(
        kind="test",
        title="T" * 400,
        summary="S" * text,
        notes=("N" * 3000,),
        fields=tuple(BriefingField(name="F" * 300, value="V" * 2000) for _ in range(fields)),
        table=Table(
            columns=(
                Column(header="#", align="right"),
                Column(header="Nation"),
                Column(header="Troops", align="right"),
            ),
            rows=tuple((str(i), f"🇮🇹 Nation {i} " + "x" * (i % 90), f"{i * 37:,}") for i in range(rows)),
            caption="Caption",
        ),
        footer=Footer(source="P" * 3000, as_of="2025-02"),
    )


def test_the_largest_answers_are_split_never_rejected() -> None:
    """800 table rows, 60 long fields, oversize title, summary and footer: split, clipped, within limits."""
    messages = render_messages(huge_briefing())
    assert_within_limits(messages)
    assert len(messages) > 1
    rendered_rows = "\n".join(e.description or "" for m in messages for e in m.embeds)
    for i in (0, 399, 799):  # every row is still there, in order
        assert f"Nation {i} " in rendered_rows
    total_fields = sum(len(e.fields) for m in messages for e in m.embeds)
    assert total_fields == 60
    assert messages[0].embeds[0].title.endswith("…")


def test_real_answers_fit_in_one_message(service) -> None:
    """Every real /kfor answer for the seed is a single message of a single embed."""
    for briefing in (service.top(30), service.scenario("us-withdrawal"), service.scenario("withdraw partners"),
                     service.overview(), service.help(), service.sources(), service.country("Germany")):  # fmt: skip
        messages = render_messages(briefing)
        assert_within_limits(messages)
        assert [len(m.embeds) for m in messages] == [1], briefing.kind


def test_each_part_carries_the_source() -> None:
    messages = render_messages(huge_briefing(fields=0, text=10))
    for message in messages:
        for embed in message.embeds:
            assert embed.footer.text.startswith("Source: ")


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 400), fields=st.integers(0, 40), text=st.integers(0, 6000),
    cell=st.text(min_size=1, max_size=200),
)  # fmt: skip
@example(rows=1, fields=0, text=0, cell="```")  # a cell of backticks must not end the table's code block
def test_any_briefing_renders_within_limits(rows: int, fields: int, text: int, cell: str) -> None:
    briefing = Briefing(
        kind="p",
        title=cell,
        summary="s" * text,
        fields=tuple(BriefingField(name=cell, value=cell * 10) for _ in range(fields)),
        table=Table(columns=(Column(header="a"), Column(header="b")), rows=tuple((cell, str(i)) for i in range(rows))),
        footer=Footer(source=cell, as_of="2025-02"),
    )
    assert_within_limits(render_messages(briefing))


def test_clip_marks_the_cut() -> None:
    assert clip("abcdef", 4) == "abc…"
    assert clip("abc", 4) == "abc"


@pytest.mark.parametrize("size", [1, 25, 26])
def test_discord_accepts_the_embeds_it_is_given(size: int) -> None:
    """discord.py's own Embed serialisation accepts what the renderer builds."""
    briefing = Briefing(kind="k", title="t", fields=tuple(BriefingField(name=f"n{i}", value="v") for i in range(size)))
    (message, *rest) = render_messages(briefing)
    payload = [e.to_dict() for m in (message, *rest) for e in m.embeds]
    assert sum(len(p.get("fields", [])) for p in payload) == size
    assert all(isinstance(e, discord.Embed) for e in message.embeds)


def test_payload_size_matches_discord_py(service) -> None:
    """Our count of an embed's characters is discord.py's (so webhooks obey the same limits)."""
    from bot.briefings.render.embeds import embed_size, render_embeds

    for briefing in (huge_briefing(rows=50, fields=30), service.scenario("us-withdrawal"), service.help()):
        for message in render_embeds(briefing):
            for payload in message:
                assert embed_size(payload) == len(discord.Embed.from_dict(payload))


def test_the_table_follows_the_result(service) -> None:
    """An answer with fields (a scenario) shows its table as the last field, after the outcome."""
    (message,) = render_messages(service.scenario("us-withdrawal"))
    (embed,) = message.embeds
    names = [f.name for f in embed.fields]
    assert names == ["What changes (1)", "Balance", "Backfill to restore 4,686", "After the scenario"]
    assert embed.fields[-1].value.startswith("```") and "```" not in (embed.description or "")
    assert embed.fields[-1].value.endswith("*Add: its share of the backfill.*")  # the table's own footnote


def test_only_the_first_embed_links_to_the_source() -> None:
    """Discord folds embeds sharing a link into one gallery: the continuation embeds carry none."""
    briefing = replace(
        huge_briefing(rows=400, fields=0, text=10),
        footer=Footer(source="NATO", as_of="2025-02", url="https://www.nato.int/placemat.pdf"),
    )
    embeds = [e for m in render_messages(briefing) for e in m.embeds]
    assert len(embeds) > 1
    assert embeds[0].url == "https://www.nato.int/placemat.pdf"
    assert all(e.url is None for e in embeds[1:])


def test_an_alert_reference_is_in_the_link_not_the_footer() -> None:
    """The reference rides the link's anchor (the source's, or the mission's page); the footer stays clean."""
    with_url = Footer(source="NATO", as_of="2025-06", ref="1a2b3c4d", url="https://www.nato.int/p.pdf#page=2")
    without = Footer(source="News", as_of="2025-06", ref="1a2b3c4d")
    assert with_url.link() == "https://www.nato.int/p.pdf#kfor-ref-1a2b3c4d"
    assert without.link() == "https://jfcnaples.nato.int/kfor#kfor-ref-1a2b3c4d"
    (message,) = render_messages(Briefing(kind="digest", title="t", footer=without))
    assert message.embeds[0].url == without.link() and "1a2b3c4d" not in message.embeds[0].footer.text


def test_a_table_footnote_is_escaped_markdown() -> None:
    """A footnote such as '* from a partial list' is shown as written, not read as an italic mark."""
    table = Table(columns=(Column(header="a"),), rows=(("1*",),), notes=("* from a partial list",))
    (message,) = render_messages(Briefing(kind="k", title="t", table=table))
    assert message.embeds[0].description.endswith("*\\* from a partial list*")
