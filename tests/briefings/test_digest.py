"""Change digests: figures, thread names, filters, catch-up wording and problem notices."""

from __future__ import annotations

from bot.briefings.digest import build_digest, problem_briefing
from bot.core.diff import Significance
from tests.conftest import SEED_FIGURES, snapshot_of

BEFORE = snapshot_of(SEED_FIGURES, "2025-02")
LATER = dict(SEED_FIGURES, **{"United States": 320, "Germany": 300, "Norway": 12})
del LATER["Portugal"]
AFTER = snapshot_of(LATER, "2025-06")


def _fields(briefing) -> dict[str, str]:
    return {f.name: f.value for f in briefing.fields}


def test_digest_head_says_what_changed(registry) -> None:
    digest = build_digest(BEFORE, AFTER, registry)
    head = digest.head
    assert head.title == "KFOR update — 2025-02 → 2025-06"
    assert head.summary == "KFOR: 4,686 → 4,446 troops (−240, −5.1%) · 29 → 29 nations."
    fields = _fields(head)
    assert fields["Shrank (1)"] == "🇺🇸 United States −282"
    assert fields["Grew (1)"] == "🇩🇪 Germany +31"
    assert fields["Joined (1)"] == "🇳🇴 Norway +12"
    assert fields["Left (1)"] == "🇵🇹 Portugal −1"
    assert fields["Rank moves (8)"].startswith("🇺🇸 United States 2→4\n🇭🇺 Hungary 3→2")
    assert head.footer.as_of == "2025-06"
    assert head.chart is not None and head.chart.labels[0] == "United States"


def test_thread_name_and_detail_table(registry) -> None:
    digest = build_digest(BEFORE, AFTER, registry)
    assert digest.thread_name == "KFOR 2025-06: US −282, DE +31, NO +12, +1 more"
    rows = {row[1]: row for row in digest.detail.table.rows}
    assert rows["🇺🇸 United States"][2:] == ("602", "320", "−282", "▼2")
    assert rows["🇵🇹 Portugal"][3:] == ("0", "−1", "out")
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
    notice = problem_briefing("KFOR", "http://127.0.0.1/r.csv", "line 3: unknown nation 'Germny'", BEFORE)
    assert notice.title == "KFOR source problem"
    assert "line 3: unknown nation 'Germny'" in notice.summary and "2025-02, 4,686 troops" in notice.summary
