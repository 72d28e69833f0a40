"""Feeds (not part of the test run): extraction of a 50-entry feed, and an unchanged feed's poll.

    .venv/bin/python bench/bench_feeds.py

1. Parse a 50-entry RSS feed with feedparser and extract the claims of every entry (title and summary),
   in one process, median of repeated runs. Goal (issue #19): ≤ 50 ms.
2. Poll an unchanged feed served on 127.0.0.1: a conditional GET answered 304, nothing parsed.
   Goal (issue #19): ≤ 1/50 of urlwatch's run on the same unchanged feed, timed side by side here
   (urlwatch 2.29 from bench/.venv-urlwatch, installed by bench_alerts on first use).
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


async def urlwatch_run_ms(url: str) -> float:
    """urlwatch 2.29's run on the same unchanged feed (its first run, the baseline, not counted)."""
    import tempfile

    from bench.bench_alerts import ensure_urlwatch

    exe = ensure_urlwatch()
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "urls.yaml").write_text(f"name: feed\nurl: {url}\n")
        (Path(work) / "urlwatch.yaml").write_text("report:\n  stdout: {enabled: true, color: false}\n")
        argv = [str(exe), "--urls", f"{work}/urls.yaml", "--config", f"{work}/urlwatch.yaml",
                "--cache", f"{work}/cache.db"]  # fmt: skip
        times = []
        for run in range(6):
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.DEVNULL,
                                                           stderr=asyncio.subprocess.DEVNULL)  # fmt: skip
            await process.wait()
            if run:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def unchanged_poll_ms() -> tuple[float, float]:
    """The bot's unchanged poll and urlwatch's run on the same feed, served on 127.0.0.1."""
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
        urlwatch = await urlwatch_run_ms(server.bare_url)
    return statistics.median(times), urlwatch


def run() -> list[Figure]:
    extraction = extraction_ms()
    poll, urlwatch = asyncio.run(unchanged_poll_ms())
    print(f"extraction of a 50-entry feed: {extraction:.1f} ms; unchanged feed poll (304): {poll:.2f} ms; "
          f"urlwatch 2.29 on the same feed: {urlwatch:.0f} ms")  # fmt: skip
    return [
        Figure("claims from a 50-entry feed (parse + extract)", f"{extraction:.1f} ms", "≤ 50 ms", extraction <= 50),
        Figure(
            "unchanged feed poll (304, nothing parsed) vs urlwatch 2.29 on the same feed",
            f"{poll:.2f} ms vs {urlwatch:.0f} ms = 1/{urlwatch / poll:,.0f}",
            "≤ 1/50 of urlwatch's run",
            poll <= urlwatch / 50,
        ),
    ]


if __name__ == "__main__":
    print_goals(run())
