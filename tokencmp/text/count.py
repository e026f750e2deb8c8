"""Counting text: the encoding a call means, and the exact count of a text in it.

    >>> count_tokens("hello world")
    2
    >>> count_tokens("hello world", encoding="cl100k_base")
    2

Which encoding: ``model=`` (any name :func:`tokencmp.resolve_model` accepts),
``encoding=`` (a name, or a :class:`tiktoken.Encoding` already in hand), or
neither (the default model's, gpt-4o's); :func:`choose_encoding` is the rule.

How a text is counted (:func:`count_with`), by size:

* short texts (under :data:`tokencmp.text.engine.ENGINE_MIN` characters): one call
  to tiktoken's Rust core, ``len(encode_ordinary(text))``;
* large texts: the optional accelerated engine where it is known to agree
  with tiktoken (:mod:`tokencmp.text.engine`), else tiktoken, on
  :data:`THREADS` threads in safe pieces (:mod:`tokencmp.text.segment`) once
  a text is longer than :data:`PARALLEL_MIN`;
* where tiktoken itself fails (a whitespace run of about a million characters
  makes it panic): :mod:`tokencmp.text.long_runs`.

Special-token strings such as ``<|endoftext|>`` inside the text count as
ordinary text by default, which is what the API does with user content; a
pasted document that contains one must not crash the counter. Pass
``allow_special=True`` to encode them as the special tokens instead.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import tiktoken

from ..catalog.lookup import default_model, encoding_name
from ..encodings import adapter, get_encoding
from ..encodings.vendors import VendorEncoding
from ..errors import InvalidTextError, TokencmpError
from . import engine, long_runs, segment, vendor_count
from .read import Errors, read_text
from .segment import CHUNK

PARALLEL_MIN = 2 * CHUNK
"""Texts longer than this (in characters) are counted in pieces, on :data:`THREADS` threads."""

THREADS = 2
"""Default number of counting threads for large texts (``threads=`` overrides it)."""


def encoding_for_model(model: str, *, strict_model: bool = False) -> tiktoken.Encoding:
    """The tiktoken ``Encoding`` a model uses, by any name :func:`resolve_model` accepts.

    ``strict_model=True`` accepts only a catalog entry or alias: a name a rule would resolve
    (a snapshot, a variant, a new family member) raises :class:`~tokencmp.errors.AssumedModelError`.

    >>> encoding_for_model("azure/gpt-35-turbo").name
    'cl100k_base'
    """
    return get_encoding(encoding_name(model, strict=strict_model))


def choose_encoding(
    model: str | None = None, encoding: str | tiktoken.Encoding | None = None, *, strict_model: bool = False
) -> tiktoken.Encoding:
    """The encoding named (or given), or the model's, or the default model's (gpt-4o).

    >>> choose_encoding().name, choose_encoding("gpt-4").name, choose_encoding(encoding="o200k_harmony").name
    ('o200k_base', 'cl100k_base', 'o200k_harmony')
    """
    if model is not None and encoding is not None:
        raise TokencmpError("Pass model= or encoding=, not both.")
    if encoding is not None:
        return encoding if isinstance(encoding, tiktoken.Encoding) else get_encoding(encoding)
    return get_encoding(encoding_name(model if model is not None else default_model(), strict=strict_model))


def count_tokens(
    text: str,
    *,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
    allow_special: bool = False,
    threads: int = THREADS,
    strict_model: bool = False,
) -> int:
    """The number of tokens in ``text`` for a model (default ``gpt-4o``) or an encoding.

    Args:
        text: the text to count.
        model: any model name :func:`tokencmp.resolve_model` accepts.
        encoding: an encoding name, or a :class:`tiktoken.Encoding` (say from
            :func:`tokencmp.get_encoding`, to count many texts without looking
            the encoding up each time), instead of a model.
        allow_special: encode special-token strings as special tokens rather
            than as text.
        threads: texts over :data:`PARALLEL_MIN` characters are counted in
            safe pieces on this many threads (tiktoken releases the GIL while
            it encodes); ``threads=1`` counts on the calling thread only. The
            count is the same either way.
        strict_model: accept only a model the catalog holds (an entry or alias): a
            name a rule would resolve raises :class:`~tokencmp.errors.AssumedModelError`.

    >>> count_tokens("<|endoftext|>")                     # as text
    7
    >>> count_tokens("<|endoftext|>", allow_special=True)  # as the special token
    1
    >>> from tokencmp import get_encoding
    >>> count_tokens("hello world", encoding=get_encoding("cl100k_base"))
    2
    """
    if not isinstance(text, str):
        raise InvalidTextError(
            f"count_tokens takes a str, not {type(text).__name__}; decode bytes first "
            "(or use count_file for files)."
        )
    enc = choose_encoding(model, encoding, strict_model=strict_model)
    return count_with(enc, text, allow_special=allow_special, threads=threads)


def count_file(
    path: str | os.PathLike[str],
    *,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
    allow_special: bool = False,
    errors: Errors = "strict",
    threads: int = THREADS,
    strict_model: bool = False,
) -> int:
    """The token count of a UTF-8 text file (read by :func:`tokencmp.text.read.read_text`).

    ``errors`` is ``"strict"`` (invalid UTF-8 is an error with its byte offset)
    or ``"replace"`` (count U+FFFD in its place); see :func:`count_tokens` for
    the rest.
    """
    enc = choose_encoding(model, encoding, strict_model=strict_model)
    return count_with(enc, read_text(path, errors=errors), allow_special=allow_special, threads=threads)


def count_with(
    enc: tiktoken.Encoding, text: str, *, allow_special: bool = False, threads: int = THREADS
) -> int:
    """:func:`count_tokens` for an ``Encoding`` already in hand (no check that ``text`` is a str)."""
    check_threads(threads)
    if allow_special:
        return _count_special(enc, text, threads)
    if isinstance(enc, VendorEncoding):  # another vendor's encoding: its own pre-processing and limits
        return vendor_count.count(enc, text, threads)
    if len(text) < engine.ENGINE_MIN:  # most calls: short texts, straight to tiktoken
        return _ordinary(enc, text)
    fast = engine.counter(enc.name)
    count = fast(text, threads) if fast is not None else None
    if count is not None:
        return count
    if len(text) <= PARALLEL_MIN:
        return _ordinary(enc, text)
    pieces = segment.split(text, CHUNK)
    if threads == 1 or len(pieces) == 1:
        return sum(_count_piece(enc, piece) for piece in pieces)
    # One pool per call: no threads outlive the count, and no state is shared between calls.
    with ThreadPoolExecutor(min(threads, len(pieces)), thread_name_prefix="tokencmp") as pool:
        return sum(pool.map(functools.partial(_count_piece, enc), pieces))


@functools.cache
def batch_counter(enc: tiktoken.Encoding) -> Callable[[Sequence[str]], list[int]]:
    """``[count_with(enc, text) for text in texts]`` as a function of the texts alone, for
    counting many short texts (the contents of a chat request's messages).

    A short text goes straight to tiktoken's core, without the checks
    :func:`count_with` makes on each call; a long one goes to :func:`count_with`.
    Where tiktoken fails on a short text (lone surrogates, a panic), every text
    is counted again by :func:`count_with`, which handles both.

    >>> batch_counter(get_encoding("o200k_base"))(["hello world", "hi", ""])
    [2, 1, 0]
    """
    encode = adapter.core(enc).encode_ordinary
    short = engine.ENGINE_MIN

    def count_all(texts: Sequence[str]) -> list[int]:
        try:
            return [len(encode(t)) if len(t) < short else count_with(enc, t) for t in texts]
        except BaseException as e:  # lone surrogates or a panic: count_with's handling, text by text
            if not (isinstance(e, UnicodeEncodeError) or segment.is_panic(e)):
                raise
        return [count_with(enc, t) for t in texts]

    return count_all


@functools.cache
def short_counter(enc: tiktoken.Encoding) -> Callable[[str], int]:
    """:func:`batch_counter` for one text: ``count_with(enc, text)`` as a function of the text alone.

    >>> short_counter(get_encoding("o200k_base"))("hello world")
    2
    """
    count_all = batch_counter(enc)

    def count(text: str) -> int:
        return count_all((text,))[0]

    return count


def check_threads(threads: object) -> int:
    """``threads`` if it is a whole number of at least 1, else :class:`TokencmpError`.

    >>> check_threads(2)
    2
    """
    return at_least_one(threads, "threads")


def at_least_one(value: object, name: str) -> int:
    """``value`` if it is a whole number (an ``int``, not a ``bool``) of at least 1, else
    :class:`TokencmpError` naming the setting ``name``: the check of ``threads=`` and ``block_size=``.

    >>> at_least_one(0, "block_size")
    Traceback (most recent call last):
        ...
    tokencmp.errors.TokencmpError: block_size must be a whole number of at least 1, not 0.
    """
    if type(value) is not int or value < 1:
        raise TokencmpError(f"{name} must be a whole number of at least 1, not {value!r}.")
    return value


def _count_piece(enc: tiktoken.Encoding, piece: str) -> int:
    # A piece longer than 2 * CHUNK has a long stretch with no safe cut: the only kind
    # that can hold the million-character whitespace run that makes tiktoken panic.
    if len(piece) > 2 * CHUNK:
        return long_runs.count_with_long_runs(enc, piece)
    return _ordinary(enc, piece)


def _ordinary(enc: tiktoken.Encoding, text: str) -> int:
    try:
        # What Encoding.encode_ordinary calls, without its wrapper: it matters for short texts.
        return len(adapter.core(enc).encode_ordinary(text))
    except UnicodeEncodeError:  # lone surrogates: tiktoken's wrapper replaces them
        return _ordinary(enc, segment.tiktoken_text(text))
    except BaseException as e:
        if not segment.is_panic(e):
            raise
    return long_runs.count_with_long_runs(enc, text)


def _count_special(enc: tiktoken.Encoding, text: str, threads: int) -> int:
    try:
        return len(enc.encode(text, allowed_special="all"))
    except BaseException as e:  # a panic, or ValueError on a run tiktoken cannot match
        if not (segment.is_panic(e) or isinstance(e, ValueError)):
            raise
    # Count the text between special tokens as ordinary text, as tiktoken does.
    specials = re.compile("|".join(map(re.escape, sorted(enc.special_tokens_set, key=len, reverse=True))))
    total, pos = 0, 0
    for match in specials.finditer(text):
        total += count_with(enc, text[pos : match.start()], threads=threads) + 1
        pos = match.end()
    return total + count_with(enc, text[pos:], threads=threads)
