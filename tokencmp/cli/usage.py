"""The cost of finished work, from what the API sent back.

FILE ('-' for standard input) is a Batch API output file (each line's
response.body.usage, at batch prices; failed requests counted as errors), a
JSONL of logged Chat Completions or Responses responses, or one response JSON.
Prints totals per model and tier (each response's service_tier), with cached
and reasoning tokens. Fine-tuned models (ft:...) are priced at the inference
prices of fine-tuned models (docs/files.md).

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
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import cost_of_outputs

    from ._lines import progress_for, report_lines

    with progress_for(args.file) as bar:
        report = cost_of_outputs(args.file, progress=bar)
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
