"""Units that mean the same in every language: grapheme clusters, and the Unicode script of each token.

Both work on a text fed in pieces (each ending at a safe cut, see
:mod:`tokencmp.text.segment`) and give what the whole text would give::

    >>> graphemes = GraphemeTally()
    >>> for piece in ["नमस्", "ते\\n"]:   # न म स ् | त े: the cut splits a cluster
    ...     graphemes.add(piece)
    >>> graphemes.total   # न, म, स्ते and the line feed
    4

A **grapheme cluster** is a user-perceived character, ``regex``'s ``\\X``
(Unicode's segmentation rules). A **script** is one of :data:`SCRIPTS`;
characters of Unicode's Common and Inherited scripts join the script before
them (:data:`COMMON`); each token goes to the script holding most of its bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
import tiktoken

from ..errors import InvalidTextError
from ..text import segment
from .results import ScriptCounts

SCRIPTS = (
    "Latin", "Greek", "Cyrillic", "Armenian", "Georgian", "Hebrew", "Arabic", "Syriac", "Thaana",
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Thai", "Lao", "Tibetan", "Myanmar", "Khmer", "Mongolian", "Ethiopic",
    "Hangul", "Hiragana", "Katakana", "Bopomofo", "Han",
)
"""Scripts named in a by-script breakdown; letters of any other script are reported as ``Other``."""

COMMON = "Common"
"""Digits, punctuation, spaces, symbols and combining marks (Unicode scripts Common and
Inherited) belong to the script before them; text that has only such characters is ``Common``."""

_SCRIPT_RUN = regex.compile(
    "|".join(f"(?P<{name}>\\p{{Script={name}}}+)" for name in SCRIPTS)
    + r"|(?P<Common>[\p{Script=Common}\p{Script=Inherited}]+)|(?P<Other>.)",
    flags=regex.DOTALL,
)
_PENDING = ""  # label of Common characters seen before any script (they join the first script)

_GRAPHEME = regex.compile(r"\X")
_GRAPHEME_SPAN = 1 << 14


# --- grapheme clusters ------------------------------------------------------------------------


class GraphemeTally:
    """Grapheme clusters of a text fed in pieces: :attr:`total` is the whole text's count."""

    def __init__(self) -> None:
        self._count = 0
        self._carry = ""  # the last grapheme cluster so far, which the next piece may extend

    def add(self, piece: str) -> None:
        # Grapheme boundaries depend on the text before them and on one character after, so every
        # cluster of a prefix but the last is a cluster of the whole text: hold the last one back.
        # It starts after the last line feed at the latest (Unicode always breaks after LF, rule
        # GB4), so only the last line is segmented again to find it.
        text = self._carry + piece
        if not text:
            return
        self._count += _count_graphemes(text) - 1
        line = text.rfind("\n") + 1
        if line == len(text):
            self._carry = "\r\n" if text.endswith("\r\n") else "\n"
        else:
            self._carry = _GRAPHEME.findall(text, line)[-1]

    @property
    def total(self) -> int:
        return self._count + (1 if self._carry else 0)


def _count_graphemes(text: str) -> int:
    """Grapheme clusters in ``text``, segmented about 16 K characters at a time.

    Each stretch ends just after a line feed, where every cluster ends (GB4), so
    the stretches add up to the whole. Short calls let the counting threads take
    the GIL between them (to start an encoding or collect its tokens); one call
    over a whole piece would keep them waiting (``regex``'s ``concurrent=True``
    is no help: it takes the GIL back for every cluster, and runs slower).
    """
    count, start, size = 0, 0, len(text)
    while start < size:
        end = text.find("\n", start + _GRAPHEME_SPAN) + 1 or size
        stretch = text[start:end]
        if stretch.isascii():  # every ASCII character is a cluster, but CR LF is one (GB3)
            count += len(stretch) - stretch.count("\r\n")
        else:
            count += _GRAPHEME.subn("", stretch)[1]
        start = end
    return count


# --- scripts ----------------------------------------------------------------------------------


class ScriptTally:
    """Characters, bytes and tokens per Unicode script, for pieces that end at safe cuts.

    >>> from tokencmp import get_encoding
    >>> tally = ScriptTally([get_encoding("o200k_base")])
    >>> tally.add("Hello 世界")
    >>> [(s.script, s.characters, s.tokens) for s in tally.result()]
    [('Latin', 6, {'o200k_base': 1}), ('Han', 2, {'o200k_base': 1})]
    """

    def __init__(self, encodings: list[tiktoken.Encoding]) -> None:
        self._encodings = encodings
        self._last = _PENDING  # the script that Common characters join
        self._stats: dict[str, list[int]] = {}  # script -> [characters, bytes, tokens per encoding...]

    def _row(self, script: str) -> list[int]:
        return self._stats.setdefault(script, [0] * (2 + len(self._encodings)))

    def add(self, piece: str) -> None:
        runs: list[tuple[str, int, int]] = []  # (script, start byte, end byte)
        pos = 0
        for match in _SCRIPT_RUN.finditer(piece):
            script = match.lastgroup or "Other"
            if script == COMMON:
                script = self._last
            else:
                self._last = script
            size = len(match.group().encode("utf-8", "surrogatepass"))
            row = self._row(script)
            row[0] += len(match.group())
            row[1] += size
            if runs and runs[-1][0] == script:
                runs[-1] = (script, runs[-1][1], pos + size)
            else:
                runs.append((script, pos, pos + size))
            pos += size
        for i, enc in enumerate(self._encodings):
            for script in _attribute(enc, piece, runs):
                self._row(script)[2 + i] += 1

    def result(self) -> tuple[ScriptCounts, ...]:
        stats = dict(self._stats)
        pending = stats.pop(_PENDING, None)
        if pending is not None:
            first = next(iter(stats), COMMON)
            stats[first] = [a + b for a, b in zip(stats.get(first, [0] * len(pending)), pending, strict=True)]
            stats = {first: stats.pop(first), **stats}
        names = [e.name for e in self._encodings]
        return tuple(
            ScriptCounts(
                tokens=dict(zip(names, row[2:], strict=True)), characters=row[0], bytes=row[1], script=script
            )
            for script, row in stats.items()
        )


def _attribute(enc: tiktoken.Encoding, piece: str, runs: list[tuple[str, int, int]]) -> Iterable[str]:
    """The script of each token of ``piece``: the run holding most of its bytes."""
    try:
        tokens = enc.encode_ordinary(piece)
    except BaseException as e:
        if not segment.is_panic(e):
            raise
        raise InvalidTextError(
            "by_script cannot break down text with a whitespace run of about a million characters "
            "(tiktoken cannot split it into tokens); compare it without by_script."
        ) from None
    r, start = 0, 0
    for token in enc.decode_tokens_bytes(tokens):
        end = start + len(token)
        while runs[r][2] <= start:
            r += 1
        best, most, j = runs[r][0], 0, r
        while j < len(runs) and runs[j][1] < end:
            overlap = min(end, runs[j][2]) - max(start, runs[j][1])
            if overlap > most:
                best, most = runs[j][0], overlap
            j += 1
        yield best
        start = end
