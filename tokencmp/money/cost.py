"""Cost: what a request will cost before it is sent, by OpenAI's billing rules.

    >>> import tokencmp
    >>> est = tokencmp.estimate_cost(2006, model="gpt-4o", cached_tokens=1920, output_tokens=300)
    >>> est.total                       # 86 x $2.50 + 1,920 x $1.25 + 300 x $10, per 1M tokens
    Decimal('0.005615')
    >>> tokencmp.estimate_cost(2006, model="gpt-4o").total_max  # output unknown: up to 16,384 tokens
    Decimal('0.168855')

Prices come from the catalog (USD per 1M tokens, per tier) and every
estimate carries their sources and the date they were checked. The billing
rules, from OpenAI's pricing and prompt-caching pages (docs/cost.md lists
each with its source):

- Cached tokens and cache-write tokens are *part of* the prompt tokens: the
  rest of the prompt is billed at the input rate, cached tokens at the
  cached-input rate, cache writes at the cache-write rate (GPT-5.6 and later;
  before that a cache write costs nothing extra, so it is billed as input).
- Reasoning tokens (and rejected prediction tokens) are part of the output
  tokens and billed as output; they are never added a second time.
- Audio tokens are billed at the model's audio rates; a usage object with
  audio tokens on a model without audio prices is an error, not a guess.
- Above a long-context threshold (272K input tokens on gpt-5.4 and later) the
  whole request is billed at the long-context prices, and long context stacks
  with the tier: batch and flex bill their long-context prices, listed or the
  tier's prices times the source's multipliers (2x input and cache, 1.5x
  output); on gpt-5.4 and gpt-5.5 priority requests that large are processed,
  and billed, at the standard long-context rates.
- Cached tokens are billed at the tier's own cached-input price; a tier
  without one bills them at its input rate (an upper bound, stated in ``notes``).
- ``fast`` is the priority tier under the name OpenAI gives it since 2026-07-30.

A model or tier with no price raises :class:`~tokencmp.errors.PriceUnknownError`:
there is no fallback price. Every amount is computed by :mod:`tokencmp.money.usd`,
so the caller's decimal settings never change a figure. What a finished call
cost, from its ``usage``, is :func:`tokencmp.money.usage.cost_from_usage`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union

from ..catalog import (
    ModelInfo,
    Prices,
    Source,
    Tier,
    TierName,
    get_catalog,
    resolve_model,
)
from ..errors import InvalidRequestError, PriceUnknownError, TokencmpError, token_count
from ..result import Result
from .limits import output_tokens_max
from .rates import canonical, rates
from .subject import count_subject, output_cap
from .usd import ZERO, add, per_million

if TYPE_CHECKING:
    from ..chat import RequestCount

RequestOrTokens = Union[int, "RequestCount", Mapping[str, Any], Any]


@dataclass(frozen=True, kw_only=True)
class CostEstimate(Result):
    """The cost of one request, in USD, split the way it is billed.

    ``output_cost`` and ``total`` are ``None`` when the output size was not
    given; then ``total_min`` is the prompt alone and ``total_max`` adds the
    most output the request allows (``output_tokens_max``). When that is not
    known either (no max tokens in the request and none in the catalog),
    ``total_max`` is ``None`` too. With a known output, ``total_min ==
    total_max == total``. ``prompt_cost`` is everything billed for the prompt
    (input, cached input and cache writes).

    The names of earlier 0.x releases (``min_total``, ``max_total``,
    ``max_output_cost``, ``max_output_tokens``) still read the same values.
    """

    model: str
    tier: Tier
    prompt_tokens: int
    cached_tokens: int
    cache_write_tokens: int
    output_tokens: int | None
    output_tokens_max: int | None
    input_cost: Decimal
    cached_input_cost: Decimal
    cache_write_cost: Decimal
    prompt_cost: Decimal
    output_cost: Decimal | None
    output_cost_min: Decimal
    output_cost_max: Decimal | None
    total: Decimal | None
    total_min: Decimal
    total_max: Decimal | None
    long_context: bool
    rates: Prices
    sources: tuple[Source, ...]
    checked: date
    reasoning_tokens: int = 0
    audio_input_tokens: int = 0
    audio_output_tokens: int = 0
    audio_rates: Prices | None = None
    notes: tuple[str, ...] = ()

    @property
    def min_total(self) -> Decimal:
        """Old name of :attr:`total_min`."""
        return self.total_min

    @property
    def max_total(self) -> Decimal | None:
        """Old name of :attr:`total_max`."""
        return self.total_max

    @property
    def max_output_cost(self) -> Decimal | None:
        """Old name of :attr:`output_cost_max`."""
        return self.output_cost_max

    @property
    def max_output_tokens(self) -> int | None:
        """Old name of :attr:`output_tokens_max`."""
        return self.output_tokens_max


@dataclass(frozen=True)
class Tokens:
    """Billable token counts of one call, each counted once (what :func:`price` bills)."""

    prompt: int
    cached: int = 0
    cache_write: int = 0
    audio_in: int = 0
    audio_cached: int = 0
    output: int | None = None
    output_max: int | None = None
    audio_out: int = 0
    reasoning: int = 0


# --- public API -------------------------------------------------------------------------


def estimate_cost(
    request_or_tokens: RequestOrTokens,
    *,
    model: str | None = None,
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    cache_write_tokens: int = 0,
    tier: TierName = "standard",
    max_output_tokens: int | None = None,
    choices: int | None = None,
    strict_model: bool = False,
) -> CostEstimate:
    """The cost of a request before it is sent.

    Args:
        request_or_tokens: the prompt's token count; a ``RequestCount`` from
            :func:`tokencmp.count_request`; a request body (counted with
            :func:`tokencmp.count_request`); a string, priced as the text of one
            user message; or a list of messages.
        model: the model to price; defaults to the request's (required with a
            bare token count).
        output_tokens: the expected output, reasoning included. When ``None``
            the estimate is a range (``total_min`` .. ``total_max``).
        cached_tokens: how many of the prompt tokens are read from the cache.
        cache_write_tokens: how many of the prompt tokens are written to the
            cache (billed separately on GPT-5.6 and later).
        tier: one of :data:`tokencmp.catalog.TIER_NAMES` (``standard``, ``batch``,
            ``flex``, ``priority``, or ``fast``: OpenAI's name for priority since 2026-07-30).
        max_output_tokens: the most output to allow for the upper bound,
            instead of the request's ``max_tokens``-style field or the model's
            maximum output. It is per choice.
        choices: how many completions the request generates (its ``n``; the
            default is the request's, else 1). The prompt is billed once and
            the output of every choice, so the upper bound is ``choices`` times
            the most output of one; ``output_tokens`` is the total of all choices.
        strict_model: accept only a model the catalog holds (an entry or alias): a
            name a rule would resolve raises :class:`~tokencmp.errors.AssumedModelError`.

    >>> estimate_cost(10_000, model="gpt-4o", output_tokens=2_000, tier="batch").total
    Decimal('0.0225')
    """
    prompt, request_max, model, request_choices = _prompt_of(request_or_tokens, model)
    info = resolve_model(model, strict=strict_model)
    allowed = request_max
    if max_output_tokens is not None:
        allowed = token_count(max_output_tokens, "max_output_tokens")
    bound = output_tokens_max(info, prompt, allowed)
    n = request_choices if choices is None else token_count(choices, "choices")
    if n < 1:
        raise InvalidRequestError("choices", "must be at least 1 (the request's n).")
    notes: tuple[str, ...] = ()
    if bound is not None:
        bound *= n
    elif output_tokens is None:
        notes = (f"The most output of {info.name} is not known: pass output_tokens, or a max tokens "
                 "value in the request, for an upper bound.",)
    tokens = Tokens(
        prompt=prompt,
        cached=token_count(cached_tokens, "cached_tokens", optional=True),
        cache_write=token_count(cache_write_tokens, "cache_write_tokens", optional=True),
        output=None if output_tokens is None else token_count(output_tokens, "output_tokens"),
        output_max=bound,
    )
    return price(info, tokens, tier, notes=notes)


def prices_for(model: str | ModelInfo, *, tier: TierName = "standard", prompt_tokens: int = 0) -> Prices:
    """The per-1M-token prices that apply to a request of ``prompt_tokens`` on ``model``.

    >>> prices_for("gpt-5.4", prompt_tokens=300_000).input   # the long-context rate
    Decimal('5')
    """
    info = model if isinstance(model, ModelInfo) else resolve_model(model)
    return rates(info, canonical(tier), prompt_tokens)[0]


def price(info: ModelInfo, t: Tokens, tier: TierName, *, notes: tuple[str, ...] = ()) -> CostEstimate:
    """Bill the counts ``t`` on ``info`` at ``tier``'s prices: the one place a cost is worked out.

    ``tier`` may be ``fast``, the name OpenAI gives the priority tier since 2026-07-30; the
    estimate records the canonical name (``priority``).
    """
    tier = canonical(tier)
    billed, long, source_key, rate_notes = rates(info, tier, t.prompt)
    notes = (*rate_notes, *notes)
    _check_parts(t)
    input_rate = billed.input
    assert input_rate is not None  # rates() guarantees it
    cached_rate = billed.cached_input
    if t.cached > t.audio_cached and cached_rate is None:
        cached_rate = input_rate
        notes += (f"No {tier} cached-input price for {info.name}: cached tokens billed at the input "
                  "rate (an upper bound).",)
    write_rate = billed.cache_write
    if t.cache_write and write_rate is None:
        if any(p.cache_write is not None for p in info.prices.values()):
            raise PriceUnknownError(
                f"No {tier} cache-write price for {info.name}, whose standard tier bills cache "
                "writes separately. Add the price with tokencmp.load_catalog()."
            )
        write_rate = input_rate  # before GPT-5.6 a cache write costs nothing beyond the input rate

    audio = Prices()
    source_keys = [source_key]
    if t.audio_in or t.audio_out:
        if info.audio_prices is None:
            raise PriceUnknownError(
                f"The usage has audio tokens but the catalog has no audio prices for {info.name}. "
                "Add audio_prices with tokencmp.load_catalog()."
            )
        audio = info.audio_prices
        source_keys.append("audio_prices")

    audio_uncached = t.audio_in - t.audio_cached
    text_uncached = t.prompt - t.cached - t.cache_write - audio_uncached
    input_cost = add(_bill(text_uncached, input_rate, "input", info),
                     _bill(audio_uncached, audio.input, "audio input", info))
    cached_cost = add(_bill(t.cached - t.audio_cached, cached_rate, "cached input", info),
                      _bill(t.audio_cached, audio.cached_input, "cached audio input", info))
    write_cost = _bill(t.cache_write, write_rate, "cache write", info)
    prompt_cost = add(input_cost, cached_cost, write_cost)

    output_cost = output_cost_max = None
    if t.output is not None:
        output_cost = output_cost_max = add(
            _bill(t.output - t.audio_out, billed.output, "output", info),
            _bill(t.audio_out, audio.output, "audio output", info),
        )
    elif t.output_max is not None:
        output_cost_max = _bill(t.output_max, billed.output, "output", info)

    return CostEstimate(
        model=info.name,
        tier=tier,
        prompt_tokens=t.prompt,
        cached_tokens=t.cached,
        cache_write_tokens=t.cache_write,
        output_tokens=t.output,
        output_tokens_max=t.output if t.output is not None else t.output_max,
        input_cost=input_cost,
        cached_input_cost=cached_cost,
        cache_write_cost=write_cost,
        prompt_cost=prompt_cost,
        output_cost=output_cost,
        output_cost_min=output_cost if output_cost is not None else ZERO,
        output_cost_max=output_cost_max,
        total=None if output_cost is None else add(prompt_cost, output_cost),
        total_min=add(prompt_cost, output_cost or ZERO),
        total_max=None if output_cost_max is None else add(prompt_cost, output_cost_max),
        long_context=long,
        rates=billed,
        sources=_sources(info, source_keys),
        checked=info.checked,
        reasoning_tokens=t.reasoning,
        audio_input_tokens=t.audio_in,
        audio_output_tokens=t.audio_out,
        audio_rates=info.audio_prices if source_keys[1:] else None,
        notes=(*notes, *info.notes),
    )


def _check_parts(t: Tokens) -> None:
    """Cached, cache-write and audio tokens are parts of the prompt; audio output part of the output."""
    if t.cached + t.cache_write + t.audio_in - t.audio_cached > t.prompt:
        raise InvalidRequestError(
            "cached_tokens",
            f"cached ({t.cached:,}), cache-write ({t.cache_write:,}) and uncached audio "
            f"({t.audio_in - t.audio_cached:,}) tokens are parts of the prompt and together cannot "
            f"exceed its {t.prompt:,} tokens.",
        )
    if t.audio_cached > min(t.audio_in, t.cached):
        raise InvalidRequestError("cached_tokens_details.audio_tokens",
                                  "cached audio tokens exceed the audio or the cached tokens.")
    if t.output is not None and t.audio_out > t.output:
        raise InvalidRequestError("output audio_tokens",
                                  f"{t.audio_out:,} audio tokens exceed the {t.output:,} output tokens.")
    if t.output is not None and t.reasoning > t.output:
        raise InvalidRequestError(
            "reasoning_tokens",
            f"{t.reasoning:,} reasoning tokens exceed the {t.output:,} output tokens they are part of.",
        )


def _bill(tokens: int, rate: Decimal | None, what: str, info: ModelInfo) -> Decimal:
    """``tokens`` at ``rate`` USD per 1M tokens; no rate for tokens to bill is an error."""
    if tokens and rate is None:
        raise PriceUnknownError(
            f"No {what} price for {info.name} in the catalog ({tokens:,} tokens to bill)."
        )
    return per_million(tokens, rate or ZERO)


def _sources(info: ModelInfo, keys: list[str]) -> tuple[Source, ...]:
    catalog = get_catalog()
    out: list[Source] = []
    for key in keys:
        source = catalog.sources.get(info.sources.get(key, ""))
        if source is not None and source not in out:
            out.append(source)
    return tuple(out)


def _prompt_of(value: Any, model: str | None) -> tuple[int, int | None, str, int]:
    """(prompt tokens, max output tokens per choice, model, choices) of what estimate_cost was given."""
    if isinstance(value, int):  # a bool too, which token_count refuses
        if model is None:
            raise TokencmpError("estimate_cost needs model= when given a bare token count.")
        return token_count(value, "request_or_tokens"), None, model, 1
    value = count_subject(value, model)  # a request body or a text; a count is itself
    choices = getattr(value, "choices", 1)
    return (value.total, output_cap(value), model or value.model,
            choices if type(choices) is int else 1)
