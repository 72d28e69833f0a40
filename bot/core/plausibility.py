"""Is a new snapshot believable next to the last good one?

A source that suddenly lists a third fewer troops or a third fewer nations in what it presents as
a complete list is far more likely broken (a truncated page or file, a changed layout) than
describing a real withdrawal overnight. Such a change is held as a "source problem" instead of
being announced; the thresholds are settings. A partial report (a top-20 list, one that states
more troops or nations than it lists) is not held: it updates the nations it lists and nothing
else (:mod:`bot.core.reports.coverage`), so its size says nothing about the mission's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Snapshot


@dataclass(frozen=True, slots=True)
class Plausibility:
    max_total_drop: float = 1 / 3  # fraction of the previous total
    max_nations_drop: float = 1 / 3  # fraction of the previous nations


def implausible_change(previous: Snapshot | None, new: Snapshot, limits: Plausibility) -> str | None:
    """Why ``new`` looks like a broken source rather than news, or None when it is plausible."""
    if not new.contingents:
        return "the source lists no nations"
    if previous is None or not previous.contingents:
        return None
    # Only dates the reports gave are ordered: an undated report (dated by its retrieval) neither
    # freezes the watch against later dated ones nor is refused for a retrieval day.
    if previous.dated and new.dated and (new.as_of or "") < (previous.as_of or ""):
        return (
            f"the report is dated {new.as_of}, before the last good figures ({previous.as_of}): an older edition "
            "is not news"
        )
    if not new.is_complete or not previous.is_complete:
        return None  # a partial list's size is not the mission's: only its figures are news
    # Said as what the new report would mean if it were taken as it is, never as what happened: "19 of 29
    # nations would disappear at once" read like news of a withdrawal (#20).
    if previous.total and previous.total - new.total > limits.max_total_drop * previous.total:
        drop = previous.total - new.total
        return (
            f"if this report were taken as it is, the total would fall from {previous.total:,} to {new.total:,} "
            f"troops (−{drop:,}, {100 * drop / previous.total:.0f}%) in one report, more than the "
            f"{100 * limits.max_total_drop:.0f}% a single change may remove"
        )
    gone = set(previous.troops_by_nation) - set(new.troops_by_nation)
    if len(gone) > limits.max_nations_drop * len(previous.contingents):
        return (
            f"if this report were taken as it is, {len(gone)} of the {len(previous.contingents)} nations on the last "
            f"list would leave in one report, more than the {100 * limits.max_nations_drop:.0f}% a single "
            "change may remove"
        )
    return None
