"""How encodings compare on a text, and how languages compare on a parallel corpus.

    >>> import tokencmp
    >>> c = tokencmp.compare_text("日本語のテキストです。")
    >>> c.tokens
    {'o200k_base': 8, 'cl100k_base': 10}
    >>> c.ratio("o200k_base", "cl100k_base")
    0.8

Terms (see docs/compare.md for the method):

* **ratio** ``a/b``: tokens under encoding ``a`` divided by tokens under
  ``b`` for the same text. Below 1, ``a`` needs fewer tokens.
* **premium** of a language under an encoding: its tokens divided by the
  reference language's (English by default) for the same content, under
  that encoding. 1.5 means the language pays 50% more than English.
* characters, UTF-8 bytes and **grapheme clusters** (user-perceived
  characters, ``regex`` ``\\X``) per token: the size of a token in units that
  mean the same in every language, unlike words.

Token counts come from :func:`tokencmp.text.count_with`, so they are exact
(equal to tiktoken's ``encode_ordinary``). Files are read in pieces
(:mod:`tokencmp.text.stream`) with the same result as reading them whole.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

import regex
import tiktoken

from ..catalog import ModelInfo, resolve_model
from ..encodings import get_encoding
from ..errors import CorpusError, InvalidTextError, PriceUnknownError
from ..money.cost import prices_for
from ..text import CHUNK, THREADS, Errors, check_threads, count_with, segment
from ..text.stream import BLOCK_SIZE, Normalization, Progress, normalization_form, read_pieces
from ..text.stream import normalize as normalize_text
from .corpus import read_corpus

DEFAULT_ENCODINGS = ("o200k_base", "cl100k_base")
PER_MILLION = Decimal(1_000_000)

_GRAPHEME = regex.compile(r"\X")

SCRIPTS = (
    "Latin", "Greek", "Cyrillic", "Armenian", "Georgian", "Hebrew", "Arabic", "Syriac", "Thaana",
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Thai", "Lao", "Tibetan", "Myanmar", "Khmer", "Mongolian", "Ethiopic",
    "Hangul", "Hiragana", "Katakana", "Bopomofo", "Han",
)
"""Scripts named in a by-script breakdown; letters of any other script are reported as ``Other``."""

COMMON = "Common"
"""Digits, punctuation, spaces, symbols and combining marks (Unicode scripts Common and
Inherited) belong to the script before them; text that has only such characters is ``Common``."""

_SCRIPT_RUN = regex.compile(
    "|".join(f"(?P<{name}>\\p{{Script={name}}}+)" for name in SCRIPTS)
    + r"|(?P<Common>[\p{Script=Common}\p{Script=Inherited}]+)|(?P<Other>.)",
    flags=regex.DOTALL,
)
_PENDING = ""  # label of Common characters seen before any script (they join the first script)


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Counts:
    tokens: dict[str, int]
    characters: int
    bytes: int

    def ratio(self, a: str, b: str) -> float | None:
        """Tokens under encoding ``a`` divided by tokens under ``b`` (None when ``b`` has none)."""
        return _div(self.tokens[a], self.tokens[b])

    @property
    def ratios(self) -> dict[str, float | None]:
        """``"a/b"`` -> :meth:`ratio` for each pair of encodings, in the order given."""
        names = list(self.tokens)
        return {f"{a}/{b}": self.ratio(a, b) for i, a in enumerate(names) for b in names[i + 1 :]}

    def chars_per_token(self, encoding: str) -> float | None:
        return _div(self.characters, self.tokens[encoding])

    def bytes_per_token(self, encoding: str) -> float | None:
        return _div(self.bytes, self.tokens[encoding])


@dataclass(frozen=True, kw_only=True)
class ScriptCounts(_Counts):
    """The part of a text in one script: its characters, bytes and the tokens attributed to it.

    A token is attributed to the script that holds most of its bytes (the
    earlier one on a tie), so the scripts' tokens add up to the text's.
    """

    script: str


@dataclass(frozen=True, kw_only=True)
class Comparison(_Counts):
    """Token counts of one text under several encodings, with its size in other units.

    >>> c = compare_text("hello world")
    >>> c.tokens, c.characters, c.bytes, c.graphemes
    ({'o200k_base': 2, 'cl100k_base': 2}, 11, 11, 11)
    """

    graphemes: int
    normalize: Normalization = "none"
    scripts: tuple[ScriptCounts, ...] | None = None
    input_costs: dict[str, Decimal] = field(default_factory=dict)
    """model -> USD for this text as input, at the model's standard input price."""

    @property
    def encodings(self) -> tuple[str, ...]:
        return tuple(self.tokens)

    def graphemes_per_token(self, encoding: str) -> float | None:
        return _div(self.graphemes, self.tokens[encoding])

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        out: dict[str, Any] = {
            "tokens": dict(self.tokens),
            "ratios": self.ratios,
            "characters": self.characters,
            "bytes": self.bytes,
            "graphemes": self.graphemes,
            "per_token": {
                e: {
                    "characters": self.chars_per_token(e),
                    "bytes": self.bytes_per_token(e),
                    "graphemes": self.graphemes_per_token(e),
                }
                for e in self.tokens
            },
            "normalize": self.normalize,
            "input_costs": dict(self.input_costs),
        }
        if self.scripts is not None:
            out["scripts"] = [
                {"script": s.script, "characters": s.characters, "bytes": s.bytes,
                 "tokens": dict(s.tokens), "ratios": s.ratios}
                for s in self.scripts
            ]
        return out


