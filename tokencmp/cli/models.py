"""List the model catalog, or show how names resolve.

With no NAME, prints every catalog entry: encoding, context window, input
limit, maximum output, standard prices (USD per 1M tokens) and status. With
NAMEs, prints each name as tokencmp resolves it, including which entry it was
assumed from when it is not an exact entry.

JSON output: a list of model objects as in the catalog file, plus "name",
"input_limit" and "assumed_from".
"""

from __future__ import annotations

import argparse

from ._models import add_strict_models_option, note_models
from ._output import add_format_option, emit

NAME = "models"
HELP = "list the model catalog (encodings, limits, prices)"

COLUMNS = ["name", "encoding", "context", "input_limit", "max_output", "input", "cached_input",
           "output", "status", "assumed_from"]
HEADERS = {"input": "input $/1M", "cached_input": "cached $/1M", "output": "output $/1M",
           "input_limit": "input limit", "max_output": "max output", "assumed_from": "assumed from"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="model names to resolve")
    parser.add_argument("--active", action="store_true", help="only models that are not shut down")
    parser.add_argument("--kind", help="only this kind: chat, embedding, completion, realtime, audio, ...")
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import list_models, resolve_model

    note_models(args, args.names)
    infos = [resolve_model(n) for n in args.names] if args.names else list_models()
    if args.active:
        infos = [i for i in infos if i.status != "shut_down"]
    if args.kind:
        infos = [i for i in infos if i.kind == args.kind]
    payload = [
        {**info.model_dump(mode="json", by_alias=True), "input_limit": info.input_limit} for info in infos
    ]
    rows = []
    for info, data in zip(infos, payload, strict=True):
        std = data["prices"].get("standard") or {}  # amounts as decimal strings, as in the JSON
        rows.append({
            "name": info.name, "encoding": info.encoding, "context": info.context_window,
            "input_limit": info.input_limit, "max_output": info.max_output_tokens,
            "input": std.get("input"), "cached_input": std.get("cached_input"),
            "output": std.get("output"), "status": info.status,
            "assumed_from": info.assumed_from,
        })
    columns = COLUMNS if any(r["assumed_from"] for r in rows) else COLUMNS[:-1]
    emit(args.format, payload, rows, columns, HEADERS)
    return 0
