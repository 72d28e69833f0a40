"""Console (plain and rich) and JSON renderers, and the shared number formats."""

from __future__ import annotations

import io
import json

from pydantic import TypeAdapter
from rich.console import Console

from bot.briefings import formatting as fmt
from bot.briefings.model import Briefing, BriefingField
from bot.briefings.render.json_doc import render_json
from bot.briefings.render.tables import table_lines
from bot.briefings.render.text import print_briefing, render_text


def test_plain_text_has_title_rows_notes_and_footer(service) -> None:
    """Title, underline, aligned rows and the source line; no caveat that belongs elsewhere."""
    text = render_text(service.top(2))
    lines = text.splitlines()
    assert lines[0] == "KFOR — top 2 contingents"
    assert any(line.split() == ["1", "🇮🇹", "Italy", "1,258", "26.8%"] for line in lines)
    assert "states 27 nations" not in text  # the report's own caveat belongs to overview and sources
    assert lines[-1].startswith("Source: ")
    assert lines[-1].endswith(" ago · complete list") and "as of 2025-02 · " in lines[-1]  # the figures' age


def test_table_columns_align_by_display_width(service) -> None:
    """Right-aligned figures end in the same column even with flag emoji before them."""
    lines = table_lines(service.top(29).table)
    from rich.cells import cell_len

    ends = {cell_len(line) for line in lines}
    assert len(ends) == 1


def test_piped_output_is_plain_and_terminal_output_is_rich(service) -> None:
    briefing = service.top(2)
    piped = io.StringIO()
    print_briefing(briefing, Console(file=piped, force_terminal=False))
    assert piped.getvalue() == render_text(briefing)
    terminal = io.StringIO()
    print_briefing(briefing, Console(file=terminal, force_terminal=True, width=100))
    out = terminal.getvalue()
    assert "\x1b[" in out
    assert "╭" in out
    assert "1,258" in out
    assert "as of 2025-02" in out


def test_json_round_trips_the_briefing(service) -> None:
    briefing = service.scenario("us-halves")
    data = json.loads(render_json(briefing))
    assert data["kind"] == "scenario"
    assert data["footer"]["as_of"] == "2025-02"
    assert TypeAdapter(Briefing).validate_python(data) == briefing  # what was left out was empty


def test_number_formats() -> None:
    assert fmt.troops(4686) == "4,686"
    assert (fmt.signed(200), fmt.signed(-602), fmt.signed(0)) == ("+200", "−602", "±0")
    assert (fmt.signed_or_blank(-602), fmt.signed_or_blank(0)) == ("−602", "")
    assert fmt.percent(26.846) == "26.8%"
    assert (fmt.signed_percent(-12.84), fmt.signed_percent(None), fmt.signed_percent(0.01)) == (
        "−12.8%",
        "new",
        "±0.0%",
    )
    assert (fmt.rank_move(3, 2), fmt.rank_move(2, 4), fmt.rank_move(None, 1), fmt.rank_move(1, None)) == (
        "▲1",
        "▼2",
        "new",
        "out",
    )


def test_markup_in_answers_is_text_on_a_terminal(service) -> None:
    """Usage lines keep "[count]" and a stray "[/x]" prints as typed: rich markup is never read."""
    out = io.StringIO()
    print_briefing(service.help(), Console(file=out, force_terminal=True, width=160))
    assert "/kfor top [count]" in out.getvalue()
    weird = Briefing(kind="k", title="[/x] [bold]", summary="[/x]", fields=(BriefingField(name="[a]", value="[/b]"),))
    out = io.StringIO()
    print_briefing(weird, Console(file=out, force_terminal=True, width=100))
    assert all(text in out.getvalue() for text in ("[/x] [bold]", "[a]", "[/b]"))


def test_markdown_becomes_plain_text() -> None:
    """Discord's bold, italics, code and links read as plain text in a terminal; a footnote's '*' stays."""
    from bot.briefings.render.text import plain

    assert plain("*Germny → Germany*\n**269 troops**") == "Germny → Germany\n269 troops"
    assert plain("[KFOR](https://x.int/a) `withdraw US`") == "KFOR (https://x.int/a) withdraw US"
    assert plain("* from a partial list") == "* from a partial list"


def test_the_console_shows_the_whole_table(service) -> None:
    """A terminal is wide: a scenario prints its full ranking, not Discord's phone-width extract."""
    text = render_text(service.scenario("us-withdrawal"))
    assert "N. Macedonia" in text and "… 18 more" not in text and "Add: its share of the backfill." in text
