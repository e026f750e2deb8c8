"""Bar charts for ``tokencmp compare --plot``, drawn with matplotlib (the ``plot`` extra).

matplotlib is imported only here, only when a chart is asked for. The chart
is drawn on a ``Figure`` with its own Agg canvas, not through ``pyplot``, so
nothing process-wide (the backend, pyplot's figure list) changes; ``.svg``
is written by matplotlib's SVG canvas for that one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tokencmp import MissingExtraError, TokencmpError


def _matplotlib() -> tuple[Any, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtraError("--plot", "plot", "matplotlib") from None
    return Figure, FigureCanvasAgg


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
    """Write a chart: the ratio per item on top; premiums per encoding (grouped) below, if any."""
    Figure, FigureCanvasAgg = _matplotlib()
    panels = 2 if premiums else 1
    fig = Figure(figsize=(max(6.0, 0.42 * len(labels) + 2), 3.4 * panels + 0.6), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(panels, 1, squeeze=False)[:, 0]
    x = list(range(len(labels)))

    top = axes[0]
    top.bar(x, [r if r is not None else 0.0 for r in ratios], color="#4c72b0")
    top.axhline(1.0, color="black", linewidth=0.8)
    top.set_ylabel(ratio_label)
    top.set_title(title)

    if premiums:
        bottom = axes[1]
        width = 0.8 / len(premiums)
        for k, (encoding, values) in enumerate(premiums.items()):
            offset = (k - (len(premiums) - 1) / 2) * width
            bottom.bar([i + offset for i in x], [v if v is not None else 0.0 for v in values], width,
                       label=encoding)
        bottom.axhline(1.0, color="black", linewidth=0.8)
        bottom.set_ylabel(f"tokens / {reference} tokens")
        bottom.legend()
    for ax in axes:
        ax.set_xticks(x, list(labels), rotation=90 if len(labels) > 12 else 0)
        ax.set_xlim(-0.6, len(labels) - 0.4)
    try:
        fig.savefig(path, format=path.suffix.lower().lstrip("."))
    except OSError as e:
        raise TokencmpError(f"Cannot write the plot to {path}: {e.strerror or e}.") from None
