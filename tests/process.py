"""Run kfor-bot as a real process, as a user would: ``python -m bot ARGS`` from the project root."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT

#: No token, and a state directory of the tests' own (the console's watcher keeps its store there).
ENV = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"KFOR_STATE_DIR": tempfile.mkdtemp()}


def kfor(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, input=stdin,
        env=env or ENV, timeout=60, check=False,
    )  # fmt: skip


#: `check` runs with none of the developer's own settings.
CHECK_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KFOR_", "DISCORD_", "DATABASE_URL"))}


async def check(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[int, str, str]:
    """``kfor-bot check ARGS`` as cron runs it (from ``cwd``): its exit status, stdout and stderr."""
    import asyncio

    environment = {**CHECK_ENV, "PYTHONPATH": str(ROOT), **(env or {})}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", *args, cwd=cwd, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
