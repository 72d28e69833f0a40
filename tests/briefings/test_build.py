"""Briefings built from core results carry the right figures, caveats, source and date."""

from __future__ import annotations

import pytest

from bot.briefings.model import DECLINE
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


def test_history_footer_cites_the_latest_figure_shown(service) -> None:
    """Italy's latest figure is a partial one (Republika.rs, April 2025): the footer says so, not the seed."""
    footer = service.history("Italy").footer
    assert (footer.as_of, footer.coverage) == ("2025-04", "partial figures") and "Republika.rs" in footer.source


def test_top_briefing(service) -> None:
    briefing = service.top(3)
    assert briefing.title == "KFOR — top 3 contingents"
    assert [row[1] for row in briefing.table.rows] == ["🇮🇹 Italy", "🇺🇸 United States", "🇭🇺 Hungary"]
    assert briefing.table.rows[0][2:] == ("1,258", "26.8%")
    assert "2,225 of 4,686" in briefing.summary
    assert "the report states 27 nations but lists 29" in briefing.notes
    assert briefing.chart.labels == ("Italy", "United States", "Hungary")
    assert briefing.chart.series[0].values == (1258, 602, 365)


def test_top_more_than_available_shows_all_with_a_note(service) -> None:
    briefing = service.top(40)
    assert len(briefing.table.rows) == 29
    assert briefing.title == "KFOR — all 29 contingents"
    assert briefing.notes[0].startswith("Asked for 40")


def test_country_briefing(service, seed_service) -> None:
    briefing = service.country("hungray")
    assert briefing.title == "🇭🇺 Hungary in KFOR"
    assert _field(briefing, "Troops") == "365"
    assert _field(briefing, "Rank") == "3 of 29"
    assert _field(briefing, "Alliance") == "NATO member since 1999"
    assert _field(briefing, "Change") == "±0 since 2024-01 (365 then)"
    assert _field(seed_service.country("Hungary"), "Change") == "No earlier snapshot to compare with"
    assert _field(service.country("Switzerland"), "Alliance").startswith("Partner")


def test_country_change_since_previous_snapshot(two_snapshot_service) -> None:
    briefing = two_snapshot_service.country("US")
    assert _field(briefing, "Change") == "−282 since 2025-02 (602 then)"
    assert briefing.colour == DECLINE


def test_overview_briefing(service) -> None:
    briefing = service.overview()
    assert _field(briefing, "Total troops") == "4,686"
    assert _field(briefing, "Partners").startswith("430 troops · 5 nations")
    assert "1,147" in _field(briefing, "Concentration")
    assert "the report itself says 27" in briefing.summary


def test_scenario_briefing_preset_and_expression_agree(service) -> None:
    """The us-withdrawal preset and 'withdraw US' give the same figures; the table holds the backfill plan."""
    preset, typed = service.scenario("us-withdrawal"), service.scenario("withdraw US")
    assert preset.title == "Scenario — United States withdraws"
    assert typed.summary == "KFOR: 4,686 → 4,084 troops (−602, −12.8%) · 29 → 28 nations."
    assert preset.summary == typed.summary + "\nApplied: `withdraw United States`"
    assert preset.table == typed.table
    rows = {row[2]: row for row in preset.table.rows}
    assert rows["🇭🇺 Hungary"][:2] == ("2", "▲1")
    assert rows["🇺🇸 United States"][1] == "out"
    backfill = sum(int(row[5].replace("+", "")) for row in preset.table.rows if row[5])
    assert backfill == 602
    assert "Italy 26.8% → 30.8%" in _field(preset, "Lead")


def test_comparison_briefing(two_snapshot_service) -> None:
    briefing = two_snapshot_service.compare()
    assert briefing.title == "KFOR — 2025-02 → 2025-06"
    assert "−282" in _field(briefing, "Shrank")
    assert "Norway" in _field(briefing, "Joined")
    assert "Portugal" in _field(briefing, "Left")
    assert briefing.table.rows[0][:4] == ("🇺🇸 United States", "602", "320", "−282")


def test_history_briefing(two_snapshot_service) -> None:
    briefing = two_snapshot_service.history("Germany")
    """Each dated figure is a row with its rank and source; complete lists carry no partial marker."""
    assert [row[:2] for row in briefing.table.rows] == [("2025-02", "269"), ("2025-06", "300")]
    assert briefing.table.rows[0][3].startswith("News report citing BILD") and "*" not in briefing.table.rows[0][3]
    assert briefing.chart.markers == ("complete", "complete")


def test_compare_with_one_snapshot_explains(seed_service) -> None:
    with pytest.raises(UserError, match="needs two snapshots"):
        seed_service.compare()


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
