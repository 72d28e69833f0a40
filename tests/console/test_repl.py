"""The interactive console, driven line by line as a person would type."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.console.repl import run_console


def _typed(lines: list[str]) -> Iterator[str]:
    yield from lines
    raise EOFError


def _run(service, lines: list[str]) -> str:
    feed = _typed(lines)
    out = io.StringIO()
    code = run_console(service, read_line=lambda _prompt: next(feed), console=Console(file=out, width=120))
    assert code == 0
    return out.getvalue()


def test_console_answers_the_discord_commands(service) -> None:
    """Top, country with a typo, a preset scenario and help, then Ctrl-D."""
    out = _run(service, ["/kfor top 5", "/kfor country Germny", "/kfor scenario us-withdrawal", "/kfor help"])
    assert "kfor-bot console — KFOR" in out
    assert "KFOR — top 5 contingents" in out
    assert "🇩🇪 Germany in KFOR" in out
    assert "269 troops — rank 5 of 29" in out
    assert "Scenario — United States withdraws" in out
    assert "4,686 → 4,084" in out
    assert "/kfor scenario <change>" in out


def test_console_reports_mistakes_and_keeps_going(service) -> None:
    """A mistake is one line; the next command is answered; quit stops the loop."""
    out = _run(service, ["/kfor country Atlantis", "/kfor top 1", "quit", "/kfor top 2"])
    assert "✗ Unknown nation 'Atlantis'" in out
    assert "KFOR — largest contingent" in out
    assert "top 2" not in out  # quit stopped the loop


def test_markup_in_what_is_typed_is_just_text(service) -> None:
    """'[/x]' once crashed the console with rich's MarkupError; usage lines keep their '[count]'."""
    out = _run(service, ["/kfor country [/x]", "/kfor scenario [bold]US-50%", "/kfor help"])
    assert "✗ Unknown nation '[/x]'" in out
    assert "✗ In '[bold]US-50%': Unknown nation '[bold]US'." in out
    assert "/kfor top [count]" in out and "/kfor chart [kind] [subject]" in out


def test_a_real_country_without_troops_and_a_corrected_typo(service) -> None:
    """The console says what Discord says: no contingent for Serbia, and which nation a typo was read as."""
    out = _run(service, ["/kfor country Serbia", "/kfor country Germny"])
    assert "✗ Serbia has no contingent in KFOR." in out
    assert "Germny → Germany" in out and "*" not in out.split("Germny → Germany")[1].splitlines()[0]


def test_tab_completes_commands_and_nation_names(service) -> None:
    """Subcommands, nation names (as NATO writes them, old names too), chart kinds and presets."""
    from bot.console.completion import CommandCompleter

    complete = CommandCompleter(service).candidates
    assert complete("/kf") == ["/kfor "]
    assert complete("/kfor co") == ["/kfor country ", "/kfor compare "]
    assert complete("/kfor country Ger") == ["/kfor country Germany"]
    assert complete("/kfor country tur") == ["/kfor country Türkiye"]
    assert complete("/kfor history united k") == ["/kfor history United Kingdom"]
    assert len(complete("/kfor history uni")) == 3  # the Emirates, once a contributor, the Kingdom and the States
    assert complete("/kfor country ")[:3] == ["/kfor country Italy", "/kfor country United States",
                                              "/kfor country Hungary"]  # fmt: skip
    assert complete("/kfor chart h") == ["/kfor chart history "]
    assert complete("/kfor chart history It") == ["/kfor chart history Italy"]
    assert complete("/kfor scenario us-") == ["/kfor scenario us-withdrawal", "/kfor scenario us-halves"]
    assert complete("hello") == []


def test_tab_is_bound_while_the_console_runs(service) -> None:
    """readline calls our completer while the console reads, and gets the old one back after."""
    readline = pytest.importorskip("readline")
    before = readline.get_completer()
    seen = []

    def read(_prompt: str) -> str:
        if seen:
            raise EOFError
        seen.append((readline.get_completer()("/kfor hel", 0), readline.get_completer_delims()))
        return ""

    assert run_console(service, read_line=read, console=Console(file=io.StringIO())) == 0
    assert seen == [("/kfor help ", "")]
    assert readline.get_completer() == before


