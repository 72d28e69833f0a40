"""The entry point (`python -m bot`, `kfor-bot`): which transport runs when."""

from __future__ import annotations


def test_console_is_the_default_without_a_token() -> None:
    """A new interpreter, as a newcomer starts it (the other CLI tests fork from a warmed-up server): it answers,
    and at the end of input it leaves through the interpreter's own shutdown (its watch thread must not hold it)."""
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.process import ENV

    result = subprocess.run(
        [sys.executable, "-m", "bot"], input="/kfor top 1\n", capture_output=True, text=True, cwd=ROOT, env=ENV,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "kfor-bot console" in result.stdout
    assert "KFOR — largest contingent" in result.stdout


def test_an_error_quoting_a_huge_value_is_still_one_short_line(monkeypatch, capsys) -> None:
    """A 60 KB setting (a hostile or broken environment) is named in one line of at most 500 characters."""
    from bot.app import main
    from bot.core.errors import ERROR_LINE_CHARS

    monkeypatch.setenv("KFOR_MISSION", "x" * 60_000)
    assert main(["ask", "/kfor top 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kfor-bot: ") and err.count("\n") == 1 and len(err) <= len("kfor-bot: \n") + ERROR_LINE_CHARS


def test_a_one_shot_command_ends_at_once_with_its_output_whole_and_its_writes_durable(tmp_path) -> None:
    """`kfor-bot` ends a one-shot command without the interpreter's teardown: what it printed through a pipe
    (block-buffered) arrives whole, the exit status is its own, the store holds what it wrote, and no exit
    handler runs (the teardown was skipped)."""
    import sqlite3
    import subprocess
    import sys

    from tests.conftest import ROOT, SEED_FIGURES, snapshot_of
    from tests.process import CHECK_ENV

    report = tmp_path / "report.json"
    report.write_text(snapshot_of(SEED_FIGURES, "2025-02").to_json())
    db = tmp_path / "kfor.db"
    program = ("import atexit, sys; atexit.register(lambda: print('teardown ran', file=sys.stderr)); "
               "sys.argv = ['kfor-bot', *sys.argv[1:]]; from bot.app import main; sys.exit(main())")  # fmt: skip
    run = subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-c", program, "check", "--source", str(report), "--db", f"sqlite:///{db}"],
        capture_output=True, text=True, cwd=ROOT, env={**CHECK_ENV, "PYTHONPATH": str(ROOT)}, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stderr == "kfor-bot check: baseline: recorded the baseline: 4,686 troops, 29 nations\n"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT position FROM snapshots").fetchall() == [(0,)]
    ask = subprocess.run(  # noqa: S603
        [sys.executable, "-c", program, "ask", "/kfor top 3"], capture_output=True, text=True, cwd=ROOT,
        env={**CHECK_ENV, "PYTHONPATH": str(ROOT)}, timeout=60, check=False,
    )  # fmt: skip
    assert ask.returncode == 0 and "Italy" in ask.stdout and "teardown ran" not in ask.stderr


async def test_sigterm_closes_the_bot_as_ctrl_c_does() -> None:
    """``docker stop`` or a platform restart sends SIGTERM: the bot closes (its alert runtime lets deliveries
    under way be recorded) instead of the process ending mid-send."""
    import asyncio
    import os
    import signal

    from bot.app import close_on_sigterm

    closed = asyncio.Event()

    class Bot:
        async def close(self) -> None:
            closed.set()

    close_on_sigterm(Bot())  # type: ignore[arg-type]
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(closed.wait(), 5)
    finally:
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
