"""Chart layout: where bars, points, figures and legends go, checked without drawing a pixel."""

from __future__ import annotations

import pytest

from bot.briefings.model import ChartRequest, ChartSeries
from bot.briefings.render.chart_layout import (
    GAP,
    GREY,
    HEIGHT,
    LABEL_PX,
    MAX_BARS,
    NAME_SHARE,
    ORANGE,
    PAD,
    VALUE_PX,
    WIDTH,
    Box,
    ChartLayout,
    _year,
    dashes,
    layout_chart,
    nice_step,
    year_ticks,
)
from bot.briefings.render.charts import measure


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_picture(layout: ChartLayout) -> None:
    for label in layout.labels:
        left, top, right, bottom = label.box(measure)
        assert left >= 0 and right <= WIDTH and top >= 0 and bottom <= HEIGHT, label
    for bar in layout.bars:
        assert 0 <= bar.box[0] <= bar.box[2] <= WIDTH and 0 <= bar.box[1] < bar.box[3] <= HEIGHT, bar


def _history(points: dict[str, tuple[int, str]]) -> ChartRequest:
    return ChartRequest(kind="history", title="Testland in KFOR", labels=tuple(points),
                        series=(ChartSeries(name="Testland", values=tuple(v for v, _ in points.values())),),
                        markers=tuple(m for _, m in points.values()))  # fmt: skip


# -- bars --------------------------------------------------------------------------------------------


def test_top_bars_carry_their_figure_at_their_end(service) -> None:
    """Fifteen blue bars, largest first, each figure just after its bar; the longest bar leaves its figure room."""
    request = service.chart("top").chart
    layout = layout_chart(request, measure)
    values, figures = request.series[0].values, layout.texts("value")
    assert len(layout.bars) == len(figures) == MAX_BARS
    assert [f.text for f in figures] == [f"{v:,.0f}" for v in values] and figures[0].text == "1,258"
    for bar, figure in zip(layout.bars, figures, strict=True):
        assert figure.at[0] == pytest.approx(bar.box[2] + GAP)
        assert bar.box[1] < figure.at[1] < bar.box[3] + VALUE_PX / 2  # beside the bar, on its baseline
    widths = [bar.box[2] - bar.box[0] for bar in layout.bars]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0
    assert figures[0].box(measure)[2] <= WIDTH - PAD  # the longest bar still shows its figure
    assert figures[0].box(measure)[2] > WIDTH - PAD - 2 * GAP  # and goes as far as it can
    _inside_picture(layout)


def test_names_stand_left_of_the_bars_and_long_ones_are_cut(service) -> None:
    """A nation's name never reaches its bar: a name wider than a third of the picture ends in "…"."""
    top = layout_chart(service.chart("top").chart, measure)
    assert [n.text for n in top.texts("name")][:4] == ["Italy", "United States", "Hungary", "Türkiye"]
    long_name = "The United Kingdom of Great Britain and Northern Ireland"
    request = ChartRequest(kind="top", title="t", labels=("Italy", long_name),
                           series=(ChartSeries(name="2025-02", values=(1258, 90)),))  # fmt: skip
    cut = layout_chart(request, measure)
    names = cut.texts("name")
    assert names[0].text == "Italy" and names[1].text.endswith("…") and names[1].text.startswith("The United")
    assert measure(names[1].text, LABEL_PX) <= NAME_SHARE * WIDTH
    for layout in (top, cut):
        bars_left = min(bar.box[0] for bar in layout.bars)
        assert all(n.box(measure)[2] < bars_left for n in layout.texts("name"))
        _inside_picture(layout)


def test_two_series_stand_side_by_side_with_a_legend(service) -> None:
    """A scenario: per nation a grey "before" bar directly above an orange "after" bar, and a legend naming both."""
    request = service.scenario("withdraw partners").chart
    layout = layout_chart(request, measure)
    assert len(layout.bars) == 2 * len(request.labels)
    for before, after in zip(layout.bars[::2], layout.bars[1::2], strict=True):
        assert before.nation == after.nation and (before.series, after.series) == (0, 1)
        assert (before.colour, after.colour) == (GREY, ORANGE)
        assert before.box[0] == after.box[0] and before.box[3] == pytest.approx(after.box[1])
    after = dict(zip(request.labels, (b for b in layout.bars if b.series == 1), strict=True))
    assert after["Ireland"].box[2] == after["Ireland"].box[0]  # withdrawn: no bar left
    figures = dict(zip(request.labels, layout.texts("value"), strict=True))
    assert figures["Ireland"].text == "0" and figures["Italy"].text == "1,258"
    assert [e.name for e in layout.legend] == ["before", "after"]
    assert [e.style.colour for e in layout.legend] == [GREY, ORANGE]
    assert [label.text for label in layout.texts("legend")] == ["before", "after"]
    assert layout.legend[0].key[0] > WIDTH / 2 and layout.legend[0].key[1] > HEIGHT / 2  # lower right
    _legend_is_clear(layout)


