"""Pre-flight checks: will a request fit, what may it cost, and which model is cheapest.

    >>> import tokencmp
    >>> request = {"model": "gpt-4o", "max_completion_tokens": 500,
    ...            "messages": [{"role": "user", "content": "Summarise this in one line."}]}
    >>> report = tokencmp.check_budget(request, max_cost="0.01")
    >>> report.fits_context, report.within_budget
    (True, True)

The limits, from the catalog:

- The prompt must fit the model's *input limit*, which is lower than the
  context window where the API enforces one (the gpt-5 family accepts at most
  272,000 input tokens of its 400,000 context).
- The prompt plus the output reserved for the answer must fit the context
  window. The reserve is ``reserve_output`` when given, else the request's
  ``max_completion_tokens`` / ``max_tokens`` / ``max_output_tokens`` (the API
  rejects a request whose prompt and max tokens exceed the context), else 0.
- The cost is a range: the prompt alone up to the prompt plus the most output
  allowed (the reserve, else the model's maximum output, never more than the
  context leaves). A budget is met only when the *upper* end is within it.

:func:`fit_messages` trims a conversation to fit; :func:`compare_models` and
:func:`cheapest_fit` price one request on several models, counting it again
with each model's own encoding and message format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..catalog import ModelInfo, Tier, resolve_model
from ..chat import RequestCount, count_messages, count_request
from ..errors import (
    BudgetExceededError,
    ContextOverflowError,
    InvalidRequestError,
    PriceUnknownError,
    TokencmpError,
    UnsupportedModelError,
)
from .cost import CostEstimate, estimate_cost

Message = Mapping[str, Any]


@dataclass(frozen=True)
class BudgetReport:
    """Whether one request fits a model's limits and a budget, with the numbers.

    ``prompt_limit`` is the most prompt tokens that fit with the reserved
    output; ``over_by`` is how many prompt tokens must go for it to fit (0
    when it fits); ``output_headroom`` is the most output the model could still
    produce after this prompt. ``cost_min`` .. ``cost_max`` is the cost range
    (``cost_max`` is ``None`` when the most output is not known).
    ``within_budget`` is ``None`` when no budget was given. ``cost`` is
    ``None`` when the catalog has no price for the model (a fine-tune, an
    open-weight model) and no budget was asked for: the fit is still checked,
    and a note says the cost is unknown.
    """

    model: str
    encoding: str
    prompt_tokens: int
    input_limit: int
    context_window: int | None
    reserved_output: int
    prompt_limit: int
    fits_context: bool
    over_by: int
    output_headroom: int
    cost: CostEstimate | None
    budget: Decimal | None
    within_budget: bool | None
    exact: bool
    notes: tuple[str, ...] = ()

    @property
    def cost_min(self) -> Decimal | None:
        return None if self.cost is None else self.cost.min_total

    @property
    def cost_max(self) -> Decimal | None:
        return None if self.cost is None else self.cost.max_total

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the request fails the check, one sentence each with the numbers; empty when ok."""
        out = () if self.fits_context else (_overflow_message(self),)
        return out + ((_budget_message(self),) if self.within_budget is False else ())

    @property
    def ok(self) -> bool:
        """Fits the context and (when a budget was given) the budget."""
        return self.fits_context and self.within_budget is not False


@dataclass(frozen=True)
class ModelCost:
    """One row of :func:`compare_models`: the same request priced on one model.

    The amounts are ``None`` for a model the catalog has no price for (such
    rows sort last); ``output_cost_max`` and ``total_max`` also when the most
    output is not known.
    """

    model: str
    encoding: str
    prompt_tokens: int
    input_cost: Decimal | None
    output_cost_min: Decimal | None
    output_cost_max: Decimal | None
    total_min: Decimal | None
    total_max: Decimal | None
    fits: bool
    headroom: int
    within_budget: bool | None
    report: BudgetReport


@dataclass(frozen=True)
class FitResult:
    """What :func:`fit_messages` kept and dropped, and the kept messages' count."""

    kept: list[Message]
    dropped: list[Message]
    prompt_tokens: int
    limit: int
    model: str


# --- pre-flight checks ------------------------------------------------------------------


