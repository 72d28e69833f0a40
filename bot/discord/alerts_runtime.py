"""Alerts inside the running bot: the store, the watcher, the scheduler and the briefing jobs.

Opened in ``setup_hook`` and closed with the bot. The scheduler starts once the gateway is ready
(channels can be found then). The poll job runs the watch cycle every ``poll_minutes`` (with
jitter, so several instances do not poll in lockstep) and, on each poll, follows the briefing
schedules stored by any instance. Briefing jobs post the overview, or "no change since …", on each
channel's schedule, through the same delivery path and ledger as digests, so with several instances
each slot is posted once. Stopping waits for a running cycle before the store and session close.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.alerts.destinations import Destination, Post, WebhookDestination
from bot.alerts.feeds import FeedCycleResult, FeedWatcher
from bot.alerts.identity import channel_key, webhook_id
from bot.alerts.setup import make_watcher
from bot.alerts.watcher import CycleResult, Watcher, utcnow
from bot.briefings.model import Briefing, ChartRequest
from bot.briefings.render.charts import ChartCache, render_chart
from bot.briefings.service import BriefingService
from bot.discord.destination import DiscordChannelDestination
from bot.settings import PROJECT_ROOT, Settings
from bot.store.database import Store
from bot.store.faults import StoreFaultError, store_fault
from bot.store.health import SourceHealth
from bot.store.schedules import BriefingSchedule, briefing_event
from bot.store.snapshots import StoredSnapshot

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger

    from bot.discord.metrics import BotMetrics

log = logging.getLogger(__name__)

POLL_JOB = "poll"
FEED_JOB = "feeds"
#: Announcements the briefing service is given to list (``/kfor announcements``).
RECENT_ANNOUNCEMENTS = 50
BRIEFING_JOB = "briefing:{}"
#: How late a poll may still run when the loop was busy (APScheduler's default of 1 s skips polls).
POLL_MISFIRE_GRACE = 300
#: How long stopping waits for a job under way (a poll's deliveries) before it cancels it: within the
#: 30 s a platform gives a process between SIGTERM and SIGKILL.
STOP_GRACE_SECONDS = 25
BRIEFING_MISFIRE_GRACE = 600


def last_fire_time(trigger: CronTrigger, now: dt.datetime) -> dt.datetime | None:
    """The trigger's most recent fire time at or before ``now`` (within a week): the slot a job run belongs to.

    A job that runs late (a busy loop, a misfire within the grace time) still posts for the slot it
    was scheduled for, so every instance computes the same slot and the ledger posts it once.
    """
    fire, previous = trigger.get_next_fire_time(None, now - dt.timedelta(days=7)), None
    while fire is not None and fire <= now:
        previous, fire = fire, trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return previous


class SharedCharts:
    """Charts drawn once per request, however many deliveries ask for one at the same time.

    A change's digest carries the same :class:`ChartRequest` to every channel, and the watcher sends
    to several channels at once: the first asks for it to be drawn (in a worker thread), the others
    wait for that drawing instead of starting their own. Recent charts stay cached.
    """

    def __init__(self, size: int = 16) -> None:
        self._cache = ChartCache(size)
        self._lock = asyncio.Lock()
        #: How many charts were drawn (not served from the cache): what the fan-out test counts.
        self.drawn = 0

    async def draw(self, request: ChartRequest) -> bytes:
        png = self._cache.get(request)
        if png is not None:
            return png
        async with self._lock:  # one drawing at a time: a waiter finds the chart in the cache
            png = self._cache.get(request)
            if png is None:
                png = await asyncio.to_thread(render_chart, request)
                self.drawn += 1
                self._cache.put(request, png)
        return png


class AlertRuntime:
    def __init__(self, bot: discord.Client, settings: Settings, service: BriefingService,
                 ready: Callable[[], Awaitable[object]] | None = None,
                 metrics: BotMetrics | None = None) -> None:  # fmt: skip
        self.bot = bot
        #: What the jobs wait for before they start: the gateway's READY (channels can be found then).
        self._ready = ready or bot.wait_until_ready
        self.settings = settings
        self.service = service
        self._stack = contextlib.AsyncExitStack()
        self.store: Store
        self.watcher: Watcher
        #: The news feeds' cycle, when any feed is configured and verified.
        self.feeds: FeedWatcher | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self.session: aiohttp.ClientSession
        self.last_result: CycleResult | None = None
        self.last_cycle_at: dt.datetime | None = None
        #: The source's health after the last cycle (read only for the operator's metrics).
        self.last_health: SourceHealth | None = None
        self.metrics = metrics
        self._cycle_lock = asyncio.Lock()
        self._schedules: dict[int, BriefingSchedule] = {}
        self._starter: asyncio.Task[None] | None = None
        #: The scheduled jobs under way (poll, feeds, briefings), which :meth:`stop` lets finish.
        self._jobs_running: set[asyncio.Task[object]] = set()
        #: Digest charts: a change's chart is drawn once and shared by every channel it goes to.
        self.charts = SharedCharts()
        #: The webhooks of ``KFOR_WEBHOOKS``, by ledger key: served on each poll like the channels.
        self.webhooks: dict[str, WebhookDestination] = {}

    async def start(self) -> None:
        self.session = await self._stack.enter_async_context(aiohttp.ClientSession())
        try:
            self.store = await self._stack.enter_async_context(Store.open(self.settings.store_url, self.settings.lease))
        except Exception as exc:
            await self._stack.aclose()  # the HTTP session opened above
            fault = store_fault(exc, self.settings.store_url)
            if fault is None:
                raise
            raise StoreFaultError(fault) from None
        # discord.utils.utcnow: the clock Discord's message timestamps (and its simulators) agree with.
        self.watcher = make_watcher(self.settings, self.store, self.service.registry, self.resolve, self.session,
                                    on_snapshots=self._accepted, clock=discord.utils.utcnow,
                                    on_delivery=self.metrics.delivery if self.metrics else None)  # fmt: skip
        await self._serve_webhooks()
        await self.watcher.sync_chain()  # every snapshot recorded so far, by any instance
        await self._observe_source()
        feeds = [feed for feed in self.settings.feeds if not feed.verify]
        if feeds:
            settings = self.settings
            self.feeds = FeedWatcher(self.watcher, feeds, self.session, PROJECT_ROOT, settings.http_timeout_seconds,
                                     settings.http_max_bytes, settings.source_allowed_hosts,
                                     max_age=dt.timedelta(days=settings.feed_entry_max_days),
                                     on_announcements=self.service.set_announcements)  # fmt: skip
            self.service.set_announcements(await self.store.announcements.recent(self.settings.mission,
                                                                                 RECENT_ANNOUNCEMENTS))  # fmt: skip
        if self.settings.scheduler_enabled:
            self._starter = asyncio.create_task(self._start_when_ready())

    async def stop(self) -> None:
        """Stop the jobs, let a running one finish its deliveries, then close the store and the HTTP session.

        APScheduler's shutdown cancels the jobs under way: a poll cancelled between a post and its
        record would post it again after the lease. So no new job and no new delivery starts (the
        rest of a large change is sent after the restart, see :meth:`Watcher.fan_out`), the
        deliveries under way get :data:`STOP_GRACE_SECONDS` (each request has its own deadline well
        within it), and only then is the scheduler shut down.
        """
        if self._starter is not None:
            self._starter.cancel()
        if hasattr(self, "watcher"):  # started: deliveries under way finish, no other begins
            self.watcher.stopping = True
        if self.scheduler is not None:
            self.scheduler.pause()
            if self._jobs_running:
                await asyncio.wait(set(self._jobs_running), timeout=STOP_GRACE_SECONDS)
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        async with self._cycle_lock:
            await self._stack.aclose()

    async def _run_job(self, job: Callable[..., Awaitable[object]], *args: object) -> None:
        """A scheduled job, its task marked as under way for :meth:`stop` to wait for."""
        task = asyncio.current_task()
        if task is not None:
            self._jobs_running.add(task)
        try:
            await job(*args)
        finally:
            if task is not None:
                self._jobs_running.discard(task)

    # -- the watch cycle ----------------------------------------------------------------------------
    async def run_cycle(self) -> CycleResult:
        async with self._cycle_lock:  # a manual check and the poll job never overlap in one process
            try:
                self.last_result = await self.watcher.run_cycle()
            except Exception as exc:
                if self.metrics is not None:
                    self.metrics.cycle(None)
                fault = store_fault(exc, self.settings.store_url)
                if fault is None:
                    raise
                log.error("Watch cycle stopped by the store: %s", fault.message)  # one line; the next cycle retries
                return CycleResult("problem", fault.message)
            self.last_cycle_at = self.watcher.clock()
            if self.metrics is not None:
                self.metrics.cycle(self.last_result)
                await self._observe_source()
        log.info("Watch cycle: %s: %s", self.last_result.status, self.last_result.message)
        return self.last_result

    async def run_feed_cycle(self) -> FeedCycleResult | None:
        """Read the news feeds, post new announcements and reconcile open ones (None without feeds)."""
        if self.feeds is None:
            return None
        async with self._cycle_lock:
            try:
                result = await self.feeds.run_cycle()
            except Exception as exc:
                fault = store_fault(exc, self.settings.store_url)
                if fault is None:
                    raise
                log.error("Feed cycle stopped by the store: %s", fault.message)
                return None
        log.info("Feed cycle: %d read, %d claim(s), %d announced, %d settled", result.read, result.claims,
                 result.announced, result.settled)  # fmt: skip
        return result

    async def poll(self) -> None:
        """The poll job: one watch cycle, follow the schedules any instance changed, forget old ledger rows."""
        await self.run_cycle()
        await self.sync_schedules()
        retention = dt.timedelta(days=self.settings.ledger_retention_days)
        await self.store.ledger.prune(self.watcher.clock() - retention)

    async def _observe_source(self) -> None:
        """Hand the source's health to the operator's metrics (one small query, only when they are on)."""
        if self.metrics is not None:
            self.last_health = await self.store.health.get(self.watcher.source.key)
            self.metrics.source(self.last_health)

    def _accepted(self, stored: Sequence[StoredSnapshot]) -> None:
        self.service.add_snapshots(s.snapshot for s in stored)

    def channel_destination(self, channel_id: int, *, with_chart: bool = False) -> DiscordChannelDestination:
        """A channel of this bot's as a delivery destination (digests carry a chart, samples don't)."""
        return DiscordChannelDestination(self.bot, channel_id, draw_chart=self._draw if with_chart else None)

    async def _serve_webhooks(self) -> None:
        """Subscribe each configured webhook that is not yet (a subscription made by `check` keeps its filters).

        The URL stays in the settings, never in the store (its token is a secret): only the instances
        configured with it can post to it, and a `check` run naming it serves the same subscription.
        """
        now = self.watcher.clock()
        for url in self.settings.webhooks:
            hook = WebhookDestination(url.get_secret_value(), self.session, self.settings.webhook_timeout_seconds,
                                      api_base=self.settings.discord_api_base, draw_chart=self._draw)  # fmt: skip
            self.webhooks[hook.key] = hook
            if await self.store.subscriptions.get(hook.key) is None:
                await self.store.subscriptions.subscribe(destination_key=hook.key, mission=self.settings.mission,
                                                         now=now, webhook_id=webhook_id(hook.url))  # fmt: skip

    def resolve(self, destination_key: str) -> Destination | None:
        """Channels are this bot's to serve, and the webhooks whose URLs it was given; others are left to `check`."""
        kind, _, ident = destination_key.partition(":")
        if kind == "channel" and ident.isdigit():
            if self.settings.shard_count is not None and not self._on_my_shards(int(ident)):
                return None  # another instance's shards hold its server
            return self.channel_destination(int(ident), with_chart=True)
        return self.webhooks.get(destination_key)

    def _on_my_shards(self, channel_id: int) -> bool:
        """Whether a channel's server is on a shard this instance runs (its gateway brought the channel here).

        A sharded instance only sees its shards' servers, so a channel it cannot find is another's to serve.
        """
        channel = self.bot.get_channel(channel_id)
        guild = getattr(channel, "guild", None)
        if guild is None:
            return False
        shards = self.settings.shard_ids or range(self.settings.shard_count or 1)
        return (guild.id >> 22) % (self.settings.shard_count or 1) in shards

    async def _draw(self, request: ChartRequest) -> bytes:
        return await self.charts.draw(request)

    # -- scheduling ---------------------------------------------------------------------------------
    async def _start_when_ready(self) -> None:
        await self._ready()
        await self._start_scheduler()

    async def _start_scheduler(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        every = IntervalTrigger(minutes=self.settings.poll_minutes, jitter=self.settings.poll_jitter_seconds)
        first = utcnow() + dt.timedelta(seconds=5)
        self.scheduler.add_job(self._run_job, every, args=[self.poll], id=POLL_JOB, next_run_time=first,
                               coalesce=True, max_instances=1, misfire_grace_time=POLL_MISFIRE_GRACE)  # fmt: skip
        if self.feeds is not None:
            feeds_every = IntervalTrigger(minutes=self.settings.feed_poll_minutes,
                                          jitter=self.settings.poll_jitter_seconds)  # fmt: skip
            self.scheduler.add_job(self._run_job, feeds_every, args=[self.run_feed_cycle], id=FEED_JOB,
                                   coalesce=True, max_instances=1, next_run_time=first + dt.timedelta(seconds=30),
                                   misfire_grace_time=POLL_MISFIRE_GRACE)  # fmt: skip
        self.scheduler.start()
        await self.sync_schedules()

    async def sync_schedules(self) -> None:
        """Add, change and drop briefing jobs to match the schedules in the store (set through any instance)."""
        stored = {s.channel_id: s for s in await self.store.schedules.all()}
        for channel_id in set(self._schedules) - set(stored):
            self._remove_job(channel_id)
        for channel_id, schedule in stored.items():
            if self._schedules.get(channel_id) != schedule:
                self._add_job(schedule)
        self._schedules = stored

    def _trigger(self, schedule: BriefingSchedule) -> CronTrigger:
        from apscheduler.triggers.cron import CronTrigger

        from bot.alerts.schedule import parse_timezone

        return CronTrigger.from_crontab(schedule.cron, timezone=parse_timezone(schedule.timezone))

    def _add_job(self, schedule: BriefingSchedule) -> dt.datetime | None:
        trigger = self._trigger(schedule)
        next_run: dt.datetime | None  # APScheduler 3 is untyped
        if self.scheduler is None:
            next_run = trigger.get_next_fire_time(None, dt.datetime.now(trigger.timezone))
            return next_run
        job = self.scheduler.add_job(self._run_job, trigger, args=[self.briefing_job, schedule.channel_id],
                                     id=BRIEFING_JOB.format(schedule.channel_id), replace_existing=True,
                                     coalesce=True, misfire_grace_time=BRIEFING_MISFIRE_GRACE)  # fmt: skip
        next_run = job.next_run_time
        return next_run

    def _remove_job(self, channel_id: int) -> None:
        if self.scheduler is not None:
            with contextlib.suppress(Exception):
                self.scheduler.remove_job(BRIEFING_JOB.format(channel_id))

    async def set_schedule(self, schedule: BriefingSchedule) -> dt.datetime | None:
        """Store a channel's schedule (every instance follows it) and schedule it here now; its next run."""
        stored = await self.store.schedules.set(schedule, self.watcher.clock())
        self._schedules[stored.channel_id] = stored
        return self._add_job(stored)

    async def remove_schedule(self, channel_id: int) -> bool:
        removed = await self.store.schedules.remove(channel_id)
        self._schedules.pop(channel_id, None)
        self._remove_job(channel_id)
        return removed

    def next_check(self) -> dt.datetime | None:
        job = self.scheduler.get_job(POLL_JOB) if self.scheduler else None
        return job.next_run_time if job else None

    async def briefing_job(self, channel_id: int) -> bool:
        """A briefing job's run: post for the slot the trigger fired for, not for the minute it ran."""
        schedule = self._schedules.get(channel_id)
        if schedule is None:
            return False
        now = self.watcher.clock()
        slot = last_fire_time(self._trigger(schedule), now)
        return await self.post_briefing(channel_id, slot or now)

    async def post_briefing(self, channel_id: int, slot: dt.datetime) -> bool:
        """Post a channel's scheduled briefing once per slot, even with several instances running."""
        key = channel_key(channel_id)
        previous = await self.store.ledger.last_sent(key, "briefing:")
        now = self.watcher.clock()
        claim = await self.store.ledger.claim([briefing_event(channel_id, slot)], key, self.watcher.worker, now)
        if claim is None:
            return False  # another instance has this slot
        latest = await self.store.snapshots.latest(self.settings.mission)
        briefing: Briefing = self.service.overview()
        if previous is not None and (latest is None or latest.fetched_at <= previous):
            title = f"{self.settings.mission}: no change since {previous:%Y-%m-%d %H:%M} UTC"
            summary = "The tracked figures have not changed since the last briefing."
            briefing = replace(briefing, title=title, summary=summary, fields=(), table=None)
        ref = claim.nonce[:8]
        footer = replace(briefing.footer, ref=ref) if briefing.footer else None
        post = Post(replace(briefing, footer=footer), nonce=claim.nonce, ref=ref,
                    claimed_at=claim.claimed_at)  # fmt: skip
        return await self.watcher.deliver(self.channel_destination(channel_id), claim, post) == 1
