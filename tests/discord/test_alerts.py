"""Alerts end to end in SimCord: subscribe, the source changes, a digest and its thread appear."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import discord
import pytest
import simcord

from tests.conftest import SEED_FIGURES, snapshot_of


@pytest.fixture
def server(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("kfor-watch")
    admins = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    analysts = guild.create_role("Analysts")
    admin = guild.add_member(env.create_user("admin"), roles=[admins])
    member = guild.add_member(env.create_user("member"))
    return env, guild, channel, admin, member, analysts


def _watched(env) -> Path:
    return Path(env.bot.settings.source)


def _change(env, figures: dict[str, int], as_of: str) -> None:
    _watched(env).write_text(snapshot_of(figures, as_of).to_json())


def _last_embed_message(channel):
    """The newest message with embeds (a new thread also leaves a system message in the channel)."""
    return [m for m in channel.history() if m.embeds][-1]


async def _cycle(env):
    result = await env.bot.alerts.run_cycle()
    await env.settle()
    return result


async def test_subscribe_then_a_change_posts_a_digest_and_opens_a_thread(server) -> None:
    """A change posts one digest (before → after, reference in the link), pings only the role, opens a thread."""
    env, _guild, channel, admin, _, analysts = server
    reply = await admin.slash(channel, "kfor-settings alerts subscribe", mention_role=analysts)
    assert reply.ephemeral and "Subscribed" in reply.response.content
    assert (await _cycle(env)).status == "baseline"
    assert channel.last_message is None or not channel.last_message.embeds
    _change(env, dict(SEED_FIGURES, **{"United States": 320}), "2025-06")
    result = await _cycle(env)
    assert (result.status, result.sent) == ("changed", 1)

    digest = _last_embed_message(channel)
    (embed,) = digest.embeds
    assert embed.title == "KFOR update — 2025-02 → 2025-06"
    assert embed.description.startswith("KFOR: 4,686 → 4,404 troops (−282, −6.0%)")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Shrank (1)"] == "🇺🇸 United States 602 → 320 (−282, −46.8%)"
    assert fields["Rank moves (1)"] == "🇺🇸 United States 2 → 4"  # not Hungary and Türkiye, one place up each
    assert embed.footer.text.endswith("as of 2025-06 · complete list")  # no reference in sight…
    assert re.fullmatch(r"https://jfcnaples\.nato\.int/kfor#kfor-ref-[0-9a-f]{8}", embed.url)  # …it is in the link
    stored = env.backend.get_message(channel.id, digest.id)
    assert digest.content == analysts.mention
    assert stored.ping_role_ids == [analysts.id] and not stored.mention_everyone and stored.ping_user_ids == []

    (thread,) = channel.threads
    assert thread.name == "KFOR 2025-06: US −282"
    table = thread.history()[-1].embeds[0].description
    assert re.search(r"^US +602 +320 +−282$", table, re.MULTILINE)

    assert (await _cycle(env)).sent == 0  # exactly once
    assert len([m for m in channel.history() if m.embeds]) == 1

    top = await admin.slash(channel, "kfor country", nation="US")  # briefings now use the new figures
    assert top.response.embeds[0].description.startswith("**320 troops**")


async def test_unsubscribe_stops_digests(server) -> None:
    env, _, channel, admin, _, _ = server
    await admin.slash(channel, "kfor-settings alerts subscribe")
    await _cycle(env)
    reply = await admin.slash(channel, "kfor-settings alerts unsubscribe")
    assert "no more digests" in reply.response.content
    _change(env, dict(SEED_FIGURES, **{"United States": 320}), "2025-06")
    assert (await _cycle(env)).sent == 0
    assert channel.threads == []


async def test_the_settings_are_hidden_from_members_without_manage_server(server) -> None:
    """/kfor-settings is a top-level group with Manage Server by default: Discord does not show it to others."""
    env, _, channel, _, member, _ = server
    with pytest.raises(simcord.SetupError, match="default-member-permissions"):
        await member.slash(channel, "kfor-settings alerts subscribe")
    (settings,) = [c for c in await env.bot.tree.fetch_commands() if c.name == "kfor-settings"]
    assert settings.default_member_permissions == discord.Permissions(manage_guild=True)
    assert all(c.default_member_permissions is None for c in await env.bot.tree.fetch_commands() if c.name == "kfor")


async def test_a_member_shown_the_settings_by_an_override_is_still_refused(server) -> None:
    """An admin may show /kfor-settings to everyone in Integrations; changing alerts still needs Manage Server."""
    env, guild, channel, _, member, _ = server
    (settings,) = [c for c in await env.bot.tree.fetch_commands() if c.name == "kfor-settings"]
    guild.set_command_permissions(settings, {member: True})
    for command in ("kfor-settings alerts subscribe", "kfor-settings alerts unsubscribe", "kfor-settings briefing off"):
        reply = await member.slash(channel, command)
        assert reply.ephemeral and reply.response.content == "You need the Manage Server permission for this command."
    reply = await member.slash(channel, "kfor-settings briefing schedule", when="mon 08:00")
    assert reply.ephemeral and "Manage Server" in reply.response.content
    assert await env.bot.alerts.store.subscriptions.all() == []
    assert env.errors


async def test_broken_source_posts_one_notice_and_no_digest(server) -> None:
    env, _, channel, admin, _, _ = server
    await admin.slash(channel, "kfor-settings alerts subscribe")
    await _cycle(env)
    _watched(env).write_text(json.dumps({"format": "kfor-bot/snapshot", "mission": "KFOR", "contingents": "??"}))
    for _ in range(3):
        assert (await _cycle(env)).status == "problem"
    notices = [m for m in channel.history() if m.embeds]
    assert [m.embeds[0].title for m in notices] == ["KFOR source problem"]
    assert channel.threads == []
    status = await admin.slash(channel, "kfor alerts status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert "does not parse" in fields["⚠️ Source problem"]
    assert fields["Figures"] == "4,686 troops as of 2025-02"
    assert status.response.embeds[0].title == "KFOR alerts — source problem"
    assert status.ephemeral and fields["Source"] == "watched.json"  # its name, never the operator's path
    assert str(_watched(env).parent) not in str(status.response.embeds[0].to_dict())


async def test_the_status_says_no_check_yet_before_the_first_check_and_healthy_after(server) -> None:
    """ "healthy" was shown while nothing had been recorded (#20): before the first check it says so."""
    env, _, channel, admin, _, _ = server
    before = (await admin.slash(channel, "kfor alerts status")).response.embeds[0]
    fields = {f.name: f.value for f in before.fields}
    assert before.title == "KFOR alerts — no check yet" and "healthy" not in str(before.to_dict())
    assert fields["Last check"] == "none yet" and fields["Last change"] == "none seen yet"
    assert (await _cycle(env)).status == "baseline"
    after = (await admin.slash(channel, "kfor alerts status")).response.embeds[0]
    checked = {f.name: f.value for f in after.fields}["Last check"]
    assert after.title == "KFOR alerts — healthy" and checked != "none yet"


async def test_list_and_test_digest(server) -> None:
    """The list is private and names the filters; the test digest is marked and gets its thread."""
    _env, _, channel, admin, member, analysts = server
    await admin.slash(
        channel, "kfor-settings alerts subscribe", min_change=50, nations="Germany, US", mention_role=analysts
    )
    listing = await member.slash(channel, "kfor alerts list")
    assert listing.ephemeral  # only the asker sees it
    text = listing.response.embeds[0].description
    assert f"<#{channel.id}>" in text and "≥50 troops" in text and "Germany, United States" in text
    reply = await admin.slash(channel, "kfor-settings alerts test")
    assert reply.ephemeral
    sample = _last_embed_message(channel)
    assert sample.embeds[0].title == "TEST — sample digest (not real figures)"
    assert channel.threads[0].name == "TEST — sample digest"


async def test_unknown_nation_in_a_subscription_filter_suggests(server) -> None:
    env, _, channel, admin, _, _ = server
    reply = await admin.slash(channel, "kfor-settings alerts subscribe", nations="Germny, Slov")
    assert reply.ephemeral and "Slovakia, Slovenia" in reply.response.content
    assert await env.bot.alerts.store.subscriptions.all() == []
    assert env.errors


async def test_scheduled_briefings_post_once_per_slot(server) -> None:
    """A schedule is confirmed in words and posts once per slot, then 'no change since …'."""
    env, _, channel, admin, _, _ = server
    reply = await admin.slash(channel, "kfor-settings briefing schedule", when="Mondays 08:00", timezone="Europe/Rome")
    assert reply.response.content.startswith(f"The overview in <#{channel.id}>: Mondays at 08:00 Europe/Rome; next ")
    assert "* * mon" not in reply.response.content  # in words, not as a crontab
    (schedule,) = await env.bot.alerts.store.schedules.all()
    assert (schedule.channel_id, schedule.timezone) == (channel.id, "Europe/Rome")
    runtime = env.bot.alerts
    slot = dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC)
    assert await runtime.post_briefing(channel.id, slot)
    assert not await runtime.post_briefing(channel.id, slot)  # a second instance, same slot: nothing
    await env.settle()
    assert _last_embed_message(channel).embeds[0].title == "KFOR — mission overview"
    assert await runtime.post_briefing(channel.id, slot + dt.timedelta(days=7))
    await env.settle()
    assert _last_embed_message(channel).embeds[0].title.startswith("KFOR: no change since")
    bad = await admin.slash(channel, "kfor-settings briefing schedule", when="sometimes")
    assert bad.ephemeral and "mon 08:00" in bad.response.content
    off = await admin.slash(channel, "kfor-settings briefing off")
    assert off.response.content == "Scheduled briefings stopped."
    assert await runtime.store.schedules.all() == []
    assert env.errors


