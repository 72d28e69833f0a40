"""The announcement briefing: labelled as a claim, quoted within limits, nothing invented without a baseline."""

from __future__ import annotations

import datetime as dt

from bot.briefings.announcements import announcement_briefing, announcements_briefing, claim_text
from bot.briefings.render.embeds import embed_size, render_embeds
from bot.core.announcements import Announcement, State
from bot.core.claims import Claim
from bot.core.nations import NationRegistry

NOW = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)


def announcement(claim: Claim, baseline: int | None = 247, state: State = "announced") -> Announcement:
    return Announcement(7, "KFOR", claim, "official", ("MON",), state, None, baseline, "2025-02", None, None, NOW, NOW)


def test_an_announcement_says_it_is_a_claim_and_what_it_would_mean(registry: NationRegistry) -> None:
    """ "Poland 247 on the last complete list → ≈ 347", the quote in quotation marks, the link."""
    claim = Claim("Poland", "increase", 100, None, True, "2025-04", "https://mon.test/a", NOW, "Poland sends 100.")
    briefing = announcement_briefing(announcement(claim), registry)
    assert briefing.title == "Announced — not yet official · #7"
    assert briefing.summary.startswith("**🇵🇱 Poland: ≈ +100 troops from 2025-04** — a claim by an official source")
    fields = {f.name: f.value for f in briefing.fields}
    assert (fields["Last complete list"], fields["Expected, for illustration"]) == ("247 (2025-02)", "≈ 347")
    assert fields["Quote"] == "“Poland sends 100.”" and fields["Read it"] == "https://mon.test/a"


def test_no_expected_figure_without_a_baseline_and_a_long_quote_fits_discord(registry: NationRegistry) -> None:
    """A change with no earlier list gives no expected figure; a 2,000-character quote is cut to 300."""
    claim = Claim("Poland", "increase", 100, None, False, None, None, None, "word " * 400)
    briefing = announcement_briefing(announcement(claim, baseline=None), registry)
    names = [f.name for f in briefing.fields]
    assert "Expected, for illustration" not in names and "Last complete list" not in names
    quote = next(f.value for f in briefing.fields if f.name == "Quote")
    assert len(quote) <= 302
    for message in render_embeds(briefing):
        assert all(embed_size(embed) <= 6000 for embed in message)


def test_claims_in_words_and_the_list(registry: NationRegistry) -> None:
    """Ceilings and commands read as what they are; the list shows open ones first."""
    ceiling = Claim("Switzerland", "ceiling", None, 215, False, None, None, NOW, "q")
    assert claim_text(ceiling) == "a ceiling of 215 troops"
    assert claim_text(Claim("Italy", "command", None, None, False, None, None, NOW, "q")) == "change of command"
    settled = announcement(Claim("Poland", "decrease", -80, None, False, "2026", None, NOW, "q"), state="confirmed")
    listed = announcements_briefing([settled, announcement(ceiling, None)], registry, "KFOR")
    assert listed.summary.startswith("1 open.") and listed.table is None  # lines, not a table wider than a phone
    lines = listed.summary.split("\n\n", 1)[1].splitlines()
    assert [line.split(" — ")[1].split(" · ")[0] for line in lines] == ["announced", "confirmed"]
