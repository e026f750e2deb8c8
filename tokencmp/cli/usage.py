"""The cost of finished work, from what the API sent back.

FILE ('-' for standard input) is a Batch API output file (each line's
response.body.usage, at batch prices; failed requests counted as errors), a
JSONL of logged Chat Completions or Responses responses, or one response JSON.
Prints totals per model and tier (each response's service_tier), with cached
and reasoning tokens. Fine-tuned models (ft:...) are priced at the inference
prices of fine-tuned models (docs/files.md).

With --ledger, FILE is instead the ledger of a guarded client
(tokencmp.guard: its export_ledger JSON or CSV, or its SQLite store):
calls by outcome, tokens, reserved and settled cost, per model
(docs/guard.md). JSON output: tokencmp.summarize_ledger's LedgerSummary.to_dict().

Exit codes: 0, or 1 when a line could not be read or priced (every line is
still read), or on an error.

JSON output: tokencmp.cost_of_outputs's UsageReport.to_dict(): {"file", "kind",
"lines", "responses", "errors", "invalid", "problems_by_kind", "line_problems",
"rows", "total", "cost_unknown"}, each of "rows" a UsageRow {"model", "tier",
"responses", "prompt_tokens", "cached_tokens", "output_tokens",
"reasoning_tokens", "cost", "cost_unknown", "price_sources"}.
"""

from __future__ import annotations

import argparse
import sys

from ._dask import add_dask_option, chunks_on
from ._output import add_format_option, emit

NAME = "usage"
HELP = "the cost of finished work: a batch output file or logged responses"

COLUMNS = ["model", "tier", "responses", "prompt_tokens", "cached_tokens", "output_tokens",
           "reasoning_tokens", "cost"]
HEADERS = {"prompt_tokens": "input", "cached_tokens": "cached", "output_tokens": "output",
           "reasoning_tokens": "reasoning", "cost": "cost $"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a batch output file, a JSONL of responses, or one "
                        "response; '-' for standard input")
    parser.add_argument("--ledger", action="store_true",
                        help="FILE is a guarded client's ledger (JSON, CSV or its SQLite store)")
    add_dask_option(parser)
    add_format_option(parser)


LEDGER_COLUMNS = ["model", "calls", "input_tokens", "output_tokens", "cost"]
LEDGER_HEADERS = {"input_tokens": "input", "output_tokens": "output", "cost": "cost $"}


def _run_ledger(args: argparse.Namespace) -> int:
    from tokencmp import read_ledger, summarize_ledger

    summary = summarize_ledger(read_ledger(args.file))
    data = summary.to_dict()
    rows = data["by_model"]
    if len(rows) > 1:
        rows = [*rows, {"model": "total", "calls": data["calls"], "input_tokens": data["input_tokens"],
                        "output_tokens": data["output_tokens"], "cost": data["cost"]}]
    emit(args.format, data, rows, LEDGER_COLUMNS, LEDGER_HEADERS)
    if args.format != "json":
        outcomes = ", ".join(f"{n:,} {outcome}" for outcome, n in summary.outcomes) or "no calls"
        sys.stderr.write(f"tokencmp usage: ledger: {summary.calls:,} calls ({outcomes}); reserved "
                         f"${data['reserved_cost']}, settled ${data['cost']}\n")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.ledger:
        return _run_ledger(args)
    from tokencmp import cost_of_outputs

    from ._lines import progress_for, report_lines

    with progress_for(args.file) as bar, chunks_on(args.dask) as on:
        report = cost_of_outputs(args.file, progress=bar, map_chunks=on)
    data = report.to_dict()
    rows = data["rows"]
    if len(rows) > 1:
        rows = [*rows, {"model": "total", "cost": data["total"]}]
    emit(args.format, data, rows, COLUMNS, HEADERS)
    if args.format != "json":
        sys.stderr.write(f"tokencmp usage: {data['kind']}: {data['lines']:,} lines, {data['responses']:,} "
                         f"priced, {data['errors']:,} failed requests, {data['invalid']:,} unreadable\n")
        report_lines("usage", data)
        if data["cost_unknown"]:
            sys.stderr.write(f"tokencmp usage: cost unknown: {data['cost_unknown']}\n")
    return 1 if report.invalid or report.cost_unknown else 0
