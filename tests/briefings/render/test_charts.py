"""Charts: real PNGs for Discord's dark theme, painted with Pillow only on demand, cached by request."""

from __future__ import annotations

import io
import subprocess
import sys

from PIL import Image, ImageDraw

from bot.briefings.model import ChartRequest
from bot.briefings.render import charts
from bot.briefings.render.chart_layout import (
    BLUE,
    GREY,
    LABEL_PX,
    MARK_RADIUS,
    ORANGE,
    TITLE_PX,
    VALUE_PX,
    layout_chart,
)
from bot.briefings.render.charts import BACKGROUND, CREDIT_STRIP, HEIGHT, WIDTH, ChartCache, measure, render_chart
from tests.conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def _rgb(colour: str) -> tuple[int, ...]:
    return Image.new("RGB", (1, 1), colour).getpixel((0, 0))


def _picture(request: ChartRequest) -> Image.Image:
    png = render_chart(request)
    assert png.startswith(PNG)
    return Image.open(io.BytesIO(png)).convert("RGB")


def _near(pixel: tuple[int, ...], colour: str, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, _rgb(colour), strict=True))


def test_every_chart_kind_is_a_dark_png_of_800_by_560_and_its_credit(service) -> None:
    """Discord's embed background edge to edge, twice the 400 × 280 embed image, light text on it; below it,
    a strip that carries the source and date, so a chart shared on its own still cites them (#20)."""
    for briefing in (service.chart("top"), service.chart("history", "Italy"), service.chart("scenario"),
                     service.scenario("withdraw partners")):  # fmt: skip
        image = _picture(briefing.chart)
        assert f"Source: {briefing.footer.source} · as of {briefing.footer.as_of}" in briefing.chart.credit
        assert image.size == (WIDTH, HEIGHT + CREDIT_STRIP) == (800, 594)
        strip = image.crop((0, HEIGHT, WIDTH, HEIGHT + CREDIT_STRIP))
        assert any(not _near(strip.getpixel((x, CREDIT_STRIP // 2)), BACKGROUND) for x in range(16, 400)), "no credit"
        corners = {image.getpixel(xy) for xy in ((2, 2), (797, 2), (2, 557), (797, 557))}
        assert corners == {_rgb(BACKGROUND)}, briefing.chart.kind
        light = image.convert("L").point(lambda v: 255 if v > 200 else 0)
        assert light.histogram()[255] > 500, briefing.chart.kind


def test_the_top_chart_paints_its_bars_blue(service) -> None:
    """Inside the first bar the picture is blue; right of the last figure, background."""
    request = service.chart("top").chart
    layout = layout_chart(request, measure)
    image = _picture(request)
    left, top, right, bottom = layout.bars[0].box
    assert _near(image.getpixel(((left + right) / 2, (top + bottom) / 2)), BLUE, tolerance=2)
    assert image.getpixel((WIDTH - 4, (top + bottom) / 2)) == _rgb(BACKGROUND)


def test_a_scenario_chart_paints_before_grey_and_after_orange(service) -> None:
    """Thousands of orange (after) and grey (before) pixels: both series and their legend are painted."""
    colours = _picture(service.scenario("withdraw partners").chart).getcolors(WIDTH * HEIGHT)
    orange = sum(n for n, c in colours if _near(c, ORANGE, tolerance=2))
    grey = sum(n for n, c in colours if _near(c, GREY, tolerance=2))
    assert orange > 10_000 and grey > 10_000


def test_a_history_chart_paints_partial_points_hollow(service) -> None:
    """A complete point is a blue disc; a partial one an orange ring with the background inside."""
    request = service.history("United States").chart
    traces = {t.coverage: t for t in layout_chart(request, measure).traces}
    image = _picture(request)
    (x, y) = traces["complete"].points[-1]
    assert _near(image.getpixel((x, y)), BLUE)
    (x, y) = traces["partial"].points[0]
    assert image.getpixel((x, y)) == _rgb(BACKGROUND)
    assert _near(image.getpixel((x + MARK_RADIUS - 1, y)), ORANGE, tolerance=40)


def test_texts_are_readable_at_embed_width(service) -> None:
    """Discord halves the picture: no text is smaller than 22 px here, 11 px on screen."""
    assert (TITLE_PX, LABEL_PX, VALUE_PX) == (30, 24, 22)
    for briefing in (service.chart("top"), service.chart("history", "Italy"), service.scenario("withdraw partners")):
        assert min(label.size for label in layout_chart(briefing.chart, measure).labels) >= 22


def test_the_font_draws_every_character_charts_use() -> None:
    """Türkiye's "ü", the titles' dash and arrow, a Serbian "č" and the cut's "…": none drawn as a missing glyph."""
    font = charts._font(48)

    def drawn(text: str) -> bytes:
        image = Image.new("L", (200, 80))
        ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
        return image.tobytes()

    missing = drawn("\ue000")  # a private-use character: no font has it
    assert all(drawn(c) != missing for c in "üÜ—→…čćšžëç·")
    assert drawn("u") != drawn("ü")


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


def test_pillow_is_imported_only_when_a_chart_is_drawn() -> None:
    """Starting the bot or the CLI loads no drawing library; the first chart does."""
    code = (
        "import sys\n"
        "import bot.briefings.render.charts, bot.app, bot.discord.client\n"
        "print('PIL' in sys.modules, 'matplotlib' in sys.modules)\n"
    )  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    assert result.stdout.split() == ["False", "False"]