class Crash(BaseException):
    """The bot process dying."""


async def test_a_digest_sent_before_a_crash_is_not_sent_again(server) -> None:
    """The bot dies after Discord accepted the digest but before the ledger says so: after restart and the
    lease, the retry finds the digest by its ref in the channel's history and posts nothing twice."""
    env, _, channel, admin, _, _ = server
    await admin.slash(channel, "kfor-settings alerts subscribe")
    await _cycle(env)
    _change(env, dict(SEED_FIGURES, **{"United States": 320}), "2025-06")
    runtime = env.bot.alerts
    store = runtime.store
    finish_many = store.ledger.finish_many

    async def die(*_args, **_kwargs) -> None:
        raise Crash

    store.ledger.finish_many = die  # the process dies right after the send, before its batch is finished
    with pytest.raises(Crash):
        await runtime.run_cycle()
    store.ledger.finish_many = finish_many
    await env.settle()
    assert len([m for m in channel.history() if m.embeds]) == 1
    assert [row["status"] for row in await store.ledger.rows(f"channel:{channel.id}")] == ["claimed"]

    runtime.watcher.worker = "restarted-process"
    runtime.watcher.clock = lambda: discord.utils.utcnow() + dt.timedelta(minutes=10)  # past the lease
    result = await _cycle(env)
    assert result.sent == 1  # the delivery completed…
    assert len([m for m in channel.history() if m.embeds]) == 1  # …without a second message
    assert len(channel.threads) == 1
    (row,) = await store.ledger.rows(f"channel:{channel.id}")
    assert (row["status"], row["claimed_by"], row["attempts"]) == ("sent", "restarted-process", 2)


