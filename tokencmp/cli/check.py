"""Pre-flight check of a request: does it fit the model, and the budget?

Counts the request body in FILE ('-' or a pipe for standard input; a file
that is not a request body is an error) for its model (or --model), and
prints the prompt tokens, the input limit and context window,
the output reserved (--reserve-output, else the request's max tokens), how far
over the limit it is, the output headroom left, the cost range in USD and,
with --max-cost, whether the upper end of that range is within the budget.
An estimated prompt is printed with its bounds, ≈ 1,234 (1,228–1,240), and
the reasons under the table; the fit and the upper cost take the prompt at its
upper bound. Amounts are rounded for the table (JSON and CSV carry every digit).

Exit codes: 0 when it fits (and is within the budget), 3 when it is over the
context or the budget, 1 on an error. So a CI step can gate on it:

    python -m tokencmp check request.json --max-cost 0.05 --reserve-output 4000

JSON output: the report's to_dict() (tokencmp.check_budget's BudgetReport:
{"model", "encoding", "prompt_tokens", "prompt_low", "prompt_high",
"input_limit", "context_window",
"reserved_output", "prompt_limit", "fits_context", "over_by",
"output_headroom", "total_min", "total_max", "cost", "budget",
"within_budget", "exact", "notes"}, with "cost" the CostEstimate or null)
plus "ok", "problems", "price_sources" and "checked"; amounts are decimal
strings.
"""

from __future__ import annotations

import argparse
import sys

from ._args import Tiers, tokens, usd
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, approx, emit, money_text, one_line, price_facts

NAME = "check"
HELP = "pre-flight check: fits the context and budget? (exit 3 if not)"

EXIT_OVER = 3

LABELS = {
    "model": "model", "prompt_tokens": "prompt tokens", "input_limit": "input limit",
    "context_window": "context window", "reserved_output": "reserved output",
    "fits_context": "fits", "over_by": "over by", "output_headroom": "output headroom",
    "total_min": "cost from $", "total_max": "cost up to $", "budget": "budget $",
    "within_budget": "within budget",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", nargs="?", metavar="FILE",
                        help="a request body (JSON); '-' (or a pipe) for standard input")
    parser.add_argument("--model", "-m", help="check against this model instead of the request's")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="budget in USD for the upper end of the cost range")
    parser.add_argument("--reserve-output", type=tokens, metavar="N",
                        help="output tokens to reserve in the context (default: the request's max tokens)")
    parser.add_argument("--output-tokens", type=tokens, metavar="N",
                        help="expected output tokens, when known (the cost is then one figure)")
    parser.add_argument("--tier", choices=Tiers(), default="standard", metavar="TIER",
                        help="processing tier: %(choices)s (default: %(default)s)")
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import check_budget

    from ._input import read_request, stdin_or

    request = read_request(stdin_or(args.request))
    note_models(args, [args.model or (request.get("model") if isinstance(request, dict) else None)])
    report = check_budget(
        request, model=args.model, max_cost=args.max_cost,
        reserve_output=args.reserve_output, output_tokens=args.output_tokens, tier=args.tier,
    )
    data = report.to_dict()
    payload = {**data, **price_facts(data["cost"])}
    rows = [{"field": label, "value": payload[key]} for key, label in LABELS.items()
            if key not in ("budget", "within_budget") or report.budget is not None]
    count = "exact" if report.exact else "estimate (reasons below)"
    rows.insert(2, {"field": "prompt count", "value": count})
    if report.cost is not None:
        bound = report.cost.output_tokens_max
        why = ("--output-tokens" if args.output_tokens is not None else
               "the reserved output" if report.reserved_output else "the model's maximum output")
        rows.insert(next(i for i, r in enumerate(rows) if r["field"] == LABELS["total_min"]),
                    {"field": "output priced", "value": f"{bound:,} tokens ({why})" if args.format != "csv"
                     else bound})
    if args.format != "csv":
        prompt = approx(report.prompt_tokens, report.prompt_low, report.prompt_high, report.exact)
        rows[1] = {"field": LABELS["prompt_tokens"], "value": prompt}
        rows = [{**r, "value": money_text(r["value"])} if r["field"].endswith("$") else r for r in rows]
    if report.cost is None:
        rows = [r for r in rows if r["field"] not in (LABELS["total_min"], LABELS["total_max"])]
        rows.append({"field": "cost", "value": "unknown (no price in the catalog)"})
    emit(args.format, payload, rows, ["field", "value"])
    if args.format in ("table", "markdown") and not report.exact and report.notes:
        from ._table import width_of, wrap_note

        sys.stdout.write("\nWhy the prompt count is an estimate:\n")
        from ._words import options_of, speak

        for note in report.notes:
            for text in wrap_note(speak(note, options_of(args)), width_of(sys.stdout)):
                sys.stdout.write(text + "\n")
    if args.format != "json":
        from ._table import width_of, wrap_note
        from ._words import options_of, speak

        for problem in report.problems:  # wrapped on a terminal only: one line each in a log
            line = f"tokencmp check: {one_line(speak(problem, options_of(args)))}"
            for text in wrap_note(line, width_of(sys.stderr), indent=""):
                sys.stderr.write(text + "\n")
    return 0 if report.ok else EXIT_OVER
