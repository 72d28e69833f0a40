"""Durations as messages show them: "20 s", "1.5 s", "0.25 s", never "19.4974 s"."""

from __future__ import annotations


def seconds(value: float) -> str:
    """``value`` seconds, rounded to what a reader can use: whole seconds from 10, tenths from 1, else hundredths."""
    if value >= 10:
        return f"{value:.0f}"
    text = f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") or "0"
