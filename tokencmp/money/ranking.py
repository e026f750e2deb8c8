"""Ranking: one request priced on several models, cheapest first.

    >>> rows = rank_models("Hello there", models=["gpt-4o", "gpt-4o-mini"], output_tokens=100)
    >>> [r.model for r in rows]
    ['gpt-4o-mini', 'gpt-4o']

The request is counted again for each model, with that model's encoding and
message format, then checked and priced by :func:`tokencmp.money.budget.assess`.
(``compare_models`` is the name of earlier 0.x releases; ``tokencmp.compare_text``
compares tokenizers, which is another thing.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..catalog import TierName
from ..chat import RequestCount
from ..errors import TokencmpError
from ..result import Result
from .budget import BudgetReport, assess
from .subject import count_subject
from .usd import parse_usd

Message = Mapping[str, Any]
_INFINITY = Decimal("Infinity")


@dataclass(frozen=True, kw_only=True)
class ModelCost(Result):
    """One row of :func:`rank_models`: the same request priced on one model.

    The amounts are ``None`` for a model the catalog has no price for (such
    rows sort last); ``output_cost_max`` and ``total_max`` also when the most
    output is not known. ``prompt_cost`` is everything billed for the prompt.

    The names of earlier 0.x releases (``input_cost``, ``fits``, ``headroom``)
    read ``prompt_cost``, ``fits_context`` and ``output_headroom``.
    """

    model: str
    encoding: str
    prompt_tokens: int
    prompt_cost: Decimal | None
    output_cost_min: Decimal | None
    output_cost_max: Decimal | None
    total_min: Decimal | None
    total_max: Decimal | None
    fits_context: bool
    output_headroom: int
    within_budget: bool | None
    report: BudgetReport

    @property
    def input_cost(self) -> Decimal | None:
        """Old name of :attr:`prompt_cost`."""
        return self.prompt_cost

    @property
    def fits(self) -> bool:
        """Old name of :attr:`fits_context`."""
        return self.fits_context

    @property
    def headroom(self) -> int:
        """Old name of :attr:`output_headroom`."""
        return self.output_headroom


def rank_models(
    request_or_text: Mapping[str, Any] | Sequence[Message] | str | int,
    *,
    models: Iterable[str],
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: TierName = "standard",
    reserve_output: int | None = None,
    max_cost: Decimal | str | int | float | None = None,
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

    >>> [r.model for r in rank_models("Hi", models=["gpt-4-0613", "gpt-4o"], output_tokens=10)]
    ['gpt-4o', 'gpt-4-0613']
    """
    budget = None if max_cost is None else parse_usd(max_cost, "max_cost")
    rows = []
    for name in _names(models):
        report = assess(
            _count_for(request_or_text, name), model=name, budget=budget, reserve_output=reserve_output,
            output_tokens=output_tokens, cached_tokens=cached_tokens, tier=tier, price_optional=True,
        )
        est = report.cost
        rows.append(ModelCost(
            model=report.model,
            encoding=report.encoding,
            prompt_tokens=report.prompt_tokens,
            prompt_cost=None if est is None else est.prompt_cost,
            output_cost_min=None if est is None else est.output_cost_min,
            output_cost_max=None if est is None else est.output_cost_max,
            total_min=report.total_min,
            total_max=report.total_max,
            fits_context=report.fits_context,
            output_headroom=report.output_headroom,
            within_budget=report.within_budget,
            report=report,
        ))
    if output_tokens is None and any(r.report.reserved_output for r in rows):  # the output is capped
        rows.sort(key=lambda r: (r.total_min is None, _or_inf(r.total_max), _or_inf(r.total_min), r.model))
    else:
        rows.sort(key=lambda r: (r.total_min is None, _or_inf(r.total_min), _or_inf(r.total_max), r.model))
    return rows


compare_models = rank_models  # the name of earlier 0.x releases


def cheapest_fit(
    request_or_text: Mapping[str, Any] | Sequence[Message] | str | int,
    *,
    models: Iterable[str],
    output_tokens: int | None = None,
    cached_tokens: int = 0,
    tier: TierName = "standard",
    reserve_output: int | None = None,
    max_cost: Decimal | str | int | float | None = None,
) -> ModelCost | None:
    """The cheapest of ``models`` whose limits (and budget, if given) the request fits; else ``None``.

    "Cheapest" is the order of :func:`rank_models`; a model without a
    price is chosen only when no priced model fits, and never under a budget.

    >>> cheapest_fit("Hello", models=["gpt-5-nano", "gpt-4o-mini"], max_cost="0.01").model
    'gpt-4o-mini'
    """
    rows = rank_models(
        request_or_text, models=models, output_tokens=output_tokens, cached_tokens=cached_tokens,
        tier=tier, reserve_output=reserve_output, max_cost=max_cost,
    )
    return next((r for r in rows if r.fits_context and (max_cost is None or r.within_budget)), None)


def _count_for(request_or_text: Any, model: str) -> RequestCount:
    if isinstance(request_or_text, Sequence) and not isinstance(request_or_text, (str, bytes, Mapping)):
        request_or_text = list(request_or_text)  # a tuple of messages too
    return count_subject(request_or_text, model)


def _names(models: Iterable[str]) -> list[str]:
    if isinstance(models, str):
        return [models]
    names = list(models)
    if not names:
        raise TokencmpError("rank_models needs at least one model name in models=.")
    return names


def _or_inf(value: Decimal | None) -> Decimal:
    return _INFINITY if value is None else value
