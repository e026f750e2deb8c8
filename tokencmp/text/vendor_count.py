"""Counting a text in another vendor's encoding (:mod:`tokencmp.encodings.vendors`).

:func:`tokencmp.text.count.count_with` sends every ordinary count in a
:class:`~tokencmp.encodings.vendors.VendorEncoding` here. The text is first
made what the vendor's encoder sees (lone surrogates replaced as tiktoken
does; NFC for Qwen), then cut where :mod:`tokencmp.text.segment` cuts
(``X␠L``, ``X\\nY``, ``L P L``). Those cuts are safe for the vendor patterns
too: each pattern (Llama 3's and Qwen 2's are cl100k's without possessive
quantifiers and with ``\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`` for whitespace; Llama 4's
is o200k's; Tekken's and Qwen 3.5's are o200k's with single digits; DeepSeek
V4's three ``Split`` steps isolate digit groups and CJK runs first) starts a
pre-token at a space before a letter, after a newline that follows a
non-space, and at a punctuation mark between letters, exactly the arguments
:mod:`tokencmp.text.segment` gives. NFC commutes with these cuts: a space, a
newline and a punctuation mark compose with nothing.

* tiktoken-format encodings: each piece goes to tiktoken's core (long pieces
  with no cut, such as a megabyte of one letter, whole: exact, if slower).
  tiktoken panics on whitespace runs of about a million characters with these
  patterns too; then :func:`count_long_runs` works out the run's pre-tokens
  (below) and counts them with :func:`tokencmp.text.long_runs.bpe_count`.
* ``tokenizer.json`` encodings: ``tokenizers`` encodes the pieces in parallel
  (its own threads); it has no such limit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..encodings.vendors import TokenizersEncoding, VendorEncoding
from ..errors import InvalidTextError
from . import segment
from .long_runs import LONG_RUN, bpe_count
from .segment import CHUNK, WHITESPACE


@functools.cache
def _runs(min_run: int) -> re.Pattern[str]:
    return re.compile("[" + re.escape(WHITESPACE) + "]{" + str(min_run) + ",}")


def count(enc: VendorEncoding, text: str, threads: int) -> int:
    """The ordinary count of ``text`` in ``enc`` (no BOS/EOS, special-token strings as text)."""
    text = enc.prepare(segment.tiktoken_text(text))
    pieces = segment.split(text, CHUNK) if len(text) > 2 * CHUNK else [text]
    if isinstance(enc, TokenizersEncoding):
        if len(pieces) == 1 or threads == 1:
            return sum(len(enc.raw_core.encode_ordinary(p)) for p in pieces)
        return sum(enc.raw_core.count_batch(pieces))
    core = enc.raw_core
    if threads == 1 or len(pieces) == 1:  # one call: cutting gains nothing on one thread
        return _piece(enc, core, text)
    with ThreadPoolExecutor(min(threads, len(pieces)), thread_name_prefix="tokencmp") as pool:
        return sum(pool.map(lambda p: _piece(enc, core, p), pieces))


def _piece(enc: VendorEncoding, core: Any, piece: str) -> int:
    try:
        return len(core.encode_ordinary(piece))
    except BaseException as e:
        if not segment.is_panic(e):
            raise
    return count_long_runs(enc, piece)


def count_long_runs(enc: VendorEncoding, text: str, *, min_run: int = LONG_RUN) -> int:
    r"""Count ``text`` (a whole text, or a piece ending where the text does or at a safe cut) with
    the pre-tokens of each whitespace run of ``min_run`` or more worked out, not matched by tiktoken.

    Every tiktoken-format vendor pattern ends in ``\s*[\r\n]+|\s+(?!\S)|\s+`` and has no ``\s++$``,
    and inside a run no other alternative matches (they need a letter, a digit or punctuation after at
    most one whitespace character). So a run's pre-tokens are: the newlines at its start, if the
    pre-token before it is punctuation (``[^\s\p{L}\p{N}]+[\r\n]*``, ``[\r\n/]*``), which absorbs
    them; then everything up to its last newline (``\s*[\r\n]+``); then the rest, but for its last
    character when text follows (``\s+(?!\S)``), which starts the next pre-token and is left to
    tiktoken with the text after. The stretches between runs go to tiktoken. The tests check this
    against tiktoken with ``min_run`` small.
    """
    total, pos = 0, 0
    for run in _runs(min_run).finditer(text):
        a, b = run.span()
        if a < pos:
            continue
        absorbed = 0
        if a > 0 and _absorbs_newlines(enc, text[a - 1]):
            while a + absorbed < b and text[a + absorbed] in "\r\n":
                absorbed += 1
        total += _ordinary(enc, text[pos : a + absorbed])
        p = a + absorbed
        pieces = []
        last_newline = max(text.rfind("\n", p, b), text.rfind("\r", p, b))
        if last_newline >= 0:
            pieces.append(text[p : last_newline + 1])
            p = last_newline + 1
        if b == len(text):
            pieces.append(text[p:b])
            pos = b
        elif b - p >= 2:
            pieces.append(text[p : b - 1])
            pos = b - 1
        else:
            pos = p
        total += sum(bpe_count(enc, s.encode("utf-8")) for s in pieces if s)
    return total + _ordinary(enc, text[pos:])


def _absorbs_newlines(enc: VendorEncoding, c: str) -> bool:
    r"""Whether the pre-token ending in ``c`` (not whitespace) is a punctuation run, which absorbs the
    newlines after it. Letters, digits: no (their runs end there). A combining mark: in Llama 3's and
    Qwen 2's patterns it is punctuation (``\p{L}+`` leaves it out); in Qwen 3.5's a letter
    (``[\p{L}\p{M}]+``, and its punctuation class leaves marks out); in Llama 4's and Tekken's both
    classes take it, so which one ends there depends on the text before: refused, as is a character
    Python's Unicode tables do not know (``Cn``)."""
    kind = unicodedata.category(c)
    pattern = enc.pattern
    if kind[0] in "LN":
        return False
    if kind == "Cn" or (kind[0] == "M" and r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]" in pattern):
        raise InvalidTextError(
            f"tiktoken cannot pre-tokenize a whitespace run of about a million characters with "
            f"{enc.name}, and the character before it (U+{ord(c):04X}) leaves its pre-tokens open. "
            "Shorten the run."
        )
    if kind[0] == "M":
        return r"[^\s\p{L}\p{M}\p{N}]" not in pattern
    return True


def _ordinary(enc: VendorEncoding, text: str) -> int:
    try:
        return len(enc.raw_core.encode_ordinary(text))
    except BaseException as e:
        if not segment.is_panic(e):
            raise
    raise InvalidTextError(
        f"tiktoken could not pre-tokenize a part of this text with {enc.name} "
        f"(its regex engine gave up on a stretch of {len(text):,} characters)."
    )
