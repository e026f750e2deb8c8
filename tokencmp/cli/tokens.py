"""List the tokens of a text: each token's id and the piece of text it covers.

A token that is not a whole number of characters (part of a multi-byte
character) is shown as its bytes, <e6 97>, never as a replacement character.
Offsets are characters of the input ([start, end); a split character belongs
to the token where it begins). Special-token strings are text. The input is
read and listed a block at a time, so any size of file takes bounded memory.

JSON output: {"encoding": str, "tokens": [{"index", "id", "text": str|null,
"bytes": hex, "start", "end"}], "count": int}; CSV: index,id,start,end,bytes,text.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ._output import one_line
from ._text import add_input_arguments, blocks, encoding

NAME = "tokens"
HELP = "list the token ids of a text and the piece each covers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="an aligned table (default), JSON or CSV",
    )


def run(args: argparse.Namespace) -> int:
    from tokencmp import iter_token_pieces, token_label

    enc = encoding(args)
    pieces = iter_token_pieces(blocks(args), enc)
    out = sys.stdout
    count = 0
    if args.format == "json":
        out.write(f'{{"encoding": {json.dumps(enc.name)}, "tokens": [')
        for p in pieces:
            out.write(("," if count else "") + "\n  " + json.dumps(p.to_dict(), ensure_ascii=False))
            count += 1
        out.write(f'\n], "count": {count}}}\n')
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["index", "id", "start", "end", "bytes", "text"])
        for p in pieces:
            writer.writerow([p.index, p.id, p.start, p.end, p.bytes, "" if p.text is None else p.text])
            count += 1
    else:
        out.write(f"{'index':>7}  {'id':>7}  {'start':>7}  {'end':>7}  piece\n")
        for p in pieces:
            out.write(
                f"{p.index:>7}  {p.id:>7}  {p.start:>7}  {p.end:>7}  {_shown(token_label(p), p.text)}\n"
            )
            count += 1
        out.write(f"{count:,} tokens ({enc.name})\n")
    return 0


def _shown(text: str, whole: str | None) -> str:
    """A piece on one line: quoted text with escapes (repr), or its bytes as they are."""
    return one_line(repr(text)) if whole is not None else text
