"""Is a report the whole mission or a part of it? Decided once, here, and read by every diff.

A false alarm ("nine nations left") is the worst thing the bot can say, and the usual cause is a
list that never meant to be complete: press articles, ministries and NATO's own pages publish the
largest contingents only. So coverage is *decided*, in this order:

1. What the report says about itself: a stated total its rows (and unattributed figures) match
   is complete; a stated total or nation count above its rows, or wording such as "top 20", "the
   20 largest contributors", "smaller contributors not listed" (English, German, French, Italian),
   is partial (:func:`partial_wording` finds the words; :func:`bot.core.reports.assembly.assemble`
   weighs the figures).
2. A source configured as one that publishes complete lists (NATO's placemat) is complete: a nation
   it omits has left.
3. Otherwise, the shape of the list next to the last complete one: when it omits two or more of
   that list's nations and the ones it omits are exactly its smallest (the list stops where the
   smallest contingents would begin), it is a top-N list, partial. One nation missing, or nations
   missing from the middle of the ranking, is a complete list: they left.
"""

from __future__ import annotations

import re

from bot.core.models import Coverage, Snapshot

_NUMBER = r"(?:\d{1,3}|ten|twenty|thirty|zehn|zwanzig|dix|vingt|dieci|venti)"
#: Plural nouns only: "Italy, the largest contributor" describes Italy, not the list.
_EN_NOUNS = r"(?:contributors|contributing\s+nations|troop[- ]contributing\s+nations|contingents|troop\s+contributors)"
_DE_NOUNS = r"(?:truppensteller|kontingente|beitragsleister|nationen|länder|staaten)"
_FR_NOUNS = r"(?:contributeurs|contingents|pays\s+contributeurs|nations\s+contributrices)"
_IT_NOUNS = r"(?:contributori|contingenti|paesi\s+contributori|nazioni\s+contributrici)"
#: Words that say a list is a selection, in the four languages the sources are written in. A
#: superlative counts only with a number or a plural article: "one of the largest contributors"
#: and "dem größten Truppensteller" describe a nation, not the list.
_PARTIAL_PHRASES = (
    # English: "top 20", "Top 20 contributing nations", "the 20 largest contributors", "smaller … not listed"
    rf"\btop[- ]?{_NUMBER}\b",
    rf"(?<!\bof\s)\bthe\s+(?:{_NUMBER}\s+)?(?:largest|biggest|main|major|leading)\s+{_EN_NOUNS}\b",
    rf"\b{_NUMBER}\s+(?:largest|biggest)\s+{_EN_NOUNS}\b",
    r"\b(?:smaller|other|remaining)\s+(?:contributors|contingents|nations|countries)\s+(?:are\s+)?not\s+"
    r"(?:listed|shown|included)",
    r"\bnot\s+all\s+(?:contributing\s+)?nations\b",
    # German: "die 20 größten Truppensteller", "kleinere Truppensteller sind nicht aufgeführt"
    rf"\b(?:die\s+(?:{_NUMBER}\s+)?|{_NUMBER}\s+)(?:größten|grössten|wichtigsten)\s+{_DE_NOUNS}\b",
    r"\bkleinere\s+\w+\s+(?:sind\s+|werden\s+)?nicht\s+(?:aufgeführt|aufgelistet|genannt|enthalten)",
    # French: "les 20 principaux contributeurs", "les plus gros contributeurs", "petits … ne sont pas listés"
    rf"\bles\s+(?:{_NUMBER}\s+)?(?:principaux|plus\s+(?:gros|grands|importants))\s+{_FR_NOUNS}\b",
    r"\b(?:petits|autres)\s+contributeurs\s+ne\s+sont\s+pas\s+(?:listés|mentionnés|indiqués)",
    # Italian: "i 20 maggiori contributori", "i principali paesi contributori", "contributori minori non elencati"
    rf"\bi\s+(?:{_NUMBER}\s+)?(?:maggiori|principali|più\s+grandi)\s+{_IT_NOUNS}\b",
    r"\bcontributori\s+minori\s+non\s+(?:sono\s+)?(?:elencati|indicati|riportati)",
)
_PARTIAL = re.compile("|".join(f"(?:{p})" for p in _PARTIAL_PHRASES), re.IGNORECASE)


def partial_wording(text: str) -> str | None:
    """The words by which a report says it lists only some nations ("the 20 largest contributors"), if any."""
    match = _PARTIAL.search(" ".join(text.split()))
    return match.group(0) if match else None


def omits_the_smallest(listed: Snapshot, last_complete: Snapshot) -> bool:
    """True when ``listed`` omits two or more nations of ``last_complete`` and they are exactly its smallest.

    "Exactly its smallest": no nation the list keeps had fewer troops in the last complete list than
    a nation it omits (ties count as smallest). A list that omits one nation, or nations from the
    middle of the ranking, describes departures, not a cut.
    """
    before = last_complete.troops_by_nation
    kept = [troops for nation, troops in before.items() if nation in listed.troops_by_nation]
    omitted = [troops for nation, troops in before.items() if nation not in listed.troops_by_nation]
    if len(omitted) < 2 or not kept:
        return False
    return max(omitted) <= min(kept)


def decide_coverage(
    snapshot: Snapshot, stated_basis: str | None, last_complete: Snapshot | None, publishes_complete: bool
) -> Snapshot:
    """The snapshot with its coverage decided (see the module docstring for the order of the rules).

    ``stated_basis`` is why the report itself decided its coverage (None when it says nothing about
    it): then its coverage stands. ``publishes_complete`` is the source's configuration.
    """
    if stated_basis is not None or snapshot.coverage is Coverage.ESTIMATE or publishes_complete:
        return snapshot
    if last_complete is not None and omits_the_smallest(snapshot, last_complete):
        return snapshot.replace(coverage=Coverage.PARTIAL)
    return snapshot


def coverage_line(snapshot: Snapshot, last_complete: Snapshot | None) -> str:
    """What a partial report covered, in one line: ``20 of 29 nations listed; no total stated``."""
    listed = len(snapshot.contingents)
    of = f" of {len(last_complete.contingents)}" if last_complete is not None else ""
    if snapshot.stated_nations is not None and snapshot.stated_nations > listed:
        of = f" of {snapshot.stated_nations}"
    total = f"stated total {snapshot.stated_total:,} troops" if snapshot.stated_total is not None else "no total stated"
    return f"{listed}{of} nations listed; {total}"
