"""Exact decimal arithmetic: the one context every Decimal of tokencmp is computed in; how one is written.

    >>> EXACT.multiply(Decimal(765), Decimal("1.62"))
    Decimal('1239.30')
    >>> plain_text(Decimal("0.0022500")), plain_text(Decimal("1E+1"))
    ('0.00225', '10')

Amounts of money (:mod:`tokencmp.money.usd`), image-token multipliers
(:mod:`tokencmp.images.rules`) and the JSON form of results
(:mod:`tokencmp.result`) all use :data:`EXACT`, never the caller's decimal
context: a program that sets ``decimal.getcontext().prec = 4`` for its own
reasons gets the same figures as one that does not.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

# Exact: products and sums of Decimals need as many digits as their operands have, and a division
# by 1,000,000 only moves the exponent, so with the largest precision and exponent range nothing
# is ever rounded (a catalog price or a token count of any size gives the exact figure). Inexact
# is trapped so that a rule which would round raises instead of returning a wrong figure.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow],
)


def plain_text(value: Decimal) -> str:
    """``value`` in plain notation without trailing zeros (``0.0000175``, never ``1.75E-5``)."""
    return format(value.normalize(EXACT), "f")
