"""The console's watch cycle: the same watcher as the bot's, in a background thread.

The console reads commands with a blocking ``input()``, so the watcher gets a thread with its own
event loop. Digests and source problems print into the console as they happen (the console is a
destination in the delivery ledger, so each change prints once even across restarts), and newly
accepted figures are served by the console's commands at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.alerts.destinations import CONSOLE_KEY, ConsoleDestination, Destination
from bot.alerts.setup import make_watcher
from bot.alerts.watcher import CycleResult, Watcher, utcnow
from bot.briefings.model import Briefing
from bot.briefings.service import BriefingService
from bot.settings import Settings
from bot.store.database import Store
from bot.store.faults import store_fault
from bot.store.snapshots import StoredSnapshot

if TYPE_CHECKING:
    from bot.alerts.feeds import FeedWatcher

log = logging.getLogger(__name__)


class ConsoleWatch:
    def __init__(self, settings: Settings, service: BriefingService, show: Callable[[Briefing], None],
                 say: Callable[[str], None]) -> None:  # fmt: skip
        self.settings = settings
        self.service = service
        self.show = show
        self.say = say
        self.results: list[CycleResult] = []
        self.cycled = threading.Condition()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False
        #: The last problem said in the console: a problem is said once per streak, not at every poll.
        self._said_problem: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), name="kfor-watch", daemon=True)
        self._thread.start()

    def trigger(self) -> None:
        """Run a cycle now instead of waiting for the next poll."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the watcher stopped (its store could not open): nothing to wake
                self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        self._stopping = True
        self.trigger()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wait_for_cycles(self, count: int, timeout: float = 30) -> list[CycleResult]:
        with self.cycled:
            self.cycled.wait_for(lambda: len(self.results) >= count, timeout=timeout)
            return list(self.results)

    async def _main(self) -> None:
        """Watch until stopped; a store that cannot be opened is one line in the console, not a traceback."""
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        try:
            await self._watch()
        except Exception as exc:
            fault = store_fault(exc, self.settings.store_url)
            if fault is None:
                log.exception("The watcher stopped")
                self.say("[watch] stopped: the watcher failed; see the log")
            else:
                self.say(f"[watch] stopped: {fault.message}")
            with self.cycled:
                self.results.append(CycleResult("problem", fault.message if fault else "the watcher failed"))
                self.cycled.notify_all()

    async def _watch(self) -> None:
        wake = self._wake = self._wake or asyncio.Event()
        async with contextlib.AsyncExitStack() as stack:
            session = None
            feeds = [feed for feed in self.settings.feeds if not feed.verify]
            if self.settings.source.startswith(("http://", "https://")) or any("://" in f.url for f in feeds):
                import aiohttp

                session = await stack.enter_async_context(aiohttp.ClientSession())
            store = await stack.enter_async_context(Store.open(self.settings.store_url, self.settings.lease))
            if await store.subscriptions.get(CONSOLE_KEY) is None:
                await store.subscriptions.subscribe(destination_key=CONSOLE_KEY, mission=self.settings.mission,
                                                    now=utcnow())  # fmt: skip
            console = ConsoleDestination(self._show)

            def resolve(key: str) -> Destination | None:
                return console if key == CONSOLE_KEY else None

            watcher = make_watcher(self.settings, store, self.service.registry, resolve, session,
                                   on_snapshots=self._accepted)  # fmt: skip
            self.service.set_announcements(await store.announcements.recent(self.settings.mission, 50))
            news = None
            if feeds:
                from bot.alerts.feeds import FeedWatcher  # only when feeds are set
                from bot.settings import PROJECT_ROOT

                news = FeedWatcher(watcher, feeds, session, PROJECT_ROOT, self.settings.http_timeout_seconds,
                                   self.settings.http_max_bytes, self.settings.source_allowed_hosts,
                                   max_age=dt.timedelta(days=self.settings.feed_entry_max_days),
                                   on_announcements=self.service.set_announcements)  # fmt: skip
            loop = asyncio.get_running_loop()
            report_due = feeds_due = loop.time()  # both read at start, then each at its own interval
            while not self._stopping:
                asked = wake.is_set()  # trigger() (tests, and stop): read everything now
                wake.clear()
                result = None
                if asked or loop.time() >= report_due:
                    report_due = loop.time() + self.settings.poll_minutes * 60
                    result = await self._report_cycle(watcher)
                if news is not None and (asked or loop.time() >= feeds_due):
                    feeds_due = loop.time() + self.settings.feed_poll_minutes * 60
                    await self._feed_cycle(news)
                if result is not None:  # a cycle is counted once what it was due to read has been read
                    self._record(result)
                next_due = min(report_due, feeds_due) if news is not None else report_due
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=max(0.0, next_due - loop.time()))

    async def _report_cycle(self, watcher: Watcher) -> CycleResult:
        try:
            return await watcher.run_cycle()
        except Exception as exc:  # the console must keep answering even if a cycle fails
            fault = store_fault(exc, self.settings.store_url)
            if fault is None:
                log.exception("Watch cycle failed")
            return CycleResult("problem", fault.message if fault else "the watch cycle failed; see the log")

    async def _feed_cycle(self, news: FeedWatcher) -> None:
        """The news feeds, every ``feed_poll_minutes``: announcements print as digests do."""
        try:
            result = await news.run_cycle()
        except Exception as exc:
            fault = store_fault(exc, self.settings.store_url)
            if fault is None:
                log.exception("Feed cycle failed")
            self.say(f"[watch] feed problem: {fault.message if fault else 'the feed cycle failed; see the log'}")
            return
        for problem in result.problems:
            self.say(f"[watch] feed problem: {problem}")

    def _record(self, result: CycleResult) -> None:
        self._tell(result)
        with self.cycled:
            self.results.append(result)
            self.cycled.notify_all()

    def _tell(self, result: CycleResult) -> None:
        """A baseline, and each problem once per streak; an unreachable source calmly, as the normal
        state of a machine without a network (answers come from the history all the same)."""
        if result.status == "baseline":
            self.say(f"[watch] baseline: {result.message}")
        if result.status != "problem":
            self._said_problem = None
            return
        said = "unreachable" if result.unreachable else result.message
        if said == self._said_problem:
            return
        self._said_problem = said
        if result.unreachable:
            every = f"{self.settings.poll_minutes:g} min"
            self.say(f"[watch] The watched source cannot be reached just now (no network, or the site is down). "
                     f"Answers come from the stored history; the watch tries again every {every}.")  # fmt: skip
        else:
            self.say(f"[watch] problem: {result.message}")

    def _show(self, briefing: Briefing) -> None:
        """Digests and notices as they are delivered; a notice that the source cannot be reached was said already."""
        if briefing.kind == "source-problem" and self._said_problem == "unreachable":
            log.info("Source problem notice not repeated in the console: %s", briefing.summary)
            return
        self.show(briefing)

    def _accepted(self, stored: Sequence[StoredSnapshot]) -> None:
        self.service.add_snapshots(s.snapshot for s in stored)
