"""Usage: the exact cost of a finished call, from the ``usage`` object the API returned.

    >>> usage = {"prompt_tokens": 2006, "completion_tokens": 300,
    ...          "prompt_tokens_details": {"cached_tokens": 1920}}
    >>> cost_from_usage(usage, model="gpt-4o").total   # 86 x $2.50 + 1,920 x $1.25 + 300 x $10 per 1M
    Decimal('0.005615')

Three APIs report usage in three shapes; :data:`USAGE_FIELDS` says where each
billable count sits in each, and :func:`tokencmp.money.cost.price` bills them
by the same rules as an estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog import ModelInfo, Tier, TierName, resolve_model
from ..errors import InvalidRequestError, PriceUnknownError, token_count
from .cost import CostEstimate, Tokens, price

# Where each billable count sits in each API's usage object (field paths), by the usage
# references of Chat Completions (CompletionUsage), Responses (ResponseUsage) and the Realtime
# API (response.done's usage). A field that is absent or null counts as 0.
USAGE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
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


SERVICE_TIERS: dict[str, Tier] = {
    "default": "standard", "auto": "standard", "flex": "flex", "priority": "priority", "fast": "priority",
    "batch": "batch",
}
"""A response's ``service_tier`` (the tier it was processed at) -> the tier it is billed at. The
pricing page: priority processing was renamed Fast mode, sent as ``service_tier: "priority"`` or
``"fast"``; ``default`` (and ``auto``, which a response reports as the tier used) is standard."""


def cost_from_usage(
    usage: Any, *, model: str | ModelInfo | None = None, tier: TierName | None = None,
    strict_model: bool = False,
) -> CostEstimate:
    """The exact cost of a finished call, from the ``usage`` object the API returned, or the whole
    response (a Chat Completions or Responses object with ``usage``, ``model`` and ``service_tier``).

    With a whole response, ``model`` defaults to the response's and ``tier`` to its
    ``service_tier`` (:data:`SERVICE_TIERS`); otherwise ``model`` is required and the tier
    defaults to ``standard``. ``model`` may be a catalog entry (a ``ModelInfo``) too.

    >>> response = {"object": "chat.completion", "model": "gpt-4o", "service_tier": "default",
    ...             "usage": {"prompt_tokens": 100, "completion_tokens": 10}}
    >>> cost_from_usage(response).total   # 100 x $2.50 + 10 x $10 per 1M
    Decimal('0.00035')

    Accepts the Chat Completions shape (``prompt_tokens``, ``completion_tokens``,
    ``prompt_tokens_details``, ``completion_tokens_details``), the Responses
    shape (``input_tokens``, ``output_tokens``, ``*_tokens_details``) and the
    Realtime shape (``input_token_details``, ``output_token_details``), as a
    dict or an SDK object (anything with ``model_dump()``). ``strict_model=True`` accepts only
    a model the catalog holds (:class:`~tokencmp.errors.AssumedModelError` otherwise).

    >>> usage = {"input_tokens": 75, "output_tokens": 1186,
    ...          "output_tokens_details": {"reasoning_tokens": 1024}}
    >>> cost_from_usage(usage, model="o3").total   # 75 x $2 + 1,186 x $8 per 1M
    Decimal('0.009638')
    """
    data = _as_mapping(usage, "usage")
    inner = data.get("usage")
    if isinstance(inner, Mapping) or (inner is not None and hasattr(inner, "model_dump")):
        if model is None and isinstance(data.get("model"), str):
            model = data["model"]
        if tier is None and isinstance(data.get("service_tier"), str):
            tier = SERVICE_TIERS.get(data["service_tier"])
            if tier is None:
                raise PriceUnknownError(f"service_tier {data['service_tier']!r}: not a tier tokencmp "
                                        f"prices ({', '.join(SERVICE_TIERS)}).")
        data = _as_mapping(inner, "usage")
    if model is None:
        raise InvalidRequestError("model", "missing: pass model=, or a whole response that names its model.")
    tokens = _read_usage(data)
    info = model if isinstance(model, ModelInfo) else resolve_model(model, strict=strict_model)
    return price(info, tokens, tier or "standard")


def _shape(u: Mapping[str, Any]) -> str:
    """Which API's usage object ``u`` is: ``chat``, ``responses`` or ``realtime``."""
    if "prompt_tokens" in u:
        return "chat"
    if "input_token_details" in u or "output_token_details" in u:
        return "realtime"
    if "input_tokens" in u:
        return "responses"
    raise InvalidRequestError(
        "usage",
        "not a usage object: expected prompt_tokens/completion_tokens (Chat Completions) "
        "or input_tokens/output_tokens (Responses, Realtime).",
    )


def _read_usage(u: Mapping[str, Any]) -> Tokens:
    shape = _shape(u)
    if shape == "realtime" and _field(u, "usage", "input_token_details", "image_tokens"):
        raise PriceUnknownError(
            "The usage has image input tokens, which Realtime models bill at image rates the "
            "catalog does not hold."
        )
    return Tokens(**{name: _field(u, "usage", *path) for name, path in USAGE_FIELDS[shape].items()})


def _as_mapping(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        dumped = dump()
        if isinstance(dumped, Mapping):
            return dumped
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
    return token_count(value, ".".join((path, *keys)))
