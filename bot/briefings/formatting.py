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
    """``26.846`` → ``26.8%``."""
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
