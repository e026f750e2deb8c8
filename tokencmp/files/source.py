"""Where a file command reads from: a path, standard input (``"-"``) or a binary stream; and how many
processes to read it with.

    >>> import io
    >>> with open_source(io.BytesIO(b"{}"), None) as (stream, name, size, workers):
    ...     name, size, workers
    ('<stream>', None, 1)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from ..errors import TokencmpError
from ..text.read import STDIN, open_binary, stdin_binary, unreadable
from .jsonl import Readable
from .parallel import default_workers

MAX_WORKERS = 64
"""The most processes a file command starts (more is a mistake, not a speed-up)."""
PARALLEL_FROM = 4_000_000
"""Bytes from which a file is worth more than one process (below, starting them costs more)."""


@contextmanager
def open_source(
    source: str | os.PathLike[str] | BinaryIO, workers: int | None
) -> Iterator[tuple[Readable, str, int | None, int]]:
    """``(stream, name, size in bytes or None, processes)`` for ``source``, closed afterwards."""
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or not 1 <= workers <= MAX_WORKERS):
        raise TokencmpError(f"workers must be a whole number from 1 to {MAX_WORKERS}, not {workers!r}.")
    if isinstance(source, (str, os.PathLike)):
        if os.fspath(source) == "-":
            yield _Checked(stdin_binary(), STDIN), STDIN, None, workers or 1
            return
        stream = open_binary(source)
        try:
            size: int | None = os.fstat(stream.fileno()).st_size
            yield _Checked(stream, os.fspath(source)), os.fspath(source), size, _workers(workers, size)
        finally:
            stream.close()
        return
    if not hasattr(source, "read"):
        raise TokencmpError(f"expected a path or a binary stream, not {type(source).__name__}.")
    yield source, getattr(source, "name", "<stream>") if isinstance(getattr(source, "name", None), str) \
        else "<stream>", None, workers or 1


class _Checked:
    """A binary stream whose failed reads (EIO, a closed stream) are one error naming the file."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except (OSError, ValueError) as e:
            raise unreadable(self._name, e) from None


def _workers(asked: int | None, size: int | None) -> int:
    if asked is not None:
        return asked
    return default_workers() if size is not None and size >= PARALLEL_FROM else 1
