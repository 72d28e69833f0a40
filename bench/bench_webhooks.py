"""Webhook freshness benchmark (not part of the test run): a change, to the last webhook's post, in the running bot.

    .venv/bin/python bench/bench_webhooks.py [N ...]      # default: 10 100

For each N: the bot's alert runtime in process (no gateway: webhooks need none) with its own
scheduler polling every POLL_SECONDS, a JSON report served from 127.0.0.1 (aiohttp) and N webhooks
(``KFOR_WEBHOOKS``) answered by a stand-in for Discord's webhook endpoint there
(tests/webhook_receiver.py), in the same process and event loop as the bot: its work is counted
against the bot's, a pessimistic setting. After the baseline, ROUNDS changes are published, each
the moment a poll has read the source (the worst phase: the change waits a whole interval for the
next poll). Measured (issue #21): from the change being published to the last webhook receiving its post
(one post each: digest, table and chart), against one poll interval + 1 s; and the delivery alone,
from the start of the poll that found the change. The first round includes drawing the first chart
(a cold start of the chart library), as the first change after a bot starts does.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Figure, print_goals  # noqa: E402
from tests.conftest import SEED_FIGURES, snapshot_of  # noqa: E402

POLL_SECONDS = 1.0
ROUNDS = 3
GOAL_MARGIN = 1.0  # seconds beyond one poll interval


async def freshness(webhooks: int) -> dict[str, Any]:
    """ROUNDS changes to ``webhooks`` webhooks through the running bot's poll; each round's timings."""
    from pydantic import SecretStr

    from bot.app import create_bot
    from bot.discord.alerts_runtime import POLL_JOB, AlertRuntime
    from bot.settings import Settings
    from tests.report_server import serve_report
    from tests.webhook_receiver import receive_webhooks, webhook_url

    urls = [webhook_url(index) for index in range(webhooks)]
    with tempfile.TemporaryDirectory() as state:
        async with serve_report() as server, receive_webhooks() as receiver:
            server.body, server.content_type = _report(0), "application/json"
            settings = Settings(
                _env_file=None,
                state_dir=Path(state),
                source=server.url,
                database_url=None,
                discord_token=None,
                dev_guild_id=None,
                scheduler_enabled=True,
                poll_jitter_seconds=0,
                webhooks=tuple(SecretStr(url) for url in urls),
                discord_api_base=receiver.api_base,
            )
            # Below the settings' floor of one minute, for a quick run: the goal is relative to the interval.
            settings = settings.model_copy(update={"poll_minutes": POLL_SECONDS / 60})  # fmt: skip
            bot = create_bot(settings)
            ready = asyncio.Event()
            runtime = AlertRuntime(bot, settings, bot.service, ready=ready.wait)
            poll_starts: list[float] = []
            poll = runtime.poll

            idle = asyncio.Event()
            idle.set()

            async def timed_poll() -> None:
                poll_starts.append(time.monotonic())
                idle.clear()
                try:
                    await poll()
                finally:
                    idle.set()

            runtime.poll = timed_poll  # type: ignore[method-assign]  # the scheduler's job, timed
            await runtime.start()
            try:
                assert (await runtime.run_cycle()).status == "baseline"
                ready.set()  # the scheduler starts; its first poll now rather than in 5 s
                await _until(lambda: runtime.scheduler is not None)
                assert runtime.scheduler is not None
                runtime.scheduler.modify_job(POLL_JOB, next_run_time=runtime.watcher.clock())
                rounds = []
                for round_ in range(1, ROUNDS + 1):
                    fetched = len(server.requests)
                    await _until(lambda: len(server.requests) > fetched)  # noqa: B023 - awaited here
                    server.body = _report(round_)  # just after a poll read the source: it waits for the next
                    published = time.monotonic()
                    # A count, not each webhook's posts: this looks every millisecond in the bot's own event
                    # loop, and sorting every post at each look would slow the very delivery it times.
                    await _until(lambda: len(receiver.posts) >= webhooks * round_)  # noqa: B023 - awaited here
                    last = max(at for _, at in receiver.arrivals)
                    found = min(start for start in poll_starts if start >= published)
                    rounds.append({"freshness": last - published, "delivery": last - found})
                posts = [len(receiver.to(index)) for index in range(webhooks)]
                whole = all(len(post.get("embeds", ())) >= 2 and post.get("_files") == ["kfor-change.png"]
                            for post in receiver.posts)  # fmt: skip
                # No new poll, and the one under way finished: the scheduler's shutdown cancels a running job.
                runtime.scheduler.pause()
                await asyncio.sleep(0.05)  # a poll submitted just before the pause has started by now
                await idle.wait()
            finally:
                await runtime.stop()
    return {"webhooks": webhooks, "rounds": rounds, "once": posts == [ROUNDS] * webhooks, "whole": whole}


async def _until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait until ``condition`` holds, looking every millisecond; bounded, so a broken run ends with an error."""
    for _ in range(int(seconds * 1000)):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise TimeoutError(f"not within {seconds:g} s")


def _report(round_: int) -> bytes:
    """The report of round ``round_`` (0: the baseline): four nations moved each round, so the digest has a chart."""
    moved = {"United States": 602 - 10 * round_, "Germany": 269 + 5 * round_, "Italy": 1258 - 20 * round_,
             "Poland": 247 + 3 * round_}  # fmt: skip
    return snapshot_of(dict(SEED_FIGURES, **moved), "2025-06").to_json().encode()


def run(sizes: list[int] | None = None) -> list[Figure]:
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    sizes = sizes or [10, 100]
    results = [asyncio.run(freshness(n)) for n in sizes]
    goal = POLL_SECONDS + GOAL_MARGIN
    print(
        f"change → last webhook post in the running bot (poll every {POLL_SECONDS:g} s, change published just "
        "after a poll read the source; source and webhooks on 127.0.0.1; one post each: digest, table, chart):"
    )
    for r in results:
        print(f"  N={r['webhooks']:>4}: " + "  ".join(
            f"round {i}: {x['freshness']:.2f} s (delivery {x['delivery']:.2f} s)" for i, x in enumerate(r["rounds"], 1))
            + f"  one post per change each: {'yes' if r['once'] and r['whole'] else 'NO'}")  # fmt: skip
    shown = "/".join(str(r["webhooks"]) for r in results)
    worst = [max(x["freshness"] for x in r["rounds"]) for r in results]
    return [
        Figure(f"webhook freshness in the running bot, {shown} webhooks (change → last post, worst of {ROUNDS})",
               ", ".join(f"{w:.2f} s" for w in worst), f"≤ poll interval + {GOAL_MARGIN:g} s = {goal:g} s",
               all(w <= goal for w in worst)),
        Figure(f"each of {shown} webhooks: one post per change (digest, table, chart)",
               ", ".join("yes" if r["once"] and r["whole"] else "no" for r in results), "yes",
               all(r["once"] and r["whole"] for r in results)),
    ]  # fmt: skip


if __name__ == "__main__":
    print_goals(run([int(a) for a in sys.argv[1:]]))
