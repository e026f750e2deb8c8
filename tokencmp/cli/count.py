"""Count the tokens of text files, folders or standard input.

Reads each FILE as UTF-8 (or standard input with '-' or when input is piped;
text given with -t/--text) and prints one row per input and a total, or with
-n/--number the total number of tokens alone, for scripts. A folder is walked
recursively (hidden entries and what .gitignore files leave out are left
out, each folder entered once however links point); binary files are
skipped, summed up in one note on standard error (--verbose lists them), and
a file that cannot be read is reported while the others are still counted
(exit 1). Special-token strings such as <|endoftext|> count as ordinary text
unless --allow-special is given.

JSON output: {"model": str|null, "encoding": str, "inputs": [{"name": str,
"tokens": int, "characters": int, "bytes": int}], "total": {"tokens": int,
"characters": int, "bytes": int}}.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._args import add_errors_option, encoding_name
from ._files import add_folder_options
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, emit

NAME = "count"
HELP = "count the tokens of files or stdin"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="text files or folders (walked); '-' for standard input")
    parser.add_argument("--text", "-t", action="append", default=[], metavar="TEXT",
                        help="count TEXT itself (repeatable; shown as <text>)")
    parser.add_argument("--number", "-n", action="store_true",
                        help="print only the total number of tokens, a bare number for scripts")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--model", "-m",
                       help="model whose encoding to use (default: the catalog's default model)")
    which.add_argument("--encoding", "-e",
                       help="encoding to use instead of a model's, e.g. cl100k_base (or cl100k)")
    which.add_argument("--tokenizer", metavar="PATH",
                       help="a local tokenizer file instead: tokenizer.json, a Tekken JSON, or a rank file "
                       "tokencmp knows")
    parser.add_argument("--allow-special", action="store_true",
                        help="encode special-token strings as special tokens, not as text")
    add_strict_models_option(parser)
    add_folder_options(parser)
    add_errors_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import InvalidTextError, TokencmpError, choose_encoding, count_tokens
    from tokencmp.catalog.lookup import default_model
    from tokencmp.text.read import read_stdin, read_text

    from ._files import Inputs

    names = list(args.files)
    if not names and not args.text:
        if sys.stdin is None or sys.stdin.isatty():
            raise TokencmpError("give one or more FILEs or --text TEXT, or pipe text into standard "
                                "input ('-').")
        names = ["-"]
    note_models(args, [args.model])
    if args.tokenizer is not None:
        from tokencmp import load_tokenizer

        enc = load_tokenizer(args.tokenizer)
    else:
        enc = choose_encoding(args.model, args.encoding and encoding_name(args.encoding))
    model = None if args.encoding or args.tokenizer else (args.model or default_model())
    inputs = Inputs.from_args(NAME, args)

    def measure(name: str, text: str) -> dict[str, Any]:
        return {
            "name": name,
            "tokens": count_tokens(text, encoding=enc, allow_special=args.allow_special),
            "characters": len(text),
            "bytes": len(text.encode("utf-8", "surrogatepass")),
        }

    rows = [measure("<text>", text) for text in args.text]
    for item in inputs.expand(names):
        try:
            if item.path is None:
                text = read_stdin(errors=args.errors)
            else:
                text = read_text(item.path, errors=args.errors)
        except InvalidTextError as e:  # this input only: the others are still counted
            inputs.error(str(e))
            continue
        rows.append(measure(item.name, text))
    inputs.summarize()
    if not rows:
        if inputs.failed:
            return 1
        raise TokencmpError("no text files to count among the inputs.")
    total = {k: sum(r[k] for r in rows) for k in ("tokens", "characters", "bytes")}
    payload = {"model": model, "encoding": enc.name, "inputs": rows, "total": total}
    if args.number:
        sys.stdout.write(f"{total['tokens']}\n")
        return 1 if inputs.failed else 0
    table = rows + ([{"name": "total", **total}] if len(rows) > 1 else [])
    emit(args.format, payload, table, ["name", "tokens", "characters", "bytes"])
    return 1 if inputs.failed else 0
