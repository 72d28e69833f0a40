"""Briefings built from core results carry the right figures, caveats, source and date."""

from __future__ import annotations

import pytest

from bot.briefings.model import DIGEST, NEUTRAL, SCENARIO
from bot.briefings.render.json_doc import render_json
from bot.core.errors import UserError


def _field(briefing, name: str) -> str:
    return next(f.value for f in briefing.fields if f.name.startswith(name))


def test_every_figure_briefing_carries_source_and_date(service) -> None:
    """Top, country, overview, scenario and snapshots stand on the latest complete list (2025-02) and say so."""
    for briefing in (service.top(5), service.country("Germany"), service.overview(),
                     service.scenario("us-withdrawal"), service.snapshots()):  # fmt: skip
        assert briefing.footer is not None
        assert briefing.footer.as_of == "2025-02"
        assert "BILD" in briefing.footer.text() and briefing.footer.coverage == "complete list"


def test_history_footer_credits_every_publisher_not_one_article(service) -> None:
    """Italy's figures come from many reports: the footer counts them and their publishers (#20), its link goes to
    the latest figure's source (Republika.rs, April 2025), and a partial figure is marked beside the figure."""
    briefing = service.history("Italy")
    publishers = {row[3] for row in briefing.table.rows}
    assert briefing.footer.source == f"{len(briefing.table.rows)} figures from {len(publishers)} publishers (see table)"
    assert briefing.summary.endswith(f": {len(briefing.table.rows)} figures from {len(publishers)} publishers.")
    assert briefing.footer.as_of.startswith("2015-08 to ") and briefing.footer.coverage is None
    (key,) = {row[3] for row in briefing.table.rows if row[0] == "2025-04"}
    assert f"{key} Republika.rs" in briefing.table.notes[-1]  # the key's publisher, named under the table
    assert any(row[1].endswith("*") for row in briefing.table.rows) and not any(
        r[3].endswith("*") for r in briefing.table.rows
    )


def test_top_briefing(service) -> None:
    """The largest contingents with rank, share and chart, without the report's caveat."""
    briefing = service.top(3)
    assert briefing.title == "KFOR — top 3 contingents"
    assert [row[1] for row in briefing.table.rows] == ["🇮🇹 Italy", "🇺🇸 US", "🇭🇺 Hungary"]  # short: fits a phone
    assert briefing.table.rows[0][2:] == ("1,258", "26.8%")
    assert "2,225 of 4,686" in briefing.summary
    assert not any("27 nations" in note for note in briefing.notes)  # the report's caveat: overview's, sources'
    assert briefing.chart.labels == ("Italy", "United States", "Hungary")
    assert briefing.chart.series[0].values == (1258, 602, 365)


def test_top_more_than_available_shows_all_with_a_note(service) -> None:
    briefing = service.top(40)
    assert len(briefing.table.rows) == 29
    assert briefing.title == "KFOR — all 29 contingents"
    assert briefing.notes[0].startswith("Asked for 40")


def test_country_briefing(service, seed_service) -> None:
    """Troops, rank and share said once, in the summary; then the change and the memberships."""
    briefing = service.country("hungray")
    assert briefing.title == "🇭🇺 Hungary in KFOR"
    assert briefing.summary == "*hungray → Hungary*\n**365 troops** — rank 3 of 29, 7.8% of KFOR."
    assert [f.name for f in briefing.fields][:2] == ["Change", "Membership"]
    assert _field(briefing, "Membership") == "NATO member since 1999\nEU member since 2004"
    assert _field(briefing, "Change") == "±0 since 2024-01 (365 then)"
    assert _field(seed_service.country("Hungary"), "Change") == "No earlier snapshot to compare with"
    assert _field(service.country("Switzerland"), "Membership").startswith("Partner")


def test_one_troop_is_singular(service) -> None:
    """Lithuania's one soldier is "1 troop", not "1 troops"."""
    assert service.country("Lithuania").summary.startswith("**1 troop** — rank ")


