"""A progress bar on standard error, for long counts of large inputs.

Shown only when standard error is a terminal and the input is large, so
pipes, logs and tests never see it. The library reports progress through a
plain callback, ``progress(bytes_done, bytes_total)``; drawing is done here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """``[#######.......]  45%  12.3 / 27.0 MB`` on one line, redrawn at most ten times a second."""

    def __init__(self, total: int, out: TextIO) -> None:
        self.total = max(total, 1)
        self.out = out
        self._last = 0.0

    def __call__(self, done: int, _total: int | None = None) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and done < self.total:
            return
        self._last = now
        share = min(done / self.total, 1.0)
        filled = int(share * WIDTH)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  "
            f"{done / 1e6:,.1f} / {self.total / 1e6:,.1f} MB"
        )
        self.out.flush()

    def clear(self) -> None:
        self.out.write("\r" + " " * (WIDTH + 40) + "\r")
        self.out.flush()

    @classmethod
    @contextmanager
    def for_stderr(
        cls, total: int, *, threshold: int, out: TextIO | None = None
    ) -> Iterator[Callable[[int, int | None], None] | None]:
        """A bar for ``total`` bytes if ``out`` is a terminal and ``total >= threshold``, else None."""
        out = out if out is not None else sys.stderr
        if out is None or total < threshold or not out.isatty():
            yield None
            return
        bar = cls(total, out)
        try:
            yield bar
        finally:
            bar.clear()
