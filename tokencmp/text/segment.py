"""Where text can be cut without changing how tiktoken counts it.

tiktoken splits text into pre-tokens with a regular expression, then runs BPE
inside each pre-token. Counting pieces of a text separately gives the same
total as counting the whole only when every cut falls on a pre-token boundary
that the regular expression finds the same way with or without the text
beyond the cut. This module finds such cuts (:func:`cut_points`,
:func:`split`, and :class:`SafeChunker` for text that arrives in pieces), for
streaming large files and counting on several threads. Counting what tiktoken
itself cannot (whitespace runs of about a million characters, on which it
panics, and long pre-tokens, on which its BPE grows faster than linearly) is
:mod:`tokencmp.text.long_runs`'s part.

Why a cut is safe (for every OpenAI pattern: ``o200k``, ``cl100k``, ``r50k``/
``p50k``/``gpt2``). The patterns have no look-behind; their only look-ahead is
``(?!\\S)`` after whitespace, and cl100k/r50k's ``\\s++$``. A cut at ``i`` is
safe when (1) no pre-token of the whole text spans ``i`` and (2) the pre-token
ending at ``i`` is matched the same way when the text ends at ``i``.

* Rule A, ``X␠L``: ``text[i]`` is a space, ``text[i-1]`` is not whitespace and
  ``text[i+1]`` is a letter. No alternative continues a pre-token from a
  non-space character into a space (letter runs, digit runs and contractions
  contain no whitespace; punctuation runs only absorb ``\\r``, ``\\n`` and
  ``/`` after them), so a pre-token starts at ``i`` (the space joins the word
  as its one-character prefix). The look-ahead ``(?!\\S)`` sees a space or the
  end of text: both pass. Letter tests use ``str.isalpha`` (the ``\\p{L}``
  categories).
* Rule B, ``X\\nY``: ``text[i-1]`` is ``\\n``, ``text[i-2]`` and ``text[i]`` are
  not whitespace and ``text[i]`` is not ``/``. The newline either ends a
  punctuation pre-token (o200k, cl100k), or is its own pre-token
  (``\\s*[\\r\\n]+`` / ``\\s*[\\r\\n]`` / r50k's ``\\s``), and ``\\s++$`` at the
  cut matches that same single newline.

* Rule C, ``L P L``: ``text[i-1]`` and ``text[i+1]`` are letters and
  ``text[i]`` is punctuation or a symbol (Unicode category P or S) other than
  the apostrophe. The letter run before it ends at ``i`` (letter runs hold
  only letters and marks; the contraction suffixes need ``'``), and at ``i``
  every pattern starts a pre-token the same way with or without the text
  before: o200k and cl100k take the mark as the one-character prefix of the
  next word (``[^\r\n\\p{L}\\p{N}]?`` then letters), r50k as a punctuation run
  that the letter after it ends. This is what gives Chinese and Japanese
  prose without spaces its cuts: ``。`` and ``、`` between characters.

A text with none of these (a CJK run with no line break or punctuation) has
no cut: such a run is one pre-token anyway, since o200k and cl100k match
whole runs of letters as one piece.

All three rules look at ``text[i-2:i+2]`` only, so a prefix of a text decides a
cut at ``i`` exactly as the whole text does once it holds ``text[i+1]``
(:func:`is_safe_cut` refuses ``i >= len(text) - 1``). That is what lets
:class:`SafeChunker` cut a text that arrives in pieces (a file read in
blocks) without ever seeing the whole of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Unicode White_Space, the set that \s matches in tiktoken's (Rust) regex engine.
# Python's str.isspace() differs (it also accepts U+001C..U+001F).
WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS = frozenset(WHITESPACE)

CHUNK = 1 << 18
"""Large texts are counted in pieces of about this many characters (:func:`split`), on
several threads or by the accelerated engine; files are streamed in blocks of twice this."""


def is_safe_cut(text: str, i: int) -> bool:
    """Whether counting ``text[:i]`` and ``text[i:]`` apart gives the whole text's count.

    >>> is_safe_cut("one two", 3), is_safe_cut("one two", 2), is_safe_cut("日本。語", 2)
    (True, False, True)
    """
    if i <= 1 or i >= len(text) - 1:
        return False
    c = text[i]
    if c == " ":
        return text[i - 1] not in _WS and text[i + 1].isalpha()
    if text[i - 1] == "\n":
        return text[i - 2] not in _WS and c not in _WS and c != "/"
    return (
        c != "'"
        and unicodedata.category(c)[0] in "PS"
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


def cut_points(text: str, size: int) -> Iterator[int]:
    """Safe cuts, about ``size`` characters apart (later where a stretch has none).

    The search for a cut looks forward from each target, so a chunk is never
    shorter than ``size`` except the last.

    >>> list(cut_points("aa bb cc dd ee", 4))
    [5, 11]
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    n = len(text)
    i = size
    while i < n - 1:
        j = _next_cut(text, i)
        if j is None:
            return
        yield j
        i = j + size