def test_names_as_nato_writes_them_today(service) -> None:
    """Türkiye and Czechia in answers; the data keeps its canonical names, and old names still find them."""
    assert service.country("Turkey").title == service.country("Türkiye").title == "🇹🇷 Türkiye in KFOR"
    assert service.country("Czech Republic").title == "🇨🇿 Czechia in KFOR"
    rows = [row[1] for row in service.top(29).table.rows]
    assert "🇹🇷 Türkiye" in rows and "🇨🇿 Czechia" in rows and not {"🇹🇷 Turkey", "🇨🇿 Czech Republic"} & set(rows)
    assert "Turkey" in service.catalog.latest.troops_by_nation  # stored data unchanged
    assert service.chart("top").chart.labels[3] == "Türkiye"


def test_an_exact_name_is_not_a_correction(service) -> None:
    """Aliases, codes, flags and other languages are names, not typos: no "X → Y" line."""
    for name in ("Germany", "DE", "🇩🇪", "Deutschland", "germany"):
        assert "→" not in service.country(name).summary.splitlines()[0], name
    assert service.history("Itly").summary.startswith("*Itly → Italy*\n")


def test_country_change_since_previous_snapshot(two_snapshot_service) -> None:
    briefing = two_snapshot_service.country("US")
    assert _field(briefing, "Change") == "−282 since 2025-02 (602 then)"
    assert briefing.colour == NEUTRAL  # a briefing on the figures on record, whichever way they went


def test_one_colour_per_kind_of_answer(two_snapshot_service, registry) -> None:
    """Briefings blue whatever the figures did, scenarios purple, alerts orange."""
    from bot.briefings.digest import build_digest

    service = two_snapshot_service
    briefings = (service.top(5), service.country("US"), service.country("Germany"), service.compare(),
                 service.overview(), service.history("Italy"))  # fmt: skip
    assert {b.colour for b in briefings} == {NEUTRAL}
    assert {service.scenario("US-50%").colour, service.scenario("Germany+100").colour} == {SCENARIO}
    before, after = service.catalog.complete[-2:]
    assert build_digest(before, after, registry).head.colour == DIGEST


def test_overview_briefing(service) -> None:
    """Total and nations in the summary, the split and concentration as fields, the caveat as a note."""
    briefing = service.overview()
    assert briefing.summary == "4,686 troops from 29 nations."
    assert not any(f.name in ("Total troops", "Nations") for f in briefing.fields)  # said once, in the summary
    assert _field(briefing, "Partners").startswith("430 troops · 5 nations")
    assert "1,147" in _field(briefing, "Concentration")
    assert briefing.notes[0] == "the report states 27 nations but lists 29"


def test_scenario_briefing_preset_and_expression_agree(service) -> None:
    """The us-withdrawal preset and 'withdraw US' give the same figures; the full table holds the backfill plan."""
    preset, typed = service.scenario("us-withdrawal"), service.scenario("withdraw US")
    assert preset.title == "Scenario — United States withdraws"
    assert typed.summary == "KFOR: 4,686 → 4,084 troops (−602, −12.8%) · 29 → 28 nations."
    assert preset.summary == typed.summary + "\nApplied: `withdraw United States`"
    assert preset.full_table == typed.full_table and preset.table == typed.table
    rows = [row[0] for row in preset.full_table.rows]
    assert rows[:2] == ["🇮🇹 Italy", "🇭🇺 Hungary"]  # in rank order after the scenario
    assert rows[-1] == "🇺🇸 US" and preset.full_table.rows[-1][1:3] == ("0", "−602")  # the one that left, last
    backfill = sum(int(row[3].replace("+", "")) for row in preset.full_table.rows if row[3])
    assert backfill == 602
    assert "Lead nation: 🇮🇹 Italy 26.8% → 30.8%" in _field(preset, "Balance")


def test_comparison_briefing(two_snapshot_service) -> None:
    """Two snapshots: each change once, as before → after, joins and departures; the table only behind a button."""
    briefing = two_snapshot_service.compare()
    assert briefing.title == "KFOR — 2025-02 → 2025-06"
    assert _field(briefing, "Shrank") == "🇺🇸 United States 602 → 320 (−282, −46.8%)"
    assert "Norway" in _field(briefing, "Joined")
    assert "Portugal" in _field(briefing, "Left")
    assert briefing.table is None  # each change once (#20): the list, not the list and a table of the same
    assert briefing.full_table.rows[0] == ("🇺🇸 US", "602", "320", "−282")  # short names, no % column: fits a phone


