"""``kfor-bot check``: one watch cycle, then exit — for cron jobs and scripts.

The first check of a new database records the baseline; later checks print digests of real
changes to stdout (exactly once each: the console is a destination in the delivery ledger like
any channel) and post them to ``--webhook`` when given. Discord and chart libraries are never
imported here.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from typing import TYPE_CHECKING

from bot.alerts.destinations import CONSOLE_KEY, ConsoleDestination, Destination, WebhookDestination
from bot.alerts.identity import is_webhook_url, webhook_id
from bot.alerts.setup import make_watcher
from bot.alerts.watcher import CycleResult, Watcher
from bot.briefings.model import Briefing
from bot.briefings.render.text import render_text
from bot.core.errors import UserError
from bot.settings import Settings
from bot.sources.datafiles import load_registry
from bot.sources.links import link_pattern_for
from bot.sources.location import public_address
from bot.store.database import Store
from bot.store.faults import store_fault

if TYPE_CHECKING:
    import aiohttp

    from bot.alerts.feeds import FeedWatcher
    from bot.settings.model import FeedSetting


def _print(briefing: Briefing) -> None:
    sys.stdout.write(render_text(briefing) + "\n")


async def run_check(
    source_location: str,
    database_url: str,
    webhook: str | None,
    settings: Settings,
    link: str | None = None,
    fetch_budget: float | None = None,
) -> int:
    """One watch cycle of ``source_location`` (a page followed to its newest ``link`` match, when given)."""
    registry = load_registry(settings.data_dir)
    feeds = [feed for feed in settings.feeds if not feed.verify]
    needs_http = (webhook is not None or source_location.startswith(("http://", "https://"))
                  or any("://" in feed.url for feed in feeds))  # fmt: skip
    session = None
    if needs_http:
        import aiohttp

        session = aiohttp.ClientSession()
    try:
        async with Store.open(database_url, settings.lease) as store:
            now = dt.datetime.now(dt.UTC)
            if await store.subscriptions.get(CONSOLE_KEY) is None:
                await store.subscriptions.subscribe(destination_key=CONSOLE_KEY, mission=settings.mission, now=now)
            hook = None
            if webhook and session is not None:
                hook = WebhookDestination(webhook, session, settings.webhook_timeout_seconds,
                                          api_base=settings.discord_api_base)  # fmt: skip
            if hook is not None and await store.subscriptions.get(hook.key) is None:
                await store.subscriptions.subscribe(destination_key=hook.key, mission=settings.mission, now=now,
                                                    webhook_id=webhook_id(hook.url))  # fmt: skip
            console = ConsoleDestination(_print)

            def resolve(key: str) -> Destination | None:
                """The console and this run's webhook (only its URL's owner can post to it); channels are the bot's."""
                if key == CONSOLE_KEY:
                    return console
                return hook if hook is not None and key == hook.key else None

            watcher = make_watcher(settings, store, registry, resolve, session, location=source_location, link=link,
                                   fetch_budget=fetch_budget)  # fmt: skip
            # Before the watch cycle: the feed watcher reconciles its announcements with a new list before its digest.
            feed_watcher = _feed_watcher(watcher, feeds, session, settings) if feeds else None
            result = await watcher.run_cycle()
            news = await feed_watcher.run_cycle() if feed_watcher is not None else None
    finally:
        if session is not None:
            await session.close()
    print(f"kfor-bot check: {result.status}: {result.message}" + (f" ({result.sent} sent)" if result.sent else ""),
          file=sys.stderr)  # fmt: skip
    for failure in result.failed:
        print(f"kfor-bot check: delivery failed: {failure}", file=sys.stderr)
    if news is not None:
        print(f"kfor-bot check: feeds: {news.read} read, {news.unchanged} unchanged, {news.claims} claim(s), "
              f"{news.announced} announced, {news.settled} settled" + (f" ({news.sent} sent)" if news.sent else ""),
              file=sys.stderr)  # fmt: skip
        for problem in news.problems:
            print(f"kfor-bot check: feed problem: {problem}", file=sys.stderr)
    return exit_code(result)


def _feed_watcher(watcher: Watcher, feeds: list[FeedSetting], session: aiohttp.ClientSession | None,
                  settings: Settings) -> FeedWatcher:  # fmt: skip
    """The feed cycle, through the watch cycle's store, ledger and destinations."""
    from bot.alerts.feeds import FeedWatcher
    from bot.settings import PROJECT_ROOT

    max_age = dt.timedelta(days=settings.feed_entry_max_days)
    return FeedWatcher(watcher, feeds, session, PROJECT_ROOT, settings.http_timeout_seconds, settings.http_max_bytes,
                       settings.source_allowed_hosts, max_age=max_age)  # fmt: skip


#: ``kfor-bot check``'s exit statuses (the README's "Exit codes" documents them); a store fault has its own
#: status, 4 to 7 (:data:`bot.store.faults.EXIT_CODES`).
EXIT_DONE, EXIT_SOURCE_PROBLEM, EXIT_USAGE, EXIT_DELIVERY_FAILED = 0, 1, 2, 3


def exit_code(result: CycleResult) -> int:
    """A source problem first (the figures are in doubt), then a failed delivery, else done."""
    if result.status == "problem":
        return EXIT_SOURCE_PROBLEM
    return EXIT_DELIVERY_FAILED if result.failed else EXIT_DONE


def check_command(args: argparse.Namespace, settings: Settings, fetch_budget: float | None = None) -> int:
    if not args.verbose:  # cron mails whatever is printed: one line per outcome, the log only when asked
        logging.getLogger().addHandler(logging.NullHandler())
    if args.webhook and not is_webhook_url(args.webhook):
        raise UserError(
            f"--webhook {public_address(args.webhook)!r} is not a Discord webhook URL "
            "(https://discord.com/api/webhooks/ID/TOKEN, from the channel's Integrations settings)."
        )
    link = link_pattern_for(args.source, args.source_link, settings.source_link)
    database_url = args.db or settings.store_url
    try:
        return asyncio.run(
            run_check(args.source or settings.source, database_url, args.webhook, settings, link, fetch_budget)
        )
    except Exception as exc:
        fault = store_fault(exc, database_url)
        if fault is None:
            raise
        if args.verbose:  # the whole story only when asked
            logging.getLogger(__name__).warning("The store failed", exc_info=True)
        print(f"kfor-bot check: {fault.message}", file=sys.stderr)
        return fault.exit_code
