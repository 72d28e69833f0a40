"""The running bot serves the webhooks it is given (KFOR_WEBHOOKS) on its poll, through the one delivery path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import SecretStr

from bot.alerts.identity import webhook_key
from bot.app import create_bot
from bot.cli.check import run_check
from bot.discord.alerts_runtime import AlertRuntime
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.webhook_receiver import WEBHOOK_ID, receive_webhooks, webhook_url

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


async def test_webhooks_failing_mid_batch_leave_the_others_delivered_once_and_each_failure_recorded(
    bot_settings,
) -> None:
    """Four webhooks, one change: one answers a 429 discord.py cannot read (HTML through a proxy, Retry-After
    "soon"), one is revoked. The healthy two get their one post; the revoked one is given up; the unreadable 429 is
    kept for one careful retry, which after the lease delivers it once. No cycle raises; nothing is sent twice."""
    urls = [webhook_url(index) for index in range(4)]
    odd, revoked = str(int(WEBHOOK_ID) + 1), str(int(WEBHOOK_ID) + 2)
    async with receive_webhooks() as receiver:
        settings = bot_settings.model_copy(update={"webhooks": tuple(SecretStr(url) for url in urls),
                                                   "discord_api_base": receiver.api_base})  # fmt: skip
        bot = create_bot(settings)
        runtime = AlertRuntime(bot, settings, bot.service)
        await runtime.start()
        try:
            assert (await runtime.run_cycle()).status == "baseline"
            receiver.faults = {odd: "odd-429", revoked: "refuse"}
            _change(settings.source)
            result = await runtime.run_cycle()
            assert (result.status, result.sent) == ("changed", 2)
            assert sorted(result.failed) == sorted(
                [
                    f"{webhook_key(urls[1])}: unexpected error: TypeError: string indices must be integers, not 'str' "
                    "(outcome unknown; one retry after the lease)",
                    f"{webhook_key(urls[2])}: webhook refused the message (HTTP 404) (given up)",
                ]
            )
            assert [len(receiver.to(index)) for index in range(4)] == [1, 0, 0, 1]
            statuses = {row["destination_key"]: row["status"] for row in await runtime.store.ledger.rows()}
            assert [statuses[webhook_key(url)] for url in urls] == ["sent", "claimed", "failed", "sent"]
            receiver.faults = {revoked: "refuse"}  # the proxy is fine again; the revoked webhook stays revoked
            later = runtime.watcher.clock() + settings.lease + dt.timedelta(seconds=1)
            runtime.watcher.clock = lambda: later  # past the claim's lease, without waiting it out
            result = await runtime.run_cycle()
            assert (result.sent, result.failed) == (1, ())  # the one careful retry, and nothing else again
            for _ in range(2):
                assert (await runtime.run_cycle()).sent == 0
            assert [len(receiver.to(index)) for index in range(4)] == [1, 1, 0, 1]
            statuses = {row["destination_key"]: row["status"] for row in await runtime.store.ledger.rows()}
            assert [statuses[webhook_key(url)] for url in urls] == ["sent", "sent", "failed", "sent"]
        finally:
            await runtime.stop()


def _change(source: str) -> None:
    Path(source).write_text(snapshot_of(CHANGED, "2025-06").to_json())
