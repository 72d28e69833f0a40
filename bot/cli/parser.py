"""The ``kfor-bot`` command line: its subcommands and their arguments (argparse).

Only the grammar lives here; :func:`bot.app.main` reads it and hands each subcommand to the
transport that answers it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line on stderr and exit status 2 (the README's exit codes)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"kfor-bot: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    ingest = commands.add_parser(
        "ingest", help="parse a report (PDF, HTML, CSV, JSON, text or markdown) and validate it"
    )
    ingest.add_argument("file", type=Path, help="the report: a placemat PDF, a web page, CSV, JSON, text or markdown")
    ingest.add_argument("--json", action="store_true", help="print the snapshot as JSON")
    ingest.add_argument("--mission", help="mission name (default: from FILE.meta.toml, else KFOR)")
    ingest.add_argument("--as-of", help="date the figures describe: YYYY-MM or YYYY-MM-DD")
    ingest.add_argument("--title", help="source title")
    ingest.add_argument("--publisher", help="source publisher")
    ingest.add_argument("--url", help="source address")
    check = commands.add_parser("check", help="run one watch cycle: record changes, print and post digests")
    check.add_argument("--source", help="PATH or http(s) URL of the report (default: the configured source)")
    check.add_argument(
        "--source-link",
        metavar="PATTERN",
        help="the source is a page: watch its newest link whose address or text matches this regular expression "
        "(default: the configured source link, unless --source is given)",
    )
    check.add_argument("--db", help="sqlite:///PATH or postgresql://USER@HOST/DB (default: DATABASE_URL, var/kfor.db)")
    check.add_argument("--webhook", help="a Discord webhook URL to post digests to")
    check.add_argument("-v", "--verbose", action="store_true", help="log what the cycle does on stderr")
    news = commands.add_parser("news", help="read news feeds (paths or URLs) and print the claims found in them")
    news.add_argument("feeds", nargs="+", metavar="FEED", help="an RSS or Atom feed: a path or an http(s) URL")
    news.add_argument("--json", action="store_true", help='print {"claims": [...]} as JSON')
    news.add_argument(
        "--lang", choices=("en", "de", "it", "fr"), help="the feeds' language (default: configured, else en)"
    )
    news.add_argument("--tier", choices=("official", "press"), help="the feeds' tier (default: configured, else press)")
    webhooks = commands.add_parser("webhooks", help="list, add or remove the webhooks check posts to")
    webhooks.add_argument("action", choices=("list", "add", "remove"))
    webhooks.add_argument("webhook", nargs="?", help="add: the webhook URL; remove: its URL, id or key")
    webhooks.add_argument(
        "--db", help="sqlite:///PATH or postgresql://USER@HOST/DB (default: DATABASE_URL, var/kfor.db)"
    )
    return parser
