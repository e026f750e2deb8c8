"""What a comparison returns: counts of one text, of one script in it, of a corpus's languages.

    >>> from tokencmp.compare import compare_text
    >>> c = compare_text("お誕生日おめでとう", models=["gpt-4o"])
    >>> c.tokens, c.ratios
    ({'o200k_base': 8, 'cl100k_base': 9}, {'o200k_base/cl100k_base': 0.8888888888888888})
    >>> c.to_dict()["input_costs"]
    {'gpt-4o': '0.00002'}

Every result is a :class:`tokencmp.result.Result`: frozen, compared by value,
and turned into JSON-ready data by ``to_dict()``, the form the command line's
``--format json`` prints. Amounts of USD are ``Decimal`` on the result and
strings in plain notation in ``to_dict()`` (:func:`tokencmp.money.usd.format_usd`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..money.usd import format_usd
from ..result import Result
from ..text.stream import Normalization


def quotient(a: int, b: int) -> float | None:
    """``a / b``, or None when ``b`` is 0 (a ratio or a premium over a text of no tokens)."""
    return a / b if b else None


@dataclass(frozen=True, kw_only=True)
class _Counts(Result):
    """Tokens under each encoding of some text, with its size in characters and UTF-8 bytes."""

    tokens: dict[str, int]
    characters: int
    bytes: int

    def ratio(self, a: str, b: str) -> float | None:
        """Tokens under encoding ``a`` divided by tokens under ``b`` (None when ``b`` has none)."""
        return quotient(self.tokens[a], self.tokens[b])

    @property
    def ratios(self) -> dict[str, float | None]:
        """``"a/b"`` -> :meth:`ratio` for each pair of encodings, in the order given.

        Its keys are the ratio columns of the command line's tables.
        """
        names = list(self.tokens)
        return {f"{a}/{b}": self.ratio(a, b) for i, a in enumerate(names) for b in names[i + 1 :]}

    def chars_per_token(self, encoding: str) -> float | None:
        return quotient(self.characters, self.tokens[encoding])

    def bytes_per_token(self, encoding: str) -> float | None:
        return quotient(self.bytes, self.tokens[encoding])


@dataclass(frozen=True, kw_only=True)
class ScriptCounts(_Counts):
    """The part of a text in one script: its characters, bytes and the tokens attributed to it.

    A token is attributed to the script that holds most of its bytes (the
    earlier one on a tie), so the scripts' tokens add up to the text's.
    """

    script: str

    def to_dict(self) -> dict[str, Any]:
        """``script``, ``characters``, ``bytes``, ``tokens`` and ``ratios``."""
        return {"script": self.script, "characters": self.characters, "bytes": self.bytes,
                "tokens": dict(self.tokens), "ratios": self.ratios}


@dataclass(frozen=True, kw_only=True)
class Comparison(_Counts):
    """Token counts of one text under several encodings, with its size in other units.

    >>> from tokencmp.compare import compare_text
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
        return quotient(self.graphemes, self.tokens[encoding])

    def to_dict(self) -> dict[str, Any]:
        """The counts, ``ratios`` and ``per_token`` sizes; ``scripts`` only when broken down by script."""
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
            "input_costs": {m: format_usd(cost) for m, cost in self.input_costs.items()},
        }
        if self.scripts is not None:
            out["scripts"] = [s.to_dict() for s in self.scripts]
        return out


@dataclass(frozen=True, kw_only=True)
class LanguageResult(Result):
    """One language of a corpus report."""

    code: str
    name: str | None
    script: str | None
    path: str
    counts: Comparison
    premiums: dict[str, float | None]
    """encoding -> tokens / reference language's tokens (None without a reference)."""

    def to_dict(self) -> dict[str, Any]:
        """``code``, ``name``, ``script``, ``file``, the counts' data and ``premiums``, in one mapping."""
        return {"code": self.code, "name": self.name, "script": self.script, "file": self.path,
                **self.counts.to_dict(), "premiums": dict(self.premiums)}


@dataclass(frozen=True, kw_only=True)
class CorpusReport(Result):
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
        """The report as JSON-ready data; ``models`` is a list of model, encoding and input price."""
        return {
            "source": self.source,
            "encodings": list(self.encodings),
            "reference": self.reference,
            "normalize": self.normalize,
            "models": [
                {"model": m, "encoding": e, "input_price_per_1m": format_usd(self.input_prices[m])}
                for m, e in self.models.items()
            ],
            "languages": [r.to_dict() for r in self.languages],
            "total": self.total.to_dict(),
        }