async def test_the_alert_test_shows_a_real_change(server) -> None:
    """The sample digest changes figures for real (not "4,686 → 4,686 (±0)"), and says it is a test."""
    _env, _, channel, admin, _, _ = server
    subscribed = await admin.slash(channel, "kfor-settings alerts subscribe")
    assert "for changes of at least 1 troop." in subscribed.response.content  # singular
    await admin.slash(channel, "kfor-settings alerts test")
    (embed,) = _last_embed_message(channel).embeds
    assert embed.description.startswith("KFOR: 4,686 → 4,428 troops (−258, −5.5%) · 29 → 30 nations.")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Shrank (1)"] == "🇺🇸 United States 602 → 301 (−301, −50.0%)"
    assert fields["Grew (1)"] == "🇩🇪 Germany 269 → 300 (+31, +11.5%)"
    assert fields["Joined (1)"] == "🇳🇴 Norway 0 → 12 (+12, new)"
    assert "not news" in embed.description and "±0" not in embed.description
    assert embed.footer.text == "Source: sample figures made up for this test from the 2025-02 list, not a report"
    table = channel.threads[-1].history()[-1].embeds[0]
    assert table.footer.text == embed.footer.text and "BILD" not in str(table.to_dict())  # no real report credited


def test_a_retry_finds_a_digest_by_its_link_or_by_an_older_footer() -> None:
    """The reference is the link's anchor now; a digest sent by an older version kept it in the footer."""
    from bot.discord.destination import _carries

    linked = discord.Embed(title="t", url="https://www.nato.int/p.pdf#kfor-ref-1a2b3c4d")
    older = discord.Embed(title="t").set_footer(text="Source: NATO · as of 2025-06 · ref 1a2b3c4d")
    assert _carries(linked, "1a2b3c4d") and _carries(older, "1a2b3c4d")
    assert not _carries(linked, "ffffffff") and not _carries(discord.Embed(title="t"), "1a2b3c4d")


