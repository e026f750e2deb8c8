"""Chunks of a file worked on by several processes, results in file order, memory bounded.

    >>> list(ordered_map(len, iter(["ab", "c"]), workers=1))
    [2, 1]

Why processes and not threads: the work on each line is parsing its JSON and
laying its request out, Python code that holds the GIL; tiktoken releases it
only while encoding, which is a small part of a short request. Measured on 50,000
lines of benchmarks/files.py's batch file, :func:`tokencmp.files.batch.work` on a
pool of two threads took 3.2-3.8 s against 2.9-3.5 s on one, and the process never
used more than one core's CPU time (docs/files.md has the figures for processes).

At most ``2 x workers`` chunks are in flight, so a file of any size holds a few
chunks in memory. Workers are forked where the platform allows (Linux), so they
start with the encodings and the catalog already loaded; elsewhere they are
spawned and load them once each. ``workers=1`` works in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

ChunkMap = Callable[[Callable[[Any], Any], Iterator[Any]], Iterator[Any]]
"""``map_chunks(fn, chunks)``: ``fn`` applied to each chunk, the results in order. The file commands
take one to work on another engine (:func:`tokencmp.scale.dask.chunk_map`); :func:`ordered_map`
on this machine's processes otherwise."""


def default_workers() -> int:
    """The processes to use by default: every core this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def ordered_map(fn: Callable[[T], R], items: Iterator[T], *, workers: int) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` processes, in order, with a bounded number in flight.

    ``fn`` must be a module-level function (it is pickled by name).
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "fork":
        # Objects the garbage collector already tracks are moved out of its reach, so a forked
        # worker's collections do not write to (and copy) every page it shares with this process.
        gc.freeze()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        flight: deque[Future[R]] = deque()
        for item in items:
            flight.append(pool.submit(fn, item))
            if len(flight) >= 2 * workers:
                yield flight.popleft().result()
        while flight:
            yield flight.popleft().result()
