"""Where everything in a chart goes, worked out from its :class:`ChartRequest` alone, with no drawing library.

:mod:`bot.briefings.render.charts` paints what this module lays out. Kept apart, the tests can check a
chart's layout (bars, points, labels, legend) without reading pixels, and the painter stays a few
short loops. Coordinates are pixels of the picture, y downwards. How wide a text is comes from the
``measure`` function handed in (the painter's font), so names are fitted and clipped here without
this module loading a font.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from math import ceil, floor, hypot, log10
from typing import Literal

from bot.briefings.model import ChartRequest
from bot.core.nations import strip_flags

#: How wide a text is, in pixels, at a font size in pixels.
Measure = Callable[[str, int], float]
Point = tuple[float, float]
#: left, top, right, bottom
Box = tuple[float, float, float, float]

#: Drawn for Discord's dark theme (its embed background, its text colours); readable on the light one
#: too, as a dark card. Colours: complete figures and "before" in blue, changes in orange, estimates grey.
BACKGROUND, TEXT, MUTED, GRID = "#2b2d31", "#f2f3f5", "#b5bac1", "#3f4147"
BLUE, GREY, ORANGE = "#5b9bd5", "#8e949c", "#f0883e"
#: Discord shows an embed's image at most about 400 × 280 px (less on a phone). Charts are drawn at
#: twice that, and every text is sized for the halved picture: the smallest, 22 px, is 11 px on
#: screen, the size of Discord's own small print.
WIDTH, HEIGHT = 800, 560
TITLE_PX, LABEL_PX, VALUE_PX = 30, 24, 22
MAX_BARS = 15
#: Margin around the picture, the usual gap between neighbours, a point's radius.
PAD, GAP, MARK_RADIUS = 16, 8, 7
#: Of a text's size: how far capitals reach above the baseline and descenders below it (DejaVu Sans).
CAP, DESCENT = 0.76, 0.24
#: Nation names take at most this share of the width; longer ones are cut with "…".
NAME_SHARE = 0.36
#: Room above the highest point for its label, as a share of the highest figure.
HEADROOM = 0.18
#: A legend's sample of a series, and the height of one of its lines.
KEY_WIDTH, KEY_HEIGHT, LEGEND_LINE = 40, 18, 30


@dataclass(frozen=True)
class Style:
    """How a series is drawn: its colour, the mark of each point (or a bar) and the line joining them."""

    colour: str
    mark: Literal["bar", "disc", "ring", "cross"]
    line: Literal["solid", "dashed", "none"] = "none"
    line_width: int = 0


#: How each coverage is drawn in a history: complete lists joined by a line, partial figures as hollow
#: circles, estimates as grey crosses on a dashed line of their own. Complete comes first, so its
#: figures win the space for labels.
HISTORY_STYLES: dict[str, tuple[str, Style]] = {
    "complete": ("complete list", Style(BLUE, "disc", "solid", 4)),
    "partial": ("partial figures", Style(ORANGE, "ring")),
    "estimate": ("estimate (CIA World Factbook)", Style(GREY, "cross", "dashed", 2)),
}


@dataclass(frozen=True)
class Label:
    """A text, standing on its baseline at ``at``; ``align`` says which of its ends (or its middle) is there."""

    text: str
    at: Point
    size: int
    colour: str
    role: Literal["title", "unit", "name", "value", "tick", "legend"]
    align: Literal["left", "middle", "right"] = "left"

    def box(self, measure: Measure) -> Box:
        """The space the text takes (capitals to descenders), for collision tests."""
        width = measure(self.text, self.size)
        left = self.at[0] - {"left": 0.0, "middle": width / 2, "right": width}[self.align]
        return left, self.at[1] - CAP * self.size, left + width, self.at[1] + DESCENT * self.size


@dataclass(frozen=True)
class Bar:
    """One bar of one nation and one series (``series`` is its index in the request)."""

    box: Box
    colour: str
    series: int
    nation: str


@dataclass(frozen=True)
class Trace:
    """The points of a history of one coverage, in date order."""

    coverage: str
    style: Style
    points: tuple[Point, ...]


@dataclass(frozen=True)
class LegendEntry:
    """A series' sample (``key``: where its bar or its line and mark go) beside its name (a ``legend`` label)."""

    name: str
    style: Style
    key: Box


@dataclass(frozen=True)
class Rule:
    """A straight line of the frame: a gridline or an axis."""

    start: Point
    end: Point
    colour: str = GRID
    width: int = 2


@dataclass(frozen=True)
class ChartLayout:
    """Everything a chart shows, in painting order: rules, bars, traces, legend samples, then the texts."""

    labels: tuple[Label, ...]
    rules: tuple[Rule, ...] = ()
    bars: tuple[Bar, ...] = ()
    traces: tuple[Trace, ...] = ()
    legend: tuple[LegendEntry, ...] = ()

    def texts(self, role: str) -> list[Label]:
        return [label for label in self.labels if label.role == role]


