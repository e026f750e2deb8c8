"""Money and limits: what a request costs, whether it fits, which model is cheapest."""

from .budget import (
    BudgetReport,
    FitResult,
    ModelCost,
    cheapest_fit,
    check_budget,
    compare_models,
    ensure_budget,
    fit_messages,
)
from .cost import CostEstimate, cost_from_usage, estimate_cost, prices_for

__all__ = [
    "BudgetReport", "CostEstimate", "FitResult", "ModelCost", "cheapest_fit", "check_budget",
    "compare_models", "cost_from_usage", "ensure_budget", "estimate_cost", "fit_messages", "prices_for",
]
