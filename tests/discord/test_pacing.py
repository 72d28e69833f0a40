"""Pacing: every request to Discord waits for its share of the global limit, and none is refused for it."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import HTTPClient, Route

from bot.discord.pacing import Pacer, pace
from tests.discord_standin import DiscordStandIn, busiest_second, discord_standin


class FakeTime:
    """A clock that moves only when the pacer sleeps: what the pacer lets start, and when, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept += 1
        self.now += seconds


@pytest.mark.parametrize(("rate", "requests"), [(50.0, 500), (12.5, 100), (0.5, 5)])
async def test_no_second_holds_more_requests_than_the_budget(rate: float, requests: int) -> None:
    """However many ask at once, no one-second window (wherever it starts) holds more than ``rate`` starts."""
    time = FakeTime()
    pacer = Pacer(rate, clock=time.clock, sleep=time.sleep)
    starts: list[float] = []

    async def request() -> None:
        await pacer.acquire()
        starts.append(time.now)

    await asyncio.gather(*(request() for _ in range(requests)))
    assert len(starts) == requests
    assert starts == sorted(starts)  # first come, first served
    assert busiest_second(starts) <= max(1, int(rate))
    # and it is not slower than it must be: one start per interval (the budget's, plus the jitter margin)
    assert starts[-1] == pytest.approx((requests - 1) / rate * 1.05)


async def test_a_request_on_its_own_does_not_wait() -> None:
    """A quiet bot (a command's follow-up, a few digests apart) never waits: only a request close behind another."""
    time = FakeTime()
    pacer = Pacer(50, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        await pacer.acquire()
        time.now += 0.5
    assert (time.slept, pacer.waited, pacer.started) == (0, 0, 3)
    await pacer.acquire()
    await pacer.acquire()
    assert pacer.waited == 1 and time.now == pytest.approx(1.5 + 0.021)


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0)


async def test_a_burst_to_many_channels_meets_no_global_limit_at_a_standin_that_enforces_it() -> None:
    """discord.py's own HTTP client, paced, sends to 120 channels (120 route buckets) through a stand-in that
    refuses past 50 per second: no global 429, every channel gets its one message, none twice."""
    async with discord_standin(DiscordStandIn(limit=50)) as standin:
        http = HTTPClient(asyncio.get_running_loop())
        try:
            pacer = pace(http, Pacer(50))
            assert pace(http, Pacer(10)) is pacer  # installed once: a second pacer would halve the rate
            await http.static_login("token")
            channels = [str(10**17 + i) for i in range(120)]
            await asyncio.gather(*(http.send_message(int(c), params=discord.http.handle_message_parameters(
                content=f"digest {c}")) for c in channels))  # fmt: skip
        finally:
            await http.close()
    assert standin.global_429 == 0
    assert {c: [m["content"] for m in standin.messages[c]] for c in channels} == {c: [f"digest {c}"] for c in channels}
    assert pacer.waited > 0  # the budget did the holding back, not Discord


async def test_the_running_bot_paces_every_request_it_sends(simcord_bot, bot_settings) -> None:
    """The bot's HTTP client (SimCord's, here) goes through the pacer at the configured budget."""
    from tests.conftest import simulated

    async with simulated(simcord_bot) as env:
        assert simcord_bot.pacer is not None and simcord_bot.pacer.rate == bot_settings.request_budget == 50
        before = simcord_bot.pacer.started
        guild = env.create_guild()
        channel = guild.create_text_channel("briefings")
        await simcord_bot.http.send_message(channel.id, params=discord.http.handle_message_parameters(content="x"))
        assert simcord_bot.pacer.started == before + 1
    assert Route.BASE.startswith("https://discord.com")


async def test_the_login_requests_are_paced_too(bot_settings) -> None:
    """discord.py asks for the bot's user and application before ``setup_hook``: both already went through the pacer,
    against a stand-in for Discord on 127.0.0.1."""
    from bot.app import create_bot

    async with discord_standin() as standin:
        bot = create_bot(bot_settings)
        paced_before_setup: list[int | None] = []

        async def setup_hook() -> None:  # what login did before it, and nothing of the bot's own start-up
            paced_before_setup.append(bot.pacer.started if bot.pacer is not None else None)

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        try:
            await bot.login("token")
        finally:
            await bot.close()
    assert paced_before_setup == [2] == [len(standin.arrivals)]  # GET /users/@me and /oauth2/applications/@me
    assert bot.pacer is not None and bot.pacer.rate == bot_settings.request_budget


async def test_a_configured_api_base_carries_the_bots_own_requests_from_login_on(bot_settings) -> None:
    """KFOR_DISCORD_API_BASE (a proxy) is where login goes too, not only the webhooks' posts."""
    from bot.app import create_bot

    async with discord_standin() as standin:
        Route.BASE = "https://discord.com/api/v10"  # as before the bot starts
        bot = create_bot(bot_settings.model_copy(update={"discord_api_base": standin.api_base}))
        bot.setup_hook = _nothing  # type: ignore[method-assign]
        try:
            await bot.login("token")
        finally:
            await bot.close()
        assert len(standin.arrivals) == 2 and standin.api_base == Route.BASE


async def _nothing() -> None:
    return None