def test_history_briefing(two_snapshot_service) -> None:
    """Each dated figure is a row with its rank and source; complete lists carry no partial marker."""
    briefing = two_snapshot_service.history("Germany")
    assert [row[:2] for row in briefing.table.rows] == [("2025-02", "269"), ("2025-06", "300")]
    assert briefing.table.rows[0][3] == "A" and "*" not in briefing.table.rows[0][3]
    assert briefing.table.notes[-1].startswith("Src: A News report citing BILD")
    assert briefing.chart.markers == ("complete", "complete")


def test_compare_with_one_snapshot_explains(seed_service) -> None:
    with pytest.raises(UserError, match="needs two snapshots"):
        seed_service.compare()


def test_a_scenario_table_fits_a_phone(service) -> None:
    """The answer's table: changed nations and the top 10, short names, ≤ 30 characters with Δ and Add."""
    from bot.briefings.render.tables import table_lines, without_flags

    briefing = service.scenario("us-withdrawal")
    lines = table_lines(without_flags(briefing.table), gap=1)
    assert lines[0].split() == ["Nation", "After", "Δ", "Add"]
    assert max(len(line) for line in lines) <= 30
    assert lines[-2].split() == ["US", "0", "−602"] and lines[-1] == "… 18 more"
    assert [line.split()[0] for line in lines[1:4]] == ["Italy", "Hungary", "Türkiye"]
    assert len(briefing.full_table.rows) == 29  # 28 nations and the one that left
    assert service.scenario("Norway+12").full_table is not None  # a joiner below the top 10 is listed too
    assert "Norway" in {row[0].split()[-1] for row in service.scenario("Norway+12").table.rows}


def test_a_chart_reply_mentions_no_table(service) -> None:
    """Charts come without a table, and nothing in them points to one (its footnotes go with it)."""
    for kind, subject in (("top", None), ("history", "Italy"), ("scenario", "us-withdrawal")):
        briefing = service.chart(kind, subject)
        assert briefing.table is None and briefing.full_table is None and briefing.chart is not None
        text = " ".join([briefing.summary, *briefing.notes, *(f.name + f.value for f in briefing.fields)])
        assert "table" not in text.casefold() and "column" not in text.casefold(), kind
    assert service.history("Italy").table.notes[0].startswith("* from a partial list")


def test_the_report_caveat_is_only_in_overview_and_sources(service) -> None:
    """'States 27 nations but lists 29' is said by overview and sources, by no other answer."""
    caveat = "the report states 27 nations but lists 29"
    answers = (service.top(5), service.country("Italy"), service.scenario("us-withdrawal"), service.history("Italy"),
               service.snapshots(), service.compare())  # fmt: skip
    for briefing in answers:
        assert caveat not in render_json(briefing), briefing.kind
    assert caveat in service.overview().notes
    assert any(caveat in f.value for f in service.sources().fields)


def test_footers_link_to_a_source_that_has_an_address(service) -> None:
    """Italy's latest figure comes from Republika.rs: the answer links there; the seed report has no address."""
    assert service.history("Italy").footer.link().startswith("https://nizelige.republika.rs/vesti/politika/651187/")
    assert service.top(5).footer.link() is None


def test_a_long_history_is_summarised_by_year_in_one_message(registry) -> None:
    """1,000 snapshots over three years: one row per year (its last figure), one message, every figure charted."""
    import datetime as dt

    from bot.briefings.build import history_briefing
    from bot.briefings.render.embeds import render_embeds
    from bot.core.catalog import SnapshotCatalog
    from bot.core.queries import nation_history
    from tests.conftest import snapshot_of

    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(1000)]
    catalog = SnapshotCatalog.of("KFOR", [snapshot_of({"Italy": 1000 + i, "Germany": 1500}, day.isoformat())
                                          for i, day in enumerate(days)])  # fmt: skip
    briefing = history_briefing(nation_history(catalog, registry, "Italy"), "KFOR")
    assert [row[:3] for row in briefing.table.rows] == [
        ("2023-12-31", "1,364", "2"), ("2024-12-31", "1,730", "1"), ("2025-09-26", "1,999", "1")]  # fmt: skip
    assert "(3 of 1000)" in briefing.notes[0]
    assert len(briefing.chart.labels) == 1000 and briefing.chart.series[0].values[-1] == 1999
    assert len(render_embeds(briefing)) == 1


