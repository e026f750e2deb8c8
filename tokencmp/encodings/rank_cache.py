"""A verified on-disk cache of parsed rank files, so a fresh process starts fast.

Parsing ``o200k_base.tiktoken`` (200,000 base64 lines) costs about 0.1 s,
more than the rest of a short ``tokencmp count``. This cache keeps the parsed
``{token bytes: rank}`` table in :mod:`marshal` form (about 40 ms to load) in
the user's cache folder.

It is never trusted blindly and never required:

* an entry's file name carries the rank file's published SHA-256 (the hash
  tokencmp checks the bundled file against before parsing it), the cache
  format and the Python version (marshal's format is per version), so a new
  rank file or Python never reads an old entry;
* the entry holds the SHA-256 of its own payload, checked on every load, so a
  truncated, corrupt or hand-edited entry is ignored and rebuilt;
* entries are written only from a file whose hash was verified, to a
  temporary name first and then renamed into place, so readers never see a
  half-written entry;
* any failure (no cache folder, read-only disk, a bad entry) falls back to
  parsing the verified rank file; nothing is raised.

The folder: ``TOKENCMP_CACHE_DIR`` if set (an empty value turns the cache
off), else the platform's user cache folder + ``tokencmp``.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

CACHE_DIR_ENV = "TOKENCMP_CACHE_DIR"
FORMAT = 1
MAGIC = b"tokencmp-ranks\n"


def cache_dir() -> Path | None:
    """The folder for cached ranks, or ``None`` when caching is off."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "tokencmp" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tokencmp"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tokencmp"


def entry_path(filename: str, source_sha256: str) -> Path | None:
    """Where the ranks parsed from ``filename`` (with that published hash) are kept."""
    folder = cache_dir()
    if folder is None:
        return None
    stem = filename.removesuffix(".tiktoken")
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"{stem}-{source_sha256[:16]}-v{FORMAT}-{py}.ranks"


def load(filename: str, source_sha256: str) -> dict[bytes, int] | None:
    """The cached ranks, or ``None`` when there is no sound entry."""
    try:
        path = entry_path(filename, source_sha256)
        if path is None:
            return None
        blob = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home folder
        return None
    head = len(MAGIC) + 32
    if not blob.startswith(MAGIC) or hashlib.sha256(blob[head:]).digest() != blob[len(MAGIC) : head]:
        return None
    try:
        ranks = marshal.loads(blob[head:])
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(ranks, dict) or not ranks:
        return None
    return ranks


def store(filename: str, source_sha256: str, ranks: dict[bytes, int]) -> None:
    """Write an entry for ranks parsed from a verified file; failures are ignored."""
    try:
        path = entry_path(filename, source_sha256)
        if path is None:
            return
        import tempfile  # only when writing

        payload = marshal.dumps(ranks)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, RuntimeError, ValueError):
        return
