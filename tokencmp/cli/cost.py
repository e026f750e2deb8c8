"""Price one request or text on several models, cheapest first.

INPUT is a request body (a JSON object with "messages" or "input"), or any
other file, which is counted as one user message; '-' reads standard input.
The request is counted again for each model with that model's encoding and
message format. Without --output-tokens the output size is unknown and each
row shows a range: the prompt alone, up to the prompt plus the most output
allowed (the request's max tokens, else the model's maximum output). Prices
are USD; rows are sorted by total (see tokencmp.compare_models for the order
when the output is unknown).

Default models: gpt-5.5, gpt-5.4, gpt-5.4-mini, gpt-5.4-nano, gpt-5,
gpt-5-mini, gpt-5-nano, gpt-4.1, gpt-4.1-mini, gpt-4o, gpt-4o-mini, o3, and
the request's own model.

JSON output: a list of rows {"model", "encoding", "prompt_tokens",
"input_cost", "output_tokens", "max_output_tokens", "output_cost_min",
"output_cost_max", "total_min", "total_max", "fits", "headroom",
"within_budget", "tier", "price_sources", "checked", "notes"}; amounts are
decimal strings.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._args import tokens, usd
from ._output import add_format_option, emit

NAME = "cost"
if TYPE_CHECKING:
    from tokencmp.money.ranking import ModelCost

HELP = "price a request or text on several models, cheapest first"

DEFAULT_MODELS = (
    "gpt-5.5", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5", "gpt-5-mini", "gpt-5-nano",
    "gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3",
)

HEADERS = {
    "prompt_tokens": "tokens", "input_cost": "input $", "max_output_tokens": "max output",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="FILE", help="a request body (.json) or a text file; '-' for stdin")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="M",
                        help="a model to price (repeat for several; default: a set of current models)")
    parser.add_argument("--output-tokens", type=tokens, metavar="N",
                        help="expected output tokens, reasoning included (default: a range)")
    parser.add_argument("--cached-tokens", type=tokens, default=0, metavar="N",
                        help="prompt tokens expected to be read from the prompt cache")
    parser.add_argument("--tier", choices=["standard", "batch", "flex", "priority"], default="standard",
                        help="processing tier (default: standard)")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="mark the rows whose upper cost is within USD")
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp.money.ranking import compare_models

    from ._input import read_input

    subject = read_input(args.input)
    models = list(args.models or DEFAULT_MODELS)
    own = subject.get("model") if isinstance(subject, dict) else None
    if not args.models and isinstance(own, str) and own not in models:
        models.append(own)
    rows = compare_models(
        subject, models=models, output_tokens=args.output_tokens, cached_tokens=args.cached_tokens,
        tier=args.tier, max_cost=args.max_cost,
    )
    data = [_row(r) for r in rows]
    known = args.output_tokens is not None
    columns = ["model", "encoding", "prompt_tokens", "input_cost"]
    if known:
        columns += ["output_cost_max", "total_min"]
        headers = {**HEADERS, "output_cost_max": "output $", "total_min": "total $"}
    else:  # the prompt's cost is the low end of the range
        columns += ["max_output_tokens", "output_cost_max", "total_max"]
        headers = {**HEADERS, "output_cost_max": "output up to $", "total_max": "total up to $"}
    columns += ["fits", "headroom"] + (["within_budget"] if args.max_cost is not None else [])
    emit(args.format, data, data, columns, {**headers, "within_budget": "in budget"})
    for row in rows:
        if row.total_min is None and args.format != "json":
            sys.stderr.write(f"tokencmp cost: note: {row.model} has no price in the catalog; its "
                             "costs are blank (add one with TOKENCMP_CATALOG)\n")
    return 0


def _row(row: ModelCost) -> dict[str, Any]:
    est = row.report.cost
    return {
        "model": row.model,
        "encoding": row.encoding,
        "prompt_tokens": row.prompt_tokens,
        "input_cost": row.input_cost,
        "output_tokens": est.output_tokens if est else None,
        "max_output_tokens": est.max_output_tokens if est else row.report.reserved_output or None,
        "output_cost_min": row.output_cost_min,
        "output_cost_max": row.output_cost_max,
        "total_min": row.total_min,
        "total_max": row.total_max,
        "fits": row.fits,
        "headroom": row.headroom,
        "within_budget": row.within_budget,
        "tier": est.tier if est else None,
        "price_sources": [s.url for s in est.sources] if est else [],
        "checked": est.checked if est else None,
        "notes": list(est.notes) if est else [n for n in row.report.notes if n.startswith("Cost unknown")],
    }
