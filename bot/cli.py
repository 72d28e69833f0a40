"""Command-line entry point: ``kfor-bot`` (run), ``kfor-bot ask``, ``kfor-bot ingest``.

Imports are deferred to the subcommand that needs them so that one-shot commands start fast:
``ask`` never loads Discord, and nothing loads a chart library unless it draws a chart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kfor-bot",
        description="Briefings on the national contingents of NATO's Kosovo Force (KFOR). Without a "
        "subcommand: the Discord bot when DISCORD_TOKEN is set, otherwise an interactive console.",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="the bot (Discord with DISCORD_TOKEN, else the console); the default")
    commands.add_parser("console", help="the interactive console, even when DISCORD_TOKEN is set")
    ask = commands.add_parser("ask", help='answer one command, e.g. kfor-bot ask "/kfor top 5"')
    ask.add_argument("text", help="the command, as typed in Discord")
    ask.add_argument("--json", action="store_true", help="print the briefing as JSON")
    ingest = commands.add_parser("ingest", help="parse a report (text, markdown, CSV or JSON) and validate it")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--json", action="store_true", help="print the snapshot as JSON")
    ingest.add_argument("--mission", help="mission name (default: from FILE.meta.toml, else KFOR)")
    ingest.add_argument("--as-of", help="date the figures describe: YYYY-MM or YYYY-MM-DD")
    ingest.add_argument("--title", help="source title")
    ingest.add_argument("--publisher", help="source publisher")
    ingest.add_argument("--url", help="source address")
    check = commands.add_parser("check", help="run one watch cycle: record changes, print and post digests")
    check.add_argument("--source", help="PATH or http(s) URL of the report (default: the configured source)")
    check.add_argument("--db", help="sqlite:///PATH or postgresql://USER@HOST/DB (default: DATABASE_URL, var/kfor.db)")
    check.add_argument("--webhook", help="a Discord webhook URL to post digests to")
    return parser


def _settings():  # type: ignore[no-untyped-def]
    from bot.settings import Settings

    return Settings()


def _service(settings):  # type: ignore[no-untyped-def]
    from bot.briefings.service import BriefingService
    from bot.datafiles import load_dataset

    return BriefingService(load_dataset(settings.data_dir, settings.config_dir, settings.mission))


def _ask(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError

    service = _service(_settings())
    from bot.commandline import run_command

    try:
        briefing = run_command(service, args.text)
    except UserError as exc:
        print(f"kfor-bot: {exc}", file=sys.stderr)
        return 2
    if args.json:
        from bot.briefings.json_render import render_json

        print(render_json(briefing))
    else:
        from rich.console import Console

        from bot.briefings.console_render import print_briefing

        print_briefing(briefing, Console())
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from bot.ingest_cli import ingest_command

    return ingest_command(args, _settings())


def _run_discord(settings) -> int:  # type: ignore[no-untyped-def]
    import asyncio
    import logging

    import aiohttp
    import discord

    from bot.app import run_discord

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
    except (aiohttp.ClientError, OSError) as exc:  # the message names the host, never the token
        print(f"kfor-bot: cannot reach Discord: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    if args.command != "console" and settings.discord_token is not None:
        return _run_discord(settings)
    from bot.console import run_console

    return run_console(_service(settings), settings=settings)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "ask":
            return _ask(args)
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "check":
            from bot.alerts.probe import fast_unchanged_check

            code = fast_unchanged_check(args.source, args.db, args.webhook)
            if code is not None:
                return code
            from bot.check_cli import check_command

            return check_command(args, _settings())
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a last resort: one clear line, not a traceback, for broken data files
        from bot.core.errors import UserError
        from bot.datafiles import DataError

        if isinstance(exc, DataError | UserError | FileNotFoundError | OSError):
            print(f"kfor-bot: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
