"""The reservation arithmetic: the most a request can cost, before it is sent; what it did cost, after.

    >>> plan = plan_call("chat", {"model": "gpt-4o", "max_tokens": 10,
    ...                           "messages": [{"role": "user", "content": "hi"}]})
    >>> plan.input_tokens, plan.output_tokens, plan.cost   # 8 x $2.50 + 10 x $10, per 1M
    (8, 10, Decimal('0.00012'))

The worst case of a call is its prompt at the count's upper bound (``RequestCount.high``,
which is the exact count when every rule applied is exact), plus the most output it allows:
its own ``max_completion_tokens`` / ``max_tokens`` / ``max_output_tokens``, else the model's
maximum output, never more than the context leaves, times its ``n``; an embedding has no
output. It is priced at the tier the request asks for (``service_tier``): ``flex`` and
``priority`` (``fast`` is an alias of priority) at their prices; ``auto``, ``default`` or
none at the project's tier, ``standard`` unless the guard is told otherwise (OpenAI's API
reference, ``service_tier``: "auto" uses the tier set in the project's settings, which is
"default" unless configured).

Refused before anything is sent, each with one clear error:

- a model the catalog does not know (:class:`~tokencmp.errors.UnknownModelError`);
- a model or tier without a price (:class:`~tokencmp.errors.PriceUnknownError`), unless the
  guard's ``unpriced=`` policy names a flat amount to reserve and charge per call: never free;
- a request whose output has no bound (no max tokens, none in the catalog);
- a Responses request the guard cannot count: ``previous_response_id`` or ``conversation``
  (the stored context is billed as input and cannot be counted here) and ``background``
  (its usage is not in the response). Pass the input in full, or call the raw client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ..catalog import TIER_ALIASES, Tier, resolve_model
from ..errors import BudgetExceededError, InvalidRequestError, PriceUnknownError, UnknownModelError
from ..money import CostEstimate, cost_from_usage, estimate_cost
from ..money.usd import format_usd

Endpoint = Literal["chat", "responses", "embeddings"]

# The API's service_tier values (request and response), as tokencmp tiers; None: the project's
# tier. OpenAI's API reference, Chat Completions and Responses, `service_tier`: "auto",
# "default", "flex", "scale", "priority"; and tokencmp's own aliases (TIER_ALIASES: fast is priority).
SERVICE_TIERS: dict[str, Tier | None] = {
    "auto": None, "default": "standard", "flex": "flex", "priority": "priority", **TIER_ALIASES,
}
# Keyword arguments of the SDK's create() that are not part of the body.
SDK_ARGUMENTS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
UNCOUNTABLE = {
    "previous_response_id": "the stored conversation it continues is billed as input and cannot be counted",
    "conversation": "the stored conversation is billed as input and cannot be counted",
    "background": "a background response is billed later, without usage in the reply",
}


@dataclass(frozen=True)
class Plan:
    """One call's worst case: what is reserved before it is sent."""

    endpoint: Endpoint
    model: str
    tier: Tier
    input_tokens: int
    output_tokens: int
    cost: Decimal
    unpriced: bool = False


@dataclass(frozen=True)
class Settlement:
    """What a finished call cost, from its usage, and the counts the ledger keeps."""

    cost: Decimal
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    note: str = ""


