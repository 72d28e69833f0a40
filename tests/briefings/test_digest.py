"""Change digests: figures, thread names, filters, catch-up wording and problem notices."""

from __future__ import annotations

from bot.briefings.digest import build_digest, problem_briefing
from bot.core.diff import Significance, diff_troops
from tests.conftest import SEED_FIGURES, snapshot_of

BEFORE = snapshot_of(SEED_FIGURES, "2025-02")
LATER = dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Norway": 12})
del LATER["Portugal"]
AFTER = snapshot_of(LATER, "2025-06")


def _fields(briefing) -> dict[str, str]:
    return {f.name: f.value for f in briefing.fields}


def test_digest_head_says_what_changed(registry) -> None:
    """Each changed nation as before → after (Δ, %), grouped; the period and the total in the summary."""
    digest = build_digest(BEFORE, AFTER, registry)
    head = digest.head
    assert head.title == "KFOR update — 2025-02 → 2025-06"
    assert head.summary == "KFOR: 4,686 → 4,446 troops (−240, −5.1%) · 29 → 29 nations."
    fields = _fields(head)
    assert fields["Shrank (1)"] == "🇺🇸 United States 602 → 320 (−282, −46.8%)"
    assert fields["Grew (1)"] == "🇩🇪 Germany 269 → 300 (+31, +11.5%)"
    assert fields["Joined (1)"] == "🇳🇴 Norway 0 → 12 (+12, new)"
    assert fields["Left (1)"] == "🇵🇹 Portugal 1 → 0 (−1)"  # no percentage on a base under 10 troops (#20)
    assert head.footer.as_of == "2025-06"
    assert head.chart is not None and head.chart.labels[0] == "United States"


def test_digest_lists_only_the_rank_moves_that_matter(registry) -> None:
    """Moves of nations whose own figure changed, or of two places or more; not the one-place shuffle below."""
    digest = build_digest(BEFORE, AFTER, registry)
    assert _fields(digest.head)["Rank moves (1)"] == "🇺🇸 United States 2 → 4"  # Hungary, Türkiye: one place up
    assert len(diff_troops(BEFORE.troops_by_nation, AFTER.troops_by_nation).rank_moves) == 8  # the others


def test_the_report_caveats_go_to_the_thread_not_the_alert(registry, seed_snapshot) -> None:
    """ "States 27 nations but lists 29" is in the digest's detail (the thread), not on the alert itself."""
    later = seed_snapshot.with_troops(dict(seed_snapshot.troops_by_nation, Germany=300))
    revised = later.replace(warnings=seed_snapshot.warnings)
    digest = build_digest(seed_snapshot, revised, registry)
    assert digest.head.notes == ()
    assert digest.detail.notes == ("the report states 27 nations but lists 29",)


def test_thread_name_and_detail_table(registry) -> None:
    """The thread is named after the change; its table lists every contingent before and after."""
    digest = build_digest(BEFORE, AFTER, registry)
    assert digest.thread_name == "KFOR 2025-06: US −282, DE +31, NO +12, +1 more"
    rows = {row[0]: row for row in digest.detail.table.rows}
    assert rows["🇺🇸 US"][1:] == ("602", "320", "−282")  # short names: the thread's table fits a phone
    assert rows["🇵🇹 Portugal"][1:] == ("1", "0", "−1")
    assert len(digest.detail.table.rows) == 30  # every contingent, plus the one that left


def test_subscription_filter_hides_small_changes_but_says_so(registry) -> None:
    digest = build_digest(BEFORE, AFTER, registry, Significance(min_change=100))
    fields = _fields(digest.head)
    assert "Grew (1)" not in fields and "Shrank (1)" in fields and "Joined (1)" in fields
    assert any("1 smaller change(s)" in note for note in digest.head.notes)


def test_catch_up_wording(registry) -> None:
    digest = build_digest(BEFORE, AFTER, registry, covered_changes=3)
    assert digest.head.title.startswith("KFOR catch-up — 3 changes")
    assert "changed 3 times" in digest.head.notes[0]


def test_problem_notice(registry) -> None:
    """One notice names the problem, keeps the last good figures and links the watched source."""
    notice = problem_briefing("KFOR", "http://127.0.0.1/r.csv", "line 3: unknown nation 'Germny'", BEFORE)
    assert notice.title == "KFOR source problem"
    assert "line 3: unknown nation 'Germny'" in notice.summary and "2025-02, 4,686 troops" in notice.summary
    assert notice.footer.link() == "http://127.0.0.1/r.csv"  # the watched source, linked


def test_a_digest_with_a_partial_side_announces_no_total_arrival_or_departure(registry) -> None:
    """A partial list before or after: only the nations both list are compared; nobody 'joined' or 'left'."""
    from bot.core.models import Coverage
    from tests.conftest import SEED_FIGURES, snapshot_of

    complete = snapshot_of(SEED_FIGURES, "2025-02")
    first_ten = dict(list(SEED_FIGURES.items())[:10])
    partial = snapshot_of(dict(first_ten, Italy=1300), "2025-06").replace(coverage=Coverage.PARTIAL)
    for before, after in ((complete, partial), (partial.replace(as_of="2025-01"), complete)):
        digest = build_digest(before, after, registry)
        assert digest.head.summary.startswith(
            "Partial report: 10 of 29 nations listed; no total stated. Only the nations it lists are compared; "
            "the 19 it does not list keep their last known figures"
            if after is partial
            else "Partial figures: the 10 nations listed on both sides are compared"
        )
        names = {field.name.split(" (")[0] for field in digest.head.fields}
        assert not names & {"Joined", "Left", "Rank moves"}
        assert "4,686" not in digest.head.summary
    rows = build_digest(complete, partial, registry).detail.table.rows
    assert len(rows) == 29  # the 10 it lists, and the 19 it does not, kept with their last figure
    assert sum(row[2] == "—" for row in rows) == 19 and not any(row[2] == "0" for row in rows)


def test_the_sample_digest_credits_no_report_for_its_made_up_figures(seed_snapshot, registry) -> None:
    """The alert test credited the real report for made-up figures (#20): it says they are a test's sample figures,
    with no source's name, link, caveat or chart credit, in the head and in its thread's table alike."""
    from bot.briefings.digest import SAMPLE_CHANGE, sample_digest
    from bot.briefings.render.embeds import render_embeds

    digest = sample_digest(seed_snapshot, registry)
    for briefing in (digest.head, digest.detail):
        assert briefing.title.startswith("TEST — sample digest (not real figures)")
        assert briefing.footer.text() == (
            "Source: sample figures made up for this test from the 2025-02 list, not a report"
        )
        assert briefing.footer.link() is None and briefing.chart is None
        assert briefing.notes == (f"This is what an alert looks like; the change shown is the scenario "
                                  f"'{SAMPLE_CHANGE}', not news.",)  # fmt: skip
        shown = str(render_embeds(briefing))
        assert seed_snapshot.source.publisher not in shown and "BILD" not in shown and "27 nations" not in shown
    assert digest.thread_name == "TEST — sample digest"
    assert "🇺🇸 United States 602 → 301 (−301, −50.0%)" in str(digest.head.fields)
