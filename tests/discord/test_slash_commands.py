"""Every /kfor subcommand, invoked by a simulated member through discord.py's real command tree (SimCord)."""

from __future__ import annotations

import re

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
    assert "27 nations" not in embed.description  # the report's caveat is overview's and sources' (below)
    assert re.search(r"as of 2025-02 · \d+ \w+ ago · complete list$", embed.footer.text) and "BILD" in embed.footer.text
    assert embed.timestamp is not None


async def test_top_count_is_limited_to_1_to_30(world) -> None:
    """count is a Range[1, 30] option: Discord's own validation refuses 31."""
    _env, _, channel, member = world
    result = await member.slash(channel, "kfor top", count=30)
    assert len(result.response.embeds[0].description.split("```")[1].strip().splitlines()) == 30  # header + 29
    with pytest.raises(simcord.OptionError, match="must be ≤ 30"):
        await member.slash(channel, "kfor top", count=31)


async def test_country_with_typo_and_alias(world) -> None:
    """NATO's names today (Türkiye, Czechia) shown; old names still read; a corrected typo says so."""
    _, _, channel, member = world
    for typed in ("Türkiye", "Turkey", "TR"):
        embed = (await member.slash(channel, "kfor country", nation=typed)).response.embeds[0]
        assert embed.title == "🇹🇷 Türkiye in KFOR"
        assert (
            embed.description.split("\n")[0] == "**325 troops** — rank 4 of 29, 6.9% of KFOR."
        )  # no "X → Y": not a typo
    embed = (await member.slash(channel, "kfor country", nation="Czech Republic")).response.embeds[0]
    assert embed.title == "🇨🇿 Czechia in KFOR"
    embed = (await member.slash(channel, "kfor country", nation="Germny")).response.embeds[0]
    assert embed.title == "🇩🇪 Germany in KFOR"
    assert embed.description.splitlines()[0] == "*Germny → Germany*"
    embed = (await member.slash(channel, "kfor country", nation="Lithuania")).response.embeds[0]
    assert embed.description.startswith("**1 troop** — rank")


async def test_a_country_with_no_troops_says_so(world) -> None:
    """Serbia is a real country that sends no troops: it says exactly that, with no look-alike suggestion."""
    env, _, channel, member = world
    for typed in ("Serbia", "RS", "🇷🇸"):
        result = await member.slash(channel, "kfor country", nation=typed)
        assert result.ephemeral and result.response.content == "Serbia has no contingent in KFOR."
    result = await member.slash(channel, "kfor history", nation="Australia")  # not "did you mean Austria"
    assert result.response.content == "Australia has no contingent in KFOR."
    assert all(isinstance(getattr(e, "original", None), UnknownNationError) for e in env.errors)


async def test_unknown_nation_is_an_ephemeral_answer_with_suggestions(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor country", nation="Slov")
    assert result.ephemeral
    assert result.response.content == "Unknown nation 'Slov'. Did you mean: Slovakia, Slovenia?"
    assert any(isinstance(getattr(e, "original", None), UnknownNationError) for e in env.errors)
    assert channel.last_message is None  # nothing public was posted


async def test_overview(world) -> None:
    """The overview says the total once and gives the split and concentration."""
    _, _, channel, member = world
    embed = (await member.slash(channel, "kfor overview")).response.embeds[0]
    fields = _fields(embed)
    assert embed.description.startswith("4,686 troops from 29 nations.")
    assert fields["Partners"].startswith("430 troops · 5 nations")
    assert "1,147" in fields["Concentration (HHI)"]


async def test_scenario_preset_and_expression(world) -> None:
    """A preset and an expression give the outcome, the lead nation's share among the balance."""
    _, _, channel, member = world
    embed = (await member.slash(channel, "kfor scenario", change="us-withdrawal")).response.embeds[0]
    assert embed.title == "Scenario — United States withdraws"
    assert "4,686 → 4,084 troops (−602, −12.8%)" in embed.description
    assert "Lead nation: 🇮🇹 Italy 26.8% → 30.8%" in _fields(embed)["Balance"]
    embed = (await member.slash(channel, "kfor scenario", change="US-50%; Germany+200")).response.embeds[0]
    assert "4,686 → 4,585" in embed.description


async def test_bad_scenario_names_the_part_ephemerally(world) -> None:
    env, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="US-900")
    assert result.ephemeral
    assert "In 'US-900': United States has 602 troops" in result.response.content
    assert env.errors


