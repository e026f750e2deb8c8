"""Bar charts for ``tokencmp compare --plot``, drawn with matplotlib (the ``plot`` extra).

matplotlib is imported only here, only when a chart is asked for. The chart
is drawn on a ``Figure`` with its own Agg canvas, not through ``pyplot``, so
nothing process-wide (the backend, pyplot's figure list) changes; ``.svg``
is written by matplotlib's SVG canvas for that one call.

What a reader should see at a glance: a title saying what is measured and
on what, one horizontal bar per item named in words (``Japanese (ja)``, a
file name, ``notes.txt: Han``), the bars sorted from the largest value down,
each value written at the end of its bar, and a line at 1.0 (as many tokens
as the reference).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tokencmp import MissingExtraError, TokencmpError

BAR = 0.32
"""Inches of height per bar."""


def _matplotlib() -> tuple[Any, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtraError("--plot", "plot", "matplotlib") from None
    return Figure, FigureCanvasAgg


def sort_order(values: Sequence[float | None]) -> list[int]:
    """Indices of ``values`` from the largest down, missing values last, ties in their given order.

        >>> sort_order([1.0, None, 3.0, 1.0])
        [2, 0, 3, 1]
    """
    return sorted(range(len(values)), key=lambda i: (values[i] is None, -(values[i] or 0.0)))


def plot_bars(
    path: Path,
    *,
    labels: Sequence[str],
    ratios: Sequence[float | None],
    ratio_label: str,
    premiums: Mapping[str, Sequence[float | None]],
    reference: str | None,
    title: str,
) -> None:
    """Write a chart: the ratio per item; beside it the premiums per encoding, if any.

    Items are sorted by the first encoding's premium when there are premiums, else by the ratio.
    """
    Figure, FigureCanvasAgg = _matplotlib()
    first = next(iter(premiums.values()), None)
    order = sort_order(first if first is not None else ratios)
    names = [labels[i] for i in order]
    panels = 2 if premiums else 1
    height = BAR * len(labels) * (1 if panels == 1 or len(premiums) == 1 else 0.5 + 0.5 * len(premiums))
    fig = Figure(figsize=(6.0 * panels + 1.5, max(2.5, height + 1.4)), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, panels, squeeze=False, sharey=True)[0]
    fig.suptitle(title)
    y = list(range(len(names)))

    left = axes[0]
    bars = left.barh(y, [ratios[i] or 0.0 for i in order], color="#4c72b0")
    left.bar_label(bars, labels=[_value(ratios[i]) for i in order], padding=2, fontsize=7)
    left.set_title(ratio_label, fontsize=9)
    left.set_yticks(y, names, fontsize=8)
    left.invert_yaxis()  # the largest at the top

    if premiums:
        right = axes[1]
        width = 0.8 / len(premiums)
        for k, (encoding, values) in enumerate(premiums.items()):
            offset = (k - (len(premiums) - 1) / 2) * width
            group = right.barh([i + offset for i in y], [values[i] or 0.0 for i in order], width,
                               label=encoding)
            right.bar_label(group, labels=[_value(values[i]) for i in order], padding=2, fontsize=6)
        right.set_title(f"tokens per {reference} token for the same text, per encoding", fontsize=9)
        right.legend(loc="lower right", fontsize=8)
    for ax in axes:
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.margins(x=0.12)  # room for the values at the ends of the bars
        ax.set_ylim(len(names) - 0.5, -0.5)
    try:
        fig.savefig(path, format=path.suffix.lower().lstrip("."))
    except OSError as e:
        raise TokencmpError(f"Cannot write the plot to {path}: {e.strerror or e}.") from None


def _value(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"