def check_budget(
    request: Mapping[str, Any] | RequestCount,
    *,
    model: str | None = None,
    max_cost: Decimal | str | int | None = None,
    reserve_output: int | None = None,
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: Tier = "standard",
) -> BudgetReport:
    """Check a request against its model's limits and an optional budget (USD).

    Args:
        request: a Chat Completions or Responses request body, or a
            ``RequestCount`` already made with :func:`tokencmp.count_request`.
        model: the model to check against, instead of the request's.
        max_cost: the budget in USD (a Decimal or a decimal string, not a float).
        reserve_output: output tokens to reserve in the context window and to
            price as the most output; defaults to the request's max tokens.
        output_tokens: the expected output, when known: the cost is then one figure.
        cached_tokens: prompt tokens expected to be read from the cache.
        tier: ``standard``, ``batch``, ``flex`` or ``priority``.

    Raises :class:`~tokencmp.errors.UnsupportedModelError` when the catalog
    knows no input limit or context window for the model, and
    :class:`~tokencmp.errors.PriceUnknownError` when a budget is given for a
    model without a price (without a budget, the report's ``cost`` is ``None``).
    """
    count = request if _is_count(request) else count_request(request, model=model)  # type: ignore[arg-type]
    return _assess(
        count,  # type: ignore[arg-type]
        model=model,
        budget=_money(max_cost),
        reserve_output=reserve_output,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        tier=tier,
    )


def ensure_budget(
    request: Mapping[str, Any] | RequestCount,
    *,
    model: str | None = None,
    max_cost: Decimal | str | int | None = None,
    reserve_output: int | None = None,
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: Tier = "standard",
) -> BudgetReport:
    """:func:`check_budget`, raising when the request does not fit or may cost too much.

    Raises :class:`~tokencmp.errors.ContextOverflowError` (with
    ``prompt_tokens`` and ``limit``) or
    :class:`~tokencmp.errors.BudgetExceededError`; returns the report otherwise.
    """
    report = check_budget(
        request, model=model, max_cost=max_cost, reserve_output=reserve_output,
        output_tokens=output_tokens, cached_tokens=cached_tokens, tier=tier,
    )
    if not report.fits_context:
        raise ContextOverflowError(
            _overflow_message(report), prompt_tokens=report.prompt_tokens, limit=report.prompt_limit
        )
    if report.within_budget is False:
        raise BudgetExceededError(_budget_message(report))
    return report


def _overflow_message(report: BudgetReport) -> str:
    """Why a report does not fit, with the numbers."""
    r = report
    if r.input_limit is not None and r.prompt_tokens > r.input_limit:
        what = f"exceed the input limit of {r.input_limit:,}"
        over = r.prompt_tokens - r.input_limit
    else:
        what = (f"plus {r.reserved_output:,} reserved output tokens exceed the "
                f"{r.context_window:,}-token context window")
        over = r.over_by
    return (f"{r.model}: {r.prompt_tokens:,} prompt tokens {what} by {over:,}. Shorten the prompt "
            "(tokencmp.fit_messages drops the oldest turns), lower the reserved output, or use a "
            "model with a larger context.")


def _budget_message(report: BudgetReport) -> str:
    """Why a report is over budget, with the numbers."""
    r = report
    if r.cost_max is None:
        return (f"{r.model}: the most output is not known, so the cost cannot be bounded by the budget "
                f"of ${_usd(r.budget)}; pass reserve_output or set max tokens in the request.")
    out = r.cost.max_output_tokens or 0
    return (f"{r.model}: up to ${_usd(r.cost_max)} ({r.prompt_tokens:,} prompt tokens from "
            f"${_usd(r.cost_min)}, plus up to {out:,} output tokens) exceeds the budget of "
            f"${_usd(r.budget)}. Lower the output allowed (max tokens, reserve_output), shorten "
            "the prompt, or choose a cheaper model or tier.")


# --- comparing models -------------------------------------------------------------------


