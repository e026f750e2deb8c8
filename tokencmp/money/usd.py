"""Amounts of US dollars: one decimal context for every computation of money, one way to read an amount.

    >>> per_million(86, Decimal("2.50"))
    Decimal('0.000215')
    >>> parse_usd("0.05", "max_cost")
    Decimal('0.05')

Every figure of money tokencmp returns (estimates, usage costs, budgets,
comparisons) is computed here, in :data:`MONEY`, never in the caller's decimal
context: a program that sets ``decimal.getcontext().prec = 4`` for its own
reasons gets the same amounts as one that does not.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from ..decimals import EXACT, plain_text
from ..errors import InvalidRequestError

Amount = Decimal | str | int | float
"""What an amount of USD may be given as (:func:`parse_usd`)."""

MONEY = EXACT
"""The one context of money: :data:`tokencmp.decimals.EXACT`."""
PER_MILLION = Decimal(1_000_000)
ZERO = Decimal(0)


def per_million(tokens: int, rate: Decimal) -> Decimal:
    """``tokens`` at ``rate`` USD per 1M tokens, exactly."""
    if not tokens:
        return ZERO
    return MONEY.divide(MONEY.multiply(Decimal(tokens), rate), PER_MILLION)


def add(*amounts: Decimal) -> Decimal:
    """The exact sum of ``amounts`` (0 for none)."""
    total = ZERO
    for amount in amounts:
        total = MONEY.add(total, amount)
    return total


def parse_usd(value: object, what: str) -> Decimal:
    """An amount of USD given by a user: a ``Decimal``, ``int``, string such as ``"0.05"``, or ``float``.

    A float is read through its shortest repr, the digits Python prints for it
    (``0.1`` is ``Decimal("0.1")``, not the binary fraction
    ``0.1000000000000000055511151231257827...`` that ``Decimal(0.1)`` gives), so
    what was typed is what is compared::

        >>> parse_usd(0.1, "max_cost"), parse_usd(3, "max_cost"), parse_usd(" 1e-3 ", "max_cost")
        (Decimal('0.1'), Decimal('3'), Decimal('0.001'))

    ``True``/``False``, NaN, infinities and negative amounts are refused; ``what`` names the
    argument (or option) in the error.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str, float)):
        raise InvalidRequestError(what, f"not an amount in USD: {value!r} (pass a Decimal, a string such "
                                        "as '0.05', an int or a float).")
    if isinstance(value, float):
        value = repr(value)  # the shortest repr: 0.1 -> "0.1"; nan and inf are refused below
    try:
        with decimal.localcontext(MONEY):  # a malformed string raises, whatever the caller's traps
            amount = Decimal(value.strip() if isinstance(value, str) else value)
    except decimal.InvalidOperation:
        raise InvalidRequestError(what, f"not an amount in USD: {value!r}.") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidRequestError(what, f"must be a finite amount of 0 or more, not {value!r}.")
    return amount


def format_usd(amount: Decimal | None) -> str:
    """``amount`` in plain notation with no trailing zeros (``0.0000175``); ``?`` when unknown."""
    if amount is None:
        return "?"
    return plain_text(amount)
