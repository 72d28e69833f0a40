"""Run kfor-bot as a real process, as a user would: ``python -m bot ARGS`` from the project root.

Each command is a process of its own (its pid, environment, directory, streams and exit status), forked
from a server that has already imported what commands load (:mod:`tests.cli_child`): a new interpreter
would spend a third of a second importing the same libraries for each of the suite's hundred commands.
The tests that time or profile a start (``tests/test_architecture.py``, the benchmarks) and those that kill
a check mid-flight start a new interpreter of their own.
"""

from __future__ import annotations

import multiprocessing.process
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT

#: No token, and a state directory of the tests' own (the console's watcher keeps its store there).
ENV = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"KFOR_STATE_DIR": tempfile.mkdtemp()}


#: A command's longest run before the test gives up on it.
TIMEOUT = 60


def _forked(argv: list[str], env: dict[str, str], cwd: Path, stdin: str | None) -> _Command:
    """Start ``kfor-bot ARGV`` as a process forked from the fork server (started on first use)."""
    import multiprocessing

    from tests import cli_child

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.cli_child"])
    folder = Path(tempfile.mkdtemp(prefix="kfor-cmd-"))
    streams = {name: folder / name for name in ("in", "out", "err")}
    streams["in"].write_text(stdin or "", encoding="utf-8")
    for name in ("out", "err"):
        streams[name].touch()
    process = context.Process(target=cli_child.run, args=(argv, env, str(cwd), *(str(p) for p in streams.values())))
    process.start()
    return _Command(process, folder)


class _Command:
    def __init__(self, process: multiprocessing.process.BaseProcess, folder: Path) -> None:
        self.process, self.folder = process, folder

    def result(self) -> tuple[int, str, str]:
        """Wait for the end: its exit status, stdout and stderr."""
        import shutil

        self.process.join(TIMEOUT)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
            raise subprocess.TimeoutExpired(["kfor-bot"], TIMEOUT)
        try:
            out, err = ((self.folder / n).read_text(encoding="utf-8", errors="replace") for n in ("out", "err"))
            return self.process.exitcode, out, err
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def kfor(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """``kfor-bot ARGS`` from the project root, with ``stdin`` typed in: status, stdout and stderr."""
    code, out, err = _forked(list(args), env or ENV, ROOT, stdin).result()
    return subprocess.CompletedProcess([sys.executable, "-m", "bot", *args], code, out, err)


#: `check` runs with none of the developer's own settings.
CHECK_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KFOR_", "DISCORD_", "DATABASE_URL"))}


async def check(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[int, str, str]:
    """``kfor-bot check ARGS`` as cron runs it (from ``cwd``): its exit status, stdout and stderr."""
    import asyncio

    environment = {**CHECK_ENV, "PYTHONPATH": str(ROOT), **(env or {})}
    command = _forked(["check", *args], environment, cwd, None)
    return await asyncio.to_thread(command.result)  # the test's servers keep answering meanwhile
