"""Per-row counts as columns, for engines that map batches of a table: Ray Data, Spark, ``datasets``.

    >>> s = CompareSettings(("o200k_base", "cl100k_base")).resolved()
    >>> batch = CountBatch(s)({"text": ["hello world", "お誕生日おめでとう"]})
    >>> batch["tokens_o200k_base"], batch["graphemes"]   # compare_text's figures for each text
    ([2, 8], [11, 9])
    >>> totals(s, {c: sum(batch[c]) for c in count_columns(s)}) == compare_batch(s, batch["text"])
    True

Each row is one whole text, counted as :func:`tokencmp.compare_text` counts it
(:func:`tokencmp.scale.count_texts`); its counts are plain integers, so an
engine's own column sums give the totals, and :func:`totals` turns those sums
into the :class:`~tokencmp.compare.Comparison` a single machine gives. A
by-script breakdown does not fit in fixed columns: use
:func:`tokencmp.scale.count_texts` and :func:`tokencmp.scale.merge` for it.

:class:`CountBatch` is a callable class, so an engine builds it once per worker
(a Ray actor, a ``datasets`` process, a Spark Python worker) and it builds its
encodings once there; it takes a mapping of columns (Ray's ``"numpy"`` and
``"default"`` batch formats, ``datasets``) or a pandas ``DataFrame`` (Ray's
``"pandas"``, Spark's ``mapInPandas``), and returns the same kind with the
count columns added. The recipes are in docs/scale.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..compare.results import Comparison
from ..errors import TokencmpError
from .partial import CompareSettings, count_one, finish, merge

SIZES = ("characters", "bytes", "graphemes")


def count_columns(settings: CompareSettings) -> list[str]:
    """The names of the count columns: ``tokens_<encoding>`` for each encoding, then the sizes."""
    return [f"tokens_{e}" for e in settings.resolved().encodings or ()] + list(SIZES)


def spark_schema(settings: CompareSettings, column: str = "text") -> str:
    """The DDL schema of :class:`CountBatch`'s output for Spark's ``mapInPandas``."""
    return ", ".join([f"`{column}` string", *(f"`{c}` long" for c in count_columns(settings))])


class CountBatch:
    """Adds the count columns to a batch of rows whose ``column`` holds texts."""

    def __init__(self, settings: CompareSettings, column: str = "text", *, keep: bool = True) -> None:
        if settings.by_script:
            raise TokencmpError("Count columns hold no by-script breakdown: use tokencmp.scale.count_texts.")
        self.settings = settings.resolved()
        self.column = column
        self.keep = keep
        self._encodings = self.settings.tiktoken_encodings()  # once per worker

    def rows(self, texts: Iterable[Any]) -> dict[str, list[int]]:
        """The count columns of ``texts``."""
        from .partial import _checked

        form = self.settings.form
        names = count_columns(self.settings)
        out: dict[str, list[int]] = {c: [] for c in names}
        for text in texts:
            c = count_one(self._encodings, _checked(text, form), form, False)
            for e, n in c.tokens.items():
                out[f"tokens_{e}"].append(n)
            out["characters"].append(c.characters)
            out["bytes"].append(c.bytes)
            out["graphemes"].append(c.graphemes)
        return out

    def __call__(self, batch: Any) -> Any:
        counted = self.rows(list(batch[self.column]))
        if isinstance(batch, Mapping):
            return {**batch, **counted} if self.keep else counted
        frame = batch.copy() if self.keep else batch[[]].copy()
        for name, values in counted.items():
            frame[name] = values
        return frame


class CountFrames(CountBatch):
    """:class:`CountBatch` over an iterator of pandas frames: Spark's ``mapInPandas`` (and an
    iterator pandas UDF), keeping only ``column`` and the counts, as :func:`spark_schema` says."""

    def __call__(self, frames: Iterator[Any]) -> Iterator[Any]:
        for frame in frames:
            yield CountBatch.__call__(self, frame[[self.column]])


def totals(settings: CompareSettings, sums: Mapping[str, Any]) -> Comparison:
    """The comparison of all the rows from the sums of their count columns, priced."""
    settings = settings.resolved()
    names = settings.encodings or ()
    counted = Comparison(
        tokens={e: int(sums[f"tokens_{e}"]) for e in names},
        characters=int(sums["characters"]), bytes=int(sums["bytes"]), graphemes=int(sums["graphemes"]),
        normalize=settings.form,
    )
    return finish(settings, counted)


def compare_batch(settings: CompareSettings, texts: Iterable[str]) -> Comparison:
    """The same comparison counted here, in one process: what an engine's totals must equal."""
    from .partial import count_texts

    settings = settings.resolved()
    return finish(settings, merge([count_texts(settings, texts)], settings))
