"""``kfor-bot news FEED… [--json]``: read feeds (paths or URLs) and print each claim found in them.

Nothing is recorded and nothing is posted: this shows what the feed cycle would take from the feeds
now. A feed's language and tier come from the configured feed with the same address, else from
``--lang`` and ``--tier``. A feed that cannot be read is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.briefings import formatting as fmt
from bot.core.announcements import initial_state
from bot.core.claims import Claim, extract_claims
from bot.core.claims.gazetteer import Gazetteer
from bot.settings import Settings
from bot.sources.datafiles import load_registry
from bot.sources.feeds import open_feed, read_feed
from bot.sources.fetch import HttpSource, SourceError, Validators
from bot.sources.guard import HopPolicy


async def read_claims(locations: list[str], settings: Settings, lang: str | None, tier: str | None,
                      ) -> tuple[list[tuple[Claim, str]], list[str]]:  # fmt: skip
    """The claims in each feed with their state as the cycle would first give it, and the feeds' problems."""
    gazetteer = Gazetteer(load_registry(settings.data_dir))
    configured = {feed.url: feed for feed in settings.feeds}
    found: list[tuple[Claim, str]] = []
    problems: list[str] = []
    session = None
    if any("://" in location for location in locations):
        import aiohttp

        session = aiohttp.ClientSession()
    try:
        for location in locations:
            feed = configured.get(location)
            feed_lang = lang or (feed.lang if feed else "en")
            feed_tier = tier or (feed.tier if feed else "press")
            publisher = feed.publisher if feed else location
            source = open_feed(location, session, Path.cwd())
            if isinstance(source, HttpSource):
                source.timeout, source.max_bytes = settings.http_timeout_seconds, settings.http_max_bytes
                source.policy = HopPolicy.for_source(source.url, settings.source_allowed_hosts)
            try:
                read = await read_feed(source, Validators())
            except SourceError as exc:
                problems.append(str(exc))
                continue
            for entry in read.entries or ():
                for claim in extract_claims(entry.title, entry.summary, feed_lang, gazetteer, link=entry.link,
                                            published=entry.published):  # fmt: skip
                    found.append((claim, initial_state(feed_tier, [publisher])))
    finally:
        if session is not None:
            await session.close()
    return found, problems


def news_command(args: argparse.Namespace, settings: Settings) -> int:
    found, problems = asyncio.run(read_claims(args.feeds, settings, args.lang, args.tier))
    registry = load_registry(settings.data_dir)
    if args.json:
        claims = [{**claim.to_dict(registry.get(claim.nation).alpha3), "state": state} for claim, state in found]
        print(json.dumps({"claims": claims}, ensure_ascii=False, indent=2))
    else:
        for claim, state in found:
            change = f" {fmt.signed(claim.change)}" if claim.change is not None else ""  # "−80", a true minus
            level = f" level {claim.level}" if claim.level is not None else ""
            about = " (approximate)" if claim.approximate else ""
            when = f" from {claim.effective}" if claim.effective else ""
            print(f"{claim.nation}: {claim.kind}{change}{level}{about}{when} [{state}] — {claim.quote}")
            if claim.link:
                print(f"  {claim.link}")
        if not found:
            print("No claims found.")
    for problem in problems:
        print(f"kfor-bot news: {problem}", file=sys.stderr)
    return 1 if problems else 0
