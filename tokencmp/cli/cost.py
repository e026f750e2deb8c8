"""Price one request or text on several models, cheapest first.

INPUT is a request body (a JSON object with "messages" or "input"), or any
other file, which is counted as one user message; '-' reads standard input.
The request is counted again for each model with that model's encoding and
message format. Without --output-tokens the output size is unknown and each
row shows a range: the prompt alone, up to the prompt plus the most output
allowed (the request's max tokens, else the model's maximum output). Prices
are USD; rows are sorted by total (see tokencmp.rank_models for the order
when the output is unknown).

Default models: the catalog's cost_models() (every active chat model with
a standard price; 'tokencmp models' lists the catalog), and the
request's own model.

JSON output: a list of rows, each the to_dict() of a tokencmp.rank_models
row (ModelCost) without its nested "report": {"model", "encoding",
"prompt_tokens", "prompt_cost", "output_cost_min", "output_cost_max",
"total_min", "total_max", "fits_context", "output_headroom",
"within_budget"}, plus "prompt_low", "prompt_high" (the prompt's bounds),
"output_tokens", "output_tokens_max", "tier", "price_sources", "checked"
and "notes"; amounts are decimal strings. In the table an estimated prompt
shows its bounds, ≈ 1,234 (1,228–1,240); the upper cost takes the prompt at
its upper bound.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._args import Tiers, tokens, usd
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, approx, emit, price_facts

if TYPE_CHECKING:
    from tokencmp import ModelCost

NAME = "cost"
HELP = "price a request or text on several models, cheapest first"

HEADERS = {
    "prompt_tokens": "tokens", "prompt_cost": "input $", "output_tokens_max": "max output",
    "fits_context": "fits", "output_headroom": "headroom",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="FILE", help="a request body (.json) or a text file; '-' for stdin")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="M",
                        help="a model to price (repeat for several; default: the catalog's cost models)")
    parser.add_argument("--output-tokens", type=tokens, metavar="N",
                        help="expected output tokens, reasoning included (default: a range)")
    parser.add_argument("--cached-tokens", type=tokens, default=0, metavar="N",
                        help="prompt tokens expected to be read from the prompt cache")
    parser.add_argument("--tier", choices=Tiers(), default="standard", metavar="TIER",
                        help="processing tier: %(choices)s (default: %(default)s)")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="mark the rows whose upper cost is within USD")
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import get_catalog, rank_models

    from ._input import read_input

    subject = read_input(args.input)
    models = list(args.models or get_catalog().cost_models())
    own = subject.get("model") if isinstance(subject, dict) else None
    if not args.models and isinstance(own, str) and own not in models:
        models.append(own)
    note_models(args, models)
    rows = rank_models(
        subject, models=models, output_tokens=args.output_tokens, cached_tokens=args.cached_tokens,
        tier=args.tier, max_cost=args.max_cost,
    )
    data = [_row(r) for r in rows]
    known = args.output_tokens is not None
    columns = ["model", "encoding", "prompt_tokens", "prompt_cost"]
    if known:
        columns += ["output_cost_max", "total_min"]
        headers = {**HEADERS, "output_cost_max": "output $", "total_min": "total $"}
    else:  # the prompt's cost is the low end of the range
        columns += ["output_tokens_max", "output_cost_max", "total_max"]
        headers = {**HEADERS, "output_cost_max": "output up to $", "total_max": "total up to $"}
    columns += ["fits_context", "output_headroom"] + (["within_budget"] if args.max_cost is not None else [])
    table = data if args.format == "csv" else [
        {**d, "prompt_tokens": approx(d["prompt_tokens"], d["prompt_low"], d["prompt_high"], d["exact"])}
        for d in data
    ]
    emit(args.format, data, table, columns, {**headers, "within_budget": "in budget"})
    for row in rows:
        if row.total_min is None and args.format != "json":
            sys.stderr.write(f"tokencmp cost: note: {row.model} has no price in the catalog; its "
                             "costs are blank (add one with TOKENCMP_CATALOG)\n")
    return 0


def _row(row: ModelCost) -> dict[str, Any]:
    """One row of the output: the result's ``to_dict()``, what its report says in short, not the report."""
    data = row.to_dict()
    report = data.pop("report")
    est = report["cost"]
    return {
        **data,
        "prompt_low": report["prompt_low"],
        "prompt_high": report["prompt_high"],
        "exact": report["exact"],
        "output_tokens": est["output_tokens"] if est else None,
        "output_tokens_max": est["output_tokens_max"] if est else report["reserved_output"] or None,
        "tier": est["tier"] if est else None,
        **price_facts(est),
        "notes": est["notes"] if est else [f"Cost unknown: {report['cost_unknown']}"],
    }
