"""Split a text into consecutive pieces of at most N tokens each, counted alone.

The pieces concatenate exactly to the input (with --overlap K, each piece
starts where the last K tokens of the one before begin, rounded back to a
character boundary). Each piece is the longest that fits; --at lines
(sentences) ends it instead at the last line (sentence) end inside that
longest piece whose own count fits, when there is one. A character that alone
is more than N tokens (up to 4) is an error: use N of 4 or more. The input is
read a block at a time.

--format jsonl: one JSON object per piece, {"index", "text", "tokens", "start",
"end"} (offsets in characters of the input); table (default): one row per
piece without its text.
"""

from __future__ import annotations

import argparse
import json
import sys

from ._output import one_line
from ._text import add_input_arguments, blocks, encoding, max_tokens

NAME = "split"
HELP = "split a text into pieces of at most N tokens each"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--max-tokens",
        "-n",
        type=max_tokens,
        required=True,
        metavar="N",
        help="the most tokens in a piece (1 or more)",
    )
    parser.add_argument(
        "--overlap",
        type=int,
        default=0,
        metavar="K",
        help="tokens each piece repeats from the end of the one before (0 to N-1)",
    )
    parser.add_argument(
        "--at", choices=["lines", "sentences"], help="prefer to end pieces at line (sentence) ends"
    )
    parser.add_argument(
        "--format",
        choices=["table", "jsonl"],
        default="table",
        help="a table of the pieces (default) or JSON Lines with each piece's text",
    )


def run(args: argparse.Namespace) -> int:
    from tokencmp import split_pieces

    if not 0 <= args.overlap < args.max_tokens:
        sys.stderr.write(
            f"tokencmp split: error: --overlap must be from 0 to N-1 ({args.max_tokens - 1}), "
            f"not {args.overlap} (see tokencmp split --help)\n"
        )
        return 2
    enc = encoding(args)
    out = sys.stdout
    if args.format == "table":
        out.write(f"{'piece':>6}  {'tokens':>7}  {'start':>10}  {'end':>10}  begins\n")
    count = 0
    for p in split_pieces(blocks(args), args.max_tokens, enc, overlap=args.overlap, at=args.at):
        if args.format == "jsonl":
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.write(
                f"{p.index:>6}  {p.tokens:>7}  {p.start:>10}  {p.end:>10}  {one_line(repr(p.text[:30]))}\n"
            )
        count += 1
    if args.format == "table":
        out.write(f"{count:,} pieces of at most {args.max_tokens:,} tokens ({enc.name})\n")
    return 0