def test_a_legend_never_covers_a_bar(service) -> None:
    """When the rows beside the lower right are long, the legend moves up or the bars make room."""
    long_everywhere = ChartRequest(kind="compare", title="KFOR: 2024-01 → 2025-02", labels=("A", "B", "C", "D"),
                                   series=(ChartSeries(name="2024-01", values=(900, 950, 1000, 990)),
                                           ChartSeries(name="2025-02", values=(1000, 960, 990, 1000))))  # fmt: skip
    for request in (long_everywhere, service.scenario("us-withdrawal").chart):
        _legend_is_clear(layout_chart(request, measure))


def _legend_is_clear(layout: ChartLayout) -> None:
    keys = [entry.key for entry in layout.legend] + [label.box(measure) for label in layout.texts("legend")]
    others = [bar.box for bar in layout.bars] + [label.box(measure) for label in layout.texts("value")]
    assert keys and not any(_overlap(k, o) for k in keys for o in others)


def test_one_series_has_no_legend_and_at_most_fifteen_bars() -> None:
    labels = tuple(f"Nation {i}" for i in range(20))
    request = ChartRequest(kind="top", title="t", labels=labels,
                           series=(ChartSeries(name="2025-02", values=tuple(range(20, 0, -1))),))  # fmt: skip
    layout = layout_chart(request, measure)
    assert len(layout.bars) == MAX_BARS and layout.legend == () and layout.texts("legend") == []


def test_a_long_title_is_cut_to_fit() -> None:
    title = "withdraw Nemačka, US-50%, Germany+10%, Italy=1000, Türkiye-20%, withdraw partners — KFOR, 2025-02"
    series = (ChartSeries(name="before", values=(1258,)), ChartSeries(name="after", values=(1000,)))
    request = ChartRequest(kind="scenario", title=title, labels=("Italy",), series=series)
    (shown,) = layout_chart(request, measure).texts("title")
    assert shown.text.endswith("…") and shown.text.startswith("withdraw Nemačka")
    assert shown.box(measure)[2] <= WIDTH - PAD


def test_flag_emoji_are_left_out_of_every_text() -> None:
    """A scenario typed with flags ("🇺🇸-50%") would put two empty boxes per flag in the picture."""
    series = (ChartSeries(name="🇪🇺 before", values=(602,)), ChartSeries(name="after", values=(301,)))
    request = ChartRequest(kind="scenario", title="🇺🇸-50% — KFOR", labels=("🇺🇸 United States",), series=series)
    texts = [label.text for label in layout_chart(request, measure).labels]
    assert "-50% — KFOR" in texts and "United States" in texts and "before" in texts
    assert not any("\U0001f1e6" <= ch <= "\U0001f1ff" for text in texts for ch in text)


# -- history -----------------------------------------------------------------------------------------


def test_italys_history_marks_each_coverage_its_own_way(service) -> None:
    """Complete lists on a solid line, partial figures hollow and unjoined, estimates crossed on a dashed line."""
    request = service.history("Italy").chart
    layout = layout_chart(request, measure)
    traces = {t.coverage: t for t in layout.traces}
    assert set(traces) == {"complete", "partial", "estimate"}
    assert (traces["complete"].style.mark, traces["complete"].style.line) == ("disc", "solid")
    assert (traces["partial"].style.mark, traces["partial"].style.line) == ("ring", "none")
    assert (traces["estimate"].style.mark, traces["estimate"].style.line) == ("cross", "dashed")
    for coverage, trace in traces.items():
        xs = [x for x, _ in trace.points]
        assert xs == sorted(xs) and len(xs) == request.markers.count(coverage)
    assert len(traces["complete"].points) == 3
    assert [e.name for e in layout.legend] == ["complete list", "partial figures", "estimate (CIA World Factbook)"]
    assert [e.style for e in layout.legend] == [t.style for t in layout.traces]
    _inside_picture(layout)