def compare_models(
    request_or_text: Mapping[str, Any] | Sequence[Message] | str,
    *,
    models: Iterable[str],
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: Tier = "standard",
    reserve_output: int | None = None,
    max_cost: Decimal | str | int | None = None,
) -> list[ModelCost]:
    """Price one request on several models, cheapest first.

    The request is counted again for each model with that model's encoding
    and message format (a ``cl100k_base`` model and an ``o200k_base`` model
    give different counts for the same text) before its prices apply. Text
    is sent as one user message; a list is taken as the messages.

    Rows are sorted by total cost. When the output size is unknown they are
    sorted by the high end of the range if the request (or ``reserve_output``)
    caps the output, since every model is then priced for the same output;
    otherwise by the prompt's cost, since the high ends differ mostly by each
    model's own maximum output. Models without a price come last, unpriced.

    >>> rows = compare_models("Hello there", models=["gpt-4o", "gpt-4o-mini"], output_tokens=100)
    >>> [r.model for r in rows]
    ['gpt-4o-mini', 'gpt-4o']
    """
    budget = _money(max_cost)
    rows = []
    for name in _names(models):
        count = _count_for(request_or_text, name)
        report = _assess(
            count, model=name, budget=budget, reserve_output=reserve_output,
            output_tokens=output_tokens, cached_tokens=cached_tokens, tier=tier, price_optional=True,
        )
        est = report.cost
        output_min = None if est is None else est.output_cost or Decimal(0)
        rows.append(ModelCost(
            model=report.model,
            encoding=report.encoding,
            prompt_tokens=report.prompt_tokens,
            input_cost=None if est is None else est.prompt_cost,
            output_cost_min=output_min,
            output_cost_max=None if est is None else est.max_output_cost,
            total_min=report.cost_min,
            total_max=report.cost_max,
            fits=report.fits_context,
            headroom=report.output_headroom,
            within_budget=report.within_budget,
            report=report,
        ))
    capped = output_tokens is None and any(r.report.reserved_output for r in rows)
    if capped:
        rows.sort(key=lambda r: (r.total_min is None, _or_inf(r.total_max), _or_inf(r.total_min), r.model))
    else:
        rows.sort(key=lambda r: (r.total_min is None, _or_inf(r.total_min), _or_inf(r.total_max), r.model))
    return rows


def cheapest_fit(
    request_or_text: Mapping[str, Any] | Sequence[Message] | str,
    *,
    models: Iterable[str],
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: Tier = "standard",
    reserve_output: int | None = None,
    max_cost: Decimal | str | int | None = None,
) -> ModelCost | None:
    """The cheapest of ``models`` whose limits (and budget, if given) the request fits; else ``None``.

    "Cheapest" is the order of :func:`compare_models`; a model without a
    price is chosen only when no priced model fits, and never under a budget.
    """
    rows = compare_models(
        request_or_text, models=models, output_tokens=output_tokens, cached_tokens=cached_tokens,
        tier=tier, reserve_output=reserve_output, max_cost=max_cost,
    )
    within = (lambda r: r.within_budget) if max_cost is not None else (lambda r: True)
    return next((r for r in rows if r.fits and within(r)), None)


# --- trimming ---------------------------------------------------------------------------