def test_a_history_of_more_years_than_rows_keeps_the_first_and_the_latest(registry) -> None:
    """Forty yearly figures: thirty rows spread over the years, from the first to the latest."""
    from bot.briefings.build import HISTORY_ROWS, history_briefing
    from bot.core.catalog import SnapshotCatalog
    from bot.core.queries import nation_history
    from tests.conftest import snapshot_of

    catalog = SnapshotCatalog.of("KFOR", [snapshot_of({"Italy": 100 + year}, f"{1980 + year}-06")
                                          for year in range(40)])  # fmt: skip
    rows = history_briefing(nation_history(catalog, registry, "Italy"), "KFOR").table.rows
    assert len(rows) == HISTORY_ROWS and rows[0][0] == "1980-06" and rows[-1][:2] == ("2019-06", "139")
    assert [row[0] for row in rows] == sorted({row[0] for row in rows})


def test_sources_tell_a_transcription_from_the_publishers_own_report(service) -> None:
    """History figures were typed from web pages and articles into CSV: /kfor sources must not suggest the
    publisher released a CSV; the seed report was read from its own text."""
    from bot.briefings.render.text import render_text

    text = render_text(service.sources())
    assert "Read: a CSV table transcribed from the source: 28 nation(s), 4,443 troops listed" in text  # 2024-01
    assert "Read: text: 29 nation(s), 4,686 troops listed" in text  # the seed, read as published
    assert "transcribed" not in text.split("2025-02: ", 1)[1].split("\n", 2)[1]


def test_answers_say_their_figures_age_and_once_when_the_complete_list_is_old(dataset) -> None:
    """With ``now`` given: four months after the list, no warning; 22 months after, one line; the age is a setting."""
    import datetime as dt

    from bot.briefings.service import BriefingService

    def service(now: dt.datetime, months: int = 9) -> BriefingService:
        return BriefingService(dataset, stale_after_months=months, clock=lambda: now)

    fresh = service(dt.datetime(2025, 6, 1, tzinfo=dt.UTC)).top(3)
    assert fresh.footer.text().endswith("as of 2025-02 · 4 months ago · complete list") and fresh.notes == ()
    old = service(dt.datetime(2026, 12, 3, tzinfo=dt.UTC)).overview()
    assert "22 months ago" in old.footer.text()
    assert old.notes[-1] == ("The newest complete list is from 2025-02, 22 months ago. "
                             "Newer figures for 1 nation(s): /kfor latest.")  # fmt: skip
    assert not any(
        "newest complete list" in n for n in service(dt.datetime(2026, 12, 3, tzinfo=dt.UTC), 30).top().notes
    )


def test_slips_a_team_would_notice_are_gone(service) -> None:
    """ "top 1 contingents", a 1-troop share shown as "0.0%", and a query's stray space in an error (#20)."""
    import pytest

    from bot.briefings import formatting as fmt
    from bot.core.errors import UserError

    assert service.answer("/kfor top 1").title == "KFOR — largest contingent"
    assert (fmt.percent(1 / 4686 * 100), fmt.percent(0.0), fmt.percent(26.846)) == ("<0.1%", "0.0%", "26.8%")
    with pytest.raises(UserError, match=r"^Unknown nation 'Slovx'\."):
        service.answer("/kfor country  Slovx")


def test_compare_cites_its_sides_as_a_field_not_a_warning(two_snapshot_service) -> None:
    """The sources of both sides are facts of the answer (a field), not ⚠️ notes (#20)."""
    briefing = two_snapshot_service.compare()
    assert not any("Before:" in note for note in briefing.notes) and _field(briefing, "Sources").startswith("Before: ")
    assert "\nAfter: " in _field(briefing, "Sources")


def test_the_snapshots_table_fits_a_phone(service) -> None:
    """/kfor snapshots lost its Troops, Nations and Source columns even on desktop (#20): each row is now narrow."""
    from bot.briefings.render.tables import table_lines

    lines = table_lines(service.snapshots().table, gap=1)
    assert max(len(line) for line in lines) <= 30 and lines[0].split() == ["As", "of", "Cov.", "Troops", "N", "Src"]
