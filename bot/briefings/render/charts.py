"""PNG bar charts of a briefing's :class:`ChartRequest`, drawn with matplotlib's Agg backend.

matplotlib costs about 0.4 s and 49 MB to import, so it is imported on the first chart only, never
at start-up. Drawing uses the object-oriented API (no pyplot global state), so it is safe in the
worker thread the Discord cog runs it in. :class:`ChartCache` keeps recent charts by request: a
request holds the figures it draws, so equal requests are equal charts.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from bot.briefings.model import ChartRequest

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Drawn for Discord's dark theme (its embed background, its text colours); readable on the light one
#: too, as a dark card. Colours: complete figures and "before" in blue, changes in orange, estimates grey.
BACKGROUND, TEXT, MUTED, GRID = "#2b2d31", "#f2f3f5", "#b5bac1", "#3f4147"
_BLUE, _GREY, _ORANGE = "#5b9bd5", "#8e949c", "#f0883e"
#: Discord shows an embed's image at most about 400 × 280 px (less on a phone). Charts are drawn at
#: twice that, 800 × 560 px, and every text is sized for the halved picture: 16 pt here is about
#: 11 px on screen, the size of Discord's own small print.
WIDTH, HEIGHT, DPI = 8.0, 5.6, 100
TITLE_PT, LABEL_PT, VALUE_PT = 22, 18, 16
MAX_BARS = 15
#: How each coverage is drawn in a history: complete lists joined by a line, partial figures as
#: hollow circles, estimates as grey crosses on a dashed line of their own.
_HISTORY_STYLES: dict[str, dict[str, Any]] = {
    "complete": {"label": "complete list", "marker": "o", "color": _BLUE, "linestyle": "-", "linewidth": 2.5},
    "partial": {"label": "partial figures", "marker": "o", "color": _ORANGE, "linestyle": "none",
                "markerfacecolor": "none", "markeredgewidth": 2},
    "estimate": {"label": "estimate (CIA World Factbook)", "marker": "x", "color": _GREY, "linestyle": "--",
                 "markeredgewidth": 2},
}  # fmt: skip


def _year(label: str) -> float:
    """``2023-10`` → 2023.75: dates on a time axis, so two sources of one month share an x."""
    year, _, month = label.partition("-")
    return int(year) + (int(month[:2]) - 1) / 12 if month[:2].isdigit() else float(year)


def _draw_history(axes: Axes, request: ChartRequest) -> None:
    """Every figure on a time axis, styled by coverage (see ``_HISTORY_STYLES``), each one labelled."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter  # deferred: see the module docstring

    values = request.series[0].values
    markers = request.markers or ("complete",) * len(values)
    labelled: list[tuple[float, float]] = []
    top = max(values, default=0) or 1
    years = [_year(x) for x in request.labels]
    span = (max(years) - min(years)) if years else 1.0
    for coverage, style in _HISTORY_STYLES.items():  # complete first, so its figures win the label space
        points = [(_year(x), y) for x, y, m in zip(request.labels, values, markers, strict=True) if m == coverage]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, markersize=9, **style)
        for x, y in points:
            # Room for a label is judged on the picture's scale: about 7 % of the width, 12 % of the height.
            if any(abs(x - lx) < 0.07 * (span or 1) and abs(y - ly) < 0.12 * top for lx, ly in labelled):
                continue  # a figure already labelled there; the answer's table lists this one
            labelled.append((x, y))
            axes.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 9), ha="center",
                          fontsize=VALUE_PT, color=TEXT)  # fmt: skip
    axes.set_ylabel(request.unit, fontsize=LABEL_PT, color=MUTED)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.margins(x=0.05, y=0.18)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    if len(set(markers)) > 1:
        legend = axes.legend(loc="best", fontsize=VALUE_PT, frameon=False)
        for text in legend.get_texts():
            text.set_color(TEXT)


def _theme(axes: Axes) -> None:
    """Dark background, light text, no box: the look of Discord's dark theme."""
    axes.set_facecolor(BACKGROUND)
    axes.tick_params(colors=MUTED, labelsize=LABEL_PT, length=0, pad=6)
    for side, spine in axes.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(GRID)
    axes.title.set_color(TEXT)


def render_chart(request: ChartRequest) -> bytes:
    """The chart as PNG bytes (uncached; see :class:`ChartCache`)."""
    from matplotlib.figure import Figure  # deferred: see the module docstring

    labels = list(request.labels[:MAX_BARS])
    count = len(labels)
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained", facecolor=BACKGROUND)
    axes = figure.add_subplot()
    _theme(axes)
    positions = list(range(count))
    if request.kind == "history":
        _draw_history(axes, request)
        axes.yaxis.grid(True, color=GRID, linewidth=1)
        axes.set_axisbelow(True)
    else:
        if len(request.series) == 2:
            before, after = (list(s.values[:MAX_BARS]) for s in request.series)
            height = 0.42
            axes.barh([p - height / 2 for p in positions], before, height, label=request.series[0].name, color=_GREY)
            bars = axes.barh([p + height / 2 for p in positions], after, height, label=request.series[1].name,
                             color=_ORANGE)  # fmt: skip
            values = after
            legend = axes.legend(loc="lower right", fontsize=VALUE_PT, frameon=False)
            for text in legend.get_texts():
                text.set_color(TEXT)
        else:
            values = list(request.series[0].values[:MAX_BARS])
            bars = axes.barh(positions, values, color=_BLUE, height=0.7)
        axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=4, fontsize=VALUE_PT, color=TEXT)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.margins(x=0.14, y=0.01)
        axes.xaxis.set_visible(False)  # every bar carries its figure: an axis would only repeat them
        axes.spines["bottom"].set_visible(False)
    axes.set_title(request.title, loc="left", fontsize=TITLE_PT, color=TEXT, pad=12)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=BACKGROUND)
    return buffer.getvalue()


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
