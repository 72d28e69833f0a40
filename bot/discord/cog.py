"""``/kfor``: the slash commands, thin over the shared :class:`BriefingService`.

Each command validates with discord.py's own tools (ranges, choices, autocomplete), asks the service
for a briefing, renders it with :mod:`bot.discord.embeds` and replies with no allowed mentions.
Only charts are slow enough to need ``defer()``; they are drawn in a worker thread and cached.

What only its asker needs (help, sources, the alert status and list) is private; help and sources
offer a "Post publicly" button. A scenario shows a phone-width table and a "Full table" button that
opens a thread with the whole ranking (:mod:`bot.discord.buttons`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.briefings import formatting as fmt
from bot.briefings.model import ALERT, HEALTHY, NEUTRAL, Briefing, BriefingField
from bot.briefings.render import discord_limits as limits
from bot.briefings.render.charts import ChartCache, render_chart
from bot.briefings.service import BriefingService
from bot.core.errors import UserError
from bot.core.models import Coverage
from bot.core.nations import normalize_name
from bot.discord.buttons import (
    CHART,
    COMPARE_TABLE,
    FULL_TABLE,
    RUN_SCENARIO,
    ButtonPress,
    buttons_view,
    chart_button,
    compare_table_button,
    full_table_button,
    parse_button,
    post_publicly_view,
)
from bot.discord.embeds import clip, render_messages
from bot.discord.replies import discord_time, send_briefing
from bot.discord.tree import APOLOGY, NO_MENTIONS, reply_ephemeral, user_message
from bot.sources.location import public_location, public_text

if TYPE_CHECKING:
    from bot.discord.alerts_runtime import AlertRuntime

log = logging.getLogger(__name__)

ChartKind = Literal["top", "history", "scenario"]


class KforCog(commands.GroupCog, group_name="kfor", group_description="Briefings on KFOR's national contingents"):
    """The /kfor command group (the settings that change alerts are /kfor-settings, see settings_cog)."""

    alerts_group = app_commands.Group(name="alerts", description="This server's change alerts: status and channels")

    def __init__(self, service: BriefingService, alerts: AlertRuntime | None,
                 chart_cooldown_seconds: float = 10.0) -> None:  # fmt: skip
        self.service = service
        self.alerts = alerts
        self.charts = ChartCache()
        # Per cog instance (not a decorator's class-level state): one chart per member per period.
        self._chart_cooldown_seconds = chart_cooldown_seconds
        self._chart_cooldowns: dict[int, app_commands.Cooldown] = {}
        super().__init__()

    def _check_chart_cooldown(self, user_id: int) -> None:
        bucket = self._chart_cooldowns.setdefault(user_id, app_commands.Cooldown(1, self._chart_cooldown_seconds))
        # discord.utils.utcnow is the clock discord.py (and its simulators) agree on.
        retry_after = bucket.update_rate_limit(discord.utils.utcnow().timestamp())
        if retry_after:
            raise app_commands.CommandOnCooldown(bucket, retry_after)

    # -- briefings ------------------------------------------------------------------------------
    @app_commands.command(name="top", description="The largest contingents with their share of the mission")
    @app_commands.describe(count="How many nations (1–30, default 5)")
    async def top(self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 30] = 5) -> None:
        await send_briefing(interaction, self.service.top(count), view=buttons_view(chart_button("top")))

    @app_commands.command(name="country", description="One nation: troops, rank, share, NATO/EU status, change")
    @app_commands.describe(nation="Name, alias, ISO code or flag, e.g. Germany, US, 🇮🇹")
    async def country(self, interaction: discord.Interaction, nation: str) -> None:
        await send_briefing(interaction, self.service.country(nation))

    @app_commands.command(name="overview", description="The whole mission: total, NATO vs partners, concentration")
    async def overview(self, interaction: discord.Interaction) -> None:
        await send_briefing(interaction, self.service.overview())

    @app_commands.command(name="scenario", description="What if…? A preset or changes like 'withdraw US', 'US-50%'")
    @app_commands.describe(change="A preset (see the list) or changes such as 'withdraw US; Germany+200'")
    async def scenario(self, interaction: discord.Interaction, change: str) -> None:
        briefing = self.service.scenario(change)
        table = full_table_button(self.service.catalog.latest.key, change) if briefing.full_table else None
        await send_briefing(interaction, briefing, view=buttons_view(table, chart_button("scenario", change)))

    @app_commands.command(name="compare", description="What changed between two snapshots (default: the latest two)")
    @app_commands.describe(before="Earlier snapshot date, e.g. 2025-02", after="Later snapshot date")
    async def compare(
        self, interaction: discord.Interaction, before: str | None = None, after: str | None = None
    ) -> None:
        briefing = self.service.compare(before, after)
        # Each change once, in the list; the table of every change behind a button (#20).
        table = compare_table_button(self.service.catalog.latest.key, before, after) if briefing.full_table else None
        # The pair by key: a click after new figures draws the pair this answer compared, not the latest two.
        chart = chart_button("compare", "|".join(self.service.compared_keys(before, after))) if briefing.chart else None
        await send_briefing(interaction, briefing, view=buttons_view(table, chart))

    @app_commands.command(name="latest", description="Figures newer than the last complete list, per nation")
    @app_commands.describe(since="Only what was published after this date, e.g. 2025-06")
    async def latest(self, interaction: discord.Interaction, since: str | None = None) -> None:
        await send_briefing(interaction, self.service.latest(since))

    @app_commands.command(name="history", description="One nation's figures across all snapshots")
    @app_commands.describe(nation="Name, alias, ISO code or flag")
    async def history(self, interaction: discord.Interaction, nation: str) -> None:
        briefing = self.service.history(nation)
        name = self.service.registry.resolve(nation).name
        await send_briefing(interaction, briefing, view=buttons_view(chart_button("history", name)))

    @app_commands.command(name="announcements", description="Claims by ministries and the press, not official figures")
    async def announcements(self, interaction: discord.Interaction) -> None:
        await send_briefing(interaction, self.service.announcements())

    @app_commands.command(name="snapshots", description="The snapshots on record")
    async def snapshots(self, interaction: discord.Interaction) -> None:
        await send_briefing(interaction, self.service.snapshots())

    @app_commands.command(name="sources", description="Where the figures come from (only you see it)")
    async def sources(self, interaction: discord.Interaction) -> None:
        await send_briefing(interaction, self.service.sources(), ephemeral=True, view=post_publicly_view("sources"))

    @app_commands.command(name="help", description="What /kfor can do (only you see it)")
    async def help(self, interaction: discord.Interaction) -> None:
        await send_briefing(interaction, self.service.help(), ephemeral=True, view=post_publicly_view("help"))

    # -- charts and discussions ------------------------------------------------------------------
    @app_commands.command(
        name="chart", description="A bar chart: the largest contingents, a nation's history or a scenario"
    )
    @app_commands.describe(kind="What to draw (default: top)", nation="For a history chart",
                           change="For a scenario chart (default: us-withdrawal)")  # fmt: skip
    async def chart(
        self, interaction: discord.Interaction, kind: ChartKind = "top", nation: str | None = None,
        change: str | None = None,
    ) -> None:  # fmt: skip
        if kind == "history" and not nation:
            raise UserError("A history chart needs a nation, e.g. `/kfor chart kind:history nation:Italy`.")
        await self._send_chart(interaction, kind, nation if kind == "history" else change)

    async def _send_chart(self, interaction: discord.Interaction, kind: str, subject: str | None) -> None:
        """A chart reply, from /kfor chart or a Chart button: one per member per cooldown period."""
        self._check_chart_cooldown(interaction.user.id)
        briefing = self.service.chart(kind, subject)
        request = briefing.chart
        if request is None:  # the service gives every chart briefing its chart
            raise UserError(f"There is no {kind} chart.")
        png = self.charts.get(request)
        if png is None:
            await interaction.response.defer(thinking=True)
            png = await asyncio.to_thread(render_chart, request)
            self.charts.put(request, png)
        await send_briefing(interaction, briefing, chart=png)

    @app_commands.command(name="discuss", description="Post a briefing and open a thread to discuss it")
    @app_commands.describe(topic="The thread's subject", change="A scenario to discuss (default: the mission overview)")
    @app_commands.guild_only()
    async def discuss(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 1, limits.THREAD_NAME],
        change: str | None = None,
    ) -> None:  # fmt: skip
        if not isinstance(interaction.channel, discord.TextChannel):
            raise UserError("Discussions open threads, so run /kfor discuss in a server text channel.")
        briefing = self.service.scenario(change) if change else self.service.overview()
        # Titled by the topic, the briefing named under it (not "US withdrawal — Scenario — withdraw US").
        summary = f"*{briefing.title}*\n{briefing.summary}" if briefing.summary else f"*{briefing.title}*"
        head = replace(briefing.without_table(), title=clip(topic, 256), summary=summary)
        message = await send_briefing(interaction, head)
        if message is None:
            return
        # The thread holds the whole table: every nation, not the overview's top 5.
        whole = briefing if change else self.service.top(len(self.service.catalog.latest.contingents))
        thread = await _open_table_thread(message, topic, whole)
        await thread.send(
            f"Discussion opened by {interaction.user.mention}. Reply here; `/kfor` commands work in this thread too.",
            allowed_mentions=NO_MENTIONS,
        )

    # -- buttons ----------------------------------------------------------------------------------
    @commands.Cog.listener("on_interaction")
    async def on_button(self, interaction: discord.Interaction) -> None:
        """A click on one of our buttons; the ``custom_id`` says what it wants (see :mod:`bot.discord.buttons`).

        Listeners are outside the command tree, so mistakes and bugs are answered here, as the tree would.
        """
        if interaction.type is not discord.InteractionType.component or not isinstance(interaction.data, dict):
            return
        press = parse_button(str(interaction.data.get("custom_id", "")))
        if press is None:
            return
        try:
            if press.action == FULL_TABLE:
                await self._full_table(interaction, press)
            elif press.action == COMPARE_TABLE:
                await self._compare_table(interaction, press)
            elif press.action == CHART:
                await self._send_chart(interaction, press.subject, press.change or None)
            elif press.action == RUN_SCENARIO:
                await self._run_scenario(interaction, press)
            else:
                await self._post_publicly(interaction, press)
        except UserError as exc:
            await reply_ephemeral(interaction, str(exc))
        except app_commands.CommandOnCooldown as exc:  # a Chart button pressed again too soon
            await reply_ephemeral(interaction, user_message(exc) or APOLOGY)
        except Exception:
            log.exception("Button %r failed", press)
            await reply_ephemeral(interaction, APOLOGY)

    async def _run_scenario(self, interaction: discord.Interaction, press: ButtonPress) -> None:
        """An announcement's change through the scenario engine, on today's figures, for the one who asked."""
        briefing = self.service.scenario(press.change)
        for index, part in enumerate(render_messages(briefing, timestamp=discord.utils.utcnow())):
            send = interaction.followup.send if index else interaction.response.send_message
            await send(embeds=part.embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _full_table(self, interaction: discord.Interaction, press: ButtonPress) -> None:
        """Open a thread on the scenario's message with its whole ranking (once; later clicks point to it)."""
        message = interaction.message
        if message is not None and message.thread is not None:
            await reply_ephemeral(interaction, f"The full table is in {message.thread.mention}.")
            return
        latest = self.service.catalog.latest
        if press.subject != latest.key:
            raise UserError(f"The figures have changed since ({latest.as_of_label} now): run /kfor scenario again.")
        briefing = self.service.scenario(press.change)
        if message is None or not isinstance(interaction.channel, discord.TextChannel):  # no threads here
            detail = _detail(briefing)
            for index, part in enumerate(render_messages(detail, timestamp=discord.utils.utcnow())):
                send = interaction.followup.send if index else interaction.response.send_message
                await send(embeds=part.embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.edit_message(view=None)  # one thread per answer: the button has done its job
        try:
            await _open_table_thread(message, briefing.title, briefing)
        except discord.HTTPException as exc:  # two clicks at once: the other one opened it
            log.info("No thread for the full table on %s: %s", message.id, exc)
            await reply_ephemeral(interaction, "The full table is already in a thread on this answer.")

    async def _compare_table(self, interaction: discord.Interaction, press: ButtonPress) -> None:
        """Every change of a comparison as a table, for the member who clicked only (pages they alone turn).

        Private: the answer in the channel stays one list for everyone; whoever wants the table gets their own.
        """
        latest = self.service.catalog.latest
        defaulted = not (press.before and press.after)  # a default side means "the latest": it may mean another now
        if defaulted and press.subject != latest.key:
            raise UserError(f"The figures have changed since ({latest.as_of_label} now): run /kfor compare again.")
        briefing = self.service.compare(press.before or None, press.after or None)
        await send_briefing(interaction, _detail(briefing), ephemeral=True)

    async def _post_publicly(self, interaction: discord.Interaction, press: ButtonPress) -> None:
        """Post a private answer (help, sources) in the channel, for everyone; the private one loses its button."""
        briefing = self.service.help() if press.subject == "help" else self.service.sources()
        await interaction.response.edit_message(view=None)
        for part in render_messages(briefing, timestamp=discord.utils.utcnow()):
            await interaction.followup.send(embeds=part.embeds, allowed_mentions=NO_MENTIONS)

    # -- alerts, read only (changing them: /kfor-settings) -----------------------------------------
    def _runtime(self) -> AlertRuntime:
        if self.alerts is None:
            raise UserError("Alerts are not running on this bot.")
        return self.alerts

    @alerts_group.command(name="list", description="This server's alert subscriptions")
    @app_commands.guild_only()
    async def list_subscriptions(self, interaction: discord.Interaction) -> None:
        subscriptions = await self._runtime().store.subscriptions.all(guild_id=interaction.guild_id)
        registry = self.service.registry
        lines = []
        for s in subscriptions:
            extra = f" · ≥{fmt.troops_count(s.min_change)}" + (f" and {s.min_percent:g}%" if s.min_percent else "")
            extra += f" · {', '.join(sorted(registry.get(n).shown for n in s.nations))}" if s.nations else ""
            extra += f" · mentions <@&{s.mention_role_id}>" if s.mention_role_id else ""
            lines.append(f"<#{s.channel_id}>{extra}")
        briefing = Briefing(kind="alerts", title="Alert subscriptions",
                            summary="\n".join(lines) or "No channel here gets change digests yet. "
                                                        "Someone with Manage Server can run "
                                                        "/kfor-settings alerts subscribe.")  # fmt: skip
        await send_briefing(interaction, briefing, ephemeral=True)

    @alerts_group.command(name="status", description="Last check, last change, next check and the source's health")
    async def status(self, interaction: discord.Interaction) -> None:
        runtime = self._runtime()
        health = await runtime.store.health.get(runtime.watcher.source.key)
        latest = await runtime.store.snapshots.latest(runtime.settings.mission)
        fields = [
            BriefingField(name="Source", value=public_location(runtime.watcher.source.key)[:1000], inline=False),
            BriefingField(
                name="Last check", value=discord_time(health.last_check_at) if health.last_check_at else "none yet"
            ),
            BriefingField(
                name="Last change",
                value=discord_time(health.last_change_at) if health.last_change_at else "none seen yet",
            ),
            BriefingField(name="Next check", value=discord_time(runtime.next_check())),
            BriefingField(
                name="Figures",
                value=f"{latest.snapshot.total:,} troops as of {latest.snapshot.as_of_label}"
                if latest
                else "none recorded yet",
            ),
        ]
        if health.problem:
            problem = public_text(health.problem)  # a row stored before addresses were made public
            fields.append(BriefingField(name="⚠️ Source problem", inline=False,
                                        value=f"{problem[:900]}\nsince {discord_time(health.problem_since)}; "
                                              f"{health.consecutive_failures} failed check(s) in a row"))  # fmt: skip
        # Said as it is: "healthy" only once a check has found the source usable, not before any check (#20).
        if health.problem is not None:
            state, colour = "source problem", ALERT
        elif health.last_check_at is None:
            state, colour = "no check yet", NEUTRAL
        else:
            state, colour = "healthy", HEALTHY
        await send_briefing(interaction, Briefing(
            kind="status", title=f"{runtime.settings.mission} alerts — {state}", fields=tuple(fields), colour=colour,
        ), ephemeral=True)  # fmt: skip

    # -- autocomplete -----------------------------------------------------------------------------
    @country.autocomplete("nation")
    @history.autocomplete("nation")
    @chart.autocomplete("nation")
    async def _nation_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        present = self.service.catalog.latest.troops_by_nation
        nations = self.service.registry.complete(current, limit=limits.AUTOCOMPLETE_CHOICES * 2)
        if not current:  # an empty box lists the mission's contributors, largest first
            nations = sorted((n for n in nations if n.name in present), key=lambda n: -present[n.name])
            nations += [n for n in self.service.registry if n.name in present and n not in nations]
        choices = []
        for nation in nations[: limits.AUTOCOMPLETE_CHOICES]:
            troops = present.get(nation.name)
            label = f"{nation.flag} {nation.shown} ({nation.alpha2}/{nation.alpha3})"
            label += f" — {troops:,} troops" if troops else " — no contingent"
            choices.append(app_commands.Choice(name=clip(label, limits.CHOICE_NAME), value=nation.name))
        return choices

    @scenario.autocomplete("change")
    @discuss.autocomplete("change")
    @chart.autocomplete("change")
    async def _scenario_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        query = normalize_name(current)
        choices = []
        if current and self.service.find_preset(current) is None:
            choices.append(app_commands.Choice(name=clip(f"Expression: {current}", limits.CHOICE_NAME),
                                               value=clip(current, limits.CHOICE_NAME)))  # fmt: skip
        for preset in self.service.presets.values():
            if not query or query in normalize_name(f"{preset.key} {preset.title}"):
                choices.append(app_commands.Choice(name=clip(f"{preset.title} ({preset.key})", limits.CHOICE_NAME),
                                                   value=preset.key))  # fmt: skip
        return choices[: limits.AUTOCOMPLETE_CHOICES]

    @compare.autocomplete("before")
    @compare.autocomplete("after")
    async def _date_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        catalog, typed = self.service.catalog, current.strip()
        # What matters first: complete lists (what compare compares by default), then partial figures, then
        # estimates; newest first within each. An estimate above the complete lists misled (#20).
        rank = {Coverage.COMPLETE: 0, Coverage.PARTIAL: 1, Coverage.ESTIMATE: 2}
        ordered = sorted(enumerate(catalog.snapshots), key=lambda at: (rank[at[1].coverage], -at[0]))
        choices = []
        for _, snapshot in ordered:
            label = catalog.label(snapshot)
            if snapshot.key.startswith(typed) or label.startswith(typed):
                value = snapshot.as_of_label if snapshot.is_complete else label  # a date names its complete list
                text = (f"{label} — {fmt.coverage(snapshot.coverage)}, {fmt.troops(snapshot.total)} troops, "
                        f"{len(snapshot.contingents)} nations")  # fmt: skip
                choices.append(app_commands.Choice(name=clip(text, limits.CHOICE_NAME), value=value))
        return choices[: limits.AUTOCOMPLETE_CHOICES]


def _detail(briefing: Briefing) -> Briefing:
    """What a thread (or a private reply) shows under an answer: its summary and its whole table."""
    return Briefing(kind=briefing.kind, title=f"{briefing.title} — full table", summary=briefing.summary,
                    table=briefing.complete_table, footer=briefing.footer, colour=briefing.colour)  # fmt: skip


async def _open_table_thread(message: discord.Message | discord.WebhookMessage, topic: str,
                             briefing: Briefing) -> discord.Thread:  # fmt: skip
    """A public thread on ``message`` named ``topic``, holding the briefing's whole table."""
    # Discord announces a new thread by its name; escaped, "@everyone" in a topic pings no one.
    name = clip(discord.utils.escape_mentions(topic), limits.THREAD_NAME)
    thread = await message.create_thread(name=name, auto_archive_duration=1440)
    for part in render_messages(_detail(briefing), timestamp=discord.utils.utcnow()):
        await thread.send(embeds=part.embeds, allowed_mentions=NO_MENTIONS)
    return thread
