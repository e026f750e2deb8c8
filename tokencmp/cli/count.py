"""Count the tokens of text files or standard input.

Reads each FILE as UTF-8 (or standard input with '-' or when input is piped)
and prints one row per input and a total. Special-token strings such as
<|endoftext|> count as ordinary text unless --allow-special is given.

JSON output: {"model": str|null, "encoding": str, "inputs": [{"name": str,
"tokens": int, "characters": int, "bytes": int}], "total": {"tokens": int,
"characters": int, "bytes": int}}.
"""

from __future__ import annotations

import argparse
import sys

from ._output import add_format_option, emit

NAME = "count"
HELP = "count the tokens of files or stdin"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="text files; '-' for standard input")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--model", "-m", help="model whose encoding to use (default: gpt-4o)")
    which.add_argument("--encoding", "-e", help="encoding to use instead of a model's, e.g. cl100k_base")
    parser.add_argument("--allow-special", action="store_true",
                        help="encode special-token strings as special tokens, not as text")
    parser.add_argument("--errors", choices=["strict", "replace"], default="strict",
                        help="invalid UTF-8: fail with the byte offset (strict, default) or count U+FFFD")
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp.errors import TokencmpError
    from tokencmp.text import choose_encoding, count_with, decode_utf8, read_text

    names = list(args.files)
    if not names:
        if sys.stdin is None or sys.stdin.isatty():
            raise TokencmpError("give one or more FILEs, or pipe text into standard input ('-').")
        names = ["-"]
    enc = choose_encoding(args.model, args.encoding)
    model = None if args.encoding else (args.model or "gpt-4o")
    rows = []
    for name in names:
        if name == "-":
            text = decode_utf8(sys.stdin.buffer.read(), errors=args.errors, source="<stdin>")
        else:
            text = read_text(name, errors=args.errors)
        rows.append({
            "name": "<stdin>" if name == "-" else name,
            "tokens": count_with(enc, text, allow_special=args.allow_special),
            "characters": len(text),
            "bytes": len(text.encode("utf-8", "surrogatepass")),
        })
    total = {k: sum(r[k] for r in rows) for k in ("tokens", "characters", "bytes")}
    payload = {"model": model, "encoding": enc.name, "inputs": rows, "total": total}
    table = rows + ([{"name": "total", **total}] if len(rows) > 1 else [])
    emit(args.format, payload, table, ["name", "tokens", "characters", "bytes"])
    return 0
