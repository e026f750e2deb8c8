"""Tables that fit the terminal: one rule for every subcommand's aligned table.

On a terminal a table is fitted to its width, in three steps, the first that fits:

1. one line per row, each header on one line;
2. headers wrapped at their spaces onto more lines (``premium`` over ``o200k``),
   never inside a word, so a column is as wide as its widest value or word;
3. stacked: each row as a block of ``header: value`` lines under its first value.

Piped or redirected output (not a terminal) is never fitted: one line per row and
per header, the same bytes whatever the window, for scripts and diffs. No colour
is written at all, so ``NO_COLOR`` and pipes are respected by construction.

    >>> print("\\n".join(fit([["a", "12"]], ["name", "tokens o200k"], [False, True], 12)))
          tokens
    name   o200k
    ----  ------
    a         12
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from typing import TextIO

GAP = 2
"""Spaces between columns."""


def width_of(out: TextIO) -> int | None:
    """The terminal's width if ``out`` is one, else ``None`` (not fitted)."""
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    try:
        return os.get_terminal_size(out.fileno()).columns or None
    except (OSError, AttributeError, ValueError):
        return shutil.get_terminal_size().columns


def fit(texts: Sequence[Sequence[str]], titles: Sequence[str], right: Sequence[bool],
        width: int | None) -> list[str]:
    """The lines of a table of cell ``texts`` under ``titles``, fitted to ``width`` (None: not fitted)."""
    data = [max((len(r[i]) for r in texts), default=0) for i in range(len(titles))]
    full = [max(d, len(t)) for d, t in zip(data, titles, strict=True)]
    if width is None or _total(full) <= width:
        return _lines(texts, [[t] for t in titles], full, right)
    narrow = [max([d, *(len(w) for w in t.split())]) for d, t in zip(data, titles, strict=True)]
    if _total(narrow) <= width:
        heads = [textwrap.wrap(t, w, break_long_words=False) or [""]
                 for t, w in zip(titles, narrow, strict=True)]
        return _lines(texts, heads, narrow, right)
    return _stacked(texts, titles, width)


def wrap_note(text: str, width: int | None, indent: str = "  ") -> list[str]:
    """A note under a table: wrapped at spaces to ``width`` on a terminal, one line otherwise."""
    if width is None:
        return [indent + text]
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def _lines(texts: Sequence[Sequence[str]], heads: Sequence[Sequence[str]], widths: Sequence[int],
           right: Sequence[bool]) -> list[str]:
    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, right, strict=True)]
        return (" " * GAP).join(parts).rstrip()

    depth = max(len(h) for h in heads)
    # A wrapped header sits on the bottom lines, next to the values it names.
    padded = [[""] * (depth - len(h)) + list(h) for h in heads]
    out = [line([p[k] for p in padded]) for k in range(depth)]
    out.append((" " * GAP).join("-" * w for w in widths))
    out += [line(r) for r in texts]
    return out


def _stacked(texts: Sequence[Sequence[str]], titles: Sequence[str], width: int) -> list[str]:
    label = max(len(t) for t in titles[1:]) if len(titles) > 1 else 0
    out: list[str] = []
    for row in texts:
        if out:
            out.append("")
        out.append(row[0] if row[0] else titles[0])
        for title, value in zip(titles[1:], row[1:], strict=True):
            if value:
                lead = f"  {title.ljust(label)}  "
                out += textwrap.wrap(value, max(20, width), initial_indent=lead,
                                     subsequent_indent=" " * len(lead), break_long_words=True) or [lead]
    return out
