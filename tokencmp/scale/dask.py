"""Dask: exact comparisons and file reports on a running Dask cluster (``pip install 'tokencmp[scale]'``).

    from distributed import Client
    from tokencmp.scale import CompareSettings
    from tokencmp.scale.dask import compare_bag, compare_paths

    client = Client("tcp://127.0.0.1:8786")
    settings = CompareSettings(("o200k_base", "cl100k_base")).resolved()
    [en, ja] = compare_paths(client, ["en.txt", "ja.txt"], settings)   # each = tokencmp.compare_file(...)

What runs where:

* :func:`compare_paths` cuts each file at safe byte offsets
  (:mod:`tokencmp.scale.split`; reading a few KB at each target offset) and
  sends one task per range, which a worker reads from the same path (the
  workers must see the files: one machine, or a shared file system). The
  ranges are merged in order (:func:`tokencmp.scale.partial.merge`) and priced
  as ``compare_file`` prices the file.
* :func:`compare_corpus` is :func:`tokencmp.compare_corpus` with its files
  counted that way.
* :func:`chunk_map` runs the file commands' work on the cluster
  (``check_batch(..., map_chunks=chunk_map(client))``, ``check_finetune``,
  ``cost_of_outputs``): this process reads the file and sends its chunks of
  lines; results come back in file order, a bounded number in flight.
* :func:`compare_bag` and :func:`compare_dataframe`: a ``dask.bag`` of texts,
  or a text column of a ``dask.dataframe``, counted partition by partition and
  merged in partition order.

Lost workers: the scheduler runs a lost worker's tasks again elsewhere
(``distributed.scheduler.allowed-failures`` times, 3 by default), so the result
is the same. A part that cannot be had (its worker died that many times, the
scheduler went away) is a :class:`~tokencmp.errors.ClusterError` naming the
part: a total is never reported without it. Each task sends back a small
result (a :class:`~tokencmp.compare.Comparison`, or a chunk's outcomes) and the
settings and encodings travel as names (:mod:`tokencmp.encodings.registry`),
so the rank tables are never sent.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..compare.results import Comparison, CorpusReport
from ..errors import ClusterError, MissingExtraError
from ..files.jsonl import Chunk
from ..files.parallel import ChunkMap
from .partial import CompareSettings, count_range, count_texts, finish, merge, settings_for
from .split import cut_file

if TYPE_CHECKING:
    import distributed

SPLIT_BYTES = 32 << 20
"""Bytes per task when a file is cut into ranges (about a second of counting for two encodings)."""


def connect(address: str, *, timeout: float = 10) -> distributed.Client:
    """A client of the Dask scheduler at ``address`` (``tcp://host:port``), or a :class:`ClusterError`."""
    try:
        return _distributed().Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        raise ClusterError(
            f"Cannot reach a Dask scheduler at {address!r} ({type(e).__name__}: {e}). Start one "
            "(dask scheduler; dask worker ADDRESS) or give the address it printed."
        ) from None


class PendingFile:
    """The comparison of one file, its ranges counting on the cluster; :meth:`result` waits for it."""

    def __init__(self, client: distributed.Client, path: Path, settings: CompareSettings,
                 ranges: list[tuple[int, int]], priced: bool) -> None:
        self.path = path
        self._settings = settings
        self._ranges = ranges
        self._priced = priced
        self._futures = [client.submit(count_range, settings, str(path), a, b, pure=False) for a, b in ranges]

    def counts(self) -> Comparison:
        """The file's counts, unpriced (raises what counting raised, or a :class:`ClusterError`)."""
        parts = [_result(f, lambda r=r: f"bytes {r[0]:,} to {r[1]:,} of {self.path}")  # type: ignore[misc]
                 for f, r in zip(self._futures, self._ranges, strict=True)]
        return merge(parts, self._settings)

    def result(self) -> Comparison:
        """The file's comparison, equal to :func:`tokencmp.compare_file`'s."""
        return finish(self._settings, self.counts()) if self._priced else self.counts()


def submit_paths(client: distributed.Client, paths: Sequence[str | os.PathLike[str]],
                 settings: CompareSettings, *, split_bytes: int = SPLIT_BYTES,
                 priced: bool = True) -> list[PendingFile]:
    """Start comparing each file on the cluster; each :class:`PendingFile` gives its result.

    A file broken down by script (``settings.by_script``) is one task: script runs carry state
    across the text, which byte ranges would cut.
    """
    settings = settings.resolved()
    pending = []
    for p in paths:
        path = Path(p)
        size = os.stat(path).st_size
        ranges = [(0, size)] if settings.by_script else cut_file(path, split_bytes)
        pending.append(PendingFile(client, path, settings, ranges, priced))
    return pending


def compare_paths(client: distributed.Client, paths: Sequence[str | os.PathLike[str]],
                  settings: CompareSettings, *, split_bytes: int = SPLIT_BYTES) -> list[Comparison]:
    """:func:`tokencmp.compare_file` of each path, counted on the cluster."""
    return [p.result() for p in submit_paths(client, paths, settings, split_bytes=split_bytes)]


def compare_corpus(client: distributed.Client, path: str | os.PathLike[str] | None = None, *,
                   encodings: Sequence[str] | None = None, reference: str | None = "en",
                   normalize: str = "NFC", models: Sequence[str] | None = None, errors: Any = "strict",
                   split_bytes: int = SPLIT_BYTES) -> CorpusReport:
    """:func:`tokencmp.compare_corpus`, its language files counted on the cluster."""
    from ..compare.run import compare_corpus as local

    settings = settings_for(encodings, normalize=normalize, errors=errors, models=models)

    def count(files: list[Path]) -> list[Comparison]:
        pending = submit_paths(client, files, settings, split_bytes=split_bytes, priced=False)
        return [p.counts() for p in pending]

    return local(path, encodings=encodings, reference=reference, normalize=normalize, models=models,
                 errors=errors, count=count)


def chunk_map(client: distributed.Client, *, ahead: int | None = None) -> ChunkMap:
    """A ``map_chunks`` for the file commands: each chunk a task, results in order, at most ``ahead``
    (default: twice the cluster's threads, at least 4) in flight."""
    if ahead is None:
        ahead = max(4, 2 * sum(client.nthreads().values()))
    return functools.partial(_ordered, client, ahead)


def _ordered(client: distributed.Client, ahead: int, fn: Callable[[Any], Any],
             items: Iterator[Any]) -> Iterator[Any]:
    flight: deque[tuple[distributed.Future, Any]] = deque()
    for item in items:
        flight.append((client.submit(fn, item, pure=False), _what(item)))
        if len(flight) >= ahead:
            future, what = flight.popleft()
            yield _result(future, lambda w=what: w)  # type: ignore[misc]
    while flight:
        future, what = flight.popleft()
        yield _result(future, lambda w=what: w)  # type: ignore[misc]


def compare_bag(bag: Any, settings: CompareSettings) -> Comparison:
    """The comparison of a ``dask.bag`` of texts, each counted as a whole text (as
    :func:`tokencmp.scale.count_texts` counts a list of them), priced on the settings' models."""
    settings = settings.resolved()
    counted = bag.reduction(functools.partial(count_texts, settings),
                            functools.partial(_merge_all, settings)).compute()
    return finish(settings, counted)


def compare_dataframe(frame: Any, column: str, settings: CompareSettings) -> Comparison:
    """The comparison of the texts in ``column`` of a ``dask.dataframe``, partition by partition."""
    import dask

    settings = settings.resolved()
    count = dask.delayed(_count_series, pure=True)
    parts = dask.compute(*[count(settings, part) for part in frame[column].to_delayed()])
    return finish(settings, merge(parts, settings))


def _count_series(settings: CompareSettings, series: Any) -> Comparison:
    return count_texts(settings, series.tolist())


def _merge_all(settings: CompareSettings, parts: Any) -> Comparison:
    return merge(list(parts), settings)


def _distributed() -> Any:
    """The ``distributed`` package (imported when first used, so this module imports without it)."""
    try:
        import distributed
    except ImportError:
        raise MissingExtraError("Counting on Dask", "scale", "distributed") from None
    return distributed


def _what(item: Any) -> str:
    """The part of the input a task holds, for an error that names it."""
    chunk = item[0] if isinstance(item, tuple) and item and isinstance(item[0], Chunk) else item
    if isinstance(chunk, Chunk):
        return f"lines {chunk.start:,} to {chunk.end:,}"
    return repr(item)[:80]


def _result(future: distributed.Future, what: Callable[[], str]) -> Any:
    """The future's result; a part lost with the cluster is a :class:`ClusterError` naming it."""
    distributed = _distributed()
    try:
        return future.result()
    except distributed.KilledWorker as e:
        raise ClusterError(
            f"The cluster lost {what()}: every worker that took it died ({e}). Nothing is totalled "
            "without it; check the workers' memory and logs, then run again."
        ) from None
    except (OSError, TimeoutError, distributed.comm.CommClosedError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise ClusterError(
            f"The connection to the cluster broke before {what()} was counted ({type(e).__name__}: {e}); "
            "nothing is totalled without it. Run again."
        ) from None
