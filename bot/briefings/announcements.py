"""Announcements as briefings: one claim with its quote and link, and the list of open and recent ones.

Every announcement says what it is — a claim by a ministry or the press, not an official figure — in its
title, its colour and its first line. The expected figure is the last complete list's plus the claimed
change, shown for illustration ("Poland 247 on the last complete list → ≈ 347"); nothing is invented
where the claim gives no figure or there is no earlier list to add it to.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.briefings import formatting as fmt
from bot.briefings.model import ANNOUNCEMENT, DIGEST, HEALTHY, Briefing, BriefingField, Footer
from bot.core.announcements import Announcement
from bot.core.claims.model import QUOTE_LIMIT, Claim
from bot.core.nations import NationRegistry

TITLES = {
    "candidate": "Reported — not yet official",
    "announced": "Announced — not yet official",
    "confirmed": "Confirmed by the official figures",
    "partly_confirmed": "Partly confirmed by the official figures",
    "contradicted": "Not borne out by the official figures",
    "expired": "Announcement expired",
    "dismissed": "Announcement dismissed",
}
STATE_WORDS = {"candidate": "candidate", "announced": "announced", "confirmed": "confirmed",
               "partly_confirmed": "partly confirmed", "contradicted": "contradicted", "expired": "expired",
               "dismissed": "dismissed"}  # fmt: skip
#: Rows in the list of announcements: the open ones first, then the most recent settled ones.
LIST_ROWS = 15


def claim_text(claim: Claim) -> str:
    """What the claim says, in a few words: "+150 (about) from 2025-05", "ceiling of 350", "change of command"."""
    about = "≈ " if claim.approximate else ""
    when = f" from {claim.effective}" if claim.effective else ""
    if claim.kind in ("increase", "decrease") and claim.change is not None:
        return f"{about}{fmt.signed(claim.change)} troops{when}"
    if claim.kind == "withdraw_all":
        return f"withdraws its whole contingent{when}"
    if claim.kind == "level" and claim.level is not None:
        return f"{about}{fmt.troops(claim.level)} troops{when}"
    if claim.kind == "ceiling":
        return f"a ceiling of {fmt.troops(claim.level)} troops{when}" if claim.level else f"a ceiling{when}"
    if claim.kind == "extension":
        ceiling = f" (up to {fmt.troops(claim.level)})" if claim.level else ""
        return f"mandate extended{ceiling}{when}"
    if claim.kind == "no_change":
        return f"no change ({about}{fmt.troops(claim.level)} troops)" if claim.level else "no change"
    return "change of command"


def announcement_briefing(announcement: Announcement, registry: NationRegistry) -> Briefing:
    """The message of one announcement (and, once a list settled it, its edit)."""
    claim = announcement.claim
    label = registry.get(claim.nation).label
    publishers = ", ".join(announcement.publishers)
    who = "an official source" if announcement.tier == "official" else "the press"
    summary = (f"**{label}: {claim_text(claim)}** — a claim by {who} ({publishers}), not an official figure."
               )  # fmt: skip
    fields = [BriefingField(name="Nation", value=label)]
    if announcement.baseline is not None and announcement.expected is not None:
        when = f" ({announcement.baseline_as_of})" if announcement.baseline_as_of else ""
        fields.append(BriefingField(name="Last complete list", value=f"{fmt.troops(announcement.baseline)}{when}"))
        fields.append(BriefingField(name="Expected, for illustration", value=f"≈ {fmt.troops(announcement.expected)}"))
    elif announcement.expected is not None:
        fields.append(BriefingField(name="Expected, for illustration", value=f"≈ {fmt.troops(announcement.expected)}"))
    if announcement.observed is not None and not announcement.is_open:
        fields.append(BriefingField(name="Official figure", value=fmt.troops(announcement.observed)))
    fields.append(BriefingField(name="Quote", value=f"“{fmt.quoted(claim.quote, QUOTE_LIMIT)}”", inline=False))
    if claim.link:
        fields.append(BriefingField(name="Read it", value=claim.link[:1000], inline=False))
    notes = (f"{STATE_WORDS[announcement.state].capitalize()}: {announcement.reason}.",) if announcement.reason else ()
    colour = {"confirmed": HEALTHY, "partly_confirmed": HEALTHY, "contradicted": DIGEST}.get(announcement.state,
                                                                                             ANNOUNCEMENT)  # fmt: skip
    return Briefing(
        kind="announcement",
        title=f"{TITLES[announcement.state]} · #{announcement.id}",
        summary=summary,
        fields=tuple(fields),
        notes=notes,
        colour=colour,
        footer=Footer(
            source=publishers[:200],
            as_of=claim.published.date().isoformat() if claim.published else "undated",
            url=claim.link,
        ),
    )


def announcements_briefing(announcements: Sequence[Announcement], registry: NationRegistry, mission: str) -> Briefing:
    """``/kfor announcements``: the open ones and the recent settled ones, each with its state."""
    if not announcements:
        return Briefing(kind="announcements", title=f"{mission} announcements",
                        summary="No announcements recorded: no feed has said anything about a contingent yet.",
                        colour=ANNOUNCEMENT)  # fmt: skip
    ordered = sorted(announcements, key=lambda a: (not a.is_open, -a.id))[:LIST_ROWS]
    # One line each, not a table: number, nation, claim, state and date are about 60 characters, twice what a
    # phone shows of a code block (#20); a line wraps where a table row would be cut.
    lines = [
        f"**#{a.id}** {registry.get(a.claim.nation).label}: {claim_text(a.claim)} — {STATE_WORDS[a.state]}"
        + (f" · {a.claim.published.date().isoformat()}" if a.claim.published else "")
        for a in ordered
    ]
    open_count = sum(a.is_open for a in announcements)
    return Briefing(
        kind="announcements",
        title=f"{mission} announcements",
        summary=f"{open_count} open. Claims by ministries and the press, not official figures; each is checked "
        "against the next official list.\n\n" + "\n".join(lines),
        colour=ANNOUNCEMENT,
    )