async def test_a_mention_is_no_group_in_a_scenario(world) -> None:
    """'@everyone+5' is not "every nation +5": the member is told to name a nation or a group, and nobody is pinged."""
    env, _, channel, member = world
    for change in ("@everyone+5", "<@&123>-10"):
        result = await member.slash(channel, "kfor scenario", change=change)
        assert result.ephemeral and "is a Discord mention, not a nation or a group" in result.response.content
        assert not result.response.embeds
    assert env.errors  # the refusals SimCord saw raised in the command


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
    assert "Read: text: 29 nation(s), 4,686 troops listed" in _fields(sources)["2025-02"]
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
    assert again.ephemeral and again.response.content.startswith("One chart per 10 s for each member: the next one in ")
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
    assert head.title == "US drawdown" and head.description.startswith("*Scenario — withdraw US*\n")
    assert "```" not in (head.description or "")  # the table goes to the thread
    (thread,) = channel.threads
    assert thread.name == "US drawdown"
    messages = thread.history()
    tables = [m for m in messages if m.embeds]
    assert tables and "Hungary" in tables[0].embeds[0].description
    assert re.search(r"as of 2025-02 · \d+ \w+ ago · complete list$", tables[0].embeds[0].footer.text)
    assert any("Discussion opened by" in m.content for m in messages)


async def test_discussing_the_mission_puts_every_nation_in_the_thread(world) -> None:
    """The overview's thread held its top 5 only (#20): it holds the whole ranking, all 29 nations."""
    _, _, channel, member = world
    await member.slash(channel, "kfor discuss", topic="Mission review")
    (thread,) = channel.threads
    table = "\n".join(e.description or "" for m in thread.history() for e in m.embeds)
    assert "Portugal" in table and "Italy" in table and "29 of 29 nations" in table


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
    # The complete list first, then partial figures (newest first), then estimates (#20).
    assert [c["value"] for c in dates] == ["2023-10", "2023-10/defence-network-com", "2023-12"]
    assert dates[0]["name"].startswith("2023-10 — complete list, 4,353 troops, 27 nations")
    everything = [c["name"] for c in await member.autocomplete(channel, "kfor compare", "before", "")]
    kinds = [next(k for k in ("complete", "partial", "estimates") if k in name) for name in everything]
    assert kinds == sorted(kinds, key=["complete", "partial", "estimates"].index) and "estimates" in kinds


async def test_an_error_longer_than_discord_allows_still_gets_its_answer(world) -> None:
    """A 3,000-character scenario that fails: the ephemeral error is clipped to 2,000 characters and arrives."""
    env, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="why " * 750)
    assert result.ephemeral and result.response.content.startswith("Cannot read 'why why")
    assert len(result.response.content) == 2000 and result.response.content.endswith("…")
    assert env.errors


async def test_scenario_says_the_result_first_and_fits_a_phone(world) -> None:
    """Outcome fields first, then the compact table (changed nations, top 10, '… N more'), then a Full table button."""
    _, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="us-withdrawal")
    (embed,) = result.response.embeds
    assert [f.name for f in embed.fields] == ["What changes (1)", "Balance", "Backfill to restore 4,686",
                                              "After the scenario"]  # fmt: skip
    assert _fields(embed)["What changes (1)"] == "🇺🇸 United States 602 → 0 (−602, −100.0%)"
    lines = _fields(embed)["After the scenario"].split("```")[1].strip().splitlines()
    assert lines[0].split() == ["Nation", "After", "Δ", "Add"] and lines[-1] == "… 18 more"
    assert max(map(len, lines)) <= 30  # a 390 px phone shows about 30 characters of a code block
    assert len(embed) < 1800  # short: nothing to scroll past
    (row,) = result.response.components
    assert [(b["label"], b["custom_id"]) for b in row["components"]] == [
        ("Full table", "kfor:table:2025-02/news-report:us-withdrawal"),
        ("Chart", "kfor:chart:scenario:us-withdrawal"),
    ]


async def test_the_full_table_button_opens_a_thread_once(world) -> None:
    """A click opens a thread on the answer with the whole ranking; the button has done its job and goes."""
    env, guild, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="withdraw US")
    colleague = guild.add_member(env.create_user("colleague"))
    await colleague.click(result.response.message, label="Full table")
    (thread,) = channel.threads
    assert thread.name == "Scenario — withdraw US"
    (table,) = [m for m in thread.history() if m.embeds]
    text = table.embeds[0].description
    assert "N. Macedonia" in text and re.search(r"^US\s+0\s+−602$", text, re.MULTILINE)  # the one that left, last
    assert len(text.split("```")[1].strip().splitlines()) == 1 + 29
    stored = env.backend.get_message(channel.id, result.response.message.id)
    assert not stored.components  # no second thread from a second click
    assert not stored.mention_everyone and stored.ping_user_ids == []


