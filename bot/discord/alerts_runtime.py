"""Alerts inside the running bot: the store, the watcher, the scheduler and the briefing jobs.

Opened in ``setup_hook`` and closed with the bot. The poll job runs the watch cycle every
``poll_minutes`` (with jitter, so several instances do not poll in lockstep); briefing jobs post
the overview, or "no change since …", on each channel's schedule. Both go through the delivery
ledger, so with several instances each post still happens once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.alerts.destinations import Destination, WebhookDestination
from bot.alerts.setup import make_watcher
from bot.alerts.watcher import CycleResult, Watcher, utcnow
from bot.briefings.render.charts import render_chart
from bot.briefings.service import BriefingService
from bot.discord.destination import DiscordChannelDestination
from bot.discord.embeds import render_messages
from bot.discord.tree import NO_MENTIONS
from bot.settings import Settings
from bot.store.repository import BriefingSchedule, Store, StoredSnapshot, Subscription

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

POLL_JOB = "poll"


class AlertRuntime:
    def __init__(self, bot: discord.Client, settings: Settings, service: BriefingService) -> None:
        self.bot = bot
        self.settings = settings
        self.service = service
        self._stack = contextlib.AsyncExitStack()
        self.store: Store
        self.watcher: Watcher
        self.scheduler: AsyncIOScheduler | None = None
        self.session: aiohttp.ClientSession
        self.last_result: CycleResult | None = None
        self._cycle_lock = asyncio.Lock()

    async def start(self) -> None:
        self.session = await self._stack.enter_async_context(aiohttp.ClientSession())
        self.store = await self._stack.enter_async_context(Store.open(self.settings.store_url))
        for stored in await self.store.all_snapshots(self.settings.mission):
            self.service.add_snapshot(stored.snapshot)
        self.watcher = make_watcher(self.settings, self.store, self.service.registry, self.destination_for,
                                    self.session, on_change=self._accepted)  # fmt: skip
        if self.settings.scheduler_enabled:
            await self._start_scheduler()

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        await self._stack.aclose()

    # -- the watch cycle ----------------------------------------------------------------------------
    async def run_cycle(self) -> CycleResult:
        async with self._cycle_lock:  # a manual check and the poll job never overlap in one process
            self.last_result = await self.watcher.run_cycle()
        log.info("Watch cycle: %s: %s", self.last_result.status, self.last_result.message)
        return self.last_result

    def _accepted(self, stored: StoredSnapshot) -> None:
        self.service.add_snapshot(stored.snapshot)

    def channel_destination(self, channel_id: int, *, with_chart: bool = False) -> DiscordChannelDestination:
        """A channel of this bot's as a delivery destination (digests carry a chart, samples don't)."""
        return DiscordChannelDestination(self.bot, channel_id, draw_chart=self._draw if with_chart else None)

    def destination_for(self, subscription: Subscription) -> Destination | None:
        if subscription.channel_id is not None:
            return self.channel_destination(subscription.channel_id, with_chart=True)
        if subscription.webhook_url:
            return WebhookDestination(subscription.webhook_url, self.session)
        return None

    @staticmethod
    async def _draw(request):  # type: ignore[no-untyped-def]
        return await asyncio.to_thread(render_chart, request)

    # -- scheduling ---------------------------------------------------------------------------------
    async def _start_scheduler(self) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        every = IntervalTrigger(minutes=self.settings.poll_minutes, jitter=self.settings.poll_jitter_seconds)
        first = utcnow() + dt.timedelta(seconds=5)
        self.scheduler.add_job(self.run_cycle, every, id=POLL_JOB, next_run_time=first, coalesce=True, max_instances=1)
        for schedule in await self.store.schedules():
            self.add_briefing_job(schedule)
        self.scheduler.start()

    def add_briefing_job(self, schedule: BriefingSchedule) -> dt.datetime | None:
        """(Re)schedule a channel's briefing; returns its next run time."""
        from apscheduler.triggers.cron import CronTrigger

        from bot.alerts.schedule import parse_timezone

        trigger = CronTrigger.from_crontab(schedule.cron, timezone=parse_timezone(schedule.timezone))
        if self.scheduler is None:
            return trigger.get_next_fire_time(None, dt.datetime.now(trigger.timezone))
        job = self.scheduler.add_job(self.post_briefing, trigger, args=[schedule.channel_id],
                                     id=f"briefing:{schedule.channel_id}", replace_existing=True,
                                     coalesce=True, misfire_grace_time=600)  # fmt: skip
        return job.next_run_time

    def remove_briefing_job(self, channel_id: int) -> None:
        if self.scheduler is not None:
            with contextlib.suppress(Exception):
                self.scheduler.remove_job(f"briefing:{channel_id}")

    def next_check(self) -> dt.datetime | None:
        job = self.scheduler.get_job(POLL_JOB) if self.scheduler else None
        return job.next_run_time if job else None

    async def post_briefing(self, channel_id: int, slot: dt.datetime | None = None) -> bool:
        """Post a channel's scheduled briefing once per slot, even with several instances running."""
        slot = (slot or utcnow()).replace(second=0, microsecond=0)
        key = f"channel:{channel_id}"
        previous = await self.store.last_sent(key, "briefing:")
        claim = await self.store.claim(
            [f"briefing:{channel_id}:{slot.isoformat()}"], key, self.watcher.worker, utcnow()
        )
        if claim is None:
            return False
        latest = await self.store.latest_snapshot(self.settings.mission)
        if previous is not None and (latest is None or latest.fetched_at <= previous):
            briefing = self.service.overview().model_copy(
                update={"title": f"{self.settings.mission}: no change since {previous:%Y-%m-%d %H:%M} UTC",
                        "summary": "The tracked figures have not changed since the last briefing.",
                        "fields": (), "table": None},
            )  # fmt: skip
        else:
            briefing = self.service.overview()
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            await self.store.mark_sent(claim, "failed: channel unavailable", utcnow())
            return False
        message = None
        for part in render_messages(briefing, timestamp=discord.utils.utcnow()):
            sent = await channel.send(embeds=part.embeds, allowed_mentions=NO_MENTIONS)
            message = message or sent
        await self.store.mark_sent(claim, str(message.id) if message else None, utcnow())
        return True
