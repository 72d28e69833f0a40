"""The operator's endpoint: Prometheus metrics and a health check, read over real HTTP from a bot in SimCord."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import aiohttp
import discord
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import create_bot
from tests.conftest import SEED_FIGURES, snapshot_of


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, keyed by name and sorted labels."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}  # fmt: skip


@pytest.fixture
def bot_settings(bot_settings):
    """The shared test settings with metrics on, on any free port."""
    return bot_settings.model_copy(update={"metrics_port": 0})


@pytest.fixture
async def metered(simcord_env):
    """The bot with metrics on, in SimCord, and an admin in a channel; its metrics server closed after."""
    env, bot = simcord_env, simcord_env.bot
    guild = env.create_guild()
    channel = guild.create_text_channel("kfor")
    staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("admin"), roles=[staff])
    yield env, bot, channel, admin
    await bot.metrics_server.stop()


async def _get(bot, path: str) -> tuple[int, str, str]:
    url = f"http://127.0.0.1:{bot.metrics_server.port}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


def _publish(bot, text: str) -> None:
    """The watched report changes."""
    Path(bot.settings.source).write_text(text)


async def test_metrics_count_commands_cycles_deliveries_and_source_health(metered) -> None:
    """Commands by name and outcome with latencies, cycles by status, deliveries by outcome, the last change."""
    env, bot, channel, admin = metered
    await admin.slash(channel, "kfor top", count=3)
    await admin.slash(channel, "kfor top", count=5)
    await admin.slash(channel, "kfor country", nation="Atlantis")  # the user's mistake
    await admin.slash(channel, "kfor-settings alerts subscribe")
    await bot.alerts.run_cycle()
    _publish(bot, snapshot_of(dict(SEED_FIGURES, **{"United States": 320}), "2025-06").to_json())
    await bot.alerts.run_cycle()
    await env.settle()

    status, content_type, text = await _get(bot, "/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=")
    samples = _samples(text)
    count = "kfor_command_duration_seconds_count"
    assert samples[(count, (("command", "kfor top"), ("outcome", "ok")))] == 2
    assert samples[(count, (("command", "kfor country"), ("outcome", "user_error")))] == 1
    assert samples[(count, (("command", "kfor-settings alerts subscribe"), ("outcome", "ok")))] == 1
    fastest = samples[("kfor_command_duration_seconds_bucket", (("command", "kfor top"), ("le", "10.0"),
                                                                ("outcome", "ok")))]  # fmt: skip
    assert fastest == 2
    assert samples[("kfor_watch_cycles_total", (("status", "baseline"),))] == 1
    assert samples[("kfor_watch_cycles_total", (("status", "changed"),))] == 1
    assert samples[("kfor_watch_cycles_total", (("status", "problem"),))] == 0
    assert samples[("kfor_deliveries_total", (("outcome", "sent"),))] == 1
    assert samples[("kfor_deliveries_total", (("outcome", "failed"),))] == 0
    assert samples[("kfor_source_healthy", ())] == 1
    last_change = samples[("kfor_last_change_timestamp_seconds", ())]
    assert abs(last_change - discord.utils.utcnow().timestamp()) < 60
    assert env.errors  # the unknown nation, which SimCord saw raised in the command


async def test_health_reports_the_connection_and_the_last_cycle(metered) -> None:
    """/healthz: 200 while connected, with the last cycle; a broken source shows there but is not unhealthy."""
    _env, bot, _, _ = metered
    await bot.alerts.run_cycle()
    _publish(bot, '{"format": "kfor-bot/snapshot", "contingents": "??"}')
    await bot.alerts.run_cycle()
    status, content_type, text = await _get(bot, "/healthz")
    body = json.loads(text)
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert body["status"] == "ok" and body["discord"]["connected"] is True
    assert body["last_cycle"]["status"] == "problem"
    assert dt.datetime.fromisoformat(body["last_cycle"]["at"]) <= discord.utils.utcnow()
    assert "does not parse" in body["source"]["problem"]
    samples = _samples((await _get(bot, "/metrics"))[2])
    assert samples[("kfor_source_healthy", ())] == 0


async def test_health_is_503_once_the_bot_is_disconnected(metered) -> None:
    """A bot that lost Discord answers 503, so a supervisor can restart it."""
    _env, bot, _, _ = metered
    bot._ready.clear()  # what discord.py does when the gateway connection drops
    status, _, text = await _get(bot, "/healthz")
    assert status == 503 and json.loads(text)["status"] == "disconnected"


async def test_metrics_are_off_by_default_and_local_when_on(bot_settings, metered) -> None:
    """No port set: no server and no metrics; with one, it listens on 127.0.0.1 only."""
    from bot.settings import Settings

    default = Settings(_env_file=None)
    plain = create_bot(bot_settings.model_copy(update={"metrics_port": default.metrics_port}))
    assert default.metrics_port is None and plain.metrics is None and plain.metrics_server is None
    _env, bot, _, _ = metered
    assert bot.settings.metrics_host == "127.0.0.1"
    assert [address[0] for address in bot.metrics_server._runner.addresses] == ["127.0.0.1"]