def layout_chart(request: ChartRequest, measure: Measure) -> ChartLayout:
    """Where everything of ``request`` goes on a WIDTH × HEIGHT picture.

    Flag emoji are left out of every text: the typeface has none, and would draw two empty boxes.
    """
    request = replace(request, title=strip_flags(request.title), labels=tuple(map(strip_flags, request.labels)),
                      series=tuple(replace(s, name=strip_flags(s.name)) for s in request.series))  # fmt: skip
    return _history_chart(request, measure) if request.kind == "history" else _bar_chart(request, measure)


# -- texts -------------------------------------------------------------------------------------------


def clip(text: str, size: int, width: float, measure: Measure) -> str:
    """``text`` as is when it fits ``width``, else cut short with "…"."""
    if measure(text, size) <= width:
        return text
    while text and measure(text.rstrip() + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _baseline(middle: float, size: int) -> float:
    """The baseline that centres capitals and figures of ``size`` on ``middle``."""
    return middle + CAP * size / 2


def _title(request: ChartRequest, measure: Measure) -> Label:
    text = clip(request.title, TITLE_PX, WIDTH - 2 * PAD, measure)
    return Label(text, (PAD, PAD + CAP * TITLE_PX), TITLE_PX, TEXT, "title")


#: Below the title's descenders.
_BELOW_TITLE = PAD + (CAP + DESCENT) * TITLE_PX + GAP


# -- bars --------------------------------------------------------------------------------------------


def _bar_chart(request: ChartRequest, measure: Measure) -> ChartLayout:
    """One row per nation: its name on the left, its bars (two series: before above after), then its figure.

    The figure is the last series' (the outcome), at the end of its bar; the longest bar of all
    ends where a figure still fits after it. With two series, a legend names them.
    """
    names = request.labels[:MAX_BARS]
    series = [tuple(max(v, 0) for v in s.values[:MAX_BARS]) for s in request.series[:2]]
    colours = (BLUE,) if len(series) == 1 else (GREY, ORANGE)
    figures = [f"{v:,.0f}" for v in series[-1]]
    widths = [measure(f, VALUE_PX) for f in figures]
    name_width = min(max((measure(n, LABEL_PX) for n in names), default=0), NAME_SHARE * WIDTH)
    left = PAD + name_width + 1.5 * GAP
    ends = [max(row) for row in zip(*series, strict=True)]
    top, bottom = _BELOW_TITLE, HEIGHT - GAP
    row = (bottom - top) / max(len(names), 1)
    # The longest bar ends where its figure still fits.
    scale = min(((WIDTH - PAD - GAP - w - left) / e for e, w in zip(ends, widths, strict=True) if e), default=0)
    legend: list[LegendEntry] = []
    labels = [_title(request, measure)]
    if len(series) > 1:
        scale, legend, legend_labels = _bar_legend(request, measure, scale, left, (top, row), ends, widths)
        labels += legend_labels
    thickness = row * (0.7 if len(series) == 1 else 0.42)
    bars = []
    for i, name in enumerate(names):
        middle = top + row * (i + 0.5)
        labels.append(Label(clip(name, LABEL_PX, name_width, measure), (left - 1.5 * GAP, _baseline(middle, LABEL_PX)),
                            LABEL_PX, MUTED, "name", "right"))  # fmt: skip
        first = middle - thickness * len(series) / 2
        for k, values in enumerate(series):
            y = first + k * thickness
            bars.append(Bar((left, y, left + values[i] * scale, y + thickness), colours[k], k, name))
        last = first + thickness * (len(series) - 0.5)  # the middle of the figure's bar
        # At the end of its own bar, unless its digits, taller than a thin bar, would run into a longer one above.
        end = ends[i] if thickness < CAP * VALUE_PX else series[-1][i]
        labels.append(Label(figures[i], (left + end * scale + GAP, _baseline(last, VALUE_PX)), VALUE_PX, TEXT,
                            "value"))  # fmt: skip
    return ChartLayout(labels=tuple(labels), bars=tuple(bars), legend=tuple(legend))


def _bar_legend(
    request: ChartRequest, measure: Measure, scale: float, left: float, rows: tuple[float, float],
    ends: Sequence[float], widths: Sequence[float],
) -> tuple[float, list[LegendEntry], list[Label]]:  # fmt: skip
    """The two series' legend in the lower right (else the upper right), and the bar scale that leaves it room.

    Bars are sorted largest first, so the lower right is usually free; when the rows beside it are
    long (a comparison is sorted by change, not size), the upper right is tried, and failing both,
    the lower right's rows are shortened to clear it.
    """
    top, row = rows
    names = [clip(s.name, VALUE_PX, 0.3 * WIDTH, measure) for s in request.series[:2]]
    width = KEY_WIDTH + GAP + max(measure(n, VALUE_PX) for n in names)
    height = LEGEND_LINE * len(names)
    legend_left = WIDTH - PAD - width

    def fitting(legend_top: float) -> float:
        """The scale at which no bar or figure beside a legend at ``legend_top`` reaches it."""
        fits = [
            (legend_left - 2 * GAP - w - left) / e
            for i, (e, w) in enumerate(zip(ends, widths, strict=True))
            if e and top + row * i < legend_top + height and top + row * (i + 1) > legend_top
        ]
        return max(min(fits, default=scale), 0)

    lower, upper = HEIGHT - PAD - height, top
    legend_top = next((t for t in (lower, upper) if fitting(t) >= scale), lower)
    entries, labels = _legend(names, [Style(GREY, "bar"), Style(ORANGE, "bar")], (legend_left, legend_top))
    return min(scale, fitting(legend_top)), entries, labels


# -- history -----------------------------------------------------------------------------------------


def _year(label: str) -> float:
    """``2023-10`` → 2023.75: dates on a time axis, so two sources of one month share an x."""
    year, _, month = label.partition("-")
    return int(year) + (int(month[:2]) - 1) / 12 if month[:2].isdigit() else float(year)


def nice_step(least: float) -> int:
    """The smallest whole 1, 2, 2.5 or 5 × 10ⁿ that is at least ``least``: steps a reader counts in easily."""
    power = 10.0 ** floor(log10(least)) if least > 0 else 1.0
    return next(int(step) for m in (1, 2, 2.5, 5, 10) if (step := m * power) >= least and step == int(step))


def year_ticks(low: float, high: float, most: int = 6) -> list[int]:
    """Whole years between ``low`` and ``high``, every 1, 2, 5, 10… years, at most ``most`` of them."""
    for step in (1, 2, 5, 10, 20, 50, 100):
        ticks = list(range(ceil(low / step) * step, floor(high) + 1, step))
        if len(ticks) <= most:
            return ticks
    return []


def _history_chart(request: ChartRequest, measure: Measure) -> ChartLayout:
    """Every figure on a time axis, styled by coverage (``HISTORY_STYLES``), each labelled where there is room.

    y starts at 0 (a contingent's size is read against nothing), with about five gridlines; x has
    whole years. A figure is not labelled when an already labelled one is near on the picture's
    scale (7 % of the time span, 12 % of the highest figure): the answer's table lists them all.
    """
    values = request.series[0].values if request.series else ()
    markers = request.markers or ("complete",) * len(values)
    years = [_year(x) for x in request.labels]
    highest = max(values, default=0) or 1
    step = nice_step(highest * (1 + HEADROOM) / 5)
    y_ticks = [step * i for i in range(int(highest * (1 + HEADROOM) // step) + 1)]
    first, last = (min(years), max(years)) if years else (0.0, 1.0)
    span = last - first
    low, high = (first - 0.05 * span, last + 0.05 * span) if span else (first - 0.5, first + 0.5)

    unit = Label(request.unit, (PAD, _BELOW_TITLE + CAP * VALUE_PX), VALUE_PX, MUTED, "unit")
    left = PAD + max(measure(f"{t:,.0f}", LABEL_PX) for t in y_ticks) + 1.5 * GAP
    right, top, bottom = WIDTH - PAD, unit.at[1] + DESCENT * VALUE_PX + 2 * GAP, HEIGHT - PAD - LABEL_PX - GAP
    y_per_figure = (bottom - top) / (highest * (1 + HEADROOM))

    def at(x: float, y: float) -> Point:
        return left + (x - low) / (high - low) * (right - left), bottom - y * y_per_figure

    labels = [_title(request, measure), unit]
    rules = [Rule((left, top), (left, bottom))]
    for tick in y_ticks:
        y = at(low, tick)[1]
        rules.append(Rule((left, y), (right, y)))
        labels.append(Label(f"{tick:,.0f}", (left - 1.5 * GAP, _baseline(y, LABEL_PX)), LABEL_PX, MUTED, "tick",
                            "right"))  # fmt: skip
    for year in year_ticks(low, high):
        labels.append(Label(str(year), (at(year, 0)[0], bottom + GAP + CAP * LABEL_PX), LABEL_PX, MUTED, "tick",
                            "middle"))  # fmt: skip

    traces: list[Trace] = []
    values_shown: list[Label] = []
    labelled: list[Point] = []  # in figures (year, troops), for the collision rule
    for coverage, (_, style) in HISTORY_STYLES.items():
        points = sorted((x, y) for x, y, m in zip(years, values, markers, strict=True) if m == coverage)
        if not points:
            continue
        traces.append(Trace(coverage, style, tuple(at(x, y) for x, y in points)))
        for x, y in points:
            if any(abs(x - lx) < 0.07 * (span or 1) and abs(y - ly) < 0.12 * highest for lx, ly in labelled):
                continue  # a figure already labelled there; the answer's table lists this one
            labelled.append((x, y))
            values_shown.append(_point_label(f"{y:,.0f}", at(x, y), measure))
    labels += values_shown
    legend: list[LegendEntry] = []
    if len(traces) > 1:
        legend, legend_labels = _history_legend(traces, values_shown, (left, top, right, bottom), measure)
        labels += legend_labels
    return ChartLayout(labels=tuple(labels), rules=tuple(rules), traces=tuple(traces), legend=tuple(legend))


def _point_label(text: str, point: Point, measure: Measure) -> Label:
    """A figure centred above its point, moved sideways only as far as needed to stay on the picture."""
    half = measure(text, VALUE_PX) / 2
    x = min(max(point[0], PAD / 2 + half), WIDTH - PAD / 2 - half)
    return Label(text, (x, point[1] - MARK_RADIUS - GAP), VALUE_PX, TEXT, "value", "middle")


def _history_legend(
    traces: Sequence[Trace], values: Sequence[Label], plot: Box, measure: Measure
) -> tuple[list[LegendEntry], list[Label]]:
    """The legend in the plot's corner that covers the fewest points, lines and figures (upper left on a tie)."""
    names = [HISTORY_STYLES[t.coverage][0] for t in traces]
    width = KEY_WIDTH + GAP + max(measure(n, VALUE_PX) for n in names)
    height = LEGEND_LINE * len(names)
    left, top, right, bottom = (plot[0] + 2 * GAP, plot[1], plot[2] - GAP, plot[3] - GAP)
    obstacles = [label.box(measure) for label in values]
    for trace in traces:
        obstacles += [_around(p, MARK_RADIUS) for p in trace.points]
        if trace.style.line != "none":
            obstacles += [_around(p, trace.style.line_width) for p in _along(trace.points, every=GAP)]
    corners = [(left, top), (right - width, top), (right - width, bottom - height), (left, bottom - height)]
    corner = min(corners, key=lambda c: sum(_overlap((*c, c[0] + width, c[1] + height), o) for o in obstacles))
    return _legend(names, [t.style for t in traces], corner)


def _legend(names: Sequence[str], styles: Sequence[Style], corner: Point) -> tuple[list[LegendEntry], list[Label]]:
    """One line per series from ``corner`` (its top left) down: the series' sample, then its name."""
    entries, labels = [], []
    x, y = corner
    for i, (name, style) in enumerate(zip(names, styles, strict=True)):
        middle = y + LEGEND_LINE * (i + 0.5)
        entries.append(LegendEntry(name, style, (x, middle - KEY_HEIGHT / 2, x + KEY_WIDTH, middle + KEY_HEIGHT / 2)))
        labels.append(Label(name, (x + KEY_WIDTH + GAP, _baseline(middle, VALUE_PX)), VALUE_PX, TEXT, "legend"))
    return entries, labels


# -- geometry ----------------------------------------------------------------------------------------


def _around(point: Point, radius: float) -> Box:
    return point[0] - radius, point[1] - radius, point[0] + radius, point[1] + radius


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _along(points: Sequence[Point], every: float) -> Iterator[Point]:
    """Points every ``every`` pixels along the polyline through ``points``."""
    for (x0, y0), (x1, y1) in pairwise(points):
        steps = max(1, int(hypot(x1 - x0, y1 - y0) // every))
        for s in range(steps):
            yield x0 + (x1 - x0) * s / steps, y0 + (y1 - y0) * s / steps


def dashes(points: Iterable[Point], on: float = 12, off: float = 8) -> list[tuple[Point, Point]]:
    """The strokes of a dashed line through ``points``: ``on`` pixels drawn, ``off`` skipped, across corners."""
    strokes: list[tuple[Point, Point]] = []
    points = list(points)
    phase = 0.0  # how far into the current on+off period the line has come
    for (x0, y0), (x1, y1) in pairwise(points):
        length = hypot(x1 - x0, y1 - y0)
        done = 0.0
        while done < length:
            drawing = phase < on
            run = min((on - phase) if drawing else (on + off - phase), length - done)
            if drawing and run > 0:
                a, b = done / length, (done + run) / length
                strokes.append(((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)))
            done += run
            phase = (phase + run) % (on + off)
    return strokes
