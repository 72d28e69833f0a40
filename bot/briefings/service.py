"""The briefing service: one method per ``/kfor`` subcommand, shared by every transport.

The console and the Discord cog both call these methods with already-parsed arguments and get a
:class:`Briefing` back; a user's mistake surfaces as a :class:`UserError` for the transport to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.briefings import build
from bot.briefings.announcements import announcement_briefing, announcements_briefing
from bot.briefings.commands import COMMANDS, parse_command
from bot.briefings.model import Briefing, BriefingField
from bot.core.announcements import Announcement
from bot.core.dataset import Dataset
from bot.core.errors import UserError
from bot.core.freshness import age_of_label, latest_figures, stale_note
from bot.core.models import Snapshot
from bot.core.queries import (
    compare_snapshots,
    mission_overview,
    nation_detail,
    nation_history,
    top_contingents,
)
from bot.core.reports.figures import MAX_TROOPS
from bot.core.scenarios import Preset, run_scenario

DISCORD_ONLY_HELP = (
    "`/kfor discuss <topic> [change]` — a briefing with a discussion thread\n"
    "`/kfor alerts status|list` — this server's change alerts\n"
    "`/kfor-settings alerts subscribe|unsubscribe|test` — change digests in a channel (Manage Server)\n"
    "`/kfor-settings briefing schedule <when> [timezone]|off` — the overview on a schedule (Manage Server)"
)


#: Months after which the newest complete list is called old in every answer (the setting's default).
STALE_AFTER_MONTHS = 9


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: How many contingents a top chart draws, and the scenario a chart draws when none is named.
TOP_CHART_NATIONS = 15
DEFAULT_CHART_SCENARIO = "us-withdrawal"


class BriefingService:
    """Answers ``/kfor`` questions about one mission's dataset."""

    def __init__(
        self,
        dataset: Dataset,
        max_troops: int = MAX_TROOPS,
        stale_after_months: int = STALE_AFTER_MONTHS,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.dataset = dataset
        self.registry = dataset.registry
        self.catalog = dataset.catalog
        self.presets = dataset.presets
        self.max_troops = max_troops
        self.stale_after_months = stale_after_months
        self.clock = clock
        #: The open and recent announcements, as the store last gave them (see :meth:`set_announcements`).
        self.announcement_list: tuple[Announcement, ...] = ()

    def _aged(self, briefing: Briefing) -> Briefing:
        """The answer with its figures' age in the footer and, when the complete list is old, one line saying so."""
        today = self.clock().date()
        footer = briefing.footer
        if footer is not None:
            footer = replace(footer, age=age_of_label(footer.as_of, today))
        notes = briefing.notes
        # `/kfor latest` is where the stale line points: it does not point at itself.
        stale = stale_note(self.catalog, today, self.stale_after_months) if briefing.kind != "latest" else None
        if stale is not None:
            notes = (*notes, stale)
        return replace(briefing, footer=footer, notes=notes)

    def add_snapshots(self, snapshots: Iterable[Snapshot]) -> None:
        """Serve newly accepted snapshots from now on (the watcher hands on what any instance recorded).

        One catalogue rebuild for the whole batch, so a start-up with many stored snapshots stays linear.
        """
        self.catalog = self.catalog.with_snapshots(snapshots)

    def set_announcements(self, announcements: Iterable[Announcement]) -> None:
        """Serve these announcements from now on (the feed cycle, or ``ask``, reads them from the store)."""
        self.announcement_list = tuple(announcements)

    def answer(self, text: str) -> Briefing:
        """Answer a typed command (``/kfor top 5``) from the console or ``kfor-bot ask``."""
        command = parse_command(text)
        handler: Callable[..., Briefing] = getattr(self, command.name)
        return handler(**command.arguments)

    @property
    def mission(self) -> str:
        return self.catalog.mission

    def top(self, count: int = 5) -> Briefing:
        return self._aged(build.top_briefing(top_contingents(self.catalog.latest, count), self.registry))

    def country(self, nation: str) -> Briefing:
        return self._aged(build.nation_briefing(nation_detail(self.catalog, self.registry, nation), self.registry))

    def overview(self) -> Briefing:
        return self._aged(build.overview_briefing(mission_overview(self.catalog.latest, self.registry), self.registry))

    def find_preset(self, name: str) -> Preset | None:
        key = name.strip().casefold().replace(" ", "-").replace("_", "-")
        return self.presets.get(key)

    def scenario(self, change: str) -> Briefing:
        preset = self.find_preset(change)
        expression, title = (preset.change, preset.title) if preset else (change, None)
        outcome = run_scenario(self.catalog.latest, expression, self.registry, title=title, max_troops=self.max_troops)
        return self._aged(build.scenario_briefing(outcome, self.registry))

    def compare(self, before: str | None = None, after: str | None = None) -> Briefing:
        return self._aged(build.comparison_briefing(compare_snapshots(self.catalog, before, after), self.registry))

    def compared_keys(self, before: str | None = None, after: str | None = None) -> tuple[str, str]:
        """The two snapshots /kfor compare reads for these arguments (the defaults: the latest two), by key."""
        comparison = compare_snapshots(self.catalog, before, after)
        return comparison.before.key, comparison.after.key

    def latest(self, since: str | None = None) -> Briefing:
        """Per nation, the figures newer than the last complete list (or than ``since``), with source and date."""
        return self._aged(build.latest_briefing(latest_figures(self.catalog, since), self.registry))

    def history(self, nation: str) -> Briefing:
        return self._aged(build.history_briefing(nation_history(self.catalog, self.registry, nation), self.mission))

    def chart(self, kind: str = "top", subject: str | None = None) -> Briefing:
        """The answer a chart draws, without its table: a chart reply shows (and mentions) no table.

        ``subject`` is the nation of a history, the change of a scenario (default: the US withdraws), or
        ``before|after`` of a comparison as typed (either may be empty: /kfor compare's default).
        """
        kind = kind.strip().casefold()
        if kind == "history":
            if not subject or not subject.strip():
                raise UserError("A history chart needs a nation, e.g. Italy.")
            briefing = self.history(subject)
        elif kind == "scenario":
            briefing = self.scenario(subject or DEFAULT_CHART_SCENARIO)
        elif kind == "top":
            briefing = self.top(TOP_CHART_NATIONS)
        elif kind == "compare":
            before, _, after = (subject or "").partition("|")
            # The picture and its one-line total: the list of changes is in the answer the button is under.
            briefing = replace(self.compare(before or None, after or None), fields=())
        else:
            raise UserError(f"There is no {kind!r} chart: choose top, history or scenario.")
        if briefing.chart is None:  # a nation no source gives a figure for
            raise UserError(briefing.summary or f"There is nothing to draw for this {kind} chart.")
        return briefing.without_table()

    def snapshots(self) -> Briefing:
        return build.snapshots_briefing(self.catalog)

    def announcements(self) -> Briefing:
        """Open and recent announcements: claims from the news feeds, never official figures."""
        return announcements_briefing(self.announcement_list, self.registry, self.mission)

    def announcement(self, announcement_id: int) -> Briefing:
        """One announcement, as it was posted (or as a list settled it)."""
        for item in self.announcement_list:
            if item.id == announcement_id:
                return announcement_briefing(item, self.registry)
        raise UserError(f"There is no announcement #{announcement_id} among the recent ones.")

    def sources(self) -> Briefing:
        return build.sources_briefing(self.catalog)

    def help(self) -> Briefing:
        fields = [BriefingField(name=spec.usage(), value=spec.help, inline=False) for spec in COMMANDS]
        fields.append(build.presets_field(self.presets))
        fields.append(BriefingField(name="In Discord only", inline=False, value=DISCORD_ONLY_HELP))
        return Briefing(
            kind="help",
            title=f"/kfor — briefings on {self.mission}",
            summary="Figures come from public reports; every answer names its source and date. "
            "Nations can be given by name, alias, ISO code or flag, and small typos are forgiven.",
            fields=tuple(fields),
        )
