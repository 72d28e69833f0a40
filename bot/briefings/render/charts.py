"""PNG charts of a briefing's :class:`ChartRequest`, painted with Pillow from :mod:`.chart_layout`'s layout.

Pillow imports in about 10 ms and 3 MB (matplotlib took 0.4 s and 49 MB), so the first chart of a
fresh bot costs little more than later ones; it is still imported on the first chart only, never at
start-up. Text is DejaVu Sans, shipped in ``fonts/``: Pillow's built-in font has no "ü" (Türkiye),
no dash and no arrow, and this is the typeface the charts were reviewed in. Each call paints its
own image, so charts are safe in the worker threads that draw them. :class:`ChartCache` keeps
recent charts by request: a request holds the figures it draws, so equal requests are equal charts.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.briefings.model import ChartRequest
from bot.briefings.render.chart_layout import (
    BACKGROUND,
    GRID,
    HEIGHT,
    MARK_RADIUS,
    MAX_BARS,
    MUTED,
    PAD,
    TEXT,
    WIDTH,
    Point,
    Style,
    clip,
    dashes,
    layout_chart,
)
from bot.core.nations import strip_flags

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

__all__ = ["BACKGROUND", "GRID", "HEIGHT", "MAX_BARS", "MUTED", "TEXT", "WIDTH", "ChartCache", "render_chart"]

FONT = Path(__file__).with_name("fonts") / "DejaVuSans.ttf"
#: Painted at this multiple of the picture's size, then shrunk: Pillow draws shapes without
#: anti-aliasing, and shrinking smooths the edges of circles, slanted lines and bars.
SUPERSAMPLE = 2
#: The strip under the chart that carries its credit (source and date), and the credit's type size.
CREDIT_STRIP, CREDIT_PX = 34, 17
_ANCHORS = {"left": "ls", "middle": "ms", "right": "rs"}  # on the baseline, as the layout places texts


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT), size)  # a str: Pillow 10.1 takes no Path


def measure(text: str, size: int) -> float:
    """How wide ``text`` is at ``size`` px in the picture, as painted (at the supersampled size)."""
    return _font(size * SUPERSAMPLE).getlength(text) / SUPERSAMPLE


def render_chart(request: ChartRequest) -> bytes:
    """The chart as PNG bytes (uncached; see :class:`ChartCache`)."""
    from PIL import Image, ImageDraw

    layout = layout_chart(request, measure)
    strip = CREDIT_STRIP if request.credit else 0
    image = Image.new("RGB", (WIDTH * SUPERSAMPLE, (HEIGHT + strip) * SUPERSAMPLE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for rule in layout.rules:
        draw.line(_scaled((rule.start, rule.end)), fill=rule.colour, width=rule.width * SUPERSAMPLE)
    for bar in layout.bars:
        if bar.box[2] > bar.box[0]:
            draw.rectangle(_scaled(((bar.box[0], bar.box[1]), (bar.box[2], bar.box[3]))), fill=bar.colour)
    for trace in layout.traces:
        _line(draw, trace.points, trace.style)
        for point in trace.points:
            _mark(draw, point, trace.style)
    for entry in layout.legend:
        left, top, right, bottom = entry.key
        if entry.style.mark == "bar":
            draw.rectangle(_scaled(((left, top), (right, bottom))), fill=entry.style.colour)
        else:
            middle = (top + bottom) / 2
            _line(draw, ((left, middle), (right, middle)), entry.style)
            _mark(draw, ((left + right) / 2, middle), entry.style)
    for label in layout.labels:  # each with a thin halo of the background: a line under a figure stops short of it
        draw.text(_scaled((label.at,))[0], label.text, fill=label.colour, font=_font(label.size * SUPERSAMPLE),
                  anchor=_ANCHORS[label.align], stroke_width=2 * SUPERSAMPLE, stroke_fill=BACKGROUND)  # fmt: skip
    if request.credit:  # the source and date along the bottom edge, in the muted colour of the ticks
        credit = clip(strip_flags(request.credit), CREDIT_PX, WIDTH - 2 * PAD, measure)
        draw.text(_scaled(((PAD, HEIGHT + strip / 2),))[0], credit, fill=MUTED, font=_font(CREDIT_PX * SUPERSAMPLE),
                  anchor="lm")  # fmt: skip
    buffer = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(buffer, format="PNG")  # each pixel the mean of the ones it covers
    return buffer.getvalue()


def _scaled(points: Sequence[Point]) -> list[Point]:
    return [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]


def _line(draw: ImageDraw.ImageDraw, points: Sequence[Point], style: Style) -> None:
    """The line joining a series' points: solid, dashed or none."""
    width = style.line_width * SUPERSAMPLE
    if style.line == "solid" and len(points) > 1:
        draw.line(_scaled(points), fill=style.colour, width=width, joint="curve")
    elif style.line == "dashed":
        for stroke in dashes(points):
            draw.line(_scaled(stroke), fill=style.colour, width=width)


def _mark(draw: ImageDraw.ImageDraw, point: Point, style: Style) -> None:
    """A point's mark: a filled disc, a hollow ring (a partial figure) or a cross (an estimate)."""
    (x, y), r = _scaled((point,))[0], MARK_RADIUS * SUPERSAMPLE
    if style.mark == "disc":
        draw.ellipse((x - r, y - r, x + r, y + r), fill=style.colour)
    elif style.mark == "ring":
        draw.ellipse((x - r, y - r, x + r, y + r), outline=style.colour, width=3 * SUPERSAMPLE)
    elif style.mark == "cross":
        for dx in (-r, r):
            draw.line((x - dx, y - r, x + dx, y + r), fill=style.colour, width=3 * SUPERSAMPLE)


class ChartCache:
    """The most recently drawn charts, keyed by request (least recently used dropped first)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._charts: OrderedDict[ChartRequest, bytes] = OrderedDict()

    def get(self, request: ChartRequest) -> bytes | None:
        png = self._charts.get(request)
        if png is not None:
            self._charts.move_to_end(request)
        return png

    def put(self, request: ChartRequest, png: bytes) -> None:
        self._charts[request] = png
        self._charts.move_to_end(request)
        while len(self._charts) > self._size:
            self._charts.popitem(last=False)

    def __len__(self) -> int:
        return len(self._charts)


def default_chart_dir(state_dir: Path | None = None) -> Path:
    """Where the console and ``ask`` write charts: the bot's state folder, else the system's temporary folder."""
    return state_dir / "charts" if state_dir else Path(tempfile.gettempdir()) / "kfor-bot-charts"


def write_chart(request: ChartRequest, directory: Path) -> Path:
    """Draw the chart into ``directory`` as a PNG named after its title; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", request.title.casefold()).strip("-")[:80] or "chart"
    path = directory / f"{name}.png"
    path.write_bytes(render_chart(request))
    return path.resolve()
