"""The figures known now: the last complete list, with the partial reports since laid over it.

A partial report (a top-20 list, a press article) says nothing about the nations it leaves out:
they keep their last known figure. What a new report is compared with (for plausibility, for "no
change", for a digest) is therefore not the last report but this state, so that a partial report
never turns into departures, and the complete list that follows it announces only what really
changed since the figures last known.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import Coverage, Snapshot


def known_figures(chain: Sequence[Snapshot]) -> Snapshot | None:
    """The state after ``chain`` (oldest first): its last complete snapshot, updated by the partial ones after it.

    Complete when the chain has a complete snapshot (dated as the newest report laid over it); the
    last snapshot itself when it has none, or when nothing came after the last complete one.
    """
    if not chain:
        return None
    complete_at = next((i for i in range(len(chain) - 1, -1, -1) if chain[i].is_complete), None)
    if complete_at is None:
        return chain[-1]
    base, later = chain[complete_at], [s for s in chain[complete_at + 1 :] if s.coverage is Coverage.PARTIAL]
    if not later:
        return base
    troops = dict(base.troops_by_nation)
    approx = set(base.approx_nations)
    for report in later:
        troops.update(report.troops_by_nation)
        approx = (approx - set(report.troops_by_nation)) | set(report.approx_nations)
    updated = base.with_troops(troops)
    contingents = tuple(c.replace(approx=c.nation in approx) if (c.nation in approx) != c.approx else c
                        for c in updated.contingents)  # fmt: skip
    newest = later[-1]
    return updated.replace(as_of=newest.as_of or base.as_of, as_of_retrieved=newest.as_of_retrieved,
                           contingents=contingents)  # fmt: skip
