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

_BLUE, _GREY, _ORANGE = "#2b6cb0", "#a0aec0", "#c05621"
MAX_BARS = 30
#: How each coverage is drawn in a history: complete lists joined by a line, partial figures as
#: hollow circles, estimates as grey crosses on a dashed line of their own.
_HISTORY_STYLES: dict[str, dict[str, Any]] = {
    "complete": {"label": "complete list", "marker": "o", "color": _BLUE, "linestyle": "-"},
    "partial": {"label": "partial figures", "marker": "o", "color": _ORANGE, "linestyle": "none",
                "markerfacecolor": "none"},
    "estimate": {"label": "estimate (CIA World Factbook)", "marker": "x", "color": _GREY, "linestyle": "--"},
}  # fmt: skip


def _year(label: str) -> float:
    """``2023-10`` → 2023.75: dates on a time axis, so two sources of one month share an x."""
    year, _, month = label.partition("-")
    return int(year) + (int(month[:2]) - 1) / 12 if month[:2].isdigit() else float(year)


def _draw_history(axes: Axes, request: ChartRequest) -> None:
    """Every figure on a time axis, styled by coverage (see ``_HISTORY_STYLES``), each one labelled."""
    from matplotlib.ticker import MaxNLocator  # deferred: see the module docstring

    values = request.series[0].values
    markers = request.markers or ("complete",) * len(values)
    labelled: list[tuple[float, float]] = []
    top = max(values, default=0) or 1
    for coverage, style in _HISTORY_STYLES.items():  # complete first, so its figures win the label space
        points = [(_year(x), y) for x, y, m in zip(request.labels, values, markers, strict=True) if m == coverage]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, markersize=7, **style)
        for x, y in points:
            if any(abs(x - lx) < 0.45 and abs(y - ly) < 0.08 * top for lx, ly in labelled):
                continue  # a figure already labelled there: the table beside the chart has this one
            labelled.append((x, y))
            axes.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    axes.set_ylabel(request.unit)
    axes.set_ylim(bottom=0)
    axes.margins(x=0.04, y=0.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(set(markers)) > 1:
        axes.legend(loc="best", fontsize=8, frameon=False)


def render_chart(request: ChartRequest) -> bytes:
    """The chart as PNG bytes (uncached; see :class:`ChartCache`)."""
    from matplotlib.figure import Figure  # deferred: see the module docstring

    labels = list(request.labels[:MAX_BARS])
    count = len(labels)
    figure = Figure(figsize=(9, max(3.0, 0.34 * count + 1.3)), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(count))
    if request.kind == "history":
        figure.set_size_inches(9, 4.2)
        _draw_history(axes, request)
    elif len(request.series) == 2:
        before, after = (list(s.values[:MAX_BARS]) for s in request.series)
        height = 0.4
        axes.barh([p - height / 2 for p in positions], before, height, label=request.series[0].name, color=_GREY)
        axes.barh([p + height / 2 for p in positions], after, height, label=request.series[1].name, color=_ORANGE)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.legend(loc="lower right")
        axes.set_xlabel(request.unit)
    else:
        values = list(request.series[0].values[:MAX_BARS])
        bars = axes.barh(positions, values, color=_BLUE)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=8)
        axes.set_xlabel(request.unit)
        axes.margins(x=0.12)
    axes.set_title(request.title, loc="left", fontsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
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
