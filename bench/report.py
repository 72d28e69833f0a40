"""Each benchmark's figures beside the goals of issue #9, and whether they hold."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure and its goal; ``holds`` is None where there is no pass/fail (a peer's figure)."""

    measure: str
    figure: str
    goal: str
    holds: bool | None


def print_goals(figures: list[Figure]) -> None:
    """A markdown table: measure | figure | goal | holds."""
    print()
    print("| measure | figure | goal | holds |")
    print("|---|---|---|---|")
    for f in figures:
        verdict = "—" if f.holds is None else ("yes" if f.holds else "**no**")
        print(f"| {f.measure} | {f.figure} | {f.goal} | {verdict} |")
