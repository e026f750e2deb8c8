"""Price one request, text or token count on several models, cheapest first; or a finished call.

What is priced: FILE, a request body (a JSON object with "messages" or
"input"; a .json file or one starting with '{' or '[' must be one: malformed
JSON, another object or an API response is an error, never priced as text)
or any other file, counted as one user message; '-' or a pipe reads standard
input. -t/--text TEXT prices TEXT as one user message, --input-tokens N a
prompt of N tokens. The request is counted again for each model with that
model's encoding and message format.

Without --output-tokens the output size is unknown and each row shows the
most it can cost, the prompt plus the output bound: the request's max
tokens, else each model's maximum output; the line under the table says
which. Amounts are USD, rounded for the table (3 significant digits, cents
from $1); CSV and JSON carry every digit. Rows are sorted by the total shown
(--sort COLUMN for another). A prompt that is an estimate shows its bounds,
≈ 1,234 (1,228–1,240), and the reasons are given once under the table.

--usage FILE|- prices a finished call instead: a response JSON (Chat
Completions or Responses, whose model and service_tier are used) or its
"usage" object (with --model).

Default models: the catalog's cost_models() (every active chat model with
a standard price; 'tokencmp models' lists the catalog), and the
request's own model. A default model that cannot count the request (an
image on a model without image input, or of unknown size where the model has
no upper bound) is left out, named in one note on stderr; a model given with
-m never is.

JSON output: a list of rows, each the to_dict() of a tokencmp.rank_models
row (ModelCost) without its nested "report": {"model", "encoding",
"prompt_tokens", "prompt_cost", "output_cost_min", "output_cost_max",
"total_min", "total_max", "fits_context", "output_headroom",
"within_budget"}, plus "prompt_low", "prompt_high" (the prompt's bounds),
"exact", "count_notes" (why the prompt is an estimate), "output_tokens",
"output_tokens_max", "output_bound" ("output_tokens", "request" or "model"),
"tier", "price_sources", "checked" and "notes"; amounts are decimal strings.
With --usage: the CostEstimate's to_dict().
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._args import Tiers, tokens, usd
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, add_view_options, approx, emit, one_line, price_facts

if TYPE_CHECKING:
    from tokencmp import ModelCost

NAME = "cost"
HELP = "price a request, text or token count on several models, cheapest first; or a finished call"

SORTS = {"model": "model", "tokens": "prompt_tokens", "input": "prompt_cost", "output": "output_cost_max",
         "total": ""}
"""--sort COLUMN: the key of each column's value ("" is the total shown)."""
MONEY = ["prompt_cost", "output_cost_max", "total_min", "total_max"]
WIDE = ["encoding", "output_tokens_max", "output_headroom"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", metavar="FILE",
                        help="a request body (.json) or a text file; '-' (or a pipe) for standard input")
    parser.add_argument("--text", "-t", metavar="TEXT", help="price TEXT, as one user message")
    parser.add_argument("--input-tokens", type=tokens, metavar="N", help="price a prompt of N tokens")
    parser.add_argument("--usage", metavar="FILE",
                        help="price a finished call: a response JSON or its usage object ('-' for stdin)")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="M",
                        help="a model to price (repeat for several; default: the catalog's cost models)")
    parser.add_argument("--output-tokens", type=tokens, metavar="N",
                        help="expected output tokens, reasoning included (default: up to the output bound)")
    parser.add_argument("--cached-tokens", type=tokens, default=0, metavar="N",
                        help="prompt tokens expected to be read from the prompt cache")
    parser.add_argument("--tier", choices=Tiers(), metavar="TIER",
                        help="processing tier: %(choices)s (default: standard; with --usage, the "
                        "response's service_tier)")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="mark the rows whose upper cost is within USD")
    add_view_options(parser, sort=list(SORTS))
    add_strict_models_option(parser)
    add_format_option(parser)


