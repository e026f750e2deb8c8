"""Several trials of one model: each figure's minimum, maximum and average (:func:`summarize`).

    >>> from tokencmp.speed import measure
    >>> trials = [measure([(t, "hello"), (t + 0.1, " world")], model="gpt-4o") for t in (0.25, 0.5)]
    >>> summarize(trials).latency
    StatRange(value_min=0.25, value_max=0.5, average=0.375, trials=2)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import TokencmpError
from ..result import Result
from .results import SpeedResult


@dataclass(frozen=True, kw_only=True)
class StatRange(Result):
    """Minimum (``value_min``), maximum (``value_max``) and average of one figure over the trials.

    ``trials`` is how many trials had the figure. ``minimum`` and ``maximum``,
    the names in tokencmp 0.1.0, are kept as read-only aliases.
    """

    value_min: float | int
    value_max: float | int
    average: float
    trials: int

    @property
    def minimum(self) -> float | int:
        """Alias of ``value_min`` (its name in tokencmp 0.1.0)."""
        return self.value_min

    @property
    def maximum(self) -> float | int:
        """Alias of ``value_max`` (its name in tokencmp 0.1.0)."""
        return self.value_max

    @classmethod
    def of(cls, values: Sequence[float | int | None]) -> StatRange | None:
        """The range of the values that are not None; None if there are none.

        >>> StatRange.of([258, 260, 258, None])
        StatRange(value_min=258, value_max=260, average=258.6666666666667, trials=3)
        """
        present = [v for v in values if v is not None]
        if not present:
            return None
        return cls(value_min=min(present), value_max=max(present), average=sum(present) / len(present),
                   trials=len(present))


SUMMARY_STATS = (
    "stream_rate", "latency", "total_time", "total_rate", "response_tokens", "chunks",
    "usage_completion_tokens", "usage_difference",
)
"""The figures a :class:`SpeedSummary` ranges over, in the order a report shows them."""


@dataclass(frozen=True, kw_only=True)
class SpeedSummary(Result):
    """Minimum / maximum / average of each figure over several trials of one model.

    Each figure of :data:`SUMMARY_STATS` is a :class:`StatRange`, or ``None``
    when no trial had it.
    """

    model: str | None
    encoding: str
    trials: int
    stream_rate: StatRange | None
    latency: StatRange | None
    total_time: StatRange | None
    total_rate: StatRange | None
    response_tokens: StatRange | None
    chunks: StatRange | None
    usage_completion_tokens: StatRange | None
    usage_difference: StatRange | None


def summarize(results: Sequence[SpeedResult]) -> SpeedSummary:
    """Summarize trials of one model: each figure's minimum, maximum and average.

    A figure missing from a trial (no stream rate from a one-chunk answer, no
    usage) is left out of that figure's range; ``StatRange.trials`` says how
    many trials it covers.
    """
    if not results:
        raise TokencmpError("summarize() needs at least one SpeedResult.")
    first = results[0]

    def over(get: Callable[[SpeedResult], float | int | None]) -> StatRange | None:
        return StatRange.of([get(r) for r in results])

    return SpeedSummary(
        model=first.model,
        encoding=first.encoding,
        trials=len(results),
        stream_rate=over(lambda r: r.stream_rate),
        latency=over(lambda r: r.latency),
        total_time=over(lambda r: r.total_time),
        total_rate=over(lambda r: r.total_rate),
        response_tokens=over(lambda r: r.response_tokens),
        chunks=over(lambda r: r.chunks),
        usage_completion_tokens=over(lambda r: r.usage.completion_tokens if r.usage else None),
        usage_difference=over(lambda r: r.usage_difference),
    )
