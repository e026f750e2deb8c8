"""Argument types shared by subcommands: a bad value is a usage error (exit 2) naming the option.

    >>> usd("0.05"), tokens("4000")
    (Decimal('0.05'), 4000)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

N = TypeVar("N", int, float)


def tokens(text: str) -> int:
    """A number of tokens: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of tokens, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def usd(text: str) -> Decimal:
    """An amount in US dollars, as an exact decimal (``0.05``), 0 or more."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected an amount in USD such as 0.05, not {text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite amount of 0 or more, not {text}")
    return value


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
