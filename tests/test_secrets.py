"""A source address with credentials in it is never shown: not to a team, an operator's terminal or a log.

The watched source is ``http://alice:S3CRETPASS@127.0.0.1:PORT/report.csv?token=APITOKEN123`` and it
breaks; every place that shows the source is read for the user name, the password and the token.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import discord
import pytest

from bot.sources.location import public_address, public_text
from tests.process import check
from tests.report_server import serve_report
from tests.webhook_receiver import receive_webhooks

SECRETS = ("alice", "S3CRETPASS", "APITOKEN123")


def _credentialed(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, f"alice:S3CRETPASS@{parts.netloc}", parts.path, "token=APITOKEN123", ""))


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} shown in: {text[:300]}"


def test_an_address_is_shown_without_user_password_query_or_webhook_token() -> None:
    """The one function every message shows an address through."""
    assert public_address("http://alice:S3CRETPASS@host:8080/c.csv?token=APITOKEN123#x") == "http://host:8080/c.csv"
    assert public_address("https://discord.com/api/v10/webhooks/123456789012345678/t0ken/") == (
        "https://discord.com/api/v10/webhooks/123456789012345678"
    )
    quoted = "TooManyRedirects: url=URL('http://alice:S3CRETPASS@h/x?token=APITOKEN123'); see https://a:b@h2/p?q=1."
    assert public_text(quoted) == "TooManyRedirects: url=URL('http://h/x'); see https://h2/p."


async def test_check_never_prints_or_posts_the_credentials(tmp_path) -> None:
    """stderr (with --verbose logging), the console's notice and the webhook's notice show the host and path only."""
    db = f"sqlite:///{tmp_path / 'kfor.db'}"
    async with serve_report() as server, receive_webhooks() as webhook:
        source = _credentialed(server.url)
        base = ("--verbose", "--source", source, "--db", db, "--webhook", webhook.url)
        env = {"KFOR_DISCORD_API_BASE": webhook.api_base}
        code, out, err = await check(*base, env=env)
        assert code == 0 and "baseline" in err
        server.status = 404
        outputs = []
        for _ in range(3):  # a fetch failure is announced after three in a row
            code, out, err = await check(*base, env=env)
            assert code == 1
            outputs += [out, err]
        assert "HTTP 404" in outputs[-1] and "127.0.0.1" in outputs[-1] and "/report.csv" in outputs[-1]
        assert "source problem" in outputs[-2]  # the console subscriber's notice
        assert [post["embeds"][0]["title"] for post in webhook.posts] == ["KFOR source problem"]
        _assert_clean(*outputs, json.dumps(webhook.posts))
        code, _, err = await check(
            "--source",
            source,
            "--source-link",
            "x",
            "--db",
            db,
            "--webhook",
            "https://alice:S3CRETPASS@example.com/?token=APITOKEN123",
        )
        assert code == 2
        _assert_clean(err)


@pytest.fixture
async def report_server():
    async with serve_report() as server:
        yield server


@pytest.fixture
def bot_settings(bot_settings, report_server):
    """The shared test settings, watching a credentialed address, with metrics on."""
    return bot_settings.model_copy(update={"source": _credentialed(report_server.url), "metrics_port": 0})


async def test_the_bot_never_shows_the_credentials(simcord_env, report_server, caplog) -> None:
    """The channel's notice, /kfor alerts status (any member), /healthz and the log show the host and path only."""
    caplog.set_level(logging.DEBUG, logger="bot")  # the bot's own log (a driver's DEBUG echoes SQL parameters)
    env, bot = simcord_env, simcord_env.bot
    guild = env.create_guild()
    channel = guild.create_text_channel("kfor")
    staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("admin"), roles=[staff])
    member = guild.add_member(env.create_user("member"))
    try:
        await admin.slash(channel, "kfor-settings alerts subscribe")
        assert (await bot.alerts.run_cycle()).status == "baseline"
        report_server.status = 404
        for _ in range(3):
            assert (await bot.alerts.run_cycle()).status == "problem"
        await env.settle()
        notices = [m for m in channel.history() if m.embeds]
        assert [m.embeds[0].title for m in notices] == ["KFOR source problem"]
        status = await member.slash(channel, "kfor alerts status")
        fields = {f.name: f.value for f in status.response.embeds[0].fields}
        assert fields["Source"] == public_address(report_server.url) and "HTTP 404" in fields["⚠️ Source problem"]
        url = f"http://127.0.0.1:{bot.metrics_server.port}/healthz"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            health = await response.text()
        assert "HTTP 404" in health
        shown = [json.dumps([m.embeds[0].to_dict() for m in notices]), json.dumps(status.response.embeds[0].to_dict()),
                 health, caplog.text]  # fmt: skip
        _assert_clean(*shown)
    finally:
        await bot.metrics_server.stop()