def test_points_stand_at_their_date_and_figure(service) -> None:
    """y is the figure from 0 up, on the gridlines' scale (the 1,500 estimate on the 1,500 line); x the date."""
    request = service.history("Italy").chart
    layout = layout_chart(request, measure)
    points = [p for t in layout.traces for p in t.points]
    assert len(points) == len(request.labels)
    gridlines = [rule.start[1] for rule in layout.rules if rule.start[1] == rule.end[1]]
    at = dict(zip((t.text for t in layout.texts("tick") if t.align == "right"), gridlines, strict=True))
    estimates = {t.coverage: t for t in layout.traces}["estimate"].points
    assert min(y for _, y in estimates) == pytest.approx(at["1,500"]) == min(y for _, y in points)
    assert all(at["1,500"] <= y < at["0"] for _, y in points)
    xs = sorted(x for x, _ in points)
    assert xs[0] > min(rule.start[0] for rule in layout.rules) and xs[-1] < WIDTH - PAD
    assert _year("2023-10") == 2023.75 and _year("2025") == 2025.0


def test_history_axes_count_in_round_figures_and_whole_years(service) -> None:
    """y: 0 and about five round steps with thousands separators; x: at most six whole years."""
    layout = layout_chart(service.history("Italy").chart, measure)
    ticks = layout.texts("tick")
    y_ticks = [t.text for t in ticks if t.align == "right"]
    x_ticks = [t.text for t in ticks if t.align == "middle"]
    assert y_ticks == ["0", "500", "1,000", "1,500"]
    assert x_ticks == ["2016", "2018", "2020", "2022", "2024", "2026"]
    assert [u.text for u in layout.texts("unit")] == ["troops"]
    assert nice_step(354) == 500 and nice_step(160) == 200 and nice_step(2.4) == 5 and nice_step(0.2) == 1
    assert year_ticks(2020.8, 2025.2) == [2021, 2022, 2023, 2024, 2025]
    assert year_ticks(1999.0, 2026.0) == [2000, 2005, 2010, 2015, 2020, 2025]


def test_a_figure_near_a_labelled_one_is_not_labelled() -> None:
    """Two figures a month apart and nearly equal: the first is labelled, the second left to the table."""
    request = _history({"2020-01": (500, "complete"), "2020-02": (505, "complete"), "2024-01": (900, "complete"),
                        "2024-02": (505, "complete")})  # fmt: skip
    layout = layout_chart(request, measure)
    assert [v.text for v in layout.texts("value")] == ["500", "900", "505"]
    assert layout.legend == ()  # one coverage: nothing to tell apart


def test_complete_lists_win_the_space_for_labels() -> None:
    """An estimate beside a complete figure: the complete one is labelled, though the estimate comes first."""
    request = _history({"2020-01": (505, "estimate"), "2020-02": (500, "complete"), "2024-01": (900, "partial")})
    layout = layout_chart(request, measure)
    assert [v.text for v in layout.texts("value")] == ["500", "900"]
    assert [e.name for e in layout.legend] == ["complete list", "partial figures", "estimate (CIA World Factbook)"]


def test_the_history_legend_takes_the_emptiest_corner(service) -> None:
    """The United States' figures run along the top: the legend goes below them and covers no point or figure."""
    layout = layout_chart(service.history("US").chart, measure)
    keys = [e.key for e in layout.legend] + [label.box(measure) for label in layout.texts("legend")]
    marks = [(x - 7, y - 7, x + 7, y + 7) for t in layout.traces for x, y in t.points]
    figures = [label.box(measure) for label in layout.texts("value")]
    assert min(k[1] for k in keys) > HEIGHT / 2
    assert not any(_overlap(k, o) for k in keys for o in marks + figures)


def test_dashes_alternate_along_corners() -> None:
    """A dashed line is strokes of 12 px with 8 px gaps, carried on across a corner."""
    strokes = dashes([(0, 0), (30, 0), (30, 30)])
    assert strokes[0] == ((0, 0), (12, 0)) and strokes[1] == ((20, 0), (30, 0))
    assert strokes[2] == ((30, 0), (30, 2))  # the stroke begun before the corner goes on after it
    assert strokes[3] == ((30, 10), (30, 22))