def test_chart_writes_a_png_and_prints_its_path(service, tmp_path) -> None:
    """/kfor chart in the console draws the PNG into the chart folder and says where."""
    feed = _typed(["/kfor chart history Italy", "/kfor chart"])
    out = io.StringIO()
    run_console(service, read_line=lambda _p: next(feed), console=Console(file=out, width=200), chart_dir=tmp_path)
    paths = re.findall(r"^Chart: (\S+\.png)$", out.getvalue(), re.MULTILINE)
    assert [Path(p).name for p in paths] == ["italy-in-kfor.png", "kfor-contingents-2025-02.png"]
    for path in paths:
        assert Path(path).parent == tmp_path.resolve() and Path(path).read_bytes().startswith(b"\x89PNG")


def test_ctrl_c_leaves_cleanly(service, bot_settings) -> None:
    """Ctrl-C at the prompt ends the console like quit: exit code 0, no traceback, the watcher stopped."""

    def interrupted(_prompt: str) -> str:
        raise KeyboardInterrupt

    out = io.StringIO()
    assert run_console(service, read_line=interrupted, console=Console(file=out), settings=bot_settings) == 0
    assert "Traceback" not in out.getvalue()
    assert not any(t.name == "kfor-watch" and t.is_alive() for t in threading.enumerate())


def test_console_latest_and_the_age_of_every_answer(service) -> None:
    """`latest` in the console is /kfor latest; every answer's footer says how old its figures are."""
    out = _run(service, ["latest", "top 2"])
    assert "newer than the complete list of 2025-02" in out
    assert re.search(r"as of 2025-02 · \d+ \w+ ago · complete list", out)


def test_next_prev_and_chart_do_what_the_buttons_do_in_discord(service, tmp_path) -> None:
    """A long answer shows its first page and "next"/"prev" turn them (◀ ▶); "chart" after top, history, a
    scenario or compare draws what its Chart button draws, writes the PNG and says where; each says why when it
    cannot (#20)."""
    feed = _typed(["next", "/kfor sources", "next", "prev", "prev", "/kfor history Italy", "chart", "next",
                   "/kfor scenario withdraw US", "chart", "/kfor top 3", "chart",
                   "/kfor compare 2023-10 2025-02", "chart"])  # fmt: skip
    out = io.StringIO()
    run_console(service, read_line=lambda _p: next(feed), console=Console(file=out, width=200), chart_dir=tmp_path)
    text = out.getvalue()
    pages = re.findall(r"^Page (\d+) of (\d+): type (.+)\.$", text, re.MULTILINE)
    assert [p[0] for p in pages] == ["1", "2", "1"] and pages[0][2] == "next" and pages[1][2] == "next or prev"
    assert text.count("where the figures come from") == 3  # a page each time, not the whole answer at once
    assert text.count("✗ No more pages") == 2 and text.count("✗ No earlier page") == 1
    charts = [Path(p).name for p in re.findall(r"^Chart: (\S+\.png)$", text, re.MULTILINE)]
    assert charts == ["italy-in-kfor.png", "withdraw-us-kfor-2025-02.png", "kfor-contingents-2025-02.png",
                      "kfor-2023-10-2025-02.png"]  # fmt: skip
    assert all((tmp_path / name).read_bytes().startswith(b"\x89PNG") for name in charts)


def test_tab_completes_the_words_of_the_buttons(service) -> None:
    """next, prev and chart complete like the commands."""
    from bot.console.completion import CommandCompleter

    complete = CommandCompleter(service).candidates
    assert complete("ne") == ["next"] and complete("p") == ["prev"] and complete("ch") == ["chart"]


def test_a_50_kb_line_is_answered_in_one_short_line(service) -> None:
    """A pasted 50 KB line: the mistake is named in one line, not echoed back whole."""
    from bot.core.errors import ERROR_LINE_CHARS

    out = _run(service, ["/kfor " + "x" * 50_000])
    assert "✗ Unknown subcommand" in out and out.count("x") < ERROR_LINE_CHARS
