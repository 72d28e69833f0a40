"""Announcements in SimCord: posted from a feed with a thread and a Run scenario button, listed by /kfor."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from tests.conftest import DATA, SEED_FIGURES, simulated, snapshot_of
from tests.feed_fixtures import rss


def _publish(report: Path, figures: dict[str, int], as_of: str) -> None:
    report.write_text(snapshot_of(figures, as_of).to_json())


@pytest.fixture
def feed_settings(tmp_path: Path):
    from bot.settings import Settings
    from bot.settings.model import FeedSetting

    report = tmp_path / "watched.json"
    report.write_text((DATA / "snapshots" / "kfor" / "2025-02.json").read_text())
    (tmp_path / "bmvg.xml").write_bytes(rss())
    feed = FeedSetting(url=str(tmp_path / "bmvg.xml"), lang="de", publisher="BMVg", tier="official")
    return Settings(_env_file=None, state_dir=tmp_path / "state", discord_token=None, dev_guild_id=None,
                    source=str(report), database_url=None, scheduler_enabled=False, feeds=(feed,),
                    feed_entry_max_days=3650)  # the fixtures' entries are of 2025  # fmt: skip


async def test_an_announcement_is_posted_with_a_thread_and_runs_its_scenario(feed_settings) -> None:
    """The claim is labelled as such, quoted and linked; its button runs Germany+220 for the one who clicks;
    /kfor announcements lists it; nothing pings anyone; a second feed cycle posts nothing."""
    from bot.app import create_bot

    bot = create_bot(feed_settings)
    async with simulated(bot) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("kfor-watch")
        admins = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
        admin = guild.add_member(env.create_user("admin"), roles=[admins])
        member = guild.add_member(env.create_user("member"))
        await admin.slash(channel, "kfor-settings alerts subscribe")
        assert (await bot.alerts.run_cycle()).status == "baseline"
        result = await bot.alerts.run_feed_cycle()
        await env.settle()
        assert result is not None and (result.announced, result.sent) == (1, 1)

        (message,) = [m for m in channel.history() if m.embeds]
        (embed,) = message.embeds
        assert embed.title == "Announced — not yet official · #1"
        assert "not an official figure" in embed.description
        fields = {f.name: f.value for f in embed.fields}
        assert fields["Last complete list"] == "269 (2025-02)" and fields["Expected, for illustration"] == "≈ 489"
        assert fields["Quote"].startswith("“Ab Mai 2025 entsendet die Bundeswehr")
        assert "@everyone" in fields["Quote"]  # the article's own text, quoted: it pings no one
        stored = env.backend.get_message(channel.id, message.id)
        assert not stored.mention_everyone and stored.ping_user_ids == [] and stored.ping_role_ids == []
        (thread,) = channel.threads
        assert thread.name == "Announcement #1: Germany"

        click = await member.click(message, label="Run scenario")
        assert click.ephemeral
        scenario = click.response.embeds[0]
        assert "Germany" in scenario.title + scenario.description and "+220" in scenario.description

        listed = await member.slash(channel, "kfor announcements")
        table = listed.response.embeds[0].description
        assert "#1" in table and "+220 troops from 2025-05" in table and "announced" in table

        again = await bot.alerts.run_feed_cycle()
        await env.settle()
        assert again is not None and again.sent == 0
        assert len([m for m in channel.history() if m.embeds and m.embeds[0].title.startswith("Announced")]) == 1

        _publish(Path(feed_settings.source), dict(SEED_FIGURES, Germany=489), "2025-07")
        assert (await bot.alerts.run_cycle()).status == "changed"
        await env.settle()
        edited = env.backend.get_message(channel.id, message.id)
        assert edited.embeds[0]["title"] == "Confirmed by the official figures · #1"
        assert not edited.components  # the Run scenario button went with the claim
        said = [m.content for m in thread.history() if m.content]
        assert said == ["Confirmed: the official list of 2025-07 shows 489, expected ≈ 489."]
        digest = [m for m in channel.history() if m.embeds and m.embeds[0].title.startswith("KFOR update")][-1]
        assert "Announcement #1 (Germany: +220 troops from 2025-05): confirmed" in digest.embeds[0].description
        assert not any(m.embeds and m.embeds[0].title.startswith("Confirmed") for m in channel.history()
                       if m.id != message.id)  # edited, not posted again  # fmt: skip


async def test_a_channel_that_opted_out_gets_none_and_a_manager_can_dismiss(feed_settings) -> None:
    """announcements:off keeps the channel's digests but no announcement; dismiss sets one aside for good."""
    from bot.app import create_bot

    bot = create_bot(feed_settings)
    async with simulated(bot) as env:
        guild = env.create_guild()
        quiet, official = guild.create_text_channel("digests-only"), guild.create_text_channel("official-news")
        admins = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
        admin = guild.add_member(env.create_user("admin"), roles=[admins])
        member = guild.add_member(env.create_user("member"))
        reply = await admin.slash(quiet, "kfor-settings alerts subscribe", announcements="off")
        assert "No announcements from the news feeds." in reply.response.content
        await admin.slash(official, "kfor-settings alerts subscribe", announcements="official")
        await bot.alerts.run_cycle()
        result = await bot.alerts.run_feed_cycle()
        await env.settle()
        assert result is not None and result.sent == 1
        assert [m for m in quiet.history() if m.embeds] == []
        assert len([m for m in official.history() if m.embeds]) == 1

        done = await admin.slash(official, "kfor-settings announcements dismiss", number=1)
        assert done.ephemeral and done.response.content.startswith("Announcement #1 dismissed")
        again = await admin.slash(official, "kfor-settings announcements dismiss", number=1)
        assert "is not open" in again.response.content
        listed = await member.slash(official, "kfor announcements")
        assert "dismissed" in listed.response.embeds[0].description