def _countable(body: dict[str, Any], models: list[str]) -> list[str]:
    """The default models that can count ``body``; one note on stderr names the others and why
    (an image of unknown size that a model has no upper bound for, say). Named models are never
    left out: their errors stop the command."""
    from tokencmp import ImageSizeUnknownError, UnsupportedModelError, count_request

    kept, left = [], []
    for name in models:
        try:
            count_request(body, model=name)
        except (UnsupportedModelError, ImageSizeUnknownError) as e:  # the model's, not the body's
            left.append(f"{name} ({e})")
        else:
            kept.append(name)
    if not kept:
        return models  # no default model can: let the first one's error say why
    if left:
        sys.stderr.write(one_line(f"tokencmp cost: note: left out {len(left)} default model(s) that "
                                  f"cannot count this request: {'; '.join(left)}") + "\n")
    return kept


def run(args: argparse.Namespace) -> int:
    from tokencmp import TokencmpError, get_catalog, rank_models

    from ._input import read_input, stdin_or

    given = [x for x in (args.input, args.text, args.input_tokens, args.usage) if x is not None]
    if len(given) > 1:
        raise TokencmpError("give one of FILE, --text TEXT, --input-tokens N or --usage FILE.")
    if args.usage is not None:
        return _run_usage(args)
    if args.text is not None:
        subject: Any = args.text
    elif args.input_tokens is not None:
        subject = args.input_tokens
    else:
        subject = read_input(stdin_or(args.input))
    models = list(args.models or get_catalog().cost_models())
    own = subject.get("model") if isinstance(subject, dict) else None
    if not args.models and isinstance(own, str) and own not in models:
        models.append(own)
    if not args.models and isinstance(subject, dict):
        models = _countable(subject, models)
    note_models(args, models)
    rows = rank_models(
        subject, models=models, output_tokens=args.output_tokens, cached_tokens=args.cached_tokens,
        tier=args.tier or "standard", max_cost=args.max_cost,
    )
    data = [_row(r, args.output_tokens) for r in rows]
    known = args.output_tokens is not None
    total = "total_min" if known else "total_max"
    data = _sorted(data, SORTS[args.sort or "total"] or total)
    columns = ["model", "encoding", "prompt_tokens", "prompt_cost", "output_tokens_max", "output_cost_max",
               total,
               "fits_context", "output_headroom"] + (["within_budget"] if args.max_cost is not None else [])
    headers = {
        "prompt_tokens": "prompt tokens", "prompt_cost": "input $", "fits_context": "fits",
        "output_tokens_max": "output tokens" if known else "output tokens up to",
        "output_cost_max": "output $" if known else "output up to $",
        total: "total $" if known else "total up to $",
        "output_headroom": "context left after output", "within_budget": "in budget",
    }
    table = data if args.format == "csv" else [
        {**d, "prompt_tokens": approx(d["prompt_tokens"], d["prompt_low"], d["prompt_high"], d["exact"])}
        for d in data
    ]
    emit(args.format, data, table, columns, headers, extra=WIDE, wide=args.wide, money=MONEY)
    from ._words import options_of, speak

    if args.format in ("table", "markdown"):
        _footer(data, known, options_of(args))
    for row in rows:
        if row.total_min is None and args.format != "json":
            why = row.report.cost_unknown or f"{row.model} has no price in the catalog"
            sys.stderr.write(f"tokencmp cost: note: {row.model}: costs blank: "
                             f"{one_line(speak(why, options_of(args)))}\n")
    return 0


def _row(row: ModelCost, output_tokens: int | None) -> dict[str, Any]:
    """One row of the output: the result's ``to_dict()``, what its report says in short, not the report."""
    data = row.to_dict()
    report = data.pop("report")
    est = report["cost"]
    bound = ("output_tokens" if output_tokens is not None
             else "request" if row.report.reserved_output else "model")
    return {
        **data,
        "prompt_low": report["prompt_low"],
        "prompt_high": report["prompt_high"],
        "exact": report["exact"],
        "count_notes": [n for n in row.report.notes if not n.startswith("Cost unknown")]
        if not report["exact"] else [],
        "output_tokens": est["output_tokens"] if est else None,
        "output_tokens_max": est["output_tokens_max"] if est else report["reserved_output"] or None,
        "output_bound": bound,
        "tier": est["tier"] if est else None,
        **price_facts(est),
        "notes": est["notes"] if est else [f"Cost unknown: {report['cost_unknown']}"],
    }


