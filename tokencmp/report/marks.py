"""What the terminal and HTML views share: visible whitespace and the cells of a token view.

A view is a list of :class:`Cell`: one per character of the text, with the
token it begins in (its index within the encoding's tokens), whether a token
starts at it, and whether it is *split* (its bytes spread over two or more
tokens, which the view marks rather than hiding). Alternating token colours
come from the token index's parity.

    >>> [visible(c) for c in " \\t\\nx"]
    ['·', '→', '↵', 'x']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import accumulate

import tiktoken

from ..text.segment import tiktoken_text
from ..text.view import TokenPiece, iter_token_pieces

VISIBLE = {" ": "\u00b7", "\t": "\u2192", "\n": "\u21b5", "\r": "\u240d", "\u3000": "\u2423"}
"""Whitespace shown as a glyph: space ·, tab →, newline ↵ (the line break follows it), CR ␍,
ideographic space ␣."""


def visible(char: str) -> str:
    """``char`` as the view shows it: whitespace as its glyph, other control characters as ``\\xNN``."""
    if char in VISIBLE:
        return VISIBLE[char]
    if not char.isprintable():
        return char.encode("unicode_escape").decode("ascii")
    return char


@dataclasses.dataclass(frozen=True)
class Cell:
    char: str
    token: int
    starts: bool
    split: bool


def cells(text: str, enc: tiktoken.Encoding) -> tuple[list[Cell], list[TokenPiece]]:
    """One :class:`Cell` per character of ``text`` under ``enc``, and the tokens."""
    pieces = list(iter_token_pieces([text], enc))
    owner = [0] * len(text)
    starts = [False] * len(text)
    split = [False] * len(text)
    char_starts = set(accumulate((len(c.encode("utf-8")) for c in tiktoken_text(text)), initial=0))
    pos = 0
    for p in pieces:
        for i in range(p.start, p.end):
            owner[i] = p.index
        if p.start < p.end:
            starts[p.start] = True
        if pos not in char_starts:  # this token begins inside the character before p.start
            split[p.start - 1] = True
        pos += len(p.bytes) // 2
    return [Cell(c, owner[i], starts[i], split[i]) for i, c in enumerate(text)], pieces


def differing(text: str, encodings: Sequence[tiktoken.Encoding]) -> dict[int, frozenset[str]]:
    """Character offsets where some but not all ``encodings`` start a token, with the names that do.

    >>> from tokencmp import get_encoding
    >>> differing("hello world", [get_encoding("o200k_base"), get_encoding("cl100k_base")])
    {}
    """
    sets = {}
    for enc in encodings:
        sets[enc.name] = {p.start for p in iter_token_pieces([text], enc) if p.start < p.end}
    out = {}
    for i in sorted(set().union(*sets.values())):
        have = frozenset(name for name, s in sets.items() if i in s)
        if len(have) < len(sets):
            out[i] = have
    return out
