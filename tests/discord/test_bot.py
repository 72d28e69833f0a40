"""The assembled bot: intents, command sync policy, the central error handler, token safety, parity."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys

import discord

from bot.app import create_bot
from bot.briefings.render.text import render_text
from bot.briefings.service import BriefingService
from bot.discord.client import KforBot, gateway_intents
from bot.discord.sync import STATE_FILE
from bot.discord.tree import APOLOGY
from bot.settings import Settings
from tests.conftest import ROOT, simulated

FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")


def _syncs(env) -> list[str]:
    return [r.path for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


def test_minimal_intents() -> None:
    intents = gateway_intents()
    assert intents.guilds
    assert not intents.message_content and not intents.members and not intents.presences


async def test_global_sync_only_when_definitions_change(bot_settings) -> None:
    """First start syncs globally and records a hash; a restart with the same commands does not sync."""
    async with simulated(create_bot(bot_settings)) as env:
        assert len(_syncs(env)) == 1 and "/guilds/" not in _syncs(env)[0]
    assert (bot_settings.state_dir / STATE_FILE).exists()
    async with simulated(create_bot(bot_settings), strict_sync=False) as env:
        assert _syncs(env) == []
    (bot_settings.state_dir / STATE_FILE).write_text('{"fingerprint": "old", "application_id": "x"}')
    async with simulated(create_bot(bot_settings)) as env:
        assert len(_syncs(env)) == 1


async def test_dev_guild_sync(bot_settings) -> None:
    """With DEV_GUILD_ID the commands go to that guild only, never globally."""
    settings = bot_settings.model_copy(update={"dev_guild_id": 1234})
    async with simulated(create_bot(settings), strict_sync=False) as env:
        assert _syncs(env) and all("/guilds/1234/commands" in path for path in _syncs(env))
    assert not (settings.state_dir / STATE_FILE).exists()


async def test_admin_sync_is_for_owners_only(bot_settings) -> None:
    """/kfor-admin sync: an administrator who is not an owner is refused; an owner forces a global sync."""
    bot = create_bot(bot_settings)
    async with simulated(bot) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("ops")
        admins = guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
        stranger = guild.add_member(env.create_user("stranger"), roles=[admins])
        owner = guild.add_member(env.create_user("owner"), roles=[admins])
        bot.owner_ids = {owner.id}
        refused = await stranger.slash(channel, "kfor-admin sync")
        assert refused.ephemeral
        assert refused.response.content == "You cannot use this command here."
        before = len(_syncs(env))
        done = await owner.slash(channel, "kfor-admin sync")
        assert done.ephemeral
        assert [m.content for m in done.followups] == ["Commands synced (global)."] or (
            done.response.content == "Commands synced (global)."
        )
        assert len(_syncs(env)) == before + 1
        assert env.errors  # the refusal went through the central handler


class _BrokenService(BriefingService):
    def top(self, count: int = 5):
        raise RuntimeError("database exploded")


async def test_unexpected_errors_are_logged_and_apologised_for(bot_settings, dataset, caplog) -> None:
    bot = KforBot(_BrokenService(dataset), bot_settings)
    async with simulated(bot) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("c")
        member = guild.add_member(env.create_user("u"))
        with caplog.at_level(logging.ERROR, logger="bot.discord.tree"):
            result = await member.slash(channel, "kfor top", count=3)
        assert result.ephemeral and result.response.content == APOLOGY
        record = next(r for r in caplog.records if "failed" in r.getMessage())
        assert record.getMessage() == "Command /kfor top failed with options {'count': 3}"
        assert "database exploded" in str(record.exc_info[1])
        assert env.errors


async def test_console_and_discord_give_the_same_figures(simcord_env, service) -> None:
    """The same command in the console and in Discord: the same fields, table rows and footer."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("c")
    member = guild.add_member(simcord_env.create_user("u"))
    for text, slash, options, rows in [
        ("/kfor top 7", "kfor top", {"count": 7}, 7),
        ("/kfor scenario withdraw partners", "kfor scenario", {"change": "withdraw partners"}, 16),
        ("/kfor country Hungary", "kfor country", {"nation": "Hungary"}, 0),
    ]:
        console = render_text(service.answer(text))
        console_rows = [tuple(FLAG.sub("", line).split()) for line in console.splitlines()]
        embed = (await member.slash(channel, slash, **options)).response.embeds[0]
        tables = [f.value for f in embed.fields if f.value.startswith("```")]  # a table after the result
        for field in embed.fields:
            if not field.value.startswith("```"):
                assert f"{field.name}: {field.value.splitlines()[0]}" in console
        blocks = (tables[0] if tables else embed.description or "").split("```")
        table = blocks[1].strip().splitlines()[1:] if len(blocks) > 1 else []
        assert len(table) == rows, text
        for line in table:  # Discord's compact rows (short names, fewer columns) end as the console's full rows do
            cells = tuple(line.replace("… ", "…").split())
            assert cells[0].startswith("…") or any(row[-len(cells) + 1 :] == cells[1:] for row in console_rows), line
        assert embed.footer.text in console


def test_settings_never_show_the_token() -> None:
    settings = Settings(_env_file=None, discord_token="secret-token-xyz")  # noqa: S106 - a fake token
    assert "secret-token-xyz" not in repr(settings) and "secret-token-xyz" not in str(settings.model_dump())


def test_run_with_a_token_never_prints_it() -> None:
    """With DISCORD_TOKEN set the bot starts for Discord; whatever fails, the token is not printed."""
    env = {**os.environ, "DISCORD_TOKEN": "secret-token-xyz", "KFOR_STATE_DIR": "/tmp/kfor-test-state"}  # noqa: S108
    try:
        result = subprocess.run([sys.executable, "-m", "bot"], capture_output=True, text=True, cwd=ROOT, env=env,
                                timeout=45, check=False)  # fmt: skip
        output, code = result.stdout + result.stderr, result.returncode
    except subprocess.TimeoutExpired as exc:  # a network that hangs rather than refuses
        output, code = (exc.stdout or b"").decode() + (exc.stderr or b"").decode(), None
    assert "secret-token-xyz" not in output
    assert "logging in using static token" in output
    assert code != 0


def test_readme_invite_permissions_match_what_the_bot_needs() -> None:
    """The permissions integer in the set-up steps (docs/discord.md) is exactly the six permissions the bot uses."""
    needed = discord.Permissions(send_messages=True, embed_links=True, attach_files=True, create_public_threads=True,
                                 send_messages_in_threads=True, read_message_history=True)  # fmt: skip
    readme = (ROOT / "docs" / "discord.md").read_text(encoding="utf-8")
    assert f"permissions={needed.value}" in readme


async def test_a_database_that_is_down_stops_the_bot_with_one_named_fault(bot_settings) -> None:
    """Not "cannot reach Discord" (exit 1): the start-up says which database does not answer, without its password."""

    import pytest
    import simcord

    from bot.app import create_bot
    from bot.store.faults import EXIT_CODES, StoreFaultError

    bot = create_bot(bot_settings.model_copy(update={"database_url": "postgresql://kfor:DBSECRET@127.0.0.1:1/kfor"}))
    with pytest.raises(StoreFaultError) as raised:
        async with simcord.run(bot):
            pass
    fault = raised.value.fault
    assert fault.exit_code == EXIT_CODES["unreachable"] == 7
    assert fault.message.startswith("cannot reach the database postgresql://kfor@127.0.0.1:1/kfor")
    assert "DBSECRET" not in fault.message
