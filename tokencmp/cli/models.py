"""List the model catalog, or show how names resolve.

With no NAME, prints every catalog entry: encoding, context window, input
limit, maximum output, standard prices (USD per 1M tokens) and status. With
NAMEs, prints each name as tokencmp resolves it, including which entry it was
assumed from when it is not an exact entry.

JSON output: a list of model objects as in the catalog file, plus "name",
"input_limit" and "assumed_from".

With --import genai-prices, writes instead an override file for TOKENCMP_CATALOG holding the
prices of the installed genai-prices that differ from the catalog (read offline from the
package's data; see docs/catalog.md, "Refreshing the catalog").
"""

from __future__ import annotations

import argparse

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
    parser.add_argument("--import", dest="import_from", choices=["genai-prices"],
                        help="write an override file (JSON, for TOKENCMP_CATALOG) with the newer prices "
                        "of this installed package")
    add_format_option(parser)


def _import(source: str) -> int:
    import sys

    from tokencmp.catalog.importer import import_prices

    from ._output import one_line, write_json

    result = import_prices(source)
    write_json(result.override)
    print(f"{len(result.changed)} entries with newer prices, {len(result.added)} models added",
          file=sys.stderr)
    for name, why in result.skipped:
        print(one_line(f"not imported: {name}: {why}"), file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    from tokencmp import list_models, resolve_model

    if args.import_from:
        return _import(args.import_from)
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
