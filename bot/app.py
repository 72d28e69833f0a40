"""The composition root: settings, data, services and transports are assembled here and nowhere else.

``kfor-bot`` (and ``python -m bot``) enter through :func:`main`, which picks the transport: the
Discord bot when ``DISCORD_TOKEN`` is set, the console otherwise, or one of the one-shot commands
(``ask``, ``ingest``, ``check``). Every import is deferred to the branch that needs it, so a
one-shot command pays only for what it uses: ``ask`` never loads Discord, and nothing loads a
chart library unless it draws a chart.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from bot.briefings.service import BriefingService
    from bot.discord.client import KforBot
    from bot.settings import Settings


def load_settings() -> Settings:
    """Settings are read at run time (config file, ``.env``, environment), never at import time."""
    from bot.settings import Settings

    return Settings()


def load_service(settings: Settings) -> BriefingService:
    """The briefing service over the configured mission's data files."""
    from bot.briefings.service import BriefingService
    from bot.sources.datafiles import load_dataset

    return BriefingService(load_dataset(settings.data_dir, settings.config_dir, settings.mission), settings.max_troops,
                           settings.stale_after_months)  # fmt: skip


def create_bot(settings: Settings | None = None) -> KforBot:
    """A configured Discord bot, not yet started (tests and the simulator start it themselves)."""
    from bot.discord.client import KforBot, ShardedKforBot

    settings = settings or load_settings()
    kind = ShardedKforBot if settings.shard_count is not None else KforBot
    return kind(load_service(settings), settings)


async def run_discord(settings: Settings) -> None:
    """Log in with the token and run until stopped."""
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    async with create_bot(settings) as bot:
        close_on_sigterm(bot)
        await bot.start(settings.discord_token.get_secret_value())


def close_on_sigterm(bot: KforBot) -> None:
    """SIGTERM (``docker stop``, systemd, a platform's restart) closes the bot as Ctrl-C does.

    Without it the process ends at once: no delivery under way is recorded, and a message out but not
    in the ledger is sent again after the restart. Closing stops the alert runtime gracefully.
    """
    import asyncio
    import contextlib
    import signal

    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()  # held until done: the loop keeps only a weak reference

    def close() -> None:
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    with contextlib.suppress(NotImplementedError):  # no signal handlers on this platform's loop
        loop.add_signal_handler(signal.SIGTERM, close)


def _start_discord(settings: Settings) -> int:
    import asyncio
    import logging

    import aiohttp
    import discord

    from bot.store.faults import StoreFaultError

    discord.utils.setup_logging(level=logging.INFO)
    try:
        asyncio.run(run_discord(settings))
    except discord.LoginFailure:
        print("kfor-bot: Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal.",
              file=sys.stderr)  # fmt: skip
        return 1
    except discord.PrivilegedIntentsRequired:
        print("kfor-bot: Discord refused the gateway intents; see the README's set-up steps.", file=sys.stderr)
        return 1
    except StoreFaultError as exc:  # before OSError: a database that does not answer is not Discord
        print(f"kfor-bot: {exc.fault.message}", file=sys.stderr)
        return exc.fault.exit_code
    except (aiohttp.ClientError, OSError) as exc:  # the message names the host, never the token
        print(f"kfor-bot: cannot reach Discord: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.command != "console" and settings.discord_token is not None:
        return _start_discord(settings)
    from bot.console.repl import run_console

    return run_console(load_service(settings), settings=settings)


def _check(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    if args.source and "://" not in args.source:  # a path typed on the command line: from here, as for ingest
        args.source = str(Path(args.source).resolve())
    from bot.alerts.probe import fast_unchanged_check

    started = time.monotonic()
    settings = load_settings()
    # With feeds to read, there is always work beyond the report: the quick path would skip them.
    if not any(not feed.verify for feed in settings.feeds):
        code = fast_unchanged_check(args.source, args.db, args.webhook, args.source_link, settings)
        if code is not None:
            return code
    from bot.cli.check import check_command

    # The quick check's time counts against the fetch timeout: a hanging source costs it once, not twice.
    spent = time.monotonic() - started
    remaining = max(settings.http_timeout_seconds - spent, 0.1)
    return check_command(args, settings, fetch_budget=remaining)


def _dispatch(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError

    if args.command == "ask":
        from bot.cli.ask import ask_command

        settings = load_settings()
        return ask_command(args, load_service(settings), settings)
    if args.command == "ingest":
        from bot.cli.ingest import ingest_command

        return ingest_command(args, load_settings())
    if args.command == "check":
        return _check(args)
    if args.command == "news":
        from bot.cli.news import news_command

        return news_command(args, load_settings())
    if args.command == "webhooks":
        if args.action != "list" and not args.webhook:
            raise UserError(f"kfor-bot webhooks {args.action} needs the webhook (its URL, or its id to remove).")
        from bot.cli.webhooks import webhooks_command

        return webhooks_command(args, load_settings())
    return _run(args)


#: Commands that do their work and end (cron runs ``check`` every few minutes): see :func:`end_now`.
ONE_SHOT = frozenset({"ask", "ingest", "check", "webhooks"})


def main(argv: list[str] | None = None) -> int:
    """The command line; run as a process (``argv`` None), a one-shot command ends as soon as its work is out."""
    from bot.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    code = _main(args)
    if argv is None and args.command in ONE_SHOT:
        end_now(code)
    return code


def end_now(code: int) -> NoReturn:
    """End the process once its output is flushed: the interpreter's teardown (freeing every module and
    object, a fifth of a changed ``check``) does nothing a finished command needs.

    Every store write is already committed and the store closed (each command opens it with ``async
    with`` and returns after), so nothing durable is skipped; the log is flushed with the output.
    """
    import contextlib
    import logging
    import os

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`kfor-bot ask … | head`): nothing to say
            stream.flush()
    logging.shutdown()
    os._exit(code)


def _main(args: argparse.Namespace) -> int:
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a last resort: one clear line, not a traceback, for broken data files
        from bot.core.errors import UserError, one_line
        from bot.settings import SettingsError
        from bot.sources.datafiles import DataError

        # Something in the command line, the settings or a data file: exit status 2, like argparse's,
        # one line per problem (each names the file or variable, the entry and the key).
        if isinstance(exc, SettingsError | DataError):
            for problem in exc.problems:
                print(f"kfor-bot: {one_line(problem)}", file=sys.stderr)
            return 2
        if isinstance(exc, UserError | OSError):
            print(f"kfor-bot: {one_line(str(exc))}", file=sys.stderr)
            return 2 if isinstance(exc, UserError) else 1
        raise
