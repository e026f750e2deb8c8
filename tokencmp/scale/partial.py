"""Engine-agnostic pieces: count a batch of texts or a byte range of a file into a partial result,
and merge partial results into exactly the answer one machine gives.

    >>> s = CompareSettings(encodings=("o200k_base", "cl100k_base"))
    >>> whole = count_texts(s, ["hello world", "日本語のテキストです。", "お誕生日おめでとう"])
    >>> parts = [count_texts(s, ["hello world"]),
    ...          count_texts(s, ["日本語のテキストです。", "お誕生日おめでとう"])]
    >>> merge(parts) == whole
    True
    >>> whole.tokens   # 2 + 8 + 8 and 2 + 10 + 9: compare_text's figures for each (docs/compare.md)
    {'o200k_base': 18, 'cl100k_base': 21}

A partial result is a :class:`~tokencmp.compare.Comparison` without input
costs: tokens per encoding, characters, UTF-8 bytes and grapheme clusters add
up, and a by-script breakdown adds up script by script (in the order scripts
are first seen). The texts of a batch are each counted as a whole text, as
:func:`tokencmp.compare_text` counts one; a file's byte range
(:func:`count_range`) is read as :func:`tokencmp.compare_file` reads a file,
and the ranges :func:`tokencmp.scale.split.cut_file` gives add up to the whole
file's counts. :func:`finish` prices the merged counts on the settings' models,
as ``compare_text`` / ``compare_file`` do, so a distributed comparison equals the
local one to the last digit and the last JSON key.

:class:`CompareSettings` is what is sent to workers: encoding names, not
encodings (an encoding itself pickles as a small handle too, see
:mod:`tokencmp.encodings.registry`), so each worker process builds its
encodings once, from the bundled data and the rank cache.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

import tiktoken

from ..compare.pricing import Pricing
from ..compare.results import Comparison, ScriptCounts
from ..compare.run import _encodings, _priced, _pricing
from ..compare.tally import Tally
from ..errors import InvalidTextError
from ..text import Errors
from ..text.read import open_binary
from ..text.stream import Normalization, normalization_form, read_pieces
from ..text.stream import normalize as normalize_text


@dataclass(frozen=True)
class CompareSettings:
    """What a comparison counts: encodings (by name), the script breakdown, the normalisation, how
    invalid UTF-8 is treated, and the models to price on. Small, and pickles as such.

    ``encodings=None`` is the catalog's defaults (resolved by :meth:`resolved`, before sending).
    """

    encodings: tuple[str, ...] | None = None
    by_script: bool = False
    normalize: str = "none"
    errors: Errors = "strict"
    models: tuple[str, ...] = ()

    def resolved(self) -> CompareSettings:
        """These settings with the encodings named in full (the models' encodings added, in the order
        :func:`tokencmp.compare_text` uses) and the normalisation spelt as tokencmp spells it."""
        encs = [e.name for e in _encodings(self.encodings, self.pricing())]
        return dataclasses.replace(self, encodings=tuple(encs), normalize=normalization_form(self.normalize),
                                   models=tuple(self.models))

    @property
    def form(self) -> Normalization:
        return normalization_form(self.normalize)

    def pricing(self) -> Pricing:
        return _pricing(list(self.models))

    def tiktoken_encodings(self) -> list[tiktoken.Encoding]:
        """The encodings, built once per process."""
        return _built(self.resolved().encodings or ())


@functools.lru_cache(maxsize=64)
def _built(names: tuple[str, ...]) -> list[tiktoken.Encoding]:
    from ..encodings import get_encoding

    return [get_encoding(n) for n in names]


def count_texts(settings: CompareSettings, texts: Iterable[str]) -> Comparison:
    """The counts of ``texts``, each counted as a whole text, as :func:`tokencmp.compare_text` counts
    it (no input costs: see :func:`finish`). Grapheme clusters and scripts never join across texts."""
    form = settings.form
    encs = settings.tiktoken_encodings()
    return merge([count_one(encs, _checked(t, form), form, settings.by_script) for t in texts], settings)


def count_one(encs: list[tiktoken.Encoding], text: str, form: Normalization, by_script: bool) -> Comparison:
    """One text already normalised to ``form``, counted whole (the counting of :func:`count_texts`)."""
    tally = Tally(encs, by_script)
    tally.add(text, whole=True)
    return tally.result(form)


def count_range(settings: CompareSettings, path: str | os.PathLike[str], start: int, end: int) -> Comparison:
    """The counts of bytes ``start`` to ``end`` of the file at ``path``, a range that
    :func:`tokencmp.scale.split.cut_file` gave (any other cut may count differently)."""
    form = settings.form
    tally = Tally(settings.tiktoken_encodings(), settings.by_script)
    with open_binary(path) as f:
        f.seek(start)
        try:
            part = cast(BinaryIO, _Range(f, end - start))
            for piece in read_pieces(part, normalize=form, errors=settings.errors):
                tally.add(piece)
        except InvalidTextError as e:  # the offset in the whole file, as compare_file reports it
            if e.offset is None:
                raise
            message = str(e).replace(f"byte offset {e.offset} ", f"byte offset {start + e.offset} ", 1)
            raise InvalidTextError(message, offset=start + e.offset, source=e.source) from None
    return tally.result(form)


def merge(parts: Iterable[Comparison], settings: CompareSettings | None = None) -> Comparison:
    """The counts of several partial results, in order: sums, and by-script rows summed per script.

    ``settings`` supplies the encodings and normalisation when ``parts`` is empty.
    """
    parts = list(parts)
    if not parts:
        if settings is None:
            raise ValueError("merge needs at least one part, or the settings")
        return count_one(settings.tiktoken_encodings(), "", settings.form, settings.by_script)
    first = parts[0]
    names = list(first.tokens)
    scripts: dict[str, list[int]] | None = None if first.scripts is None else {}
    for p in parts:
        mixed = (p.scripts is None) != (scripts is None)
        if list(p.tokens) != names or p.normalize != first.normalize or mixed:
            raise ValueError("partial results of different settings cannot be merged")
        for s in p.scripts or ():
            assert scripts is not None
            row = scripts.setdefault(s.script, [0, 0] + [0] * len(names))
            row[0] += s.characters
            row[1] += s.bytes
            for i, e in enumerate(names):
                row[2 + i] += s.tokens[e]
    return Comparison(
        tokens={e: sum(p.tokens[e] for p in parts) for e in names},
        characters=sum(p.characters for p in parts),
        bytes=sum(p.bytes for p in parts),
        graphemes=sum(p.graphemes for p in parts),
        normalize=first.normalize,
        scripts=None if scripts is None else tuple(
            ScriptCounts(script=k, characters=r[0], bytes=r[1], tokens=dict(zip(names, r[2:], strict=True)))
            for k, r in scripts.items()
        ),
    )


def finish(settings: CompareSettings, counted: Comparison) -> Comparison:
    """``counted`` priced on the settings' models, as :func:`tokencmp.compare_text` prices a text."""
    return _priced(counted, settings.pricing())


def _checked(text: object, form: Normalization) -> str:
    if not isinstance(text, str):
        raise InvalidTextError(f"texts to count are str, not {type(text).__name__}; decode bytes first.")
    return normalize_text(text, form)


class _Range:
    """At most ``left`` bytes of a binary file, from where it is."""

    def __init__(self, f: object, left: int) -> None:
        self._f = f
        self._left = left
        self.name = getattr(f, "name", None)

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if size < 0 else min(size, self._left)
        data: bytes = self._f.read(n)  # type: ignore[attr-defined]
        self._left -= len(data)
        return data


def settings_for(encodings: Sequence[str] | None, *, by_script: bool = False, normalize: str = "none",
                 errors: Errors = "strict", models: Iterable[str] | None = None) -> CompareSettings:
    """:class:`CompareSettings` from the keywords of :func:`tokencmp.compare_file`, resolved."""
    names = None if encodings is None else tuple(encodings)
    return CompareSettings(names, by_script, normalize, errors,
                           tuple([models] if isinstance(models, str) else models or ())).resolved()
