"""``kfor-bot ask "/kfor top 5"``: one answer, printed, then exit.

Loads neither Discord nor a chart library, nor the store; rich's console only for an answer on a terminal.
``/kfor announcements`` alone reads the store (the announcements live there), and creates none.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.briefings.commands import parse_command
from bot.briefings.service import BriefingService
from bot.core.errors import UserError

if TYPE_CHECKING:
    from bot.core.announcements import Announcement
    from bot.settings import Settings

#: Announcements ``ask`` reads from the store for ``/kfor announcements``.
RECENT_ANNOUNCEMENTS = 50


def ask_command(args: argparse.Namespace, service: BriefingService, settings: Settings | None = None) -> int:
    """Print the answer to ``args.text``; a user's mistake is one line on stderr and exit code 2.

    ``/kfor chart`` also writes its PNG into the state folder and prints where, as the console does
    (it used to print the text alone and leave the reader wondering where the chart was).
    """
    try:
        if settings is not None and parse_command(args.text).name == "announcements":
            service.set_announcements(_stored_announcements(settings, service.mission))
        briefing = service.answer(args.text)
    except UserError as exc:
        print(f"kfor-bot: {exc}", file=sys.stderr)
        return 2
    if args.json:
        from bot.briefings.render.json_doc import render_json

        print(render_json(briefing))
    else:
        from bot.briefings.render.text import show

        show(briefing)
    if briefing.chart is not None and parse_command(args.text).name == "chart":
        from bot.briefings.render.charts import default_chart_dir, write_chart  # Pillow: only for a chart

        directory = default_chart_dir(settings.state_dir if settings is not None else None)
        try:
            path = write_chart(briefing.chart, directory)
        except OSError as exc:
            print(f"kfor-bot: cannot write the chart in {directory}: {exc.strerror or type(exc).__name__}",
                  file=sys.stderr)  # fmt: skip
            return 1
        print(f"Chart: {path}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _stored_announcements(settings: Settings, mission: str) -> list[Announcement]:
    """The recent announcements in the configured store; none when its SQLite file does not exist yet."""
    import asyncio

    from bot.store.database import Store
    from bot.store.urls import sqlite_path

    path = sqlite_path(settings.store_url)
    if path is not None and not path.exists():
        return []

    async def read() -> list[Announcement]:
        async with Store.open(settings.store_url, settings.lease) as store:
            return await store.announcements.recent(mission, RECENT_ANNOUNCEMENTS)

    return asyncio.run(read())
