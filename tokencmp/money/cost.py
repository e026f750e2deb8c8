"""Money: what a request will cost before it is sent, and what a finished call cost.

    >>> import tokencmp
    >>> est = tokencmp.estimate_cost(2006, model="gpt-4o", cached_tokens=1920, output_tokens=300)
    >>> est.total                       # 86 x $2.50 + 1,920 x $1.25 + 300 x $10, per 1M tokens
    Decimal('0.005615')
    >>> tokencmp.estimate_cost(2006, model="gpt-4o").max_total  # output unknown: up to 16,384 tokens
    Decimal('0.168855')

Prices come from the catalog (USD per 1M tokens, per tier) and every
estimate carries their sources and the date they were checked. The billing
rules, from OpenAI's pricing and prompt-caching pages:

- Cached tokens and cache-write tokens are *part of* the prompt tokens: the
  rest of the prompt is billed at the input rate, cached tokens at the
  cached-input rate, cache writes at the cache-write rate (GPT-5.6 and later;
  before that a cache write costs nothing extra, so it is billed as input).
- Reasoning tokens (and rejected prediction tokens) are part of the output
  tokens and billed as output; they are never added a second time.
- Audio tokens are billed at the model's audio rates; a usage object with
  audio tokens on a model without audio prices is an error, not a guess.
- Above a long-context threshold (gpt-5.4 and gpt-5.5: 272K input tokens) the
  whole request is billed at the long-context prices; priority requests that
  large are processed, and billed, at those standard rates.
- A tier without a cached-input price bills cached tokens at its input rate
  (an upper bound, stated in ``notes``).

A model or tier with no price raises :class:`~tokencmp.errors.PriceUnknownError`:
there is no fallback price. All arithmetic is :class:`decimal.Decimal` in a
private context, so the caller's decimal settings never change a figure.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union

from ..catalog import TIERS, ModelInfo, Prices, Source, Tier, get_catalog, resolve_model
from ..errors import InvalidRequestError, PriceUnknownError, TokencmpError

if TYPE_CHECKING:
    from ..chat import RequestCount

RequestOrTokens = Union[int, "RequestCount", Mapping[str, Any], Any]

# Exact: products and sums of Decimals need as many digits as their operands have, and a division
# by 1,000,000 only moves the exponent, so with the largest precision and exponent range nothing
# is ever rounded (a catalog price or a token count of any size gives the exact amount).
_MONEY = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow],
)
_PER_TOKENS = Decimal(1_000_000)


@dataclass(frozen=True)
class CostEstimate:
    """The cost of one request, in USD, split the way it is billed.

    ``output_cost`` and ``total`` are ``None`` when the output size was not
    given; then ``min_total`` is the prompt alone and ``max_total`` adds the
    most output the request allows (``max_output_tokens``). When that is not
    known either (no max tokens in the request and none in the catalog),
    ``max_total`` is ``None`` too. With a known output, ``min_total ==
    max_total == total``.
    """

    model: str
    tier: Tier
    prompt_tokens: int
    cached_tokens: int
    cache_write_tokens: int
    output_tokens: int | None
    max_output_tokens: int | None
    input_cost: Decimal
    cached_input_cost: Decimal
    cache_write_cost: Decimal
    output_cost: Decimal | None
    max_output_cost: Decimal | None
    total: Decimal | None
    min_total: Decimal
    max_total: Decimal | None
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
    def prompt_cost(self) -> Decimal:
        """Everything billed for the prompt: input, cached input and cache writes."""
        return _add(self.input_cost, self.cached_input_cost, self.cache_write_cost)


@dataclass(frozen=True)
class _Tokens:
    """Billable token counts of one call, each counted once."""

    prompt: int
    cached: int = 0
    cache_write: int = 0
    audio_in: int = 0
    audio_cached: int = 0
    output: int | None = None
    max_output: int | None = None
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
    tier: Tier = "standard",
    max_output_tokens: int | None = None,
    choices: int | None = None,
) -> CostEstimate:
    """The cost of a request before it is sent.

    Args:
        request_or_tokens: the prompt's token count; a ``RequestCount`` from
            :func:`tokencmp.count_request`; or a request body (counted with
            :func:`tokencmp.count_request`).
        model: the model to price; defaults to the request's (required with a
            bare token count).
        output_tokens: the expected output, reasoning included. When ``None``
            the estimate is a range (``min_total`` .. ``max_total``).
        cached_tokens: how many of the prompt tokens are read from the cache.
        cache_write_tokens: how many of the prompt tokens are written to the
            cache (billed separately on GPT-5.6 and later).
        tier: ``standard``, ``batch``, ``flex`` or ``priority``.
        max_output_tokens: the most output to allow for the upper bound,
            instead of the request's ``max_tokens``-style field or the model's
            maximum output. It is per choice.
        choices: how many completions the request generates (its ``n``; the
            default is the request's, else 1). The prompt is billed once and
            the output of every choice, so the upper bound is ``choices`` times
            the most output of one; ``output_tokens`` is the total of all choices.

    >>> estimate_cost(10_000, model="gpt-4o", output_tokens=2_000, tier="batch").total
    Decimal('0.0225')
    """
    prompt, request_max, model, request_choices = _prompt_of(request_or_tokens, model)
    info = resolve_model(model)
    allowed = request_max if max_output_tokens is None else _count(max_output_tokens, "max_output_tokens")
    bound, note = _output_bound(info, prompt, allowed)
    n = request_choices if choices is None else _count(choices, "choices")
    if n < 1:
        raise InvalidRequestError("choices", "must be at least 1 (the request's n).")
    if bound is not None:
        bound *= n
    tokens = _Tokens(
        prompt=prompt,
        cached=_count(cached_tokens, "cached_tokens"),
        cache_write=_count(cache_write_tokens, "cache_write_tokens"),
        output=None if output_tokens is None else _count(output_tokens, "output_tokens"),
        max_output=bound,
    )
    return _price(info, tokens, tier, notes=() if note is None or output_tokens is not None else (note,))


def cost_from_usage(usage: Any, *, model: str, tier: Tier = "standard") -> CostEstimate:
    """The exact cost of a finished call, from the ``usage`` object the API returned.

    Accepts the Chat Completions shape (``prompt_tokens``, ``completion_tokens``,
    ``prompt_tokens_details``, ``completion_tokens_details``), the Responses
    shape (``input_tokens``, ``output_tokens``, ``*_tokens_details``) and the
    Realtime shape (``input_token_details``, ``output_token_details``), as a
    dict or an SDK object (anything with ``model_dump()``).

    >>> usage = {"input_tokens": 75, "output_tokens": 1186,
    ...          "output_tokens_details": {"reasoning_tokens": 1024}}
    >>> cost_from_usage(usage, model="o3").total   # 75 x $2 + 1,186 x $8 per 1M
    Decimal('0.009638')
    """
    tokens = _read_usage(_as_mapping(usage, "usage"))
    return _price(resolve_model(model), tokens, tier)


def prices_for(model: str | ModelInfo, *, tier: Tier = "standard", prompt_tokens: int = 0) -> Prices:
    """The per-1M-token prices that apply to a request of ``prompt_tokens`` on ``model``.

    >>> prices_for("gpt-5.4", prompt_tokens=300_000).input   # the long-context rate
    Decimal('5')
    """
    info = model if isinstance(model, ModelInfo) else resolve_model(model)
    return _rates(info, tier, prompt_tokens)[0]


# --- the rules --------------------------------------------------------------------------


def _rates(info: ModelInfo, tier: str, prompt_tokens: int) -> tuple[Prices, bool, str, tuple[str, ...]]:
    """(prices, long context?, the source key of the prices, notes) for one request."""
    if tier not in TIERS:
        raise PriceUnknownError(f"No tier {tier!r}: the tiers are {', '.join(TIERS)}.")
    long = info.long_context
    if long is not None and prompt_tokens > long.above_input_tokens:
        threshold = f"{long.above_input_tokens:,}"
        if tier not in ("standard", "priority"):
            raise PriceUnknownError(
                f"{info.name} has no published {tier} price for requests above {threshold} input "
                f"tokens ({prompt_tokens:,} here); use tier='standard', or add the price with "
                "tokencmp.load_catalog()."
            )
        notes = (f"Long-context prices: the input is above {threshold} tokens.",)
        if tier == "priority":
            notes += (f"Priority requests above {threshold} input tokens are processed at standard rates.",)
        return long.standard, True, "long_context" if "long_context" in info.sources else "prices", notes
    prices = info.prices.get(tier)  # type: ignore[call-overload]
    if prices is None or prices.input is None:
        have = ", ".join(t for t, p in info.prices.items() if p.input is not None) or "none"
        name = info.name + (f" (assumed from {info.assumed_from})" if info.assumed_from else "")
        raise PriceUnknownError(
            f"No {tier} price for {name} in the catalog (tiers with prices: {have}). "
            "Add it with tokencmp.load_catalog() or TOKENCMP_CATALOG."
        )
    return prices, False, "prices", ()


def _output_bound(info: ModelInfo, prompt: int, allowed: int | None) -> tuple[int | None, str | None]:
    """The most output tokens a request can produce, and a note when it is unknown.

    The request's own limit, but never more than the model's maximum output
    or what the context window leaves after the prompt.
    """
    if info.kind == "embedding":
        return 0, None
    bound = allowed
    if info.max_output_tokens is not None:
        bound = info.max_output_tokens if bound is None else min(bound, info.max_output_tokens)
    if info.context_window is not None:
        left = max(info.context_window - prompt, 0)
        bound = left if bound is None else min(bound, left)
    if bound is None:
        return None, (
            f"The most output of {info.name} is not known: pass output_tokens, or a max tokens "
            "value in the request, for an upper bound."
        )
    return bound, None


def _price(info: ModelInfo, t: _Tokens, tier: Tier, *, notes: tuple[str, ...] = ()) -> CostEstimate:
    rates, long, source_key, rate_notes = _rates(info, tier, t.prompt)
    notes = (*rate_notes, *notes)
    _check_parts(t)
    input_rate = rates.input
    assert input_rate is not None  # _rates guarantees it
    cached_rate = rates.cached_input
    if t.cached > t.audio_cached and cached_rate is None:
        cached_rate = input_rate
        notes += (f"No {tier} cached-input price for {info.name}: cached tokens billed at the input "
                  "rate (an upper bound).",)
    write_rate = rates.cache_write
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
    input_cost = _add(_usd(text_uncached, input_rate, "input", info),
                      _usd(audio_uncached, audio.input, "audio input", info))
    cached_cost = _add(_usd(t.cached - t.audio_cached, cached_rate, "cached input", info),
                       _usd(t.audio_cached, audio.cached_input, "cached audio input", info))
    write_cost = _usd(t.cache_write, write_rate, "cache write", info)
    prompt_cost = _add(input_cost, cached_cost, write_cost)

    output_cost = max_output_cost = None
    if t.output is not None:
        output_cost = max_output_cost = _add(
            _usd(t.output - t.audio_out, rates.output, "output", info),
            _usd(t.audio_out, audio.output, "audio output", info),
        )
    elif t.max_output is not None:
        max_output_cost = _usd(t.max_output, rates.output, "output", info)

    return CostEstimate(
        model=info.name,
        tier=tier,
        prompt_tokens=t.prompt,
        cached_tokens=t.cached,
        cache_write_tokens=t.cache_write,
        output_tokens=t.output,
        max_output_tokens=t.output if t.output is not None else t.max_output,
        input_cost=input_cost,
        cached_input_cost=cached_cost,
        cache_write_cost=write_cost,
        output_cost=output_cost,
        max_output_cost=max_output_cost,
        total=None if output_cost is None else _add(prompt_cost, output_cost),
        min_total=_add(prompt_cost, output_cost or Decimal(0)),
        max_total=None if max_output_cost is None else _add(prompt_cost, max_output_cost),
        long_context=long,
        rates=rates,
        sources=_sources(info, source_keys),
        checked=info.checked,
        reasoning_tokens=t.reasoning,
        audio_input_tokens=t.audio_in,
        audio_output_tokens=t.audio_out,
        audio_rates=info.audio_prices if source_keys[1:] else None,
        notes=(*notes, *info.notes),
    )


def _check_parts(t: _Tokens) -> None:
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


def _usd(tokens: int, rate: Decimal | None, what: str, info: ModelInfo) -> Decimal:
    """``tokens`` at ``rate`` USD per 1M tokens."""
    if not tokens:
        return Decimal(0)
    if rate is None:
        raise PriceUnknownError(
            f"No {what} price for {info.name} in the catalog ({tokens:,} tokens to bill)."
        )
    return _MONEY.divide(_MONEY.multiply(Decimal(tokens), rate), _PER_TOKENS)


def _add(*amounts: Decimal) -> Decimal:
    total = Decimal(0)
    for amount in amounts:
        total = _MONEY.add(total, amount)
    return total


def _sources(info: ModelInfo, keys: list[str]) -> tuple[Source, ...]:
    catalog = get_catalog()
    out: list[Source] = []
    for key in keys:
        source = catalog.sources.get(info.sources.get(key, ""))
        if source is not None and source not in out:
            out.append(source)
    return tuple(out)


# --- reading inputs ---------------------------------------------------------------------


def _prompt_of(value: Any, model: str | None) -> tuple[int, int | None, str, int]:
    """(prompt tokens, max output tokens per choice, model, choices) of what estimate_cost was given."""
    if isinstance(value, bool):
        raise InvalidRequestError("request_or_tokens", "expected a token count, not a bool.")
    if isinstance(value, int):
        if model is None:
            raise TokencmpError("estimate_cost needs model= when given a bare token count.")
        return _count(value, "prompt tokens"), None, model, 1
    if not (hasattr(value, "total") and hasattr(value, "model")):  # a request body, not a count
        from ..chat import count_request

        value = count_request(value, model=model)
    choices = getattr(value, "choices", 1)
    return value.total, value.max_output_tokens, model or value.model, choices if type(choices) is int else 1


def _count(value: Any, path: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(path, f"expected a token count (an integer >= 0), got {value!r}.")
    return value


def _as_mapping(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump()
    raise InvalidRequestError(
        path, f"expected an object (a dict or an SDK model), not {type(value).__name__}."
    )


def _field(data: Mapping[str, Any], path: str, *keys: str) -> int:
    """A token count nested under ``keys``; absent or null counts as 0."""
    value: Any = data
    for i, key in enumerate(keys):
        value = _as_mapping(value, ".".join((path, *keys[:i]))).get(key)
        if value is None:
            return 0
    return _count(value, ".".join((path, *keys)))


# Where each billable count sits in each API's usage object (field paths).
_USAGE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "chat": {
        "prompt": ("prompt_tokens",),
        "cached": ("prompt_tokens_details", "cached_tokens"),
        "cache_write": ("prompt_tokens_details", "cache_write_tokens"),
        "audio_in": ("prompt_tokens_details", "audio_tokens"),
        "output": ("completion_tokens",),
        "audio_out": ("completion_tokens_details", "audio_tokens"),
        "reasoning": ("completion_tokens_details", "reasoning_tokens"),
    },
    "responses": {
        "prompt": ("input_tokens",),
        "cached": ("input_tokens_details", "cached_tokens"),
        "cache_write": ("input_tokens_details", "cache_write_tokens"),
        "audio_in": ("input_tokens_details", "audio_tokens"),
        "output": ("output_tokens",),
        "audio_out": ("output_tokens_details", "audio_tokens"),
        "reasoning": ("output_tokens_details", "reasoning_tokens"),
    },
    "realtime": {
        "prompt": ("input_tokens",),
        "cached": ("input_token_details", "cached_tokens"),
        "audio_in": ("input_token_details", "audio_tokens"),
        "audio_cached": ("input_token_details", "cached_tokens_details", "audio_tokens"),
        "output": ("output_tokens",),
        "audio_out": ("output_token_details", "audio_tokens"),
    },
}


def _read_usage(u: Mapping[str, Any]) -> _Tokens:
    if "prompt_tokens" in u:
        shape = "chat"
    elif "input_token_details" in u or "output_token_details" in u:
        shape = "realtime"
        if _field(u, "usage", "input_token_details", "image_tokens"):
            raise PriceUnknownError(
                "The usage has image input tokens, which Realtime models bill at image rates the "
                "catalog does not hold."
            )
    elif "input_tokens" in u:
        shape = "responses"
    else:
        raise InvalidRequestError(
            "usage",
            "not a usage object: expected prompt_tokens/completion_tokens (Chat Completions) "
            "or input_tokens/output_tokens (Responses, Realtime).",
        )
    return _Tokens(**{name: _field(u, "usage", *path) for name, path in _USAGE_FIELDS[shape].items()})
