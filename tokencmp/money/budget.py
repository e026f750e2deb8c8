"""Budget: will a request fit its model's limits, and may it cost more than a budget.

    >>> import tokencmp
    >>> request = {"model": "gpt-4o", "max_completion_tokens": 500,
    ...            "messages": [{"role": "user", "content": "Summarise this in one line."}]}
    >>> report = tokencmp.check_budget(request, max_cost="0.01")
    >>> report.fits_context, report.within_budget
    (True, True)

The limits are :mod:`tokencmp.money.limits`'. The reserve for the answer is
``reserve_output`` when given, else the request's ``max_completion_tokens`` /
``max_tokens`` / ``max_output_tokens`` (the API rejects a request whose prompt
and max tokens exceed the context), else 0. The cost is a range: the prompt
alone up to the prompt plus the most output allowed (the reserve, else the
model's maximum output, never more than the context leaves). A budget is met
only when the *upper* end is within it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..catalog import TierName, resolve_model
from ..chat import RequestCount, count_request
from ..errors import (
    BudgetExceededError,
    ContextOverflowError,
    PriceUnknownError,
    UnsupportedModelError,
    token_count,
)
from ..result import Result
from .cost import CostEstimate, estimate_cost
from .limits import output_headroom, prompt_limit
from .subject import is_request_count, output_cap
from .usd import format_usd, parse_usd


@dataclass(frozen=True, kw_only=True)
class BudgetReport(Result):
    """Whether one request fits a model's limits and a budget, with the numbers.

    ``prompt_limit`` is the most prompt tokens that fit with the reserved
    output; ``over_by`` is how many prompt tokens must go for it to fit (0
    when it fits); ``output_headroom`` is the most output the model could still
    produce after this prompt. ``total_min`` .. ``total_max`` is the cost range
    (``total_max`` is ``None`` when the most output is not known). ``prompt_low`` ..
    ``prompt_high`` are the count's bounds (``prompt_tokens`` both when exact): the fit (``over_by``,
    ``fits_context``, ``output_headroom``) and ``total_max`` take the prompt at it.
    ``within_budget`` is ``None`` when no budget was given. ``cost`` (and the
    range) is ``None`` when the catalog has no price for the model (a
    fine-tune, an open-weight model) and no budget was asked for: the fit is
    still checked, and a note says the cost is unknown.

    ``cost_min`` and ``cost_max``, the names of earlier 0.x releases, read
    ``total_min`` and ``total_max``.
    """

    model: str
    encoding: str
    prompt_tokens: int
    prompt_low: int
    prompt_high: int
    input_limit: int
    context_window: int | None
    reserved_output: int
    prompt_limit: int
    fits_context: bool
    over_by: int
    output_headroom: int
    total_min: Decimal | None
    total_max: Decimal | None
    cost: CostEstimate | None
    budget: Decimal | None
    within_budget: bool | None
    exact: bool
    notes: tuple[str, ...] = ()
    cost_unknown: str | None = None
    """Why ``cost`` is ``None`` (the catalog has no price that applies), else ``None``."""

    def to_dict(self) -> dict[str, Any]:
        """The report's data, with ``ok`` and ``problems`` (the verdict and its reasons)."""
        return {**super().to_dict(), "ok": self.ok, "problems": list(self.problems)}

    @property
    def cost_min(self) -> Decimal | None:
        """Old name of :attr:`total_min`."""
        return self.total_min

    @property
    def cost_max(self) -> Decimal | None:
        """Old name of :attr:`total_max`."""
        return self.total_max

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the request fails the check, one sentence each with the numbers; empty when ok."""
        out = () if self.fits_context else (_overflow_message(self),)
        return out + ((_budget_message(self),) if self.within_budget is False else ())

    @property
    def ok(self) -> bool:
        """Fits the context and (when a budget was given) the budget."""
        return self.fits_context and self.within_budget is not False


def check_budget(
    request: Mapping[str, Any] | RequestCount,
    *,
    model: str | None = None,
    max_cost: Decimal | str | int | float | None = None,
    reserve_output: int | None = None,
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: TierName = "standard",
    strict_model: bool = False,
) -> BudgetReport:
    """Check a request against its model's limits and an optional budget (USD).

    Args:
        request: a Chat Completions or Responses request body, or a
            ``RequestCount`` already made with :func:`tokencmp.count_request`.
        model: the model to check against, instead of the request's.
        max_cost: the budget in USD (a Decimal, a decimal string, an int, or a float read through its
            shortest repr: 0.1 is Decimal('0.1')).
        reserve_output: output tokens to reserve in the context window and to
            price as the most output; defaults to the request's max tokens.
        output_tokens: the expected output, when known: the cost is then one figure.
        cached_tokens: prompt tokens expected to be read from the cache.
        tier: one of :data:`tokencmp.catalog.TIER_NAMES` (``fast`` is ``priority``).
        strict_model: accept only a model the catalog holds (an entry or alias): a
            name a rule would resolve raises :class:`~tokencmp.errors.AssumedModelError`.

    Raises :class:`~tokencmp.errors.UnsupportedModelError` when the catalog
    knows no input limit or context window for the model, and
    :class:`~tokencmp.errors.PriceUnknownError` when a budget is given for a
    model without a price (without a budget, the report's ``cost`` is ``None``).

    >>> check_budget({"model": "gpt-5", "input": "Hi", "max_output_tokens": 1_000}).prompt_limit
    272000
    """
    if is_request_count(request):
        count = request
    else:
        count = count_request(request, model=model, strict_model=strict_model)
    if strict_model:
        resolve_model(model or count.model, strict=True)
    return assess(
        count,
        model=model,
        budget=None if max_cost is None else parse_usd(max_cost, "max_cost"),
        reserve_output=reserve_output,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        tier=tier,
    )


def ensure_budget(
    request: Mapping[str, Any] | RequestCount,
    *,
    model: str | None = None,
    max_cost: Decimal | str | int | float | None = None,
    reserve_output: int | None = None,
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: TierName = "standard",
    strict_model: bool = False,
) -> BudgetReport:
    """:func:`check_budget`, raising when the request does not fit or may cost too much.

    Raises :class:`~tokencmp.errors.ContextOverflowError` (with
    ``prompt_tokens`` and ``limit``) or
    :class:`~tokencmp.errors.BudgetExceededError`; returns the report otherwise.
    """
    report = check_budget(
        request, model=model, max_cost=max_cost, reserve_output=reserve_output,
        output_tokens=output_tokens, cached_tokens=cached_tokens, tier=tier, strict_model=strict_model,
    )
    if not report.fits_context:
        raise ContextOverflowError(
            _overflow_message(report), prompt_tokens=report.prompt_tokens, limit=report.prompt_limit
        )
    if report.within_budget is False:
        raise BudgetExceededError(_budget_message(report))
    return report


def assess(
    count: RequestCount,
    *,
    model: str | None,
    budget: Decimal | None,
    reserve_output: int | None,
    output_tokens: int | None,
    cached_tokens: int,
    tier: TierName,
    price_optional: bool = False,
) -> BudgetReport:
    """The check behind :func:`check_budget` and :func:`tokencmp.rank_models`.

    ``price_optional``: no price gives ``cost=None`` even under a budget.
    """
    info = resolve_model(model or count.model)
    if info.input_limit is None:
        raise UnsupportedModelError(
            f"The catalog has no input limit or context window for {info.name}, so the request "
            "cannot be checked; add context_window with tokencmp.load_catalog()."
        )
    # The fit and the cost ceiling take the prompt at its bound: an estimate may be low.
    prompt = getattr(count, "high", count.total)
    reserve = reserve_output if reserve_output is not None else output_cap(count)
    reserved = 0 if reserve is None else token_count(reserve, "reserve_output")
    limit = prompt_limit(info, reserved)
    assert limit is not None  # the input limit is known
    over_by = max(prompt - limit, 0)
    notes = list(count.notes)
    if resolve_model(count.model).name != info.name:
        notes.append(f"The request was counted for {count.model}; {info.name} may count it differently.")
    if info.max_output_tokens is not None and reserved > info.max_output_tokens:
        notes.append(f"The reserved output ({reserved:,}) is more than {info.name} can produce "
                     f"({info.max_output_tokens:,}); the API rejects such a max tokens value.")
    cost: CostEstimate | None
    cost_unknown = None
    try:
        cost = estimate_cost(  # the count carries the request's choices
            count, model=info.name, output_tokens=output_tokens, cached_tokens=cached_tokens,
            tier=tier, max_output_tokens=None if reserve is None else reserved,
        )
    except PriceUnknownError as e:
        if budget is not None and not price_optional:
            raise
        cost = None
        cost_unknown = str(e)
        notes.append(f"Cost unknown: {e}")
    total_max = None if cost is None else cost.total_max
    if cost is not None and prompt > count.total:
        ceiling = estimate_cost(
            dataclasses.replace(count, total=prompt), model=info.name, output_tokens=output_tokens,
            cached_tokens=cached_tokens, tier=tier, max_output_tokens=None if reserve is None else reserved,
        )
        total_max = ceiling.total_max
    within = None
    if budget is not None and cost is not None:
        within = total_max is not None and total_max <= budget
    return BudgetReport(
        model=info.name,
        encoding=count.encoding,
        prompt_tokens=count.total,
        prompt_low=getattr(count, "low", count.total),
        prompt_high=prompt,
        input_limit=info.input_limit,
        context_window=info.context_window,
        reserved_output=reserved,
        prompt_limit=limit,
        fits_context=over_by == 0,
        over_by=over_by,
        output_headroom=output_headroom(info, prompt),
        total_min=None if cost is None else cost.total_min,
        total_max=total_max,
        cost=cost,
        budget=budget,
        within_budget=within,
        exact=count.exact,
        notes=tuple(notes),
        cost_unknown=cost_unknown,
    )


def _overflow_message(r: BudgetReport) -> str:
    """Why a report does not fit, with the numbers."""
    if r.prompt_tokens > r.input_limit:
        what = f"exceed the input limit of {r.input_limit:,}"
        over = r.prompt_tokens - r.input_limit
    else:
        window = "?" if r.context_window is None else f"{r.context_window:,}"
        what = f"plus {r.reserved_output:,} reserved output tokens exceed the {window}-token context window"
        over = r.over_by
    return (f"{r.model}: {r.prompt_tokens:,} prompt tokens {what} by {over:,}. Shorten the prompt "
            "(tokencmp.fit_messages drops the oldest turns), lower the reserved output, or use a "
            "model with a larger context.")


def _budget_message(r: BudgetReport) -> str:
    """Why a report is over budget, with the numbers."""
    if r.cost is None or r.total_max is None:
        return (f"{r.model}: the most output is not known, so the cost cannot be bounded by the budget "
                f"of ${format_usd(r.budget)}; pass reserve_output or set max tokens in the request.")
    out = r.cost.output_tokens_max or 0
    return (f"{r.model}: up to ${format_usd(r.total_max)} ({r.prompt_tokens:,} prompt tokens from "
            f"${format_usd(r.total_min)}, plus up to {out:,} output tokens) exceeds the budget of "
            f"${format_usd(r.budget)}. Lower the output allowed (max tokens, reserve_output), shorten "
            "the prompt, or choose a cheaper model or tier.")
