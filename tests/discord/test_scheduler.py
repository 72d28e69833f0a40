"""The bot's scheduler jobs, on a real event loop (SimCord cannot settle while APScheduler runs)."""

from __future__ import annotations

import datetime as dt

from bot.app import create_bot
from bot.discord.alerts_runtime import POLL_JOB, AlertRuntime
from bot.store.repository import BriefingSchedule


async def test_poll_and_briefing_jobs(bot_settings) -> None:
    settings = bot_settings.model_copy(
        update={"scheduler_enabled": True, "poll_minutes": 15, "poll_jitter_seconds": 60}
    )
    bot = create_bot(settings)
    runtime = AlertRuntime(bot, settings, bot.service)
    await runtime.start()
    try:
        poll = runtime.scheduler.get_job(POLL_JOB)
        assert poll.trigger.interval == dt.timedelta(minutes=15) and poll.trigger.jitter == 60
        assert runtime.next_check() is not None
        next_run = runtime.add_briefing_job(BriefingSchedule(1, 42, "0 8 * * mon", "Europe/Rome", 7))
        assert next_run.weekday() == 0 and (next_run.hour, next_run.minute) == (8, 0)
        assert str(next_run.tzinfo) == "Europe/Rome"
        assert runtime.scheduler.get_job("briefing:42") is not None
        runtime.remove_briefing_job(42)
        assert runtime.scheduler.get_job("briefing:42") is None
    finally:
        await runtime.stop()
