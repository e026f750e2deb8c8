"""Self-contained HTML: the token view of any text, and the report of ``compare --html``.

Everything is in the one file: CSS in a ``<style>`` element, the chart as
inline SVG, no script, no font, no image, no link to anything; it opens
offline in any browser. All text is escaped (:func:`html.escape`), so a file
name or a sample cannot inject markup.

The token view (:func:`token_view`) shows each character once, tokens on
alternating backgrounds (classes ``t0``/``t1``), whitespace as the glyphs of
:data:`tokencmp.report.marks.VISIBLE`, a character split across tokens
underlined (class ``split``); each token's id and bytes are in its
``title``, so hovering a token shows them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import tiktoken

from ..text.view import token_label
from .marks import cells, visible

CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;background:#fff}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em}td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f0f0f0}
.view{font-family:ui-monospace,monospace;white-space:pre-wrap;line-height:1.9;word-break:break-all}
.t0{background:#cfe3ff}.t1{background:#ffe0b3}.split{text-decoration:underline wavy #c00}
.enc{font-weight:bold;margin:.6em 0 .2em}.foot{color:#555;font-size:.9em}
svg text{font-family:system-ui,sans-serif;font-size:11px}
"""

BAR_COLOURS = ("#4878d0", "#ee854a", "#6acc64", "#d65f5f", "#956cb4")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str) -> str:
    """A whole HTML document: ``body`` (HTML) under ``title``, with the inline stylesheet."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{esc(title)}</h1>\n{body}\n</body></html>\n"
    )


def token_view(text: str, enc: tiktoken.Encoding) -> tuple[str, int]:
    """The text under ``enc`` as HTML (a ``<div class="view">``), and its number of tokens."""
    view, pieces = cells(text, enc)
    out: list[str] = ['<div class="view">']
    current = -1
    for cell in view:
        if cell.token != current:
            if current >= 0:
                out.append("</span>")
            p = pieces[cell.token]
            out.append(f'<span class="t{cell.token % 2}" title="{esc(f"{p.id}: {token_label(p)!r}")}">')
            current = cell.token
        shown = esc(visible(cell.char)) + ("\n" if cell.char == "\n" else "")
        out.append(f'<span class="split">{shown}</span>' if cell.split else shown)
    if current >= 0:
        out.append("</span>")
    out.append("</div>")
    return "".join(out), len(pieces)


def token_views(text: str, encodings: Sequence[tiktoken.Encoding]) -> str:
    """The view under each encoding, each headed by its name and count."""
    parts = []
    for enc in encodings:
        view, n = token_view(text, enc)
        parts.append(f'<div class="enc">{esc(enc.name)}: {n:,} tokens</div>{view}')
    return "\n".join(parts)


def show_page(text: str, encodings: Sequence[tiktoken.Encoding], title: str = "Tokens") -> str:
    """``show --html``: the token view of ``text`` under each encoding, as a whole page."""
    return page(title, token_views(text, encodings))


def table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], headers: Mapping[str, str] | None = None
) -> str:
    """A ``<table>`` of ``rows``; numbers right-aligned (class ``n``)."""
    headers = headers or {}
    head = "".join(f"<th>{esc(headers.get(c, c))}</th>" for c in columns)
    body = []
    for row in rows:
        tds = []
        for c in columns:
            v = row.get(c)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            shown = "" if v is None else f"{v:,.3f}" if isinstance(v, float) else f"{v:,}" if num else v
            tds.append(f'<td class="n">{esc(shown)}</td>' if num else f"<td>{esc(shown)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bar_chart(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str) -> str:
    """A grouped horizontal bar chart as inline SVG: one group per label, one bar per series."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = max(values, default=1.0) or 1.0
    bar, gap, left, width = 9, 6, 150, 420
    group = bar * len(series) + gap
    height = 40 + group * len(labels) + 16 * len(series)
    out = [
        f'<svg role="img" width="{left + width + 70}" '
        f'height="{height}" viewBox="0 0 {left + width + 70} {height}"><title>{esc(title)}</title>',
        f'<text x="0" y="14" font-weight="bold">{esc(title)}</text>',
    ]
    for g, name in enumerate(labels):
        y0 = 24 + g * group
        out.append(
            f'<text x="{left - 6}" y="{y0 + bar * len(series) / 2 + 4}" text-anchor="end">{esc(name)}</text>'
        )
        for s, (_, vs) in enumerate(series.items()):
            v = vs[g]
            if v is None:
                continue
            w = max(1.0, width * v / top)
            y = y0 + s * bar
            out.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" '
                f'fill="{BAR_COLOURS[s % len(BAR_COLOURS)]}"><title>{esc(f"{name}: {v:.3f}")}</title></rect>'
            )
            out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar - 1}">{v:.2f}</text>')
    ly = 30 + group * len(labels)
    for s, key in enumerate(series):
        out.append(
            f'<rect x="{left}" y="{ly + 16 * s}" width="10" height="10" '
            f'fill="{BAR_COLOURS[s % len(BAR_COLOURS)]}"/>'
            f'<text x="{left + 16}" y="{ly + 16 * s + 9}">{esc(key)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def compare_page(
    title: str,
    summary: tuple[Sequence[Mapping[str, Any]], Sequence[str], Mapping[str, str]],
    chart: tuple[Sequence[str], Mapping[str, Sequence[float | None]], str],
    scripts: tuple[Sequence[Mapping[str, Any]], Sequence[str]],
    samples: Sequence[tuple[str, str]],
    encodings: Sequence[tiktoken.Encoding],
) -> str:
    """``compare --html``: the comparison table, the chart, the per-script breakdown and a token
    view of each sample ``(name, text)`` under each encoding."""
    rows, columns, headers = summary
    parts = [
        "<h2>Comparison</h2>",
        table(rows, columns, headers),
        "<h2>Chart</h2>",
        bar_chart(*chart),
        "<h2>By script</h2>",
        table(*scripts),
        "<h2>Tokens of a sample of each</h2>",
    ]
    for name, text in samples:
        parts.append(f"<h3>{esc(name)}</h3>{token_views(text, encodings)}")
    return page(title, "\n".join(parts))
