"""List the model catalog, or show how names resolve.

With no NAME, prints every catalog entry: encoding, context window, input
limit, maximum output, standard prices (USD per 1M tokens), status and shutdown
date (past, or announced: an active model with a date is still served until then). With
NAMEs, prints each name as tokencmp resolves it, including which entry it was
assumed from when it is not an exact entry.

JSON output: a list of model objects as in the catalog file, plus "name",
"input_limit" and "assumed_from".

With ``--stale DAYS``, prints instead every fact (model, fact, source, the
source's date, its age in days, the entry's checked date) whose source is more
than DAYS days old, oldest first (:func:`tokencmp.stale_facts`); ``--today``
measures from another day than today.

With --import genai-prices, writes instead an override file for TOKENCMP_CATALOG holding the
prices of the installed genai-prices that differ from the catalog (read offline from the
package's data; see docs/catalog.md, "Refreshing the catalog").
"""

from __future__ import annotations

import argparse
from datetime import date

from ._models import add_strict_models_option, note_models
from ._output import add_format_option, add_view_options, emit

NAME = "models"
HELP = "list the model catalog (encodings, limits, prices)"

COLUMNS = ["name", "encoding", "context", "input_limit", "max_output", "input", "cached_input",
           "output", "status", "shutdown", "assumed_from"]
WIDE = ["encoding", "input_limit", "max_output", "cached_input", "shutdown"]
"""Columns a table shows with --wide only (a model name takes up to 36 of 80 columns)."""
HEADERS = {"input": "input $/1M", "cached_input": "cached $/1M", "output": "output $/1M",
           "input_limit": "input limit", "max_output": "max output", "assumed_from": "assumed from"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="model names to resolve")
    parser.add_argument("--active", action="store_true", help="only models that are not shut down")
    parser.add_argument("--kind", help="only this kind: chat, embedding, completion, realtime, audio, ...")
    add_strict_models_option(parser)
    parser.add_argument("--stale", type=_days, metavar="DAYS",
                        help="list the facts whose source is more than DAYS days old")
    parser.add_argument("--today", type=_day, metavar="YYYY-MM-DD",
                        help="the day --stale measures from (default: today)")
    parser.add_argument("--import", dest="import_from", choices=["genai-prices"],
                        help="write an override file (JSON, for TOKENCMP_CATALOG) with the newer prices "
                        "of this installed package")
    add_view_options(parser)
    add_format_option(parser)


STALE_COLUMNS = ["model", "fact", "source", "source_date", "age_days", "checked"]
STALE_HEADERS = {"source_date": "source date", "age_days": "age (days)"}


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, 0 or more, got {text!r}")
    return days


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _run_stale(args: argparse.Namespace) -> int:
    from tokencmp import resolve_model, stale_facts

    facts = stale_facts(args.stale, today=args.today, active_only=args.active)
    names = {(info.assumed_from or info.name) for info in map(resolve_model, args.names)}
    kinds = None
    if args.kind:
        from tokencmp import get_catalog

        kinds = {n for n, i in get_catalog().models.items() if i.kind == args.kind}
    rows = [f.to_dict() for f in facts
            if (not names or f.model in names) and (kinds is None or f.model in kinds)]
    emit(args.format, rows, rows, STALE_COLUMNS, STALE_HEADERS)
    return 0



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
    if args.stale is not None:
        return _run_stale(args)
    from tokencmp import list_models, resolve_model

    if args.import_from:
        return _import(args.import_from)
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
            "shutdown": data["shutdown_date"],
            "assumed_from": info.assumed_from,
        })
    columns = COLUMNS if any(r["assumed_from"] for r in rows) else COLUMNS[:-1]
    emit(args.format, payload, rows, columns, HEADERS, extra=WIDE, wide=args.wide)
    return 0
