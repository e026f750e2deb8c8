"""Check, count and price a fine-tuning dataset before the job is created.

Reads FILE (JSONL, '-' for standard input) and makes the format checks of the
OpenAI cookbook's fine-tuning notebook (data types, missing messages,
unrecognised keys, roles, missing content, no assistant message), plus tools,
per-message weight and the preference (DPO) format. Counts each example
exactly, lists the examples over the training context (the API truncates them),
and prints the billed training tokens (tokens x epochs; without --epochs, the
notebook's default-epochs rule, whose constants are printed) and the training
cost at the model's training price. --validation FILE is checked and counted
the same way. Sources of every constant and price: docs/files.md.

Exit codes: 0 it is ready, 3 examples over the training context or over
--max-cost, 1 when any example is invalid (every line is still read) or on an
error.

JSON output: tokencmp.check_finetune's FineTuneReport.to_dict(): {"model",
"encoding", "training", "validation", "epochs", "epochs_rule",
"epochs_constants", "training_context", "billed_tokens", "training_price",
"training_cost", "cost_unknown", "budget", "within_budget", "sources", "notes",
"invalid", "problems"}; amounts are decimal strings.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._args import positive, usd
from ._dask import add_dask_option, chunks_on
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, emit

NAME = "finetune"
HELP = "check, count and price a fine-tuning dataset (JSONL)"

EXIT_INVALID = 1
EXIT_OVER = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the training file (JSONL); '-' for standard input")
    parser.add_argument("--validation", metavar="FILE", help="the validation file, checked and counted too")
    parser.add_argument("--model", "-m",
                        help="the base model (default: gpt-4o-mini-2024-07-18, see docs/files.md)")
    parser.add_argument("--epochs", type=positive(int), metavar="N",
                        help="the job's n_epochs (default: the cookbook notebook's rule)")
    parser.add_argument("--max-cost", type=usd, metavar="USD",
                        help="budget for the training cost: exit 3 if over")
    parser.add_argument("--workers", type=positive(int), metavar="N",
                        help="processes to use (default: every core for a large file)")
    add_dask_option(parser)
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import check_finetune

    from ._lines import progress_for, report_lines

    note_models(args, [args.model])
    with progress_for(args.file) as bar, chunks_on(args.dask) as on:
        report = check_finetune(args.file, validation=args.validation, model=args.model, epochs=args.epochs,
                                max_cost=args.max_cost, workers=args.workers, progress=bar, map_chunks=on)
    data = report.to_dict()
    if args.model is None:
        note_models(args, [data["model"]])
    rows = _rows(data)
    emit(args.format, data, rows, ["field", "value"])
    if args.format != "json":
        for key in ("training", "validation"):
            if data[key]:
                report_lines("finetune", data[key], f"{data[key]['file']}: ")
        for note in data["notes"]:
            sys.stderr.write(f"tokencmp finetune: note: {note}\n")
        if data["cost_unknown"]:
            sys.stderr.write(f"tokencmp finetune: cost unknown: {data['cost_unknown']}\n")
        for problem in data["problems"]:
            sys.stderr.write(f"tokencmp finetune: {problem}\n")
    if report.invalid:
        return EXIT_INVALID
    return EXIT_OVER if report.problems else 0


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"field": "model", "value": data["model"]}]
    for key in ("training", "validation"):
        f = data[key]
        if not f:
            continue
        t = f["tokens"]
        rows += [
            {"field": f"{key} examples", "value": f"{f['valid']:,} valid, {f['invalid']:,} invalid"},
            {"field": f"{key} format", "value": f["format"]},
            {"field": f"{key} tokens", "value": t["total"]},
            {"field": f"{key} tokens per example",
             "value": (f"min {t['min']}, p50 {t['p50']}, p95 {t['p95']}, max {t['max']}"
                       if t["count"] else "")},
            {"field": f"{key} over the training context", "value": f["over_context"]},
            {"field": f"{key} missing system / user",
             "value": f"{f['missing_system']} / {f['missing_user']}"},
        ]
    c = data["epochs_constants"]
    rule = ("given" if data["epochs_rule"] == "given" else
            f"default: TARGET_EPOCHS {c['target_epochs']}, "
            f"MIN/MAX_TARGET_EXAMPLES {c['min_target_examples']}/"
            f"{c['max_target_examples']}, MIN/MAX_DEFAULT_EPOCHS {c['min_default_epochs']}/"
            f"{c['max_default_epochs']}")
    rows += [
        {"field": "training context", "value": data["training_context"]},
        {"field": "epochs", "value": f"{data['epochs']} ({rule})"},
        {"field": "billed training tokens", "value": data["billed_tokens"]},
        {"field": "training price $ per 1M", "value": data["training_price"]},
        {"field": "training cost $", "value": data["training_cost"]},
    ]
    if data["budget"] is not None:
        rows.append({"field": "within budget", "value": data["within_budget"]})
    rows.append({"field": "sources", "value": " ".join(s["url"] for s in data["sources"])})
    return rows
