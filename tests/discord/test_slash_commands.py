"""Every /kfor subcommand, invoked by a simulated member through discord.py's real command tree (SimCord)."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.core.errors import UnknownNationError, UserError


@pytest.fixture
def world(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("briefings")
    member = guild.add_member(simcord_env.create_user("analyst"))
    return simcord_env, guild, channel, member


def _fields(embed: discord.Embed) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


async def test_top_shows_ranked_table_with_source(world) -> None:
    """/kfor top count:5 → a public embed with the five largest contingents, source and date."""
    _, _, channel, member = world
    result = await member.slash(channel, "kfor top", count=5)
    assert not result.ephemeral
    (embed,) = result.response.embeds
    assert embed.title == "KFOR — top 5 contingents"
    lines = embed.description.split("```")[1].strip().splitlines()
    assert lines[1].split() == ["1", "Italy", "1,258", "26.8%"]  # no flags in code blocks: they misalign
    assert lines[5].split() == ["5", "Germany", "269", "5.7%"]
    assert "the report states 27 nations but lists 29" in embed.description
    assert embed.footer.text.endswith("as of 2025-02 · complete list") and "BILD" in embed.footer.text
    assert embed.timestamp is not None


async def test_top_count_is_limited_to_1_to_30(world) -> None:
    """count is a Range[1, 30] option: Discord's own validation refuses 31."""
    _env, _, channel, member = world
    result = await member.slash(channel, "kfor top", count=30)
    assert len(result.response.embeds[0].description.split("```")[1].strip().splitlines()) == 30  # header + 29
    with pytest.raises(simcord.OptionError, match="must be ≤ 30"):
        await member.slash(channel, "kfor top", count=31)


async def test_country_with_typo_and_alias(world) -> None:
    _, _, channel, member = world
    result = await member.slash(channel, "kfor country", nation="Türkiye")
    embed = result.response.embeds[0]
    assert embed.title == "🇹🇷 Turkey in KFOR"
    assert _fields(embed)["Troops"] == "325"
    assert _fields(embed)["Rank"] == "4 of 29"
    result = await member.slash(channel, "kfor country", nation="Germny")
    assert result.response.embeds[0].title == "🇩🇪 Germany in KFOR"


