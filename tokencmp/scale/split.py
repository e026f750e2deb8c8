"""One large file cut into byte ranges whose counts add up exactly to the whole file's.

    >>> import io
    >>> data = b"alpha\\nbeta\\ngamma\\n\\ndelta"
    >>> ranges = cut_bytes(io.BytesIO(data), len(data), 6)
    >>> [data[a:b] for a, b in ranges]
    [b'alpha\\n', b'beta\\ngamma\\n\\ndelta']

A range ends just after a line feed ``\\n`` whose neighbours are ASCII: the byte
before it is not whitespace, the byte after it is neither whitespace nor ``/``.
That is :func:`tokencmp.text.segment.is_safe_cut`'s rule B, checked on bytes, and
because all three characters are ASCII it holds for the file's text whatever
comes before or after:

* **UTF-8.** An ASCII byte is always one whole character, and after ``\\n`` the
  decoder holds nothing, so each range decodes to exactly its part of the text
  (``errors="replace"`` included).
* **Normalisation** (NFC, NFKC). The cut is before an ASCII character, where
  :mod:`tokencmp.text.stream` shows ``normalize(a + b) == normalize(a) +
  normalize(b)``; the ASCII characters around the cut are left as they are.
* **Tokens.** Rule B: the pre-tokens of the whole text end at the cut.
* **Grapheme clusters.** Unicode always breaks after a line feed (GB4), and
  the range after starts with an ASCII character, which no rule joins to
  anything before it.

A file with no such line feed within a stretch is not cut there: a range is
never shorter than ``size`` bytes (except the last), and may be longer.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from ..text.segment import WHITESPACE

_WS = frozenset(c.encode() for c in WHITESPACE if c.isascii())
_SCAN = 1 << 16


def _safe(before: bytes, after: bytes) -> bool:
    return before < b"\x80" and before not in _WS and after < b"\x80" and after not in _WS and after != b"/"


def next_cut(f: BinaryIO, offset: int, size: int) -> int | None:
    """The first safe cut at or after ``offset`` (an offset just after a line feed), or None."""
    pos = max(offset, 2)
    while pos < size:
        f.seek(pos - 2)
        block = f.read(_SCAN + 3)
        if len(block) < 3:
            return None
        i = block.find(b"\n", 1)
        while 0 < i < len(block) - 1:
            if _safe(block[i - 1 : i], block[i + 1 : i + 2]):
                return pos - 2 + i + 1
            i = block.find(b"\n", i + 1)
        pos += _SCAN
    return None


def cut_bytes(f: BinaryIO, size: int, target: int) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` byte ranges of ``f`` (``size`` bytes) about ``target`` bytes long,
    cut only at safe cuts; together they cover the file once, in order."""
    if target < 1:
        raise ValueError("target must be at least 1 byte")
    ranges, start = [], 0
    while start < size:
        cut = next_cut(f, start + target, size) if start + target < size else None
        end = size if cut is None or cut >= size else cut
        ranges.append((start, end))
        start = end
    return ranges or [(0, 0)]


def cut_file(path: str | os.PathLike[str], target: int) -> list[tuple[int, int]]:
    """:func:`cut_bytes` for the file at ``path``."""
    with open(path, "rb") as f:
        return cut_bytes(f, os.fstat(f.fileno()).st_size, target)