def fit_messages(
    messages: Sequence[Message],
    *,
    model: str,
    max_prompt_tokens: int | None = None,
    reserve_output: int = 0,
    tools: Sequence[Mapping[str, Any]] | None = None,
    tool_choice: Any = None,
) -> FitResult:
    """Drop the oldest turns of a conversation until it fits.

    The limit is the model's input limit, or the context window less
    ``reserve_output``, or ``max_prompt_tokens``, whichever is lowest. What
    is never dropped: system and developer messages, and the last user
    message. What is dropped together: a whole earlier turn (a user message
    and every reply up to the next user message); after the last user
    message, an assistant message with tool calls together with its tool
    results. So a tool call is never kept without its result, or the reverse.
    Messages after the last user message go only after every earlier turn.

    Raises :class:`~tokencmp.errors.ContextOverflowError` when even the
    messages that are never dropped do not fit.
    """
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise InvalidRequestError("messages", f"expected a list of messages, not {type(messages).__name__}.")
    info = resolve_model(model)
    limit = _prompt_limit(info, _count_arg(reserve_output, "reserve_output"))
    if max_prompt_tokens is not None:
        cap = _count_arg(max_prompt_tokens, "max_prompt_tokens")
        limit = cap if limit is None else min(limit, cap)
    if limit is None:
        raise UnsupportedModelError(
            f"The catalog has no input limit or context window for {info.name}; pass max_prompt_tokens."
        )
    messages = list(messages)
    # Counting the whole conversation first validates every message (InvalidRequestError with its
    # path), so the grouping below only ever reads well-formed messages.
    whole = count_messages(messages, model=model, tools=tools, tool_choice=tool_choice).total
    units = _droppable_units(messages)

    def count_without(k: int) -> int:
        gone = {i for unit in units[:k] for i in unit}
        kept = [m for i, m in enumerate(messages) if i not in gone]
        return count_messages(kept, model=model, tools=tools, tool_choice=tool_choice).total

    # Dropping more never adds tokens, so the fewest units to drop is found by bisection.
    lo, hi = 0, len(units)
    if whole <= limit:
        hi = 0
    else:
        floor = count_without(hi)
        if floor > limit:
            raise ContextOverflowError(
                f"{info.name}: even the messages that are never dropped (system/developer and the last "
                f"user message) take {floor:,} prompt tokens, over the limit of {limit:,} by "
                f"{floor - limit:,}. Shorten them or use a model with a larger context.",
                prompt_tokens=floor, limit=limit,
            )
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if count_without(mid) <= limit:
                hi = mid
            else:
                lo = mid
    gone = {i for unit in units[:hi] for i in unit}
    kept = [m for i, m in enumerate(messages) if i not in gone]
    return FitResult(
        kept=kept,
        dropped=[m for i, m in enumerate(messages) if i in gone],
        prompt_tokens=count_without(hi),
        limit=limit,
        model=info.name,
    )


_PINNED_ROLES = ("system", "developer")
_RESULT_ROLES = ("tool", "function")


def _droppable_units(messages: list[Message]) -> list[list[int]]:
    """Groups of message indexes that are dropped together, oldest first."""
    roles = []
    for i, m in enumerate(messages):
        if not isinstance(m, Mapping):
            raise InvalidRequestError(f"messages[{i}]", f"expected an object, not {type(m).__name__}.")
        roles.append(m.get("role"))
    last_user = max((i for i, r in enumerate(roles) if r == "user"), default=None)
    if last_user is None:
        raise InvalidRequestError("messages", "there is no user message to keep.")
    # Earlier turns: each user message with the replies that follow it.
    turns: list[list[int]] = []
    for i in range(last_user):
        if roles[i] in _PINNED_ROLES:
            continue
        if roles[i] == "user" or not turns:
            turns.append([])
        turns[-1].append(i)
    # The current turn: each assistant message with the tool results that answer it.
    current: list[list[int]] = []
    for i in range(last_user + 1, len(messages)):
        if roles[i] in _PINNED_ROLES:
            continue
        if roles[i] in _RESULT_ROLES and current and _answers(messages[current[-1][0]], messages[i]):
            current[-1].append(i)
        else:
            current.append([i])
    return turns + current


def _answers(call: Message, result: Message) -> bool:
    """Whether a tool/function result message belongs to an assistant message's calls."""
    if call.get("role") != "assistant":
        return False
    if result.get("role") == "function":
        return bool(call.get("function_call"))
    ids = {c.get("id") for c in call.get("tool_calls") or () if isinstance(c, Mapping)}
    return bool(ids) and result.get("tool_call_id") in ids | {None}


# --- the shared rules -------------------------------------------------------------------


