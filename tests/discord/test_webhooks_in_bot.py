"""The running bot serves the webhooks it is given (KFOR_WEBHOOKS) on its poll, through the one delivery path."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.alerts.identity import webhook_key
from bot.app import create_bot
from bot.cli.check import run_check
from bot.discord.alerts_runtime import AlertRuntime
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.webhook_receiver import receive_webhooks

CHANGED = dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Norway": 12})


async def test_a_change_reaches_a_configured_webhook_once_with_its_chart_and_check_does_not_repeat_it(
    bot_settings,
) -> None:
    """The bot subscribes KFOR_WEBHOOKS at start, posts a change's digest, table and chart as one post on its
    cycle, records it, and neither its next cycle nor a `kfor-bot check --webhook` from cron posts it again."""
    async with receive_webhooks() as receiver:
        settings = bot_settings.model_copy(update={"webhooks": (SecretStr(receiver.url),),
                                                   "discord_api_base": receiver.api_base})  # fmt: skip
        bot = create_bot(settings)
        runtime = AlertRuntime(bot, settings, bot.service)
        await runtime.start()
        try:
            key = webhook_key(receiver.url)
            assert runtime.resolve(key) is not None and runtime.resolve("webhook:not-ours") is None
            assert (await runtime.store.subscriptions.get(key)) is not None
            assert (await runtime.run_cycle()).status == "baseline"
            _change(settings.source)
            result = await runtime.run_cycle()
            assert (result.status, result.sent, result.failed) == ("changed", 1, ())
            (post,) = receiver.posts  # digest, table and chart in one post
            head, table = post["embeds"]
            assert head["title"].startswith("KFOR update") and "US" in table["description"]
            assert post["_files"] == ["kfor-change.png"] and head["image"]["url"] == "attachment://kfor-change.png"
            rows = await runtime.store.ledger.rows(key)
            assert [(r["event_key"], r["status"]) for r in rows] == [("change:KFOR:1", "sent")]
            assert (await runtime.run_cycle()).sent == 0
        finally:
            await runtime.stop()
        assert await run_check(settings.source, settings.store_url, receiver.url, settings) == 0
        assert len(receiver.posts) == 1


def _change(source: str) -> None:
    Path(source).write_text(snapshot_of(CHANGED, "2025-06").to_json())
