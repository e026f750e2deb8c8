"""Exact token counts for plain text and text files.

    >>> import tokencmp
    >>> tokencmp.count_tokens("hello world")
    2
    >>> tokencmp.count_tokens("hello world", encoding="cl100k_base")
    2

Counts equal ``len(enc.encode_ordinary(text))`` for every input tiktoken can
encode, and stay exact on inputs where tiktoken itself panics (whitespace runs
of about a million characters). One idea per module, in the order a count
runs through them:

* :mod:`~tokencmp.text.count`: which encoding a call means, and counting a
  text (:func:`count_tokens`, :func:`count_file`, :func:`count_with`);
* :mod:`~tokencmp.text.read`: reading files and standard input as UTF-8 with
  clear errors (a public module for any program that reads text to count);
* :mod:`~tokencmp.text.engine`: the optional accelerated engine (the ``fast``
  extra), used where it is known to agree with tiktoken;
* :mod:`~tokencmp.text.segment`: where a text can be cut without changing
  its count (counting on several threads, streaming);
* :mod:`~tokencmp.text.long_runs`: what tiktoken cannot count (huge
  whitespace runs) or counts slowly (long pre-tokens);
* :mod:`~tokencmp.text.stream`: large files read in pieces that count exactly
  as the whole file would.

This package re-exports the names other modules of tokencmp use, so
``from tokencmp.text import count_with`` keeps working.
"""

from __future__ import annotations

from . import engine, long_runs, segment
from .count import (
    PARALLEL_MIN,
    THREADS,
    check_threads,
    choose_encoding,
    count_file,
    count_tokens,
    count_with,
    encoding_for_model,
    short_counter,
)
from .read import (
    ERRORS,
    Errors,
    check_errors,
    decode_utf8,
    invalid_utf8,
    open_binary,
    read_stdin,
    read_stdin_bytes,
    read_text,
    unreadable,
)
from .segment import CHUNK

__all__ = [
    "CHUNK",
    "ERRORS",
    "PARALLEL_MIN",
    "THREADS",
    "Errors",
    "check_errors",
    "check_threads",
    "choose_encoding",
    "count_file",
    "count_tokens",
    "count_with",
    "decode_utf8",
    "encoding_for_model",
    "engine",
    "invalid_utf8",
    "long_runs",
    "open_binary",
    "read_stdin",
    "read_stdin_bytes",
    "read_text",
    "segment",
    "short_counter",
    "unreadable",
]
