"""The entry points: compare encodings on a text or a file, and languages on a parallel corpus.

    >>> compare_text("お誕生日おめでとう").tokens
    {'o200k_base': 8, 'cl100k_base': 9}

Each takes the encodings to compare (the active catalog's
``defaults.encodings`` unless told),
a Unicode normalisation to apply first, and models to price the text on
(each model's encoding is added to the encodings); counting is
:mod:`tokencmp.compare.tally`'s, pricing :mod:`tokencmp.compare.pricing`'s.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import tiktoken

from ..encodings import get_encoding
from ..errors import CorpusError, InvalidTextError
from ..text import THREADS, Errors
from ..text.stream import BLOCK_SIZE, Progress, normalization_form
from ..text.stream import normalize as normalize_text
from .corpus import read_corpus
from .pricing import Pricing
from .results import Comparison, CorpusReport, LanguageResult, quotient
from .tally import Tally, tally_file


def compare_text(
    text: str,
    *,
    encodings: Sequence[str] | None = None,
    by_script: bool = False,
    normalize: str = "none",
    models: Iterable[str] | None = None,
) -> Comparison:
    """Count ``text`` under each encoding, with ratios and characters/bytes/graphemes per token.

    ``by_script=True`` adds :attr:`Comparison.scripts`, the text broken down
    by Unicode script (see :data:`~tokencmp.compare.SCRIPTS` and
    :data:`~tokencmp.compare.COMMON`). ``normalize`` (``"none"``, ``"NFC"``,
    ``"NFKC"``) is applied first. ``models`` adds :attr:`Comparison.input_costs`:
    per model, the text's tokens under the model's encoding (added to
    ``encodings``) times its standard input price,
    ``ModelInfo.prices["standard"].input`` per 1M tokens (the long-context
    price when the text alone is above the model's long-context threshold, as
    :func:`tokencmp.prices_for` says).

    >>> [(s.script, s.tokens["o200k_base"]) for s in compare_text("Hello 世界", by_script=True).scripts]
    [('Latin', 1), ('Han', 1)]
    """
    if not isinstance(text, str):
        raise InvalidTextError(
            f"compare_text takes a str, not {type(text).__name__}; decode bytes first (or use compare_file)."
        )
    form = normalization_form(normalize)
    pricing = _pricing(models)
    tally = Tally(_encodings(encodings, pricing), by_script)
    tally.add(normalize_text(text, form), whole=True)
    return _priced(tally.result(form), pricing)


def compare_file(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    encodings: Sequence[str] | None = None,
    by_script: bool = False,
    normalize: str = "none",
    errors: Errors = "strict",
    progress: Progress | None = None,
    models: Iterable[str] | None = None,
    block_size: int = BLOCK_SIZE,
    threads: int = THREADS,
) -> Comparison:
    """:func:`compare_text` for a UTF-8 file (a path or binary file object), read in pieces.

    Memory stays bounded (see :mod:`tokencmp.text.stream`) and the result equals
    ``compare_text`` on the whole text. The file is read ``block_size`` bytes
    at a time; ``progress(bytes_read, total_bytes)`` is called after each block.
    Pieces are counted on ``threads`` threads (tiktoken releases the GIL while
    the calling thread reads ahead and counts grapheme clusters); ``threads=1``
    counts on the calling thread only. The result is the same either way.
    """
    form = normalization_form(normalize)
    pricing = _pricing(models)
    counted = tally_file(source, _encodings(encodings, pricing), by_script=by_script, form=form,
                         errors=errors, progress=progress, block_size=block_size, threads=threads)
    return _priced(counted, pricing)


def compare_corpus(
    path: str | os.PathLike[str] | None = None,
    *,
    encodings: Sequence[str] | None = None,
    reference: str | None = "en",
    normalize: str = "NFC",
    models: Iterable[str] | None = None,
    errors: Errors = "strict",
    progress: Progress | None = None,
    count: Callable[[list[Path]], list[Comparison]] | None = None,
) -> CorpusReport:
    """Compare the languages of a parallel corpus: the bundled one (default) or a folder.

    Per language: tokens under each encoding, their ratios, the premium over
    the ``reference`` language under each encoding (``None`` skips it),
    characters/bytes/graphemes per token. Files are normalised to
    ``normalize`` (``"NFC"`` by default, as the bundled corpus is written;
    ``"none"`` counts them as they are). ``progress(bytes_read, total_bytes)``
    is called as the files are read, over the corpus's total size.

    ``models`` adds each model's encoding to ``encodings`` and, per language,
    the cost of the text as input at the model's standard input price
    (``ModelInfo.prices["standard"].input``, USD per 1M tokens, or the
    long-context price above the threshold): ``tokens * price / 1,000,000``,
    an exact ``Decimal``. Each language is priced as a request of its own, and
    the total's cost is their sum.

    ``count(paths)`` counts the language files elsewhere (their counts, in order, unpriced),
    as :func:`tokencmp.scale.dask.compare_corpus` does on a cluster; ``progress`` is then unused.

    >>> report = compare_corpus(models=["gpt-4o"])
    >>> report.language("en").premiums["o200k_base"]
    1.0
    """
    form = normalization_form(normalize)
    pricing = _pricing(models)
    encs = _encodings(encodings, pricing)
    names = [e.name for e in encs]
    files = read_corpus(path)
    if reference is not None and reference not in files:
        raise CorpusError(
            f"The reference language {reference!r} has no file ({reference}.txt) in the corpus; "
            f"it has: {', '.join(files)}. Pass reference= one of those (--reference), or None."
        )
    order = ([reference] if reference is not None else []) + [c for c in files if c != reference]
    sizes = [files[c].path.stat().st_size for c in order]
    results: dict[str, Comparison] = {}
    if count is not None:
        counted_all = count([files[code].path for code in order])
        results = {code: _priced(c, pricing) for code, c in zip(order, counted_all, strict=True)}
    for i, code in enumerate(order if count is None else ()):
        report = None if progress is None else offset_progress(progress, sum(sizes[:i]), sum(sizes))
        counted = tally_file(
            files[code].path, encs, by_script=False, form=form, errors=errors, progress=report
        )
        results[code] = _priced(counted, pricing)
    ref = results[reference] if reference is not None else None
    languages = tuple(
        LanguageResult(
            code=code,
            name=files[code].name,
            script=files[code].script,
            path=str(files[code].path),
            counts=counts,
            premiums={e: (quotient(counts.tokens[e], ref.tokens[e]) if ref else None) for e in names},
        )
        for code, counts in results.items()
    )
    total = Comparison(
        tokens={e: sum(r.counts.tokens[e] for r in languages) for e in names},
        characters=sum(r.counts.characters for r in languages),
        bytes=sum(r.counts.bytes for r in languages),
        graphemes=sum(r.counts.graphemes for r in languages),
        normalize=form,
        # each language is priced as its own request: the total is their sum
        input_costs=pricing.total(r.counts.input_costs for r in languages),
    )
    return CorpusReport(
        source="bundled corpus" if path is None else str(path),
        encodings=tuple(names),
        reference=reference,
        normalize=form,
        languages=languages,
        total=total,
        models=pricing.encodings,
        input_prices=pricing.prices,
    )


def offset_progress(progress: Progress, before: int, total: int) -> Progress:
    """A ``progress`` callback for one input of several: reports ``before + done`` of ``total`` bytes.

    >>> seen = []
    >>> second = offset_progress(lambda done, total: seen.append((done, total)), 100, 250)
    >>> second(50, 150)   # 50 bytes of the second input read, the first one's 100 before it
    >>> seen
    [(150, 250)]
    """
    return lambda done, _size: progress(before + done, total)


# --- internals ----------------------------------------------------------------------------


def _pricing(models: Iterable[str] | None) -> Pricing:
    """The models to price: one name or several, repeats dropped."""
    return Pricing.of(_unique([models] if isinstance(models, str) else models or ()))


def _encodings(names: Sequence[str] | None, pricing: Pricing) -> list[tiktoken.Encoding]:
    """The encodings named (default: the catalog's), then those of the models priced, without repeats."""
    if names is None:
        from ..catalog import get_catalog

        names = get_catalog().defaults.encodings
    return [get_encoding(name) for name in _unique([*names, *pricing.encodings.values()])]


def _unique(names: Iterable[Any]) -> list[Any]:
    """``names`` without repeats, in order; a value that cannot be a name (a list) is kept for the
    lookup to refuse, rather than failing here as unhashable."""
    out: list[Any] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def _priced(counted: Comparison, pricing: Pricing) -> Comparison:
    """``counted`` with the cost of its text as input on each model priced."""
    if not pricing.infos:
        return counted
    return dataclasses.replace(counted, input_costs=pricing.costs(counted.tokens))
