"""What a forked ``kfor-bot`` process runs (see :mod:`tests.process`): the command line, as ``python -m bot``.

Imported once by the fork server with the libraries every command loads (pydantic, SQLAlchemy, aiohttp,
discord.py), so each test's process starts from a fork in milliseconds instead of a new interpreter's
third of a second. The child is still a process of its own: its own pid, environment, working directory,
standard streams and exit status, and it can be killed.
"""

from __future__ import annotations

import io
import os
import sys

# What a kfor-bot command imports on its way (each command imports only what it needs; the fork server
# holds them all so no child pays for them).
import aiohttp  # noqa: F401
import discord  # noqa: F401
import sqlalchemy.ext.asyncio  # noqa: F401

import bot.app
import bot.cli.ask
import bot.cli.check
import bot.settings


def run(argv: list[str], env: dict[str, str], cwd: str, stdin: str, out: str, err: str) -> None:
    """``python -m bot ARGV`` with this environment, directory and streams (file paths); ends the process."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path, flags in ((0, stdin, os.O_RDONLY), (1, out, os.O_WRONLY), (2, err, os.O_WRONLY)):
        opened = os.open(path, flags)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace",
                                  line_buffering=True)  # fmt: skip
    sys.argv = ["kfor-bot", *argv]
    try:
        code = bot.app.main()  # a one-shot command ends the process itself, as it does from a shell
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    bot.app.end_now(code)