def request_body(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body the SDK will send for ``create(**kwargs)``: its own arguments dropped,
    ``extra_body`` merged, the SDK's "not given" sentinels left out."""
    body = {k: v for k, v in kwargs.items() if k not in SDK_ARGUMENTS and not not_given(v)}
    extra = kwargs.get("extra_body")
    if isinstance(extra, Mapping):
        body.update(extra)
    return body


def tier_of(value: object, default: Tier, where: str) -> Tier:
    """The tokencmp tier of a ``service_tier`` value (``None`` and ``auto``: ``default``)."""
    if value is None:
        return default
    if not isinstance(value, str) or value not in SERVICE_TIERS:
        raise PriceUnknownError(
            f"{where}: service_tier {value!r} has no per-token price in the catalog (the guard prices "
            f"{', '.join(SERVICE_TIERS)}); pass unpriced= to charge a flat amount per call.")
    return SERVICE_TIERS[value] or default


def plan_call(endpoint: Endpoint, kwargs: Mapping[str, Any], *, default_tier: Tier = "standard",
              unpriced: Decimal | None = None) -> Plan:
    """The worst case of ``create(**kwargs)`` on ``endpoint``, or one clear error."""
    body = request_body(kwargs)
    model = body.get("model")
    if not isinstance(model, str):
        raise InvalidRequestError("model", "the guard needs the request's model as a string.")
    info = resolve_model(model)  # UnknownModelError for a name the catalog cannot resolve
    if endpoint == "responses":
        for key, why in UNCOUNTABLE.items():
            if body.get(key):
                raise InvalidRequestError(key, f"the guard cannot reserve for this request: {why}. "
                                               "Send the input in full, or use the unguarded client.")
    try:
        tier = tier_of(body.get("service_tier"), default_tier, "request")
        estimate = _worst_case(endpoint, body, info.name, tier)
    except PriceUnknownError as e:
        if unpriced is None:
            raise PriceUnknownError(
                f"{e} The guard refuses a call it cannot price; to allow it, pass unpriced='0.05' "
                "(a flat amount in USD reserved and charged per call).") from None
        return Plan(endpoint, info.name, default_tier, 0, 0, unpriced, unpriced=True)
    if estimate.total_max is None:
        raise BudgetExceededError(
            f"{info.name}: the most output is not known, so the call cannot be bounded; set "
            "max_completion_tokens (Chat) or max_output_tokens (Responses).")
    output = estimate.output_tokens_max or 0
    return Plan(endpoint, info.name, tier, estimate.prompt_tokens, output, estimate.total_max)


def settle_call(plan: Plan, usage: Any, *, model: object = None, service_tier: object = None) -> Settlement:
    """What a call planned as ``plan`` cost, from the response's ``usage``, ``model`` and ``service_tier``.

    The response's model is priced when the catalog knows it (a dated snapshot may be priced
    differently from its alias), else the request's. A call allowed by the ``unpriced``
    policy is charged the policy's amount.
    """
    if plan.unpriced:
        return Settlement(plan.cost, note=f"unpriced: charged the unpriced= amount, ${format_usd(plan.cost)}")
    tier = plan.tier if service_tier is None else tier_of(service_tier, plan.tier, "response")
    names = [model, plan.model] if isinstance(model, str) and model != plan.model else [plan.model]
    error: PriceUnknownError | None = None
    for name in names:
        try:
            cost = cost_from_usage(usage, model=str(name), tier=tier)
        except PriceUnknownError as e:
            error = e
            continue
        except UnknownModelError:  # a response model the catalog cannot resolve: price the request's
            continue
        note = "" if cost.total is None or cost.total <= plan.cost else (
            f"cost ${format_usd(cost.total)} above the reservation ${format_usd(plan.cost)}")
        return Settlement(cost.total or cost.total_min, cost.prompt_tokens, cost.output_tokens or 0,
                          cost.cached_tokens, cost.reasoning_tokens, note)
    raise error or PriceUnknownError(f"No price for {plan.model}.")


def _worst_case(endpoint: Endpoint, body: Mapping[str, Any], model: str, tier: Tier) -> CostEstimate:
    if endpoint == "embeddings":
        return estimate_cost(embedding_tokens(body.get("input"), model), model=model, tier=tier)
    from ..chat import count_request

    count = count_request(body, model=model)
    return estimate_cost(count.high, model=model, tier=tier, max_output_tokens=count.output_tokens_max,
                         choices=count.choices)


def embedding_tokens(value: object, model: str) -> int:
    """The input tokens of an embeddings request's ``input``: a string, a list of strings, a list
    of token ids or a list of lists of them (the embeddings reference); exact, no overhead. The
    rule is the files' (:func:`tokencmp.files.bodies.count_inputs`)."""
    from ..catalog import resolve_model
    from ..files.bodies import count_inputs

    return count_inputs({"input": value}, "input", resolve_model(model))[0]


def not_given(value: object) -> bool:
    """The SDK's "argument not given" markers (``NOT_GIVEN``, ``omit``), without importing openai."""
    return type(value).__name__ in ("NotGiven", "Omit") and type(value).__module__.startswith("openai")
