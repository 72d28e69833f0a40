"""Durations in messages: rounded to what a reader can use."""

from __future__ import annotations

from bot.core.durations import seconds


def test_durations_are_rounded_for_reading() -> None:
    """A hung source was reported as 'no answer within 19.4974 s'."""
    assert [seconds(v) for v in (19.4974, 20.0, 1.5, 1.04, 0.1, 0.25, 0.0)] == [
        "19",
        "20",
        "1.5",
        "1",
        "0.1",
        "0.25",
        "0",
    ]