@dataclass(frozen=True)
class LanguageResult:
    """One language of a corpus report."""

    code: str
    name: str | None
    script: str | None
    path: str
    counts: Comparison
    premiums: dict[str, float | None]
    """encoding -> tokens / reference language's tokens (None without a reference)."""


@dataclass(frozen=True)
class CorpusReport:
    """Per-language token counts of a parallel corpus, premiums against a reference language.

    ``normalize`` is the normalisation applied to every file before counting;
    ``models`` maps each model compared to its encoding (one of
    ``encodings``), ``input_prices`` to its standard input price (USD per 1M
    tokens).
    """

    source: str
    encodings: tuple[str, ...]
    reference: str | None
    normalize: Normalization
    languages: tuple[LanguageResult, ...]
    total: Comparison
    models: dict[str, str] = field(default_factory=dict)
    """model -> the encoding it uses."""
    input_prices: dict[str, Decimal] = field(default_factory=dict)

    def language(self, code: str) -> LanguageResult:
        for result in self.languages:
            if result.code == code:
                return result
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (Decimals stay Decimals; the CLI writes them as strings)."""
        return {
            "source": self.source,
            "encodings": list(self.encodings),
            "reference": self.reference,
            "normalize": self.normalize,
            "models": [
                {"model": m, "encoding": e, "input_price_per_1m": self.input_prices[m]}
                for m, e in self.models.items()
            ],
            "languages": [
                {
                    "code": r.code, "name": r.name, "script": r.script, "file": r.path,
                    **r.counts.to_dict(), "premiums": r.premiums,
                }
                for r in self.languages
            ],
            "total": self.total.to_dict(),
        }


def _div(a: int, b: int) -> float | None:
    return a / b if b else None


# --- the public functions ---------------------------------------------------------------


def compare_text(
    text: str,
    *,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    by_script: bool = False,
    normalize: str = "none",
    models: Iterable[str] | None = None,
) -> Comparison:
    """Count ``text`` under each encoding, with ratios and characters/bytes/graphemes per token.

    ``by_script=True`` adds :attr:`Comparison.scripts`, the text broken down
    by Unicode script (see :data:`SCRIPTS` and :data:`COMMON`).
    ``normalize`` (``"none"``, ``"NFC"``, ``"NFKC"``) is applied first.
    ``models`` adds :attr:`Comparison.input_costs`: per model, the text's
    tokens under the model's encoding (added to ``encodings``) times its
    standard input price, ``ModelInfo.prices["standard"].input`` per 1M tokens
    (the long-context price when the text alone is above the model's
    long-context threshold, as :func:`tokencmp.prices_for` says).

    >>> [(s.script, s.tokens["o200k_base"]) for s in compare_text("Hello 世界", by_script=True).scripts]
    [('Latin', 1), ('Han', 1)]
    """
    if not isinstance(text, str):
        raise InvalidTextError(
            f"compare_text takes a str, not {type(text).__name__}; decode bytes first (or use compare_file)."
        )
    form = normalization_form(normalize)
    pricing = _Pricing.of(models)
    tally = _Tally(_encodings([*encodings, *pricing.encodings.values()]), by_script)
    tally.add(normalize_text(text, form), whole=True)
    return tally.result(form, pricing)


def compare_file(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
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
    pricing = _Pricing.of(models)
    encs = _encodings([*encodings, *pricing.encodings.values()])
    return _compare_file(source, encs, by_script, form, errors, progress, pricing, block_size, threads)


def compare_corpus(
    path: str | os.PathLike[str] | None = None,
    *,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    reference: str | None = "en",
    normalize: str = "NFC",
    models: Iterable[str] | None = None,
    errors: Errors = "strict",
    progress: Progress | None = None,
) -> CorpusReport:
    """Compare the languages of a parallel corpus: the bundled one (default) or a folder.

    Per language: tokens under each encoding, their ratios, the premium over
    the ``reference`` language under each encoding (``None`` skips it),
    characters/bytes/graphemes per token. Files are normalised to
    ``normalize`` (``"NFC"`` by default, as the bundled corpus is written;
    ``"none"`` counts them as they are).

    ``models`` adds each model's encoding to ``encodings`` and, per language,
    the cost of the text as input at the model's standard input price
    (``ModelInfo.prices["standard"].input``, USD per 1M tokens, or the
    long-context price above the threshold): ``tokens * price / 1,000,000``,
    a ``Decimal``.

    >>> report = compare_corpus(models=["gpt-4o"])
    >>> report.language("en").premiums["o200k_base"]
    1.0
    """
    form = normalization_form(normalize)
    pricing = _Pricing.of(models)
    encs = _encodings([*encodings, *pricing.encodings.values()])
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
    for i, code in enumerate(order):
        report = None if progress is None else _offset_progress(progress, sum(sizes[:i]), sum(sizes))
        results[code] = _compare_file(files[code].path, encs, False, form, errors, report, pricing)
    ref = results[reference] if reference is not None else None
    languages = tuple(
        LanguageResult(
            code=code,
            name=files[code].name,
            script=files[code].script,
            path=str(files[code].path),
            counts=counts,
            premiums={e: (_div(counts.tokens[e], ref.tokens[e]) if ref else None) for e in names},
        )
        for code, counts in results.items()
    )
    total_tokens = {e: sum(r.counts.tokens[e] for r in languages) for e in names}
    total = Comparison(
        tokens=total_tokens,
        characters=sum(r.counts.characters for r in languages),
        bytes=sum(r.counts.bytes for r in languages),
        graphemes=sum(r.counts.graphemes for r in languages),
        normalize=form,
        # each language is priced as its own request: the total is their sum
        input_costs={
            m: sum((r.counts.input_costs[m] for r in languages), Decimal(0)) for m in pricing.encodings
        },
    )
    return CorpusReport(
        source="bundled corpus" if path is None else str(path),
        encodings=tuple(names),
        reference=reference,
        normalize=form,
        languages=languages,
        total=total,
        models=dict(pricing.encodings),
        input_prices=dict(pricing.prices),
    )


# --- internals ----------------------------------------------------------------------------


def _encodings(names: Iterable[str]) -> list[tiktoken.Encoding]:
    if isinstance(names, str):
        names = [names]
    return [get_encoding(name) for name in _unique(names)]


def _unique(names: Iterable[Any]) -> list[Any]:
    """``names`` without repeats, in order; a value that cannot be a name (a list) is kept for the
    lookup to refuse, rather than failing here as unhashable."""
    out: list[Any] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


@dataclass(frozen=True)
class _Pricing:
    """The models to price: model -> encoding, model -> standard input price (USD per 1M tokens).

    The cost is that of sending the content as the input of one request on each model, with
    no output or cached-input terms: the standard input price, or the long-context price
    (:func:`tokencmp.prices_for`) when the content is above the model's long-context threshold.
    """

    infos: dict[str, ModelInfo] = field(default_factory=dict)

    @property
    def encodings(self) -> dict[str, str]:
        return {name: info.encoding for name, info in self.infos.items()}

    @property
    def prices(self) -> dict[str, Decimal]:
        return {name: _input_price(info, 0) for name, info in self.infos.items()}

    @classmethod
    def of(cls, models: Iterable[str] | None) -> _Pricing:
        if isinstance(models, str):
            models = [models]
        pricing = cls()
        for name in _unique(models or ()):
            info = resolve_model(name)
            standard = info.prices.get("standard")
            if standard is None or standard.input is None:
                why = (
                    f" (resolved as {info.assumed_from}, whose price does not carry over)"
                    if info.assumed_from
                    else ""
                )
                raise PriceUnknownError(
                    f"The catalog has no standard input price for {name!r}{why}. Compare a model "
                    "with a listed price (tokencmp models), or add one with tokencmp.load_catalog()."
                )
            pricing.infos[name] = info
        return pricing

    def costs(self, tokens: dict[str, int]) -> dict[str, Decimal]:
        """model -> ``tokens under its encoding * input price / 1,000,000`` (exact Decimal USD)."""
        return {
            m: tokens[info.encoding] * _input_price(info, tokens[info.encoding]) / PER_MILLION
            for m, info in self.infos.items()
        }


def _input_price(info: ModelInfo, tokens: int) -> Decimal:
    price = prices_for(info, prompt_tokens=tokens).input
    assert price is not None  # the standard input price exists (checked in _Pricing.of)
    return price


def _compare_file(
    source: str | os.PathLike[str] | BinaryIO,
    encodings: list[tiktoken.Encoding],
    by_script: bool,
    form: Normalization,
    errors: Errors,
    progress: Progress | None,
    pricing: _Pricing,
    block_size: int = BLOCK_SIZE,
    threads: int = THREADS,
) -> Comparison:
    check_threads(threads)
    pieces = read_pieces(source, normalize=form, errors=errors, progress=progress, block_size=block_size)
    if threads == 1:
        tally = _Tally(encodings, by_script)
        for piece in pieces:
            tally.add(piece)
        return tally.result(form, pricing)
    # One pool per call: no thread outlives the comparison.
    with ThreadPoolExecutor(threads, thread_name_prefix="tokencmp") as pool:
        tally = _Tally(encodings, by_script, pool)
        for piece in pieces:
            tally.add(piece)
        return tally.result(form, pricing)


def _offset_progress(progress: Progress, base: int, total: int) -> Progress:
    return lambda done, _size: progress(base + done, total)


class _Tally:
    """Counts for a text fed in pieces that end at safe cuts (or one whole text).

    With a ``pool``, each piece's tokens are counted there, one task per
    encoding, while the feeding thread goes on (grapheme clusters, the next
    block); at most :attr:`_AHEAD` pieces wait beyond the one just fed, so
    memory stays bounded.
    """

    _AHEAD = 1

    def __init__(
        self, encodings: list[tiktoken.Encoding], by_script: bool, pool: ThreadPoolExecutor | None = None
    ) -> None:
        self._encodings = encodings
        self._pool = pool
        self._pending: deque[list[Future[int]]] = deque()
        self._tokens = {e.name: 0 for e in encodings}
        self._characters = 0
        self._bytes = 0
        self._graphemes = 0
        self._carry = ""  # the last grapheme cluster so far, which the next piece may extend
        self._scripts = _ScriptTally(encodings) if by_script else None

    def add(self, piece: str, *, whole: bool = False) -> None:
        if self._pool is None:
            for enc in self._encodings:
                self._tokens[enc.name] += count_with(enc, piece)
        else:
            pool = self._pool
            self._pending.append([pool.submit(count_with, e, piece, threads=1) for e in self._encodings])
        self._characters += len(piece)
        self._bytes += len(piece.encode("utf-8", "surrogatepass"))
        self._add_graphemes(piece)
        if self._scripts is not None:
            for part in segment.split(piece, CHUNK) if whole else [piece]:
                self._scripts.add(part)
        while len(self._pending) > self._AHEAD:
            self._collect()

    def _collect(self) -> None:
        for enc, future in zip(self._encodings, self._pending.popleft(), strict=True):
            self._tokens[enc.name] += future.result()

    def _add_graphemes(self, piece: str) -> None:
        # Grapheme boundaries depend on the text before them and on one character after, so every
        # cluster of a prefix but the last is a cluster of the whole text: hold the last one back.
        # It starts after the last line feed at the latest (Unicode always breaks after LF, rule
        # GB4), so only the last line is segmented again to find it.
        text = self._carry + piece
        if not text:
            return
        self._graphemes += _count_graphemes(text) - 1
        line = text.rfind("\n") + 1
        if line == len(text):
            self._carry = "\r\n" if text.endswith("\r\n") else "\n"
        else:
            self._carry = _GRAPHEME.findall(text, line)[-1]

    def result(self, form: Normalization, pricing: _Pricing) -> Comparison:
        while self._pending:
            self._collect()
        return Comparison(
            tokens=dict(self._tokens),
            characters=self._characters,
            bytes=self._bytes,
            graphemes=self._graphemes + (1 if self._carry else 0),
            normalize=form,
            scripts=None if self._scripts is None else self._scripts.result(),
            input_costs=pricing.costs(self._tokens),
        )


_GRAPHEME_SPAN = 1 << 14


def _count_graphemes(text: str) -> int:
    """Grapheme clusters in ``text``, segmented about 16 K characters at a time.

    Each stretch ends just after a line feed, where every cluster ends (GB4), so
    the stretches add up to the whole. Short calls let the counting threads take
    the GIL between them (to start an encoding or collect its tokens); one call
    over a whole piece would keep them waiting (``regex``'s ``concurrent=True``
    is no help: it takes the GIL back for every cluster, and runs slower).
    """
    count, start, size = 0, 0, len(text)
    while start < size:
        end = text.find("\n", start + _GRAPHEME_SPAN) + 1 or size
        stretch = text[start:end]
        if stretch.isascii():  # every ASCII character is a cluster, but CR LF is one (GB3)
            count += len(stretch) - stretch.count("\r\n")
        else:
            count += _GRAPHEME.subn("", stretch)[1]
        start = end
    return count


class _ScriptTally:
    """Characters, bytes and tokens per Unicode script, for pieces that end at safe cuts."""

    def __init__(self, encodings: list[tiktoken.Encoding]) -> None:
        self._encodings = encodings
        self._last = _PENDING  # the script that Common characters join
        self._stats: dict[str, list[int]] = {}  # script -> [characters, bytes, tokens per encoding...]

    def _row(self, script: str) -> list[int]:
        return self._stats.setdefault(script, [0] * (2 + len(self._encodings)))

    def add(self, piece: str) -> None:
        runs: list[tuple[str, int, int]] = []  # (script, start byte, end byte)
        pos = 0
        for match in _SCRIPT_RUN.finditer(piece):
            script = match.lastgroup or "Other"
            if script == COMMON:
                script = self._last
            else:
                self._last = script
            size = len(match.group().encode("utf-8", "surrogatepass"))
            row = self._row(script)
            row[0] += len(match.group())
            row[1] += size
            if runs and runs[-1][0] == script:
                runs[-1] = (script, runs[-1][1], pos + size)
            else:
                runs.append((script, pos, pos + size))
            pos += size
        for i, enc in enumerate(self._encodings):
            for script in _attribute(enc, piece, runs):
                self._row(script)[2 + i] += 1

    def result(self) -> tuple[ScriptCounts, ...]:
        stats = dict(self._stats)
        pending = stats.pop(_PENDING, None)
        if pending is not None:
            first = next(iter(stats), COMMON)
            stats[first] = [a + b for a, b in zip(stats.get(first, [0] * len(pending)), pending, strict=True)]
            stats = {first: stats.pop(first), **stats}
        names = [e.name for e in self._encodings]
        return tuple(
            ScriptCounts(
                tokens=dict(zip(names, row[2:], strict=True)), characters=row[0], bytes=row[1], script=script
            )
            for script, row in stats.items()
        )


def _attribute(enc: tiktoken.Encoding, piece: str, runs: list[tuple[str, int, int]]) -> Iterable[str]:
    """The script of each token of ``piece``: the run holding most of its bytes."""
    try:
        tokens = enc.encode_ordinary(piece)
    except BaseException as e:
        if not segment.is_panic(e):
            raise
        raise InvalidTextError(
            "by_script cannot break down text with a whitespace run of about a million characters "
            "(tiktoken cannot split it into tokens); compare it without by_script."
        ) from None
    r, start = 0, 0
    for token in enc.decode_tokens_bytes(tokens):
        end = start + len(token)
        while runs[r][2] <= start:
            r += 1
        best, most, j = runs[r][0], 0, r
        while j < len(runs) and runs[j][1] < end:
            overlap = min(end, runs[j][2]) - max(start, runs[j][1])
            if overlap > most:
                best, most = runs[j][0], overlap
            j += 1
        yield best
        start = end