async def test_unknown_nation_is_an_ephemeral_answer_with_suggestions(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor country", nation="Slov")
    assert result.ephemeral
    assert result.response.content == "Unknown nation 'Slov'. Did you mean: Slovakia, Slovenia?"
    assert any(isinstance(getattr(e, "original", None), UnknownNationError) for e in env.errors)
    assert channel.last_message is None  # nothing public was posted


async def test_overview(world) -> None:
    _, _, channel, member = world
    embed = (await member.slash(channel, "kfor overview")).response.embeds[0]
    fields = _fields(embed)
    assert fields["Total troops"] == "4,686"
    assert fields["Partners"].startswith("430 troops · 5 nations")
    assert "1,147" in fields["Concentration (HHI)"]


async def test_scenario_preset_and_expression(world) -> None:
    _, _, channel, member = world
    embed = (await member.slash(channel, "kfor scenario", change="us-withdrawal")).response.embeds[0]
    assert embed.title == "Scenario — United States withdraws"
    assert "4,686 → 4,084 troops (−602, −12.8%)" in embed.description
    assert "Italy 26.8% → 30.8%" in _fields(embed)["Lead nation's share"]
    embed = (await member.slash(channel, "kfor scenario", change="US-50%; Germany+200")).response.embeds[0]
    assert "4,686 → 4,585" in embed.description


async def test_bad_scenario_names_the_part_ephemerally(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="US-900")
    assert result.ephemeral
    assert "In 'US-900': United States has 602 troops" in result.response.content
    assert env.errors


async def test_compare_defaults_to_the_latest_two_complete_lists_and_explains_bad_dates(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor compare")
    assert not result.ephemeral and result.response.embeds[0].title == "KFOR — 2024-01 → 2025-02"
    result = await member.slash(channel, "kfor compare", before="1999-06", after="2025-02")
    assert result.ephemeral and "Complete ones: 2023-10, 2024-01, 2025-02" in result.response.content
    assert all(isinstance(getattr(e, "original", None), UserError) for e in env.errors)


async def test_history_sources_snapshots_help(world) -> None:
    _, _, channel, member = world
    history = (await member.slash(channel, "kfor history", nation="🇮🇹")).response.embeds[0]
    assert history.title == "🇮🇹 Italy in KFOR over time" and "1,258" in history.description
    sources = (await member.slash(channel, "kfor sources")).response.embeds[0]
    assert "Read: 29 nation(s), 4,686 troops listed" in _fields(sources)["2025-02"]
    assert "complete list" in _fields(sources)["2025-02"] and "data/sources" not in str(_fields(sources))
    snapshots = (await member.slash(channel, "kfor snapshots")).response.embeds[0]
    assert "2025-02" in snapshots.description and "4,686" in snapshots.description
    help_embed = (await member.slash(channel, "kfor help")).response.embeds[0]
    assert "/kfor scenario <change>" in _fields(help_embed)
    assert "/kfor-settings alerts subscribe" in _fields(help_embed)["In Discord only"]


async def test_chart_attaches_a_png_and_caches_it(world) -> None:
    """The first chart is drawn after defer(); the second identical one comes from the cache."""
    env, _, channel, member = world
    result = await member.slash(channel, "kfor chart", kind="scenario", change="us-withdrawal")
    (attachment,) = result.response.attachments
    assert attachment.filename == "kfor-scenario.png"
    assert result.response.embeds[0].image.url == "attachment://kfor-scenario.png"
    cog = env.bot.get_cog("KforCog")
    assert len(cog.charts) == 1
    colleague = world[1].add_member(env.create_user("colleague"))
    cached = await colleague.slash(channel, "kfor chart", kind="scenario", change="us-withdrawal")
    assert not cached.deferred  # no drawing, so no defer
    assert len(cog.charts) == 1
    assert await cached.response.attachments[0].read() == await result.response.attachments[0].read()


async def test_chart_png_is_real(world) -> None:
    _env, _, channel, member = world
    await member.slash(channel, "kfor chart", kind="history", nation="Italy")
    message = channel.last_message
    data = await message.attachments[0].read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")


async def test_chart_cooldown_is_per_user_and_ephemeral(world) -> None:
    env, guild, channel, member = world
    await member.slash(channel, "kfor chart")
    again = await member.slash(channel, "kfor chart")
    assert again.ephemeral and "try again in" in again.response.content
    colleague = guild.add_member(env.create_user("colleague"))
    assert not (await colleague.slash(channel, "kfor chart")).ephemeral
    await env.advance_time(11)
    assert not (await member.slash(channel, "kfor chart")).ephemeral
    assert env.errors  # the cooldown went through the central handler


async def test_history_chart_needs_a_nation(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor chart", kind="history")
    assert result.ephemeral and "needs a nation" in result.response.content
    assert env.errors


async def test_discuss_opens_a_thread_with_the_detail_table(world) -> None:
    """/kfor discuss posts the scenario in the channel and its full table inside a new public thread."""
    _, _, channel, member = world
    result = await member.slash(channel, "kfor discuss", topic="US drawdown", change="withdraw US")
    head = result.response.embeds[0]
    assert head.title == "US drawdown — Scenario — withdraw US"
    assert "```" not in (head.description or "")  # the table goes to the thread
    (thread,) = channel.threads
    assert thread.name == "US drawdown"
    messages = thread.history()
    tables = [m for m in messages if m.embeds]
    assert tables and "Hungary" in tables[0].embeds[0].description
    assert tables[0].embeds[0].footer.text.endswith("as of 2025-02 · complete list")
    assert any("Discussion opened by" in m.content for m in messages)


async def test_no_message_can_ping_anyone(world) -> None:
    """A topic or nation named '@everyone' or a role mention pings no one, in the channel or the thread."""
    env, guild, channel, member = world
    role = guild.create_role("Analysts")
    await member.slash(channel, "kfor discuss", topic=f"@everyone @here {role.mention}")
    result = await member.slash(channel, "kfor country", nation=f"@everyone {role.mention}")
    assert result.ephemeral and "@everyone" in result.response.content
    (thread,) = channel.threads
    assert "@\u200beveryone" in thread.name  # escaped: the thread's announcement pings no one
    for message in [*channel.history(), *thread.history(), result.response.message]:
        stored = env.backend.get_message(message.channel.id, message.id)
        assert not stored.mention_everyone, message
        assert stored.ping_role_ids == [] and stored.ping_user_ids == [], message
    env.errors  # noqa: B018 - the unknown-nation error above was expected


async def test_autocomplete(world) -> None:
    """Nations by prefix, alias and code; presets and typed expressions; snapshot dates."""
    _, _, channel, member = world
    nations = await member.autocomplete(channel, "kfor country", "nation", "ge")
    assert [c["value"] for c in nations] == ["Georgia", "Germany"]
    assert nations[1]["name"] == "🇩🇪 Germany (DE/DEU) — 269 troops"
    by_alias = await member.autocomplete(channel, "kfor history", "nation", "türk")
    assert by_alias[0]["value"] == "Turkey"
    empty = await member.autocomplete(channel, "kfor country", "nation", "")
    assert [c["value"] for c in empty][:3] == ["Italy", "United States", "Hungary"] and len(empty) == 25
    presets = await member.autocomplete(channel, "kfor scenario", "change", "")
    assert {c["value"] for c in presets} == {"us-withdrawal", "us-halves", "partners-leave", "top3-leave"}
    typed = await member.autocomplete(channel, "kfor scenario", "change", "Germany+200")
    assert typed[0] == {"name": "Expression: Germany+200", "value": "Germany+200"}
    dates = await member.autocomplete(channel, "kfor compare", "before", "2023")
    assert [c["value"] for c in dates] == ["2023-12", "2023-10", "2023-10/defence-network-com"]
    assert dates[1]["name"].startswith("2023-10 — complete list, 4,353 troops, 27 nations")


async def test_an_error_longer_than_discord_allows_still_gets_its_answer(world) -> None:
    """A 3,000-character scenario that fails: the ephemeral error is clipped to 2,000 characters and arrives."""
    env, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="why " * 750)
    assert result.ephemeral and result.response.content.startswith("Cannot read 'why why")
    assert len(result.response.content) == 2000 and result.response.content.endswith("…")
    assert env.errors
