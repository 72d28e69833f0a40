"""Feeds (not part of the test run): extraction of a 50-entry feed, and an unchanged feed's poll.

    .venv/bin/python bench/bench_feeds.py

1. Parse a 50-entry RSS feed with feedparser and extract the claims of every entry (title and summary),
   in one process, median of repeated runs. Goal (issue #19): ≤ 50 ms.
2. Poll an unchanged feed served on 127.0.0.1: a conditional GET answered 304, nothing parsed.
   Goal (issue #19): ≤ 1/50 of urlwatch's run on the same feed; urlwatch is timed by bench_alerts, so
   this reports the poll's own median for that comparison.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402
from tests.feed_fixtures import RSS_ITEMS, rss  # noqa: E402

REPEAT = 30


def fifty_entries() -> bytes:
    items = [(f"{link}/{n}", f"{guid}-{n}", title, summary, date)
             for n in range(17) for link, guid, title, summary, date in RSS_ITEMS][:50]  # fmt: skip
    return rss(items)


def extraction_ms() -> float:
    from bot.core.claims import extract_claims
    from bot.core.claims.gazetteer import Gazetteer
    from bot.sources.datafiles import load_registry
    from bot.sources.feeds import parse_feed

    gazetteer = Gazetteer(load_registry(ROOT / "data"))
    body = fifty_entries()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        for entry in parse_feed(body):
            extract_claims(entry.title, entry.summary, "de", gazetteer, link=entry.link, published=entry.published)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def unchanged_poll_ms() -> float:
    import aiohttp

    from bot.sources.feeds import read_feed
    from bot.sources.fetch import HttpSource, Validators
    from tests.report_server import ReportServer, serve_report

    async with aiohttp.ClientSession() as session, serve_report(ReportServer(body=fifty_entries())) as server:
        source = HttpSource(server.bare_url, session)
        first = await read_feed(source, Validators())
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            read = await read_feed(source, first.validators)
            times.append((time.perf_counter() - started) * 1000)
            assert read.entries is None
    return statistics.median(times)


def run() -> list[Figure]:
    extraction = extraction_ms()
    poll = asyncio.run(unchanged_poll_ms())
    print(f"extraction of a 50-entry feed: {extraction:.1f} ms; unchanged feed poll (304): {poll:.2f} ms")
    return [
        Figure("claims from a 50-entry feed (parse + extract)", f"{extraction:.1f} ms", "≤ 50 ms", extraction <= 50),
        Figure("unchanged feed poll (304, nothing parsed)", f"{poll:.2f} ms", "≤ 1/50 of urlwatch's run", None),
    ]


if __name__ == "__main__":
    print_goals(run())
