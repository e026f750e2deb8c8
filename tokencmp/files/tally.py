"""Running totals over the lines of a file, in memory that does not grow with the number of lines.

    >>> d = Counts()
    >>> for n in (5, 1, 9, 3, 7):
    ...     d.add(n)
    >>> d.distribution().to_dict()
    {'count': 5, 'total': 25, 'min': 1, 'p50': 5, 'p95': 9, 'max': 9}

A distribution is kept as the number of times each value was seen (token counts
repeat: a file of millions of lines has a few thousand distinct counts), and its
percentiles are the nearest-rank ones: ``p50`` is the smallest value that at
least half the lines are at or below, ``p95`` the same for 95% -- each is a
count some line really has, never an interpolation.

:class:`Problems` keeps every kind of problem's count and the first
:data:`KEEP` of them in full, so a file with a million bad lines still gives a
short report (``--per-line`` writes every one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..result import Result

KEEP = 1000
"""Problems, and custom_ids over a limit, listed in full in a report; the rest are counted."""


@dataclass(frozen=True, kw_only=True)
class Distribution(Result):
    """The values seen, one per line: how many, their sum, the least, the nearest-rank p50 and p95,
    the most (``None`` with no values)."""

    count: int
    total: int
    min: int | None
    p50: int | None
    p95: int | None
    max: int | None


class Counts:
    """Values seen, as a count per distinct value."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: Counter[int] = Counter()

    def add(self, value: int) -> None:
        self.seen[value] += 1

    def distribution(self) -> Distribution:
        n = sum(self.seen.values())
        if not n:
            return Distribution(count=0, total=0, min=None, p50=None, p95=None, max=None)
        values = sorted(self.seen)
        return Distribution(
            count=n, total=sum(v * c for v, c in self.seen.items()), min=values[0],
            p50=self._rank(values, n, 50), p95=self._rank(values, n, 95), max=values[-1],
        )

    def _rank(self, values: list[int], n: int, percent: int) -> int:
        need = -(-n * percent // 100)  # ceil(n * p / 100): the nearest rank
        seen = 0
        for v in values:
            seen += self.seen[v]
            if seen >= need:
                return v
        return values[-1]


@dataclass(frozen=True, kw_only=True)
class LineProblem(Result):
    """One line that is invalid (or, with ``warning`` true, read but worth a word)."""

    line: int
    kind: str
    message: str
    custom_id: str | None = None
    warning: bool = False


class Problems:
    """Problems by kind, the first :data:`KEEP` of them kept whole."""

    __slots__ = ("by_kind", "kept")

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self.kept: list[LineProblem] = []

    def add(self, problem: LineProblem) -> None:
        self.by_kind[problem.kind] += 1
        if len(self.kept) < KEEP:
            self.kept.append(problem)

    @property
    def count(self) -> int:
        return sum(self.by_kind.values())

    def merge(self, later: Problems) -> None:
        """Add the problems of ``later``, problems seen after these (a later chunk of the file)."""
        self.by_kind.update(later.by_kind)
        self.kept.extend(later.kept[: KEEP - len(self.kept)])


class Kept:
    """Names (custom_ids) over a limit: how many, and the first :data:`KEEP`."""

    __slots__ = ("count", "names")

    def __init__(self) -> None:
        self.count = 0
        self.names: list[str] = []

    def add(self, name: str) -> None:
        self.count += 1
        if len(self.names) < KEEP:
            self.names.append(name)