def _assess(
    count: RequestCount,
    *,
    model: str | None,
    budget: Decimal | None,
    reserve_output: int | None,
    output_tokens: int | None,
    cached_tokens: int,
    tier: Tier,
    price_optional: bool = False,
) -> BudgetReport:
    """The shared check. ``price_optional``: no price gives ``cost=None`` even under a budget."""
    info = resolve_model(model or count.model)
    if info.input_limit is None:
        raise UnsupportedModelError(
            f"The catalog has no input limit or context window for {info.name}, so the request "
            "cannot be checked; add context_window with tokencmp.load_catalog()."
        )
    prompt = count.total
    reserve = reserve_output if reserve_output is not None else count.max_output_tokens
    reserved = 0 if reserve is None else _count_arg(reserve, "reserve_output")
    limit = _prompt_limit(info, reserved)
    assert limit is not None
    over_by = max(prompt - limit, 0)
    notes = list(count.notes)
    if resolve_model(count.model).name != info.name:
        notes.append(f"The request was counted for {count.model}; {info.name} may count it differently.")
    if info.max_output_tokens is not None and reserved > info.max_output_tokens:
        notes.append(f"The reserved output ({reserved:,}) is more than {info.name} can produce "
                     f"({info.max_output_tokens:,}); the API rejects such a max tokens value.")
    try:
        cost: CostEstimate | None = estimate_cost(  # the count carries the request's choices
            count, model=info.name, output_tokens=output_tokens, cached_tokens=cached_tokens,
            tier=tier, max_output_tokens=None if reserve is None else reserved,
        )
    except PriceUnknownError as e:
        if budget is not None and not price_optional:
            raise
        cost = None
        notes.append(f"Cost unknown: {e}")
    within = None
    if budget is not None and cost is not None:
        within = cost.max_total is not None and cost.max_total <= budget
    return BudgetReport(
        model=info.name,
        encoding=count.encoding,
        prompt_tokens=prompt,
        input_limit=info.input_limit,
        context_window=info.context_window,
        reserved_output=reserved,
        prompt_limit=limit,
        fits_context=over_by == 0,
        over_by=over_by,
        output_headroom=_headroom(info, prompt),
        cost=cost,
        budget=budget,
        within_budget=within,
        exact=count.exact,
        notes=tuple(notes),
    )


def _prompt_limit(info: ModelInfo, reserved: int) -> int | None:
    """The most prompt tokens that fit: the input limit, and the context less the reserve."""
    limits = [info.input_limit] if info.input_limit is not None else []
    if info.context_window is not None:
        limits.append(max(info.context_window - reserved, 0))
    return min(limits, default=None)


def _headroom(info: ModelInfo, prompt: int) -> int:
    """The most output the model can still produce after ``prompt``."""
    if info.input_limit is not None and prompt > info.input_limit:
        return 0
    room = [info.max_output_tokens] if info.max_output_tokens is not None else []
    if info.context_window is not None:
        room.append(max(info.context_window - prompt, 0))
    return min(room, default=0)


def _count_for(request_or_text: Any, model: str) -> RequestCount:
    if isinstance(request_or_text, str):
        return count_messages([{"role": "user", "content": request_or_text}], model=model)
    if isinstance(request_or_text, Sequence) and not isinstance(request_or_text, (bytes, Mapping)):
        return count_messages(list(request_or_text), model=model)
    return count_request(request_or_text, model=model)


def _is_count(value: Any) -> bool:
    """A count already made (a ``RequestCount``), rather than a request body."""
    return not isinstance(value, Mapping) and hasattr(value, "total") and hasattr(value, "model")


def _names(models: Iterable[str]) -> list[str]:
    if isinstance(models, str):
        return [models]
    names = list(models)
    if not names:
        raise TokencmpError("compare_models needs at least one model name in models=.")
    return names


def _money(value: Decimal | str | int | None) -> Decimal | None:
    """A budget in USD, as a Decimal; floats are refused (they cannot hold cents exactly)."""
    if value is None:
        return None
    if isinstance(value, (float, bool)):
        raise InvalidRequestError("max_cost", f"pass the budget as a Decimal or a string such as '0.05', "
                                              f"not {type(value).__name__} {value!r}.")
    try:
        money = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidRequestError("max_cost", f"not an amount in USD: {value!r}.") from None
    if not money.is_finite() or money < 0:
        raise InvalidRequestError("max_cost", f"the budget must be a finite amount >= 0, not {value!r}.")
    return money


def _count_arg(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(name, f"expected a token count (an integer >= 0), got {value!r}.")
    return value


def _or_inf(value: Decimal | None) -> Decimal:
    return Decimal("Infinity") if value is None else value


def _usd(value: Decimal | None) -> str:
    return "?" if value is None else format(value.normalize(), "f")
