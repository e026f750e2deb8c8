"""The optional accelerated engine: ``pip install "tokencmp[fast]"``.

tiktoken is the default engine and the reference for every count. With the
``fast`` extra installed, large ordinary-text counts (at least
:data:`ENGINE_MIN` characters, no ``allow_special``) on ``o200k_base``,
``cl100k_base`` and ``o200k_harmony`` go to `toktok-rs
<https://pypi.org/project/toktok-rs/>`_ (pinned to the version the
differential tests cover), which counts without building token ids: 3.4
times as fast as tiktoken on one core on Python source, 4.3 on CJK and more
on English prose here (see ``docs/performance.md``).

It is used only where it is known to agree with tiktoken:

* the differential tests (``tests/test_engine.py``, run in CI with the extra
  installed) compare it with tiktoken on the corpus, on pathological inputs
  and on hypothesis-generated text;
* a scan of every Unicode scalar value in twelve contexts found the code
  points where its Unicode tables (16.0) disagree with tiktoken's (17.0):
  the characters Unicode 17 added, listed in :data:`DIFFERING`; a text
  containing one is counted by tiktoken;
* a text the engine cannot take (lone surrogates) is counted by tiktoken;
* ``TOKENCMP_ENGINE=tiktoken`` turns the engine off.

    >>> counter("o200k_base") is None or callable(counter("o200k_base"))
    True
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable

from . import segment

ENGINE_ENV = "TOKENCMP_ENGINE"
ENGINE_PACKAGE = "toktok-rs"
ENGINE_VERSION = "0.3.0"
ENGINE_ENCODINGS = frozenset({"o200k_base", "cl100k_base", "o200k_harmony"})
ENGINE_MIN = 1 << 16
"""Shorter texts go to tiktoken: the engine's per-call cost (about 25 us) and its own
vocabulary load (about 0.3 s, once) only pay off on large texts."""

DIFFERING = (
    (0x088F, 0x088F), (0x0C5C, 0x0C5C), (0x0CDC, 0x0CDC), (0x1ACF, 0x1ADD), (0x1AE0, 0x1AEB),
    (0xA7CE, 0xA7CF), (0xA7D2, 0xA7D2), (0xA7D4, 0xA7D4), (0xA7F1, 0xA7F1), (0x10940, 0x10959),
    (0x10EC5, 0x10EC7), (0x10EFA, 0x10EFB), (0x11B60, 0x11B67), (0x11DB0, 0x11DDB),
    (0x11DE0, 0x11DE9), (0x16EA0, 0x16EB8), (0x16EBB, 0x16ED3), (0x16FF2, 0x16FF6),
    (0x187F8, 0x187FF), (0x18D09, 0x18D1E), (0x18D80, 0x18DF2), (0x1E6C0, 0x1E6DE),
    (0x1E6E0, 0x1E6F5), (0x1E6FE, 0x1E6FF), (0x2B73A, 0x2B73F), (0x2CEA2, 0x2CEAD),
    (0x323B0, 0x33479),
)
"""Code points (inclusive ranges) where toktok-rs 0.3.0 counts differently from tiktoken
0.14: every scalar value was counted alone and in eleven contexts (between letters, after
a capital, a digit, a space, a period, a newline; before a letter, "'s", a newline, " x";
doubled) by both, for o200k_base (``benchmarks/engines.py --scan``)."""


def _char_class(ranges: list[tuple[int, int]]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


@functools.cache
def _guard_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use. Searches in C: the BMP ranges compile to a bitmap (one lookup
    per character); the astral ranges (a slower class) are searched only in the text's
    astral characters, if any."""
    return (
        _char_class([r for r in DIFFERING if r[1] < 0x10000]),
        re.compile("[\U00010000-\U0010FFFF]+"),
        _char_class([r for r in DIFFERING if r[0] >= 0x10000]),
    )


def guarded(text: str) -> bool:
    """Whether ``text`` holds a code point of :data:`DIFFERING` (so tiktoken must count it).

    >>> guarded("plain text"), guarded("Unicode 17: \U000323b0")
    (False, True)
    """
    if text.isascii():
        return False
    bmp, astral_runs, astral = _guard_patterns()
    if bmp.search(text):
        return True
    found = astral_runs.findall(text)
    return bool(found) and astral.search("".join(found)) is not None

BatchCount = Callable[..., list[int]]
"""``toktok.batch_count(texts, encoding, threads=...)``: one count per text."""

_state: dict[str, BatchCount | None] = {}
_state_lock = threading.Lock()


def counter(encoding: str) -> Callable[[str, int], int | None] | None:
    """The engine's counter for an encoding, or ``None`` (not installed, turned off, unsupported).

    The counter takes the text and a thread count and returns the count, or
    ``None`` when this text must go to tiktoken.
    """
    if encoding not in ENGINE_ENCODINGS or os.environ.get(ENGINE_ENV, "").strip().lower() == "tiktoken":
        return None
    batch_count = _engine()
    if batch_count is None:
        return None

    def count(text: str, threads: int) -> int | None:
        if len(text) < ENGINE_MIN or guarded(text):
            return None
        pieces = [text] if threads == 1 else segment.split(text, segment.CHUNK)
        try:
            return sum(batch_count(pieces, encoding, threads=min(threads, len(pieces))))
        except BaseException as e:  # lone surrogates (which tiktoken replaces and counts), or a panic
            if not (isinstance(e, Exception) or segment.is_panic(e)):
                raise  # KeyboardInterrupt, SystemExit
            return None

    return count


def _engine() -> BatchCount | None:
    """``toktok.batch_count`` when the pinned version is installed; looked up once."""
    if "batch_count" not in _state:
        with _state_lock:
            if "batch_count" not in _state:
                _state["batch_count"] = _find_engine()
    return _state["batch_count"]


def _find_engine() -> BatchCount | None:
    try:
        import toktok
    except ImportError:
        return None
    if getattr(toktok, "__version__", None) != ENGINE_VERSION:
        return None  # only the version the differential tests cover
    batch_count: BatchCount = toktok.batch_count
    return batch_count
