"""Server-rendered charts (matplotlib, Agg backend): SVG for the dashboard, PNG for the PDF.

No CDN and no JavaScript: the dashboard embeds the SVG inline, the PDF embeds the PNG.
The font is matplotlib's bundled DejaVu Sans, so the output is the same on every machine.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#1f6f8b", "#99a8b2", "#e6a400", "#c0392b", "#2e8b57", "#6c5b7b", "#355c7d")
_LOCK = threading.Lock()  # matplotlib's text layout is not thread-safe under waitress


def _figure(width: float = 6.0, height: float = 2.6) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_layout_engine("constrained")
    return figure


def _render(figure: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    with _LOCK:
        figure.savefig(out, format=fmt, dpi=150 if fmt == "png" else 100, metadata=_meta(fmt))
    return out.getvalue()


def _meta(fmt: str) -> dict[str, str | None]:
    # reproducible output: no creation date in SVG/PNG
    if fmt == "svg":
        return {"Date": None}
    return {}


def bar(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    fmt: str = "svg",
    *,
    horizontal: bool = False,
    ylabel: str = "",
    color: str = PALETTE[0],
    width: float = 6.0,
) -> bytes:
    """A bar chart of labelled values."""
    figure = _figure(width)
    axes = figure.add_subplot()
    if horizontal:
        axes.barh(list(labels)[::-1], list(values)[::-1], color=color)
    else:
        axes.bar(list(labels), list(values), color=color)
        if len(labels) > 12:
            axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes.set_title(title, fontsize=10)
    if ylabel:
        axes.set_ylabel(ylabel, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if not values:
        axes.text(0.5, 0.5, "—", transform=axes.transAxes, ha="center")
    return _render(figure, fmt)


def stacked(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    fmt: str = "svg",
    colors: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> bytes:
    """Stacked bars: one bar per label, one segment per series."""
    figure = _figure()
    axes = figure.add_subplot()
    bottom = [0.0] * len(labels)
    for i, (name, values) in enumerate(series.items()):
        color = (colors or {}).get(name, PALETTE[i % len(PALETTE)])
        label = (names or {}).get(name, name)
        axes.bar(list(labels), list(values), bottom=bottom, label=label, color=color)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(fontsize=7, frameon=False)
    return _render(figure, fmt)


def line(
    labels: Sequence[str], values: Sequence[float], title: str, fmt: str = "svg", width: float = 6.0
) -> bytes:
    """A daily series."""
    figure = _figure(width)
    axes = figure.add_subplot()
    short = [label[5:] for label in labels]
    axes.plot(short, list(values), marker="o", markersize=3, color=PALETTE[0])
    axes.fill_between(short, list(values), color=PALETTE[0], alpha=0.15)
    axes.set_title(title, fontsize=10)
    axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylim(bottom=0)
    return _render(figure, fmt)
