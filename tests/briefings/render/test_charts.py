"""Charts: real PNGs, drawn only on demand, cached by request."""

from __future__ import annotations

import subprocess
import sys

from bot.briefings.render.charts import ChartCache, render_chart
from tests.conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_chart_kind_is_a_png(service) -> None:
    for briefing in (service.top(15), service.history("Italy"), service.scenario("us-withdrawal")):
        png = render_chart(briefing.chart)
        assert png.startswith(PNG) and len(png) > 5_000


def test_scenario_chart_shows_changes_and_the_largest_others(service) -> None:
    """Withdrawing the partners charts all five of them plus the largest others, 12 bars at most."""
    chart = service.scenario("withdraw partners").chart
    assert {"Switzerland", "Austria", "Armenia", "Moldova", "Ireland"} <= set(chart.labels)
    assert len(chart.labels) == 12 and chart.labels[0] == "Italy"
    after = dict(zip(chart.labels, chart.series[1].values, strict=True))
    assert after["Ireland"] == 0 and after["Italy"] == 1258


def test_cache_is_least_recently_used(service) -> None:
    cache = ChartCache(size=2)
    a, b, c = (service.top(n).chart for n in (3, 4, 5))
    cache.put(a, b"a")
    cache.put(b, b"b")
    assert cache.get(a) == b"a"  # a is now the most recent
    cache.put(c, b"c")
    assert cache.get(b) is None and cache.get(a) == b"a" and len(cache) == 2


def test_matplotlib_is_imported_only_when_a_chart_is_drawn() -> None:
    code = (
        "import sys\n"
        "import bot.briefings.render.charts, bot.app, bot.discord.client\n"
        "print('matplotlib' in sys.modules)\n"
    )  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    assert result.stdout.strip() == "False"


def test_history_chart_marks_partial_and_estimated_points(service) -> None:
    """Italy's history: complete lists on a line, partial figures hollow, estimates dashed — one legend entry each."""
    from matplotlib.figure import Figure

    from bot.briefings.render.charts import _draw_history

    request = service.history("Italy").chart
    axes = Figure().add_subplot()
    _draw_history(axes, request)
    lines = {line.get_label(): line for line in axes.lines}
    assert set(lines) == {"complete list", "partial figures", "estimate (CIA World Factbook)"}
    assert lines["partial figures"].get_markerfacecolor() == "none"
    assert lines["estimate (CIA World Factbook)"].get_linestyle() == "--"
    complete_x = list(lines["complete list"].get_xdata())
    assert complete_x == sorted(complete_x) and len(complete_x) == request.markers.count("complete") == 3
    assert len(axes.get_legend().get_texts()) == 3


def test_charts_are_drawn_for_discords_dark_theme(service) -> None:
    """A dark background (Discord's embed colour), 800 × 560 for a 400 × 280 embed image, light labels."""
    import io

    from PIL import Image

    from bot.briefings.render.charts import BACKGROUND

    for briefing in (service.chart("top"), service.chart("history", "Italy"), service.chart("scenario")):
        image = Image.open(io.BytesIO(render_chart(briefing.chart))).convert("RGB")
        assert image.size == (800, 560)
        assert (
            image.getpixel((2, 2))
            == image.getpixel((797, 557))
            == Image.new("RGB", (1, 1), BACKGROUND).getpixel((0, 0))
        )
        light = image.convert("L").point(lambda v: 255 if v > 200 else 0)  # light text on the dark ground
        assert light.histogram()[255] > 500, briefing.kind


def test_chart_labels_are_readable_at_embed_width() -> None:
    """Discord halves the picture: every text is drawn at 16 pt or more, about 11 px on screen."""
    from bot.briefings.render import charts

    assert (charts.WIDTH * charts.DPI, charts.HEIGHT * charts.DPI) == (800, 560)
    assert min(charts.TITLE_PT, charts.LABEL_PT, charts.VALUE_PT) >= 16
