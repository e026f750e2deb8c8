"""What a compared text costs as input on each model: tokens under its encoding at its input price.

    >>> pricing = Pricing.of(["gpt-4o", "gpt-4"])
    >>> pricing.encodings
    {'gpt-4o': 'o200k_base', 'gpt-4': 'cl100k_base'}
    >>> pricing.costs({"o200k_base": 8, "cl100k_base": 9})   # 8 x $2.50 / 1M, 9 x $30 / 1M
    {'gpt-4o': Decimal('0.00002'), 'gpt-4': Decimal('0.00027')}

The cost is that of sending the content as the input of one request on each
model, with no output or cached-input terms: the standard input price, or the
long-context price when the content is above the model's long-context
threshold, both as :func:`tokencmp.prices_for` gives them. Amounts are computed
by :mod:`tokencmp.money.usd`, exactly and whatever the caller's decimal context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..catalog import ModelInfo, resolve_model
from ..errors import PriceUnknownError
from ..money import prices_for, usd


@dataclass(frozen=True)
class Pricing:
    """The models to price, by name, with their catalog entries (none: nothing is priced)."""

    infos: dict[str, ModelInfo] = field(default_factory=dict)

    @classmethod
    def of(cls, models: Iterable[str]) -> Pricing:
        """The models named, each of which must have a standard input price (``PriceUnknownError``)."""
        infos = {}
        for name in models:
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
            infos[name] = info
        return cls(infos)

    @property
    def encodings(self) -> dict[str, str]:
        """model -> the encoding it counts with."""
        return {name: info.encoding for name, info in self.infos.items()}

    @property
    def prices(self) -> dict[str, Decimal]:
        """model -> its standard input price, USD per 1M tokens."""
        return {name: _input_price(info, 0) for name, info in self.infos.items()}

    def costs(self, tokens: dict[str, int]) -> dict[str, Decimal]:
        """model -> the cost of ``tokens[its encoding]`` input tokens in one request (exact USD)."""
        out = {}
        for name, info in self.infos.items():
            n = tokens[info.encoding]
            out[name] = usd.per_million(n, _input_price(info, n))
        return out

    def total(self, costs: Iterable[dict[str, Decimal]]) -> dict[str, Decimal]:
        """model -> the sum of its costs over several requests (each priced on its own)."""
        listed = list(costs)
        return {name: usd.add(*(c[name] for c in listed)) for name in self.infos}


def _input_price(info: ModelInfo, tokens: int) -> Decimal:
    price = prices_for(info, prompt_tokens=tokens).input
    assert price is not None  # the standard input price exists (checked in Pricing.of)
    return price

