"""No input reaches a user as a traceback: random bytes and text into `ingest`, `ask` and `check`.

Each run goes through the same entry point as the command line (`bot.app.main`) and must end with a
documented exit status (docs/alerts.md, the exit status table) and at most one line on stderr, never a "Traceback".
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import main

BYTES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.lists(
        st.sampled_from(["Italy", "US", "1,258", "Total", "|", ":", "\t", "\n", "9" * 30, "≈", "%PDF-1.4"]), max_size=40
    ).map(lambda parts: " ".join(parts).encode()),
)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors exit by themselves
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def _one_clean_line(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) <= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BYTES, suffix=st.sampled_from([".txt", ".csv", ".json", ".pdf", ".html", ""]))
def test_ingest_any_bytes(data: bytes, suffix: str) -> None:
    """Any file: 0 (a snapshot) or 1 (nothing usable, said why), never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(data)
        code, _, err = _run(["ingest", str(path)])
    assert code in (0, 1) and _one_clean_line(err)


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=300))
def test_ask_any_text(text: str) -> None:
    """Any typed command: 0 (an answer) or 2 (the user's mistake, in one line), never a traceback."""
    code, _, err = _run(["ask", text])
    assert code in (0, 2) and _one_clean_line(err)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BYTES)
def test_check_any_source(data: bytes) -> None:
    """Any watched file: 0 (a baseline) or 1 (a source problem, in one line), never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "watched.txt"
        source.write_bytes(data)
        code, _, err = _run(["check", "--source", str(source), "--db", f"sqlite:///{folder}/k.db"])
    assert code in (0, 1) and _one_clean_line(err)
