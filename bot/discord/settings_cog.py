"""``/kfor-settings``: change alerts and scheduled briefings, per channel (Manage Server).

Discord hides commands only at the top level, so the settings are a top-level group of their own
with Manage Server as its default permission: members without it don't see them at all (a
server's admins can still grant them in Integrations). The check also runs at invocation, so a
changed integration setting never lets a member change alerts. ``/kfor alerts status`` and
``/kfor alerts list``, which only read, stay under ``/kfor`` for everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.alerts.destinations import Post, channel_key
from bot.alerts.schedule import parse_timezone, parse_when
from bot.alerts.watcher import utcnow
from bot.briefings import formatting as fmt
from bot.briefings.digest import sample_digest
from bot.briefings.service import BriefingService
from bot.core.errors import UserError
from bot.discord.replies import discord_time
from bot.store.schedules import BriefingSchedule

if TYPE_CHECKING:
    from bot.discord.alerts_runtime import AlertRuntime

manage_guild = app_commands.checks.has_permissions(manage_guild=True)


def _text_channel(interaction: discord.Interaction, chosen: discord.TextChannel | None) -> discord.TextChannel:
    """The channel a command is about: the one chosen, else the one it was run in, if that is a text channel."""
    target = chosen or interaction.channel
    if not isinstance(target, discord.TextChannel):
        raise UserError("Pick a text channel: choose one in the channel option, or run the command in one.")
    return target


#: Nations a confirmation names one by one; more are counted ("… and 31 more"), so the reply always fits.
LISTED_NATIONS = 12


def _listed(names: list[str]) -> str:
    """``names`` joined, the first :data:`LISTED_NATIONS` only: a reply longer than Discord's 2,000 characters fails."""
    if len(names) <= LISTED_NATIONS:
        return ", ".join(names)
    return f"{len(names)} nations: " + ", ".join(names[:LISTED_NATIONS]) + f" and {len(names) - LISTED_NATIONS} more"


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class SettingsCog(commands.GroupCog, group_name="kfor-settings",
                  group_description="Change alerts and scheduled briefings (Manage Server)"):  # fmt: skip
    """The ``alerts`` and ``briefing`` settings of a server's channels."""

    alerts_group = app_commands.Group(name="alerts", description="Change digests in this server's channels")
    briefing_group = app_commands.Group(name="briefing", description="Scheduled briefings in a channel")
    announcements_group = app_commands.Group(name="announcements", description="Claims from the news feeds")

    def __init__(self, service: BriefingService, alerts: AlertRuntime | None) -> None:
        self.service = service
        self.alerts = alerts
        super().__init__()

    @property
    def runtime(self) -> AlertRuntime:
        runtime = self.alerts
        if runtime is None:
            raise UserError("Alerts are not running on this bot.")
        return runtime

    def _nations(self, text: str | None) -> list[str] | None:
        if not text:
            return None
        parts = [part for part in text.replace(";", ",").split(",") if part.strip()]
        return list(dict.fromkeys(self.service.registry.resolve(part).name for part in parts))  # each once, in order

    @alerts_group.command(name="subscribe", description="Post a digest in a channel whenever the figures change")
    @app_commands.describe(
        channel="Where digests go (default: this channel)", min_change="Ignore changes smaller than this many troops",
        min_percent="…or smaller than this percentage", nations="Only these nations, comma-separated",
        mention_role="A role to mention with each digest (no one else is ever pinged)",
        announcements="Claims from the news feeds: on, official (official feeds only) or off",
    )  # fmt: skip
    @app_commands.guild_only()
    @manage_guild
    async def subscribe(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None,
        min_change: app_commands.Range[int, 1, 100_000] = 1, min_percent: app_commands.Range[float, 0, 100] = 0.0,
        nations: str | None = None, mention_role: discord.Role | None = None,
        announcements: Literal["on", "official", "off"] = "on",
    ) -> None:  # fmt: skip
        target = _text_channel(interaction, channel)
        if mention_role is not None and (mention_role.is_default() or mention_role.managed):
            raise UserError("Choose a regular role to mention (not @everyone or a bot's role).")
        chosen = self._nations(nations)
        subscription = await self.runtime.store.subscriptions.subscribe(
            destination_key=channel_key(target.id), mission=self.runtime.settings.mission, now=utcnow(),
            guild_id=interaction.guild_id, channel_id=target.id, min_change=min_change, min_percent=min_percent,
            nations=chosen, mention_role_id=mention_role.id if mention_role else None, created_by=interaction.user.id,
            announcements=announcements,
        )  # fmt: skip
        filters = [f"changes of at least {fmt.troops_count(subscription.min_change)}"]
        if subscription.min_percent:
            filters.append(f"and {subscription.min_percent:g}%")
        if chosen:
            filters.append("for " + _listed([self.service.registry.get(name).shown for name in chosen]))
        role = f"; mentioning {mention_role.mention}" if mention_role else ""
        news = {"on": "Announcements from the news feeds too (claims, not official figures).",
                "official": "Announcements from official feeds only (claims, not official figures).",
                "off": "No announcements from the news feeds."}[announcements]  # fmt: skip
        await interaction.response.send_message(
            f"Subscribed {target.mention}: a digest and a discussion thread for {' '.join(filters)}{role}. "
            f"Joins and departures are always reported. {news}",
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none(),
        )  # fmt: skip

    @alerts_group.command(name="unsubscribe", description="Stop change digests in a channel")
    @app_commands.guild_only()
    @manage_guild
    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        target = _text_channel(interaction, channel)
        removed = await self.runtime.store.subscriptions.unsubscribe(channel_key(target.id))
        text = f"{target.mention} will get no more digests." if removed else f"{target.mention} was not subscribed."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    @alerts_group.command(name="test", description="Post a sample digest (clearly marked) to check the set-up")
    @app_commands.guild_only()
    @manage_guild
    async def test(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        target = _text_channel(interaction, channel)
        digest = sample_digest(self.service.catalog.latest, self.service.registry)
        await interaction.response.defer(ephemeral=True, thinking=True)
        subscription = await self.runtime.store.subscriptions.get(channel_key(target.id))
        destination = self.runtime.channel_destination(target.id)
        await destination.send(Post(digest.head, digest.detail, digest.thread_name,
                                    subscription.mention_role_id if subscription else None), retry=False)  # fmt: skip
        await interaction.followup.send(f"Sample digest posted in {target.mention}.", ephemeral=True,
                                        allowed_mentions=discord.AllowedMentions.none())  # fmt: skip

    @announcements_group.command(name="dismiss", description="Set an announcement aside: judged wrong, never settled")
    @app_commands.describe(number="The announcement's number (#7 in its title and in /kfor announcements)")
    @app_commands.guild_only()
    @manage_guild
    async def dismiss(self, interaction: discord.Interaction, number: app_commands.Range[int, 1, 2**31 - 1]) -> None:
        store = self.runtime.store
        dismissed = await store.announcements.dismiss(number, utcnow())
        self.service.set_announcements(await store.announcements.recent(self.runtime.settings.mission, 50))
        text = (f"Announcement #{number} dismissed: it stays listed as dismissed and is never reconciled."
                if dismissed else f"Announcement #{number} is not open (settled, dismissed or unknown).")  # fmt: skip
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    @briefing_group.command(name="schedule", description="Post the overview on a schedule, e.g. 'mon 08:00'")
    @app_commands.describe(when="e.g. 'mon 08:00', 'weekdays 07:30', 'daily 18:00' or cron '0 8 * * mon'",
                           timezone="IANA time zone, e.g. Europe/Rome (default UTC)",
                           channel="Where to post (default: this channel)")  # fmt: skip
    @app_commands.guild_only()
    @manage_guild
    async def schedule(self, interaction: discord.Interaction, when: str, timezone: str = "UTC",
                       channel: discord.TextChannel | None = None) -> None:  # fmt: skip
        target = _text_channel(interaction, channel)
        cron, zone = parse_when(when), parse_timezone(timezone)
        schedule = BriefingSchedule(interaction.guild_id or 0, target.id, cron, zone.key, interaction.user.id)
        next_run = await self.runtime.set_schedule(schedule)
        await interaction.response.send_message(
            f"The overview in {target.mention}: {fmt.schedule(cron, zone.key)}; next {discord_time(next_run)}.",
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none(),
        )  # fmt: skip

    @briefing_group.command(name="off", description="Stop scheduled briefings in a channel")
    @app_commands.guild_only()
    @manage_guild
    async def off(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        target = _text_channel(interaction, channel)
        removed = await self.runtime.remove_schedule(target.id)
        text = "Scheduled briefings stopped." if removed else "There was no schedule in that channel."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
