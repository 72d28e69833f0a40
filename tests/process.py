"""Run kfor-bot as a real process, as a user would: ``python -m bot ARGS`` from the project root."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from tests.conftest import ROOT

#: No token, and a state directory of the tests' own (the console's watcher keeps its store there).
ENV = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"KFOR_STATE_DIR": tempfile.mkdtemp()}


def kfor(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, input=stdin,
        env=env or ENV, timeout=60, check=False,
    )  # fmt: skip
