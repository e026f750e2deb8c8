"""The counting pipeline: a text, or a file read in pieces, counted under several encodings at once.

    >>> from tokencmp import get_encoding
    >>> tally = Tally([get_encoding("o200k_base"), get_encoding("cl100k_base")], by_script=False)
    >>> for piece in ["hello", " world"]:   # pieces that end at safe cuts
    ...     tally.add(piece)
    >>> c = tally.result("none")
    >>> c.tokens, c.characters, c.bytes, c.graphemes
    ({'o200k_base': 2, 'cl100k_base': 2}, 11, 11, 11)

Pieces must end at cuts that cannot change tiktoken's count
(:mod:`tokencmp.text.segment`); :func:`tally_file` reads a file in such pieces
(:mod:`tokencmp.text.stream`), so its counts are those of the whole file.

A file is read on the calling thread while its pieces are counted on a pool
of worker threads, one task per encoding: tiktoken releases the GIL while it
counts, so reading ahead and counting grapheme clusters overlap with it.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import tiktoken

from ..text import CHUNK, THREADS, Errors, check_threads, count_with, segment
from ..text.stream import BLOCK_SIZE, Normalization, Progress, read_pieces
from .results import Comparison
from .scripts import GraphemeTally, ScriptTally


class Tally:
    """Counts for a text fed in pieces that end at safe cuts (or one whole text).

    With a ``pool``, each piece's tokens are counted there, one task per
    encoding, while the feeding thread goes on (grapheme clusters, the next
    block); at most :attr:`AHEAD` pieces wait beyond the one just fed, so
    memory stays bounded.
    """

    AHEAD = 1

    def __init__(
        self, encodings: list[tiktoken.Encoding], by_script: bool, pool: ThreadPoolExecutor | None = None
    ) -> None:
        self._encodings = encodings
        self._pool = pool
        self._pending: deque[list[Future[int]]] = deque()
        self._tokens = {e.name: 0 for e in encodings}
        self._characters = 0
        self._bytes = 0
        self._graphemes = GraphemeTally()
        self._scripts = ScriptTally(encodings) if by_script else None

    def add(self, piece: str, *, whole: bool = False) -> None:
        """Count ``piece``; ``whole=True`` says it is a whole text, cut here for the script breakdown."""
        if self._pool is None:
            for enc in self._encodings:
                self._tokens[enc.name] += count_with(enc, piece)
        else:
            pool = self._pool
            self._pending.append([pool.submit(count_with, e, piece, threads=1) for e in self._encodings])
        self._characters += len(piece)
        self._bytes += len(piece.encode("utf-8", "surrogatepass"))
        self._graphemes.add(piece)
        if self._scripts is not None:
            for part in segment.split(piece, CHUNK) if whole else [piece]:
                self._scripts.add(part)
        while len(self._pending) > self.AHEAD:
            self._collect()

    def _collect(self) -> None:
        for enc, future in zip(self._encodings, self._pending.popleft(), strict=True):
            self._tokens[enc.name] += future.result()

    def result(self, form: Normalization) -> Comparison:
        """The counts of everything fed, which was normalised to ``form`` (no input costs)."""
        while self._pending:
            self._collect()
        return Comparison(
            tokens=dict(self._tokens),
            characters=self._characters,
            bytes=self._bytes,
            graphemes=self._graphemes.total,
            normalize=form,
            scripts=None if self._scripts is None else self._scripts.result(),
        )


def tally_file(
    source: str | os.PathLike[str] | BinaryIO,
    encodings: list[tiktoken.Encoding],
    *,
    by_script: bool,
    form: Normalization,
    errors: Errors,
    progress: Progress | None,
    block_size: int = BLOCK_SIZE,
    threads: int = THREADS,
) -> Comparison:
    """The counts of a UTF-8 file read ``block_size`` bytes at a time, on ``threads`` threads."""
    check_threads(threads)
    pieces = read_pieces(source, normalize=form, errors=errors, progress=progress, block_size=block_size)
    if threads == 1:
        tally = Tally(encodings, by_script)
        for piece in pieces:
            tally.add(piece)
        return tally.result(form)
    # One pool per call: no thread outlives the comparison.
    with ThreadPoolExecutor(threads, thread_name_prefix="tokencmp") as pool:
        tally = Tally(encodings, by_script, pool)
        for piece in pieces:
            tally.add(piece)
        return tally.result(form)
