"""Number formatting shared by every briefing, so all transports print figures the same way."""

from __future__ import annotations

MINUS = "−"  # U+2212: reads better than a hyphen next to figures


def troops(value: int) -> str:
    """``1258`` → ``1,258``."""
    return f"{value:,}".replace("-", MINUS)


def signed(value: int) -> str:
    """``200`` → ``+200``, ``-602`` → ``−602``, ``0`` → ``±0``."""
    if value == 0:
        return "±0"
    return f"{value:+,}".replace("-", MINUS)


def signed_or_blank(value: int) -> str:
    """A signed figure, or blank for zero so that the changes stand out in a long table."""
    return signed(value) if value else ""


def percent(value: float, digits: int = 1) -> str:
    """``26.846`` → ``26.8%``; a share too small to show at this precision is ``<0.1%``, never ``0.0%``."""
    if 0 < value < 10**-digits:
        return f"<{10**-digits:.{digits}f}%"
    return f"{value:.{digits}f}%".replace("-", MINUS)


def signed_percent(value: float | None, digits: int = 1) -> str:
    """``12.94`` → ``+12.9%``; ``None`` (nothing before) → ``new``."""
    if value is None:
        return "new"
    if round(value, digits) == 0:
        return "±0.0%"
    return f"{value:+.{digits}f}%".replace("-", MINUS)


def rank_move(before: int | None, after: int | None) -> str:
    """``▲2`` for two places up, ``▼1`` for one down, ``new`` or ``out``."""
    if before is None:
        return "new"
    if after is None:
        return "out"
    if before == after:
        return "="
    return f"▲{before - after}" if after < before else f"▼{after - before}"


#: How each coverage is named next to a figure or a source.
COVERAGE_LABELS = {"complete": "complete list", "partial": "partial figures", "estimate": "estimates"}


def coverage(value: str) -> str:
    """``partial`` → ``partial figures``: what a reader needs to weigh a figure."""
    return COVERAGE_LABELS.get(value, value)


def figure(value: int, *, approx: bool = False, estimate: bool = False) -> str:
    """A figure as its source gives it: ``≈2,350`` when approximate, ``est. 620`` for an estimate."""
    text = troops(value)
    if estimate:
        return f"est. {text}"
    return f"≈{text}" if approx else text


def troops_count(value: int, unit: str = "troop") -> str:
    """``1`` → ``1 troop``, ``1258`` → ``1,258 troops``: a count with its noun in the right number."""
    return f"{troops(value)} {unit}" + ("" if abs(value) == 1 else "s")


#: Below this many troops before, a percentage says nothing ("+2400.0%" on a base of 1): it is left out.
SMALL_BASE = 10


def change(before: int, after: int) -> str:
    """``602 → 320 (−282, −46.8%)``: a figure before and after, with the change and its size (its percentage
    only on a base of :data:`SMALL_BASE` troops or more)."""
    delta = after - before
    if 0 < before < SMALL_BASE:
        return f"{troops(before)} → {troops(after)} ({signed(delta)})"
    relative = signed_percent(100 * delta / before if before else None)
    return f"{troops(before)} → {troops(after)} ({signed(delta)}, {relative})"


_DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
              "sat": "Saturday", "sun": "Sunday"}  # fmt: skip
_DAY_SETS = {"*": "every day", "mon-fri": "weekdays", "sat,sun": "weekends", "sat-sun": "weekends"}


def schedule(cron: str, timezone: str) -> str:
    """``0 8 * * mon`` in Europe/Berlin → ``Mondays at 08:00 Europe/Berlin``.

    The forms people write ("mon 08:00", "weekdays 07:30", "daily 18:00", a few days) are put in words;
    any other crontab is quoted as it is.
    """
    fields = cron.split()
    if len(fields) == 5 and fields[0].isdigit() and fields[1].isdigit() and fields[2:4] == ["*", "*"]:
        days = fields[4].lower()
        named = _DAY_SETS.get(days)
        if named is None and all(d in _DAY_NAMES for d in days.split(",")):
            plural = [_DAY_NAMES[d] + "s" for d in days.split(",")]
            named = plural[0] if len(plural) == 1 else ", ".join(plural[:-1]) + " and " + plural[-1]
        if named is not None:
            return f"{named[0].upper()}{named[1:]} at {int(fields[1]):02d}:{int(fields[0]):02d} {timezone}"
    return f"on the schedule `{cron}` ({timezone})"


def quoted(text: str, limit: int) -> str:
    """What a person typed, repeated back in at most ``limit`` characters (cut with "…")."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
