"""Briefing schedules as people write them: "mon 08:00", "weekdays 7:30", "daily 18:00", or cron.

Everything becomes a five-field crontab string (minute hour day month weekday), which APScheduler's
``CronTrigger.from_crontab`` runs in the schedule's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import UserError

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

_DAYS = {
    "mon": "mon", "monday": "mon", "mondays": "mon", "tue": "tue", "tuesday": "tue", "tuesdays": "tue",
    "wed": "wed", "wednesday": "wed", "wednesdays": "wed", "thu": "thu", "thursday": "thu", "thursdays": "thu",
    "fri": "fri", "friday": "fri", "fridays": "fri", "sat": "sat", "saturday": "sat", "saturdays": "sat",
    "sun": "sun", "sunday": "sun", "sundays": "sun", "daily": "*", "everyday": "*", "every day": "*",
    "weekdays": "mon-fri", "weekends": "sat,sun",
}  # fmt: skip
_FRIENDLY = re.compile(r"^(?:every\s+)?(?P<days>[a-z ,]+?)\s+(?:at\s+)?(?P<h>\d{1,2})[:.h](?P<m>\d{2})$", re.IGNORECASE)
_CRON = re.compile(r"^\S+\s+\S+\s+\S+\s+\S+\s+\S+$")
EXAMPLES = "'mon 08:00', 'weekdays 07:30', 'daily 18:00' or a crontab such as '0 8 * * mon'"


def parse_when(text: str) -> str:
    """The crontab string for a schedule; a :class:`UserError` with examples when unreadable."""
    text = " ".join(text.strip().lower().split())
    match = _FRIENDLY.match(text)
    if match:
        hour, minute = int(match["h"]), int(match["m"])
        if hour > 23 or minute > 59:
            raise UserError(f"{match['h']}:{match['m']} is not a time of day.")
        days = [d.strip() for d in re.split(r",|\band\b", match["days"]) if d.strip()]
        unknown = [d for d in days if d not in _DAYS]
        if unknown or not days:
            raise UserError(f"Unknown day {unknown[0] if unknown else text!r}; write e.g. {EXAMPLES}.")
        return f"{minute} {hour} * * {','.join(_DAYS[d] for d in days)}"
    if _CRON.match(text):
        from apscheduler.triggers.cron import CronTrigger

        try:
            trigger = CronTrigger.from_crontab(text, timezone=dt.UTC)
        except ValueError as exc:
            raise UserError(f"Invalid crontab {text!r}: {exc}") from None
        _check_pace(text, trigger)
        return text
    raise UserError(f"Cannot read the schedule {text!r}; write e.g. {EXAMPLES}.")


#: Fire times looked at to judge a crontab's pace: more than a day's worth of any schedule slower than hourly.
_SAMPLE = 30


def _check_pace(text: str, trigger: CronTrigger) -> None:
    """Refuse a crontab that never fires ('0 8 31 2 *') or posts more often than once an hour ('* * * * *').

    A briefing every minute floods a channel; hours and minutes repeat the same way every day, so the
    first day's fire times (in UTC) show the shortest gap there will be.
    """
    previous, start = None, dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for _ in range(_SAMPLE):
        fire = trigger.get_next_fire_time(previous, start if previous is None else previous + dt.timedelta(seconds=1))
        if fire is None:
            if previous is None:
                raise UserError(f"The crontab {text!r} never fires (no such date); write e.g. {EXAMPLES}.")
            return
        if previous is not None and fire - previous < dt.timedelta(hours=1):
            gap = int((fire - previous).total_seconds() // 60)
            pace = "minute" if gap == 1 else f"{gap} minutes"
            raise UserError(
                f"The crontab {text!r} would post every {pace}; a scheduled briefing goes out at most once an hour. "
                f"Write e.g. {EXAMPLES}."
            )
        previous = fire


def parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"Unknown time zone {name!r}; use an IANA name such as Europe/Rome or UTC.") from None