# Candidates for a safe cut, found in C: a space before a letter or other alphanumeric
# (rule A; the cut is at the space), a newline before a non-space other than "/" (rule B;
# the cut is after it), a character that is neither a word character nor a space before a
# letter (rule C; the cut is at it). The regex only narrows the search; is_safe_cut decides.
_CANDIDATE = re.compile(r" (?=[^\W\d_])|\n(?![" + re.escape(WHITESPACE) + r"/])|[^\w\s](?=[^\W\d_])")


def _cut_at(match: re.Match[str]) -> int:
    """Where a candidate cuts: after a newline (rule B), else at the matched character."""
    return match.end() if match.group() == "\n" else match.start()


def _next_cut(text: str, start: int) -> int | None:
    for match in _CANDIDATE.finditer(text, start):
        i = _cut_at(match)
        if is_safe_cut(text, i):
            return i
    return None


def split(text: str, size: int) -> list[str]:
    """``text`` in safe pieces of about ``size`` characters (see :func:`cut_points`)."""
    pieces, last = [], 0
    for cut in cut_points(text, size):
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    return pieces


class SafeChunker:
    """Cut a text that arrives in pieces at safe cuts, holding back what follows the last one.

    :meth:`feed` returns everything up to the last safe cut seen so far and
    keeps the rest; :meth:`close` returns what is left. The strings returned
    join to exactly the text fed, and each can be counted on its own. Only
    the held-back tail stays in memory: at most one fed piece plus the
    stretch since the last safe cut (which grows only in text that has no
    cut, such as a huge CJK line with no line break or a huge whitespace run).

    >>> chunker = SafeChunker()
    >>> chunker.feed("one tw"), chunker.feed("o three"), chunker.close()
    ('one', ' two', ' three')
    """

    _CONTEXT = 3
    """Characters of held-back text to look at again: a cut at ``i`` needs
    ``text[i-2:i+2]``, so cuts left undecided at the end of one piece (those
    at ``len - 1`` and ``len``) are decided with the next."""

    def __init__(self) -> None:
        self._held: list[str] = []
        self._tail = ""

    def feed(self, text: str) -> str:
        """Add ``text``; return the text up to the last safe cut (``""`` when there is none)."""
        if not text:
            return ""
        window = self._tail + text
        cut = _last_cut(window)
        if cut is None:
            self._held.append(text)
            self._tail = window[-self._CONTEXT :]
            return ""
        cut -= len(self._tail)  # into text; cut >= 2 > -len(tail), so it may fall inside the tail
        if cut < 0:
            held = "".join(self._held)
            out, rest = held[:cut], held[cut:] + text
        else:
            out, rest = "".join(self._held) + text[:cut], text[cut:]
        self._held = [rest]
        self._tail = rest[-self._CONTEXT :]
        return out

    def close(self) -> str:
        """The held-back text (the last piece); the chunker is empty afterwards."""
        rest = "".join(self._held)
        self._held, self._tail = [], ""
        return rest


def _last_cut(text: str) -> int | None:
    # Look at the last 4 KB first, then at ever larger stretches before it: a fed block
    # usually has a cut near its end, and scanning all of it for candidates would cost
    # as much as a tenth of counting it. A match at p depends only on text[p:], so the
    # matches found from `start` on are exactly those of the whole text from there.
    end, span = len(text), 4096
    while end > 0:
        start = max(0, end - span)
        matches = []
        for match in _CANDIDATE.finditer(text, start):
            if match.start() >= end:
                break
            matches.append(match)
        for match in reversed(matches):
            i = _cut_at(match)
            if is_safe_cut(text, i):
                return i
        end, span = start, span * 4
    return None


def tiktoken_text(text: str) -> str:
    """The text tiktoken actually encodes: lone surrogates become U+FFFD.

    tiktoken does this itself when a string will not encode as UTF-8; code
    that inspects characters to choose cuts must look at the same text.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def is_panic(e: BaseException) -> bool:
    """A Rust panic surfacing from tiktoken (``pyo3_runtime.PanicException``)."""
    return type(e).__name__ == "PanicException"
