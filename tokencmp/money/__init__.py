"""Money and limits: what a request costs, whether it fits, which model is cheapest.

One idea per module, in the order a request meets them:

- :mod:`~tokencmp.money.usd`: the one exact decimal context, USD parsing and formatting;
- :mod:`~tokencmp.money.limits`: the prompt limit, the most output, the headroom;
- :mod:`~tokencmp.money.cost`: :func:`estimate_cost`, :func:`prices_for`, the billing rules;
- :mod:`~tokencmp.money.usage`: :func:`cost_from_usage`, the usage shapes of the three APIs;
- :mod:`~tokencmp.money.budget`: :func:`check_budget`, :func:`ensure_budget`;
- :mod:`~tokencmp.money.ranking`: :func:`rank_models`, :func:`cheapest_fit`;
- :mod:`~tokencmp.money.trim`: :func:`fit_messages`.
"""

from .budget import BudgetReport, check_budget, ensure_budget
from .cost import CostEstimate, estimate_cost, prices_for
from .ranking import ModelCost, cheapest_fit, compare_models, rank_models
from .trim import FitResult, fit_messages
from .usage import cost_from_usage

__all__ = [
    "BudgetReport", "CostEstimate", "FitResult", "ModelCost", "cheapest_fit", "check_budget",
    "compare_models", "cost_from_usage", "ensure_budget", "estimate_cost", "fit_messages", "prices_for",
    "rank_models",
]