async def test_a_change_draws_one_chart_for_every_channel(server, monkeypatch) -> None:
    """Five subscribed channels in two servers: each digest carries the chart, and it was drawn once."""
    from bot.discord import alerts_runtime

    drawn = []
    render = alerts_runtime.render_chart
    monkeypatch.setattr(alerts_runtime, "render_chart", lambda request: drawn.append(request) or render(request))
    env, guild, channel, _, _, _ = server
    other = env.create_guild("other server")
    channels = [channel, guild.create_text_channel("second"), guild.create_text_channel("third"),
                other.create_text_channel("fourth"), other.create_text_channel("fifth")]  # fmt: skip
    runtime = env.bot.alerts
    for each in channels:
        await runtime.store.subscriptions.subscribe(destination_key=f"channel:{each.id}", mission="KFOR",
                                                    now=runtime.watcher.clock(), channel_id=each.id)  # fmt: skip
    await _cycle(env)
    _change(env, dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Italy": 1200}), "2025-06")
    result = await _cycle(env)
    assert (result.status, result.sent) == ("changed", 5)
    for each in channels:
        (digest,) = [m for m in each.history() if m.embeds]
        assert [a.filename for a in digest.attachments] == ["kfor-change.png"]
        assert digest.embeds[0].image.url == "attachment://kfor-change.png"
    assert len(drawn) == 1 and runtime.charts.drawn == 1


async def test_a_schedule_that_floods_or_never_fires_is_refused_with_the_reason(server) -> None:
    env, _, channel, admin, _, _ = server
    for when, reason in (("* * * * *", "would post every minute; a scheduled briefing goes out at most once an hour"),
                         ("*/20 8 * * *", "would post every 20 minutes"),
                         ("0 8 31 2 *", "never fires (no such date)")):  # fmt: skip
        reply = await admin.slash(channel, "kfor-settings briefing schedule", when=when)
        assert reply.ephemeral and reason in reply.response.content, reply.response.content
    assert await env.bot.alerts.store.schedules.all() == []
    hourly = await admin.slash(channel, "kfor-settings briefing schedule", when="0 * * * *")
    assert hourly.response.content.startswith(f"The overview in <#{channel.id}>")
    assert env.errors


async def test_a_subscription_to_a_very_long_nation_list_is_confirmed_in_one_short_reply(server) -> None:
    """5,600 characters of nations: stored once each, and the confirmation fits in a Discord message."""
    env, _, channel, admin, _, _ = server
    names = ", ".join(SEED_FIGURES) + ", "
    nations = (names * (5600 // len(names) + 1))[:5600].rsplit(",", 1)[0]
    reply = await admin.slash(channel, "kfor-settings alerts subscribe", nations=nations)
    content = reply.response.content
    assert reply.ephemeral and content.startswith(f"Subscribed <#{channel.id}>") and len(content) <= 2000
    assert "for 29 nations: " in content and " and 17 more" in content
    (subscription,) = await env.bot.alerts.store.subscriptions.all()
    assert sorted(subscription.nations) == sorted(SEED_FIGURES)  # each once


async def test_a_crash_between_the_digest_and_its_table_posts_only_the_table_after(server, monkeypatch) -> None:
    """The head and its thread are out (and recorded); the bot dies before the table. The retry posts the table
    alone, in the same thread: not a second digest, and not nothing."""
    env, _, channel, admin, _, _ = server
    await admin.slash(channel, "kfor-settings alerts subscribe")
    await _cycle(env)
    _change(env, dict(SEED_FIGURES, **{"United States": 320}), "2025-06")
    runtime = env.bot.alerts
    send = discord.Thread.send

    async def die(*_args, **_kwargs) -> None:
        raise Crash

    monkeypatch.setattr(discord.Thread, "send", die)  # the process dies as the table goes out
    with pytest.raises(Crash):
        await runtime.run_cycle()
    monkeypatch.setattr(discord.Thread, "send", send)
    await env.settle()
    (thread,) = channel.threads
    assert len([m for m in channel.history() if m.embeds]) == 1 and not [m for m in thread.history() if m.embeds]

    runtime.watcher.worker = "restarted-process"
    runtime.watcher.clock = lambda: discord.utils.utcnow() + dt.timedelta(minutes=10)  # past the lease
    assert (await _cycle(env)).sent == 1
    assert len([m for m in channel.history() if m.embeds]) == 1 and len(channel.threads) == 1
    tables = [m for m in thread.history() if m.embeds]
    assert len(tables) == 1 and tables[0].embeds[0].title.startswith("KFOR")
    (row,) = await runtime.store.ledger.rows(f"channel:{channel.id}")
    assert (row["status"], row["attempts"]) == ("sent", 2)


async def test_a_top_20_text_with_a_stated_total_is_told_as_partial_in_discord(bot_settings) -> None:
    """A text report of the 20 largest with "Total: 4,727": its one real change is posted, with what it
    covered, and no departure, total or rank; /kfor overview keeps the complete list's total and shares."""
    from bot.app import create_bot
    from tests.conftest import simulated
    from tests.partial_reports import LEFT_OUT, top_20_text

    report = Path(bot_settings.source).with_name("report.txt")
    report.write_text(
        "KFOR troop contributions, February 2025\n" + "".join(f"{n}: {t}\n" for n, t in SEED_FIGURES.items())
    )
    async with simulated(create_bot(bot_settings.model_copy(update={"source": str(report)}))) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("kfor-watch")
        admins = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
        admin = guild.add_member(env.create_user("admin"), roles=[admins])
        await admin.slash(channel, "kfor-settings alerts subscribe")
        assert (await _cycle(env)).status == "baseline"
        report.write_bytes(top_20_text())
        assert (await _cycle(env)).status == "changed"
        (embed,) = _last_embed_message(channel).embeds
        assert embed.title == "KFOR update — 2025-02 → 2025-06"
        assert embed.description.startswith("Partial report: 20 of 29 nations listed; stated total 4,727 troops.")
        assert {f.name: f.value for f in embed.fields} == {"Grew (1)": "🇩🇪 Germany 269 → 310 (+41, +15.2%)"}
        assert embed.footer.text.endswith("as of 2025-06 · partial figures")
        (thread,) = channel.threads
        table = thread.history()[-1].embeds[0].description
        rows = [line.split() for line in table.splitlines() if line.split()[-1:] == ["—"]]
        assert len(rows) == len(LEFT_OUT) == 9 and "— not in this report" in table  # a dash, explained once
        overview = (await admin.slash(channel, "kfor overview")).response.embeds[0]
        assert "4,686" in overview.description  # the mission's total is still the complete list's


async def test_a_digest_and_kfor_compare_tell_the_same_change_in_the_same_words(server) -> None:
    """One pair, one diff: Portugal back in a same-day revision is "joined 0 → 25" in both, never "grew 1 → 25"."""
    env, _guild, channel, admin, member, _ = server
    await admin.slash(channel, "kfor-settings alerts subscribe")
    assert (await _cycle(env)).status == "baseline"
    _change(env, {n: t for n, t in SEED_FIGURES.items() if n != "Portugal"}, "2025-06")
    assert (await _cycle(env)).status == "changed"
    _change(env, dict(SEED_FIGURES, Portugal=25), "2025-06")
    assert (await _cycle(env)).status == "changed"
    (digest,) = _last_embed_message(channel).embeds
    compare_answer = await member.slash(channel, "kfor compare")
    compare = compare_answer.response.embeds[0]
    assert digest.title == "KFOR update — 2025-06 figures revised"
    assert compare.title == "KFOR — 2025-06 figures revised"
    fields = [(f.name, f.value) for f in digest.fields]
    assert fields == [(f.name, f.value) for f in compare.fields if f.name != "Sources"]  # and its sources
    assert fields == [("Joined (1)", "🇵🇹 Portugal 0 → 25 (+25, new)")]
    # The thread's table and compare's table tell the same row for the same pair: 0 → 25, not 1 → 25.
    thread_row = next(line for line in channel.threads[-1].history()[-1].embeds[0].description.splitlines()
                      if "Portugal" in line)  # fmt: skip
    shown = await member.click(compare_answer.response.message, label="Full table")  # the table: behind a button
    table = shown.response.embeds[0].description
    compare_row = next(line for line in table.splitlines() if "Portugal" in line)
    assert {"0", "25", "+25"} <= set(thread_row.split()) and {"25", "+25"} <= set(compare_row.split())
    assert "1" not in thread_row.split() and "1" not in compare_row.split()