def _sorted(data: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """By ``key``, smallest first (names A to Z), unknown values last, ties by model name."""
    if key == "model":
        return sorted(data, key=lambda d: d["model"])
    from decimal import Decimal

    def order(d: dict[str, Any]) -> tuple[bool, Decimal, str]:
        value = d.get(key)
        return value is None, Decimal(value) if value is not None else Decimal(0), d["model"]

    return sorted(data, key=order)


def _footer(data: list[dict[str, Any]], known: bool, options: Any) -> None:
    """Under the table, once: the output bound, whether the prompt is exact and why not, unpriced models."""
    from ._table import width_of, wrap_note
    from ._words import speak

    width = width_of(sys.stdout)
    lines = []
    caps = {d["output_tokens_max"] for d in data if d["output_tokens_max"] is not None}
    bounds = {d["output_bound"] for d in data}
    if known:
        lines.append(f"Output: {next(iter(caps), 0):,} tokens, as given by --output-tokens.")
    elif bounds == {"request"} and len(caps) == 1:
        lines.append(f"Output: up to {next(iter(caps)):,} tokens, the request's max tokens; "
                     "--output-tokens N gives one figure.")
    else:
        lines.append("Output: up to each model's maximum output (the request sets none; --wide shows "
                     "it); --output-tokens N gives one figure.")
    estimated = [d for d in data if not d["exact"]]
    if not estimated:
        lines.append("Prompt tokens: exact on every model.")
    else:
        lines.append("Prompt tokens: ≈ marks an estimate, with the range the API's count falls in; "
                     "the upper costs take its high end.")
        lines += reasons_once(estimated)
    sys.stdout.write("\n")
    for line in lines:
        indent = "  " if line.startswith("  ") else ""
        for text in wrap_note(speak(line.strip(), options), width, indent=indent):
            sys.stdout.write(text + "\n")


def reasons_once(estimated: list[dict[str, Any]]) -> list[str]:
    """Why the prompts are estimates: each reason once, with the models it applies to (a reason
    that names its model is the same reason for every model)."""
    reasons: dict[str, list[str]] = {}
    for d in estimated:
        for note in d["count_notes"] or ["the message format of this model is not verified"]:
            reasons.setdefault(note.replace(d["model"], "the model"), []).append(d["model"])
    lines = []
    for note, models in reasons.items():
        if len(models) == len(estimated) and len(models) > 1:
            who = "every model"
        elif len(models) > 4:
            who = f"{', '.join(models[:3])} and {len(models) - 3} more"
        else:
            who = ", ".join(models)
        lines.append(f"  {who}: {note}")
    return lines


# --- a finished call --------------------------------------------------------------------------

USAGE_FIELDS = {
    "model": "model", "tier": "tier", "prompt_tokens": "prompt tokens", "cached_tokens": "cached tokens",
    "output_tokens": "output tokens", "reasoning_tokens": "reasoning tokens (in output)",
    "prompt_cost": "input $", "output_cost": "output $", "total": "total $",
}


def _run_usage(args: argparse.Namespace) -> int:
    from tokencmp import InvalidRequestError, TokencmpError, cost_from_usage

    from ._input import REQUEST_KEYS, read_json

    if args.models and len(args.models) > 1:
        raise TokencmpError("--usage prices one call: give at most one --model.")
    where = "<stdin>" if args.usage == "-" else args.usage
    data = read_json(args.usage)
    if isinstance(data, dict) and any(k in data for k in REQUEST_KEYS) and "usage" not in data:
        raise InvalidRequestError(where, "this is a request body, not a response or usage; price it with "
                                  "'tokencmp cost FILE'.")
    model = args.models[0] if args.models else None
    note_models(args, [model])
    try:
        est = cost_from_usage(data, model=model, tier=args.tier, strict_model=args.strict_models)
    except InvalidRequestError as e:
        raise InvalidRequestError(where, e.problem) from None
    payload = est.to_dict()
    rows: list[dict[str, Any]] = [{"field": label, "value": payload.get(key)}
                                  for key, label in USAGE_FIELDS.items()]
    if args.format != "json":
        from ._output import money_text

        if args.format == "table":
            rows = [{**r, "value": money_text(r["value"]) if r["field"].endswith("$") else r["value"]}
                    for r in rows]
    emit(args.format, payload, rows, ["field", "value"])
    return 0
