"""Argument types shared by subcommands: a bad value is a usage error (exit 2) naming the option.

    >>> usd("0.05"), tokens("4000")
    (Decimal('0.05'), 4000)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar, overload

N = TypeVar("N", int, float)


def tokens(text: str) -> int:
    """A number of tokens: a whole number, 0 or more (the rule of :func:`tokencmp.token_count`)."""
    from tokencmp import InvalidRequestError, token_count

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of tokens, not {text!r}") from None
    try:
        return token_count(value, "N")
    except InvalidRequestError:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}") from None


def usd(text: str) -> Decimal:
    """An amount in US dollars, as an exact decimal (``0.05``), 0 or more (:func:`tokencmp.parse_usd`)."""
    from tokencmp import InvalidRequestError, parse_usd

    try:
        return parse_usd(text, "USD")
    except InvalidRequestError as e:
        if e.problem.startswith("not an amount"):  # say what one looks like
            message = f"expected an amount in USD such as 0.05, not {text!r}"
            raise argparse.ArgumentTypeError(message) from None
        raise argparse.ArgumentTypeError(e.problem.removesuffix(".")) from None


class Tiers(Sequence[str]):
    """The processing tiers, :data:`tokencmp.TIERS`, as argparse ``choices``, read on first use.

    Building every subcommand's parser must not load the catalog's schema (pydantic), which
    ``tokencmp --help`` and every short count would then pay for; the choices are only read to
    parse or show ``--tier``. Give the option a ``metavar``: argparse formats the metavar of an
    option without one, from its choices, as soon as the option is added.

        >>> "batch" in Tiers(), "cheap" in Tiers()
        (True, False)
    """

    def _tiers(self) -> tuple[str, ...]:
        from tokencmp import TIERS

        return TIERS

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._tiers()[index]

    def __len__(self) -> int:
        return len(self._tiers())

    def __iter__(self) -> Iterator[str]:
        return iter(self._tiers())

    def __contains__(self, value: object) -> bool:
        return value in self._tiers()


def positive(kind: Callable[[str], N]) -> Callable[[str], N]:
    """A parser for a number of ``kind`` (``int`` or ``float``) that must be more than 0."""

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a finite number more than 0, not {text}")
        return value

    return parse
