"""The bot's scheduler jobs, on a real event loop (SimCord cannot settle while APScheduler runs)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from bot.app import create_bot
from bot.discord.alerts_runtime import POLL_JOB, POLL_MISFIRE_GRACE, AlertRuntime, last_fire_time
from bot.store.schedules import BriefingSchedule


async def _started(runtime: AlertRuntime, ready: asyncio.Event) -> None:
    ready.set()
    for _ in range(100):
        if runtime.scheduler is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the scheduler did not start once the bot was ready")


async def test_jobs_start_only_when_the_gateway_is_ready_and_follow_the_store(bot_settings) -> None:
    """No job before READY; then the poll job (misfire grace, jitter) and the briefing jobs stored by any instance."""
    settings = bot_settings.model_copy(
        update={"scheduler_enabled": True, "poll_minutes": 15, "poll_jitter_seconds": 60}
    )
    bot = create_bot(settings)
    ready = asyncio.Event()
    runtime = AlertRuntime(bot, settings, bot.service, ready=ready.wait)
    other = AlertRuntime(bot, settings, bot.service, ready=asyncio.Event().wait)  # a second instance, same store
    await runtime.start()
    await other.start()
    try:
        await asyncio.sleep(0.05)
        assert runtime.scheduler is None  # channels cannot be found before READY
        await _started(runtime, ready)
        poll = runtime.scheduler.get_job(POLL_JOB)
        assert poll.trigger.interval == dt.timedelta(minutes=15) and poll.trigger.jitter == 60
        assert poll.misfire_grace_time == POLL_MISFIRE_GRACE and runtime.next_check() is not None
        await other.set_schedule(BriefingSchedule(1, 42, "0 8 * * mon", "Europe/Rome", 7))
        assert runtime.scheduler.get_job("briefing:42") is None
        await runtime.sync_schedules()  # what each poll does
        job = runtime.scheduler.get_job("briefing:42")
        assert job.next_run_time.weekday() == 0 and (job.next_run_time.hour, job.next_run_time.minute) == (8, 0)
        assert str(job.next_run_time.tzinfo) == "Europe/Rome"
        await other.remove_schedule(42)
        await runtime.sync_schedules()
        assert runtime.scheduler.get_job("briefing:42") is None
    finally:
        await runtime.stop()
        await other.stop()


def test_a_late_run_posts_for_the_slot_it_was_scheduled_for() -> None:
    """A job that runs 7 minutes late still names the 08:00 slot, as every other instance does."""
    trigger = CronTrigger.from_crontab("0 8 * * *", timezone=dt.UTC)
    late = dt.datetime(2025, 6, 2, 8, 7, 12, tzinfo=dt.UTC)
    assert last_fire_time(trigger, late) == dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
    assert last_fire_time(trigger, dt.datetime(2025, 6, 2, 7, 59, tzinfo=dt.UTC)).day == 1


async def test_stop_waits_for_a_running_cycle_before_closing_the_store(bot_settings) -> None:
    """A cycle in flight when the bot stops ends normally: the store is closed only after it."""
    bot = create_bot(bot_settings)
    runtime = AlertRuntime(bot, bot_settings, bot.service)
    await runtime.start()
    source = runtime.watcher.source

    class SlowSource:  # the cycle is mid-fetch when the bot stops
        key = source.key

        async def fetch(self, validators):  # type: ignore[no-untyped-def]
            await asyncio.sleep(0.2)
            return await source.fetch(validators)

    runtime.watcher.source = SlowSource()
    cycle = asyncio.create_task(runtime.run_cycle())
    await asyncio.sleep(0.05)
    await runtime.stop()
    assert (await cycle).status == "baseline"  # it recorded the baseline: the store was still open


async def test_stopping_while_the_poll_posts_lets_the_post_be_recorded_so_it_is_never_sent_again(bot_settings) -> None:
    """The poll job is mid-post to a webhook when the bot stops: stop waits for the answer and its record,
    instead of cancelling the job between the two (the post would then go out again after the lease)."""
    from pydantic import SecretStr

    from bot.alerts.identity import webhook_key
    from bot.store.database import Store
    from tests.conftest import SEED_FIGURES, snapshot_of
    from tests.webhook_receiver import WebhookReceiver, receive_webhooks

    hold = asyncio.Event()
    async with receive_webhooks(WebhookReceiver(hold=hold)) as receiver:
        settings = bot_settings.model_copy(update={"scheduler_enabled": True, "webhooks": (SecretStr(receiver.url),),
                                                   "discord_api_base": receiver.api_base})  # fmt: skip
        bot = create_bot(settings)
        ready = asyncio.Event()
        runtime = AlertRuntime(bot, settings, bot.service, ready=ready.wait)
        await runtime.start()
        stopping = None
        try:
            assert (await runtime.run_cycle()).status == "baseline"
            _publish(Path(settings.source), snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
            await _started(runtime, ready)
            runtime.scheduler.modify_job(POLL_JOB, next_run_time=dt.datetime.now(dt.UTC))  # the poll, now
            await asyncio.wait_for(receiver.arrived.wait(), 10)  # the post is at the webhook, unanswered
            stopping = asyncio.create_task(runtime.stop())
            await asyncio.sleep(0.2)
            assert not stopping.done()  # waiting for the job, not cancelling it
            hold.set()
            await asyncio.wait_for(stopping, 10)
        finally:
            hold.set()
            if stopping is None:
                await runtime.stop()
    async with Store.open(settings.store_url) as store:
        rows = await store.ledger.rows(webhook_key(receiver.url))
    assert [(row["event_key"], row["status"]) for row in rows] == [("change:KFOR:1", "sent")]
    assert len(receiver.posts) == 1


def _publish(report: Path, text: str) -> None:
    report.write_text(text)
