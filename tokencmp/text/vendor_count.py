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
  patterns too; tokencmp's workaround for OpenAI's encodings
  (:mod:`tokencmp.text.long_runs`) is written for OpenAI's patterns, so here
  that is an :class:`~tokencmp.errors.InvalidTextError`, never a wrong count.
* ``tokenizer.json`` encodings: ``tokenizers`` encodes the pieces in parallel
  (its own threads); it has no such limit.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..encodings.vendors import TokenizersEncoding, VendorEncoding
from ..errors import InvalidTextError
from . import segment
from .segment import CHUNK


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
    raise InvalidTextError(
        f"tiktoken cannot pre-tokenize this text with {enc.name} (its regex engine gives up on a "
        f"whitespace run of about a million characters, in a stretch of {len(piece):,}), and tokencmp's "
        "exact workaround covers only OpenAI's patterns. Shorten the run."
    )
