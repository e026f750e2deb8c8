"""Check and price a Batch API input file before it is uploaded.

Reads FILE (JSONL, '-' for standard input) line by line as the Batch API would:
each line a JSON object with a unique custom_id, method POST, an allowed url
and a body valid for it, one endpoint and one model per file; then the file's
limits (50,000 requests, 200 MB, 50,000 embedding inputs; see docs/files.md).
Counts every body exactly and prints, per model: the requests counted, prompt
tokens in total and their distribution (min, p50, p95, max), requests over the
model's input limit, the output bound (each body's max output tokens, or the
model's maximum where a body sets none) and the cost at the batch tier, from
the input alone to the input plus the output bound (with --output-tokens, an
estimate). Several --model: the file counted and priced for each (the body's
model replaced). Line problems go to standard error; --per-line FILE writes one
row per line and model (CSV or JSONL by its extension).

Exit codes, as 'check': 0 it fits, 3 over a limit (file limits, a request over
the input limit, --enqueued-limit, --max-cost), 1 when any line is invalid
(every line is still read and reported) or on an error.

JSON output: tokencmp.check_batch's BatchReport.to_dict(): {"file", "url",
"body_model", "lines", "valid", "invalid", "not_countable", "warnings",
"problems_by_kind", "line_problems", "limits", "models", "over_limit",
"problems"}, each of "models" a BatchModelReport; amounts are decimal strings.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._args import positive, tokens, usd
from ._dask import add_dask_option, chunks_on
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, emit

NAME = "batch"
HELP = "check and price a Batch API input file (JSONL) before upload"

EXIT_INVALID = 1
EXIT_OVER = 3

COLUMNS = ["model", "requests", "prompt_tokens", "min", "p50", "p95", "max", "over_input_limit",
           "output_tokens_max", "cost_min", "cost_max"]
HEADERS = {"prompt_tokens": "prompt tokens", "over_input_limit": "over limit",
           "output_tokens_max": "output bound", "cost_min": "from $", "cost_max": "up to $",
           "cost": "estimate $"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a Batch API input file (JSONL); '-' for standard input")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="M",
                        help="count and price for this model (repeat for several; default: the file's)")
    parser.add_argument("--output-tokens", type=tokens, metavar="N",
                        help="expected output tokens per request, for a cost estimate")
    parser.add_argument("--enqueued-limit", type=tokens, metavar="TOKENS",
                        help="your batch queue limit: exit 3 if the file's prompt tokens are over it")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="budget in USD for the upper end of the cost: exit 3 if over")
    parser.add_argument("--per-line", metavar="FILE", help="write one row per line to FILE (.csv or .jsonl)")
    parser.add_argument("--workers", type=positive(int), metavar="N",
                        help="processes to use (default: every core for a large file)")
    add_dask_option(parser)
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import check_batch

    from ._lines import PerLine, progress_for, report_lines

    note_models(args, args.models or [])
    with PerLine.open(args.per_line) as sink, progress_for(args.file) as bar, chunks_on(args.dask) as on:
        report = check_batch(
            args.file, models=args.models, output_tokens=args.output_tokens,
            enqueued_limit=args.enqueued_limit, max_cost=args.max_cost, per_line=sink,
            workers=args.workers, progress=bar, map_chunks=on,
        )
    if not args.models:
        note_models(args, [report.body_model])
    data = report.to_dict()
    rows = [_row(m) for m in data["models"]]
    columns = [*COLUMNS, "cost"] if args.output_tokens is not None else COLUMNS
    emit(args.format, data, rows, columns, HEADERS)
    if args.format != "json":
        import sys

        sys.stderr.write(f"tokencmp batch: {data['lines']:,} lines: {data['valid']:,} valid, "
                         f"{data['invalid']:,} invalid, {data['not_countable']:,} not countable\n")
        report_lines("batch", data)
        for m in data["models"]:
            for note in m["notes"]:
                sys.stderr.write(f"tokencmp batch: {m['model']}: note: {note}\n")
            if m["cost_unknown"]:
                sys.stderr.write(f"tokencmp batch: {m['model']}: cost unknown: {m['cost_unknown']}\n")
        for problem in data["problems"]:
            sys.stderr.write(f"tokencmp batch: {problem}\n")
    if report.invalid:
        return EXIT_INVALID
    return EXIT_OVER if report.over_limit else 0


def _row(m: dict[str, Any]) -> dict[str, Any]:
    d = m["distribution"]
    return {**m, "min": d["min"], "p50": d["p50"], "p95": d["p95"], "max": d["max"]}
