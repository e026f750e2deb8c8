"""The token view on a terminal, drawn with rich: alternating backgrounds, visible whitespace.

:func:`token_lines` gives one :class:`rich.text.Text` per encoding: every
character shown once (whitespace as the glyphs of
:data:`tokencmp.report.marks.VISIBLE`, a newline as ``↵`` then a line break),
tokens on alternating backgrounds (:data:`STYLES`), a character split across
tokens underlined. The same text under each encoding has the same characters,
so the lines align column for column. :func:`diff_line` draws the text once
with a bar ``│`` before each character where the encodings' boundaries differ,
coloured by the encoding that cuts there (the first's colour, the second's, or
yellow for other mixtures). :func:`render` prints either with a footer of counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import tiktoken
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .marks import cells, differing, visible

STYLES = ("on grey30", "on dark_blue")
"""Backgrounds of even and odd tokens."""
SPLIT = "underline"
"""Added to a character whose bytes are split across tokens."""
DIFF_STYLES = ("bold red", "bold green", "bold yellow")
"""The bar where only the first encoding cuts, only the second, and any other mixture."""


def token_line(text: str, enc: tiktoken.Encoding) -> tuple[Text, int]:
    """The text under ``enc`` as a rich Text, and the number of tokens."""
    view, pieces = cells(text, enc)
    out = Text(no_wrap=False)
    for cell in view:
        style = STYLES[cell.token % 2] + (f" {SPLIT}" if cell.split else "")
        out.append(visible(cell.char), style=style)
        if cell.char == "\n":
            out.append("\n")
    return out, len(pieces)


def token_lines(text: str, encodings: Sequence[tiktoken.Encoding]) -> list[tuple[str, Text, int]]:
    """``(encoding name, line, tokens)`` for each encoding."""
    return [(enc.name, *token_line(text, enc)) for enc in encodings]


def diff_line(text: str, encodings: Sequence[tiktoken.Encoding]) -> Text:
    """The text once, with a coloured ``│`` before each character where the boundaries differ."""
    marks = differing(text, encodings)
    names = [e.name for e in encodings]
    out = Text()
    for i, char in enumerate(text):
        have = marks.get(i)
        if have is not None:
            which = 0 if have == {names[0]} else 1 if len(names) > 1 and have == {names[1]} else 2
            out.append("\u2502", style=DIFF_STYLES[which])
        out.append(visible(char))
        if char == "\n":
            out.append("\n")
    return out


def footer(counts: Sequence[tuple[str, int]]) -> Text:
    """``o200k_base: 2 tokens · cl100k_base: 2 tokens``."""
    return Text("  \u00b7  ".join(f"{name}: {n:,} token{'s' if n != 1 else ''}" for name, n in counts))


def render(
    console: Console, text: str, encodings: Sequence[tiktoken.Encoding], *, diff: bool = False
) -> None:
    """Print the token view of ``text``: one line per encoding (or the diff), then the counts."""
    lines = token_lines(text, encodings)
    if diff:
        console.print(diff_line(text, encodings))
        legend = Text("cuts only in ")
        for i, (name, _, _) in enumerate(lines[:2]):
            legend.append("\u2502", style=DIFF_STYLES[i])
            legend.append(f" {name}" + ("  " if i == 0 else ""))
        if len(lines) > 2:
            legend.append("  ")
            legend.append("\u2502", style=DIFF_STYLES[2])
            legend.append(" some others")
        console.print(legend)
    elif len(lines) == 1:
        console.print(lines[0][1])
    else:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for name, line, _ in lines:
            table.add_row(name, line)
        console.print(table)
    console.print(footer([(name, n) for name, _, n in lines]), style="dim")