async def test_a_full_table_for_figures_that_changed_since_is_refused(world) -> None:
    """The button names the figures the answer was on: after new figures it asks for a new scenario instead."""
    env, _, channel, member = world
    result = await member.slash(channel, "kfor scenario", change="us-withdrawal")
    service = env.bot.get_cog("KforCog").service
    later = service.catalog.latest.with_troops(dict(service.catalog.latest.troops_by_nation, Germany=300))
    service.add_snapshots([later.replace(as_of="2025-06")])
    click = await member.click(result.response.message, label="Full table")
    assert click.ephemeral and "The figures have changed since (2025-06 now)" in click.response.content
    assert channel.threads == []


async def test_help_and_sources_are_private_and_can_be_posted(world) -> None:
    """Only the asker sees help and sources; 'Post publicly' puts them in the channel for everyone."""
    _, _, channel, member = world
    for command, title in (
        ("kfor help", "/kfor — briefings on KFOR"),
        ("kfor sources", "KFOR — where the figures come from"),
    ):
        private = await member.slash(channel, command)
        assert private.ephemeral and private.response.embeds[0].title == title
        assert channel.last_message is None or channel.last_message.embeds[0].title != title
        posted = await member.click(private.response.message, label="Post publicly")
        public = [m for m in channel.history() if m.embeds][-1]
        assert public.embeds[0].title == title and not posted.ephemeral
        assert not (await _refetch(world, private)).components  # the private copy lost its button


async def _refetch(world, result):
    env, _, channel, _ = world
    return env.backend.get_message(channel.id, result.response.message.id)


async def test_the_report_caveat_is_in_overview_and_sources_only(world) -> None:
    """'The report states 27 nations but lists 29' is not repeated on every answer."""
    _, _, channel, member = world
    caveat = "the report states 27 nations but lists 29"
    for command, options in (("kfor top", {}), ("kfor country", {"nation": "Italy"}), ("kfor scenario",
                             {"change": "us-withdrawal"}), ("kfor compare", {}), ("kfor snapshots", {})):  # fmt: skip
        embed = (await member.slash(channel, command, **options)).response.embeds[0]
        assert caveat not in str(embed.to_dict()), command
    assert caveat in (await member.slash(channel, "kfor overview")).response.embeds[0].description
    assert caveat in str((await member.slash(channel, "kfor sources")).response.embeds[0].to_dict())


async def test_a_chart_reply_is_dark_and_mentions_no_table(world) -> None:
    """The PNG has Discord's dark embed colour; the embed under it speaks of no table it does not show."""
    import io

    from PIL import Image

    _, _, channel, member = world
    result = await member.slash(channel, "kfor chart", kind="scenario", change="us-withdrawal")
    embed = result.response.embeds[0]
    text = str(embed.to_dict()).casefold()
    assert "table" not in text and "column" not in text and "```" not in text
    image = Image.open(io.BytesIO(await result.response.attachments[0].read())).convert("RGB")
    assert image.getpixel((3, 3)) == (0x2B, 0x2D, 0x31)


async def test_footers_link_to_the_source(world) -> None:
    """An answer whose source has an address links to it (the title); the seed report has none."""
    _, _, channel, member = world
    history = (await member.slash(channel, "kfor history", nation="Italy")).response.embeds[0]
    assert history.url.startswith("https://nizelige.republika.rs/") and "publishers (see table)" in history.footer.text
    assert (await member.slash(channel, "kfor top")).response.embeds[0].url is None


async def test_kfor_latest_in_discord(world) -> None:
    """/kfor latest answers with the newer figures' table, sources and age; a bad date is a short private reply."""
    env, _, channel, member = world
    embed = (await member.slash(channel, "kfor latest")).response.embeds[0]
    assert embed.title == "KFOR — newer than the complete list of 2025-02"
    assert any("Italy" in f.value for f in embed.fields) and any(
        f.name == "2025-04 · partial figures" for f in embed.fields
    )
    assert re.search(r"as of 2025-04 · \d+ \w+ ago · partial figures$", embed.footer.text)
    wrong = await member.slash(channel, "kfor latest", since="June")
    assert wrong.ephemeral and "not a date" in wrong.response.content
    assert all(isinstance(getattr(e, "original", None), UserError) for e in env.errors)


