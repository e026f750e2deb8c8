"""Turn token ids back into text (the other way from 'tokens').

IDS are whole numbers, separated by spaces or commas (or read from standard
input when none are given). The text is written as it is, bytes that are not
whole characters as U+FFFD; --format table or json lists each id with its
piece (text, or <bytes> when it is part of a character).

JSON output: {"encoding": str, "text": str, "tokens": [{"index", "id", "text"|null,
"bytes", "start", "end"}]}.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from ._models import add_strict_models_option, note_models
from ._output import one_line

NAME = "decode"
HELP = "turn token ids back into text"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="IDS", help="token ids (spaces or commas between)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--encoding", "-e", metavar="E", help="encoding of the ids, e.g. cl100k_base")
    which.add_argument("--model", "-m", metavar="M", help="model whose encoding the ids are in")
    add_strict_models_option(parser)
    parser.add_argument(
        "--format",
        choices=["text", "table", "json"],
        default="text",
        help="the text (default), a table of the ids and pieces, or JSON",
    )


def run(args: argparse.Namespace) -> int:
    from tokencmp import TokencmpError, choose_encoding, decode_pieces, decode_tokens, token_label

    from ._text import write_text

    words = [w for value in args.ids for w in re.split(r"[\s,\[\]]+", value) if w]
    if not args.ids:
        if sys.stdin is None or sys.stdin.isatty():
            raise TokencmpError("give token IDS, or pipe them into standard input.")
        words = [w for w in re.split(r"[\s,\[\]]+", sys.stdin.read()) if w]
    ids = []
    for w in words:
        if not re.fullmatch(r"[0-9]+", w):
            raise TokencmpError(f"{w!r} is not a token id (a whole number of 0 or more).")
        ids.append(int(w))
    note_models(args, [args.model])
    enc = choose_encoding(args.model, args.encoding, strict_model=args.strict_models)
    if args.format == "text":
        write_text(decode_tokens(ids, encoding=enc))
        return 0
    pieces = decode_pieces(ids, encoding=enc)
    if args.format == "json":
        payload = {
            "encoding": enc.name,
            "text": decode_tokens(ids, encoding=enc),
            "tokens": [p.to_dict() for p in pieces],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{'index':>7}  {'id':>7}  piece\n")
    for p in pieces:
        shown = one_line(repr(p.text)) if p.text is not None else token_label(p)
        sys.stdout.write(f"{p.index:>7}  {p.id:>7}  {shown}\n")
    return 0
