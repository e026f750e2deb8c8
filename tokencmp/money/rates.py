"""Which rates bill one request: the tier (``fast`` is ``priority``), long context, and how they stack.

    >>> from tokencmp import resolve_model
    >>> rates(resolve_model("gpt-5.6-sol"), "batch", 300_000)[0].output   # 10 x 1.5 above 272K
    Decimal('15.0')

The rules (docs/cost.md lists each with its source): a tier's own prices; above a model's
long-context threshold the whole request at the long-context prices of that tier, listed in
the catalog or the tier's prices times the source's multipliers; priority at the standard
long-context prices where the source says so (GPT-5.4 and GPT-5.5). No price is
:class:`~tokencmp.errors.PriceUnknownError`, never a fallback.
"""

from __future__ import annotations

from decimal import Decimal

from ..catalog import LongContext, ModelInfo, Prices, Tier, canonical_tier
from ..errors import PriceUnknownError
from .usd import MONEY


def canonical(tier: str) -> Tier:
    """The canonical tier of a tier name (``fast`` is ``priority``), or :class:`PriceUnknownError`."""
    try:
        return canonical_tier(tier)
    except ValueError as exc:
        raise PriceUnknownError(str(exc)) from None


def rates(info: ModelInfo, tier: Tier, prompt_tokens: int) -> tuple[Prices, bool, str, tuple[str, ...]]:
    """(prices, long context?, the source key of the prices, notes) for one request at ``tier``."""
    long = info.long_context
    if long is not None and prompt_tokens > long.above_input_tokens:
        return long_rates(info, long, tier, prompt_tokens)
    prices = info.prices.get(tier)
    if prices is None or prices.input is None:
        have = ", ".join(t for t, p in info.prices.items() if p.input is not None) or "none"
        name = info.name + (f" (assumed from {info.assumed_from})" if info.assumed_from else "")
        raise PriceUnknownError(
            f"No {tier} price for {name} in the catalog (tiers with prices: {have}). "
            "Add it with tokencmp.load_catalog() or TOKENCMP_CATALOG."
        )
    source = "tier_prices" if tier != "standard" and "tier_prices" in info.sources else "prices"
    return prices, False, source, ()


def long_rates(info: ModelInfo, long: LongContext, tier: Tier,
                prompt_tokens: int) -> tuple[Prices, bool, str, tuple[str, ...]]:
    """The long-context rates of ``tier``: listed, or the tier's rates times the multipliers.

    Long context stacks with the tier (OpenAI's model pages: "Batch costs 50% of Standard
    rates" at the same context length): the tier's own long-context prices when the catalog
    lists them; else, where the source states the multipliers (2x input and cache, 1.5x output),
    the tier's prices times them; else, for priority under the GPT-5.4 rule
    (``priority_at_standard``), the standard long-context prices.
    """
    threshold = f"{long.above_input_tokens:,}"
    notes: tuple[str, ...] = (f"Long-context prices: the input is above {threshold} tokens.",)
    source = "long_context" if "long_context" in info.sources else "prices"
    if tier == "priority" and long.priority is None and long.priority_at_standard:
        notes += (f"Priority requests above {threshold} input tokens are processed at standard rates.",)
        return long.standard, True, source, notes
    listed = {"standard": long.standard, "batch": long.batch, "flex": long.flex,
              "priority": long.priority}[tier]
    if listed is not None:
        return listed, True, source, notes
    base = info.prices.get(tier)
    if long.multipliers is not None and base is not None and base.input is not None:
        notes += (f"{tier} rates times the long-context multipliers (long context stacks with {tier}).",)
        return _times(base, long.multipliers), True, source, notes
    raise PriceUnknownError(
        f"{info.name} has no published {tier} price for requests above {threshold} input "
        f"tokens ({prompt_tokens:,} here); use tier='standard', or add the price with "
        "tokencmp.load_catalog()."
    )


def _times(prices: Prices, factors: Prices) -> Prices:
    """Each of ``prices`` times its factor in ``factors`` (a price with no factor stays unknown)."""
    def one(rate: Decimal | None, factor: Decimal | None) -> Decimal | None:
        return None if rate is None or factor is None else MONEY.multiply(rate, factor)

    return Prices(input=one(prices.input, factors.input),
                  cached_input=one(prices.cached_input, factors.cached_input),
                  cache_write=one(prices.cache_write, factors.cache_write),
                  output=one(prices.output, factors.output))