async def test_a_long_answer_is_one_message_with_pages_the_asker_turns(world) -> None:
    """/kfor sources was about eight phone screens of messages (#20): one message, ◀ 1/n ▶, then its own button."""
    _, _, channel, member = world
    result = await member.slash(channel, "kfor sources")
    (row,) = result.response.components
    labels = [b["label"] for b in row["components"]]
    assert labels[0] == "◀" and labels[1].startswith("1 / ") and labels[2] == "▶" and "Post publicly" in labels
    pages = int(labels[1].split(" / ")[1])
    assert pages > 1
    first = result.response.embeds[0].fields[0].name
    await member.click(result.response.message, label="▶")
    again = await _refetch(world, result)
    assert again.embeds[0]["fields"][0]["name"] != first  # the next sources
    assert [b["label"] for b in again.components[0]["components"]][:3] == ["◀", f"2 / {pages}", "▶"]
    assert again.embeds[0]["footer"]["text"] == result.response.embeds[0].footer.text  # every page cites


async def test_a_chart_button_under_top_history_scenario_and_compare_draws_it_without_a_second_command(world) -> None:
    """The picture is one click away (#20), and the button keeps the chart cooldown's rule."""
    env, _, channel, member = world
    for command, options in (("kfor top", {}), ("kfor history", {"nation": "Italy"}),
                             ("kfor scenario", {"change": "us-withdrawal"}), ("kfor compare", {})):  # fmt: skip
        answer = await member.slash(channel, command, **options)
        labels = [b["label"] for row in answer.response.components for b in row["components"]]
        assert "Chart" in labels, command
    history = await member.slash(channel, "kfor history", nation="Italy")
    await env.advance_time(11)
    click = await member.click(history.response.message, label="Chart")
    assert not click.ephemeral and click.response.attachments[0].filename.endswith(".png")
    assert "Italy" in click.response.embeds[0].title
    again = await member.click(history.response.message, label="Chart")
    assert again.ephemeral and again.response.content.startswith("One chart per 10 s for each member")


async def test_compare_says_each_change_once_and_its_table_is_behind_a_button(world) -> None:
    """/kfor compare listed every change twice (#20): the list, then a table of the same. Now the list alone, and
    "Full table" shows every change privately to whoever clicks; after new figures a default comparison is refused."""
    env, guild, channel, member = world
    result = await member.slash(channel, "kfor compare")
    (embed,) = result.response.embeds
    assert "```" not in str(embed.to_dict()) and [f.name for f in embed.fields][-1] == "Sources"
    grew = _fields(embed)["Grew (15)"]
    assert "🇩🇪 Germany 99 → 269 (+170, +171.7%)" in grew and grew.endswith("and 9 more")
    (row,) = result.response.components
    assert [(b["label"], b["custom_id"]) for b in row["components"]] == [
        ("Full table", "kfor:changes:2025-02/news-report::"),
        ("Chart", "kfor:chart:compare:2024-01/search-com-vn|2025-02/news-report"),
    ]
    colleague = guild.add_member(env.create_user("colleague"))
    shown = await colleague.click(result.response.message, label="Full table")
    assert shown.ephemeral and shown.response.embeds[0].title == "KFOR — 2024-01 → 2025-02 — full table"
    lines = shown.response.embeds[0].description.split("```")[1].strip().splitlines()
    assert lines[0].split() == ["Nation", "From", "To", "Δ"]
    assert any(line.split()[:1] == ["Germany"] and line.split()[-1] == "+170" for line in lines)
    named = await member.slash(channel, "kfor compare", before="2023-10", after="2025-02")
    buttons = [b["custom_id"] for r in named.response.components for b in r["components"]]
    assert buttons[0] == "kfor:changes:2025-02/news-report:2023-10:2025-02"
    assert buttons[1].startswith("kfor:chart:compare:2023-10/") and buttons[1].endswith("|2025-02/news-report")
    drawn = await member.click(named.response.message, label="Chart")
    assert not drawn.ephemeral and drawn.response.attachments[0].filename.endswith(".png")
    assert drawn.response.embeds[0].title == "KFOR — 2023-10 → 2025-02" and drawn.response.embeds[0].image
    assert drawn.response.embeds[0].fields == []  # the list is in the answer above: the chart does not repeat it
    service = env.bot.get_cog("KforCog").service
    later = service.catalog.latest.with_troops(dict(service.catalog.latest.troops_by_nation, Germany=300))
    service.add_snapshots([later.replace(as_of="2025-06")])
    refused = await member.click(result.response.message, label="Full table")
    assert refused.ephemeral and "run /kfor compare again" in refused.response.content
    kept = await member.click(named.response.message, label="Full table")  # both sides named: still the same pair
    assert kept.ephemeral and kept.response.embeds[0].title.startswith("KFOR — 2023-10 → 2025-02")
    await env.advance_time(11)  # the chart cooldown
    drawn_later = await member.click(result.response.message, label="Chart")  # the default pair, as answered
    assert drawn_later.response.embeds[0].title == "KFOR — 2024-01 → 2025-02"
