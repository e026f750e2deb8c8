"""Cut a text to at most N tokens: the longest prefix (--from-end: suffix) whose own count is at most N.

The kept text goes to standard output exactly as it was (no newline added),
cut at a character boundary. Exit code 0 when nothing was cut (the whole
text fits), 4 when something was, so scripts can tell. BPE counts are not
monotone in the length of a prefix; docs/tokens.md says how the longest
prefix is found and why it is the longest. The input is read a block at a
time (the suffix keeps the last N tokens' worth). Special-token strings are
text.
"""

from __future__ import annotations

import argparse

from ._text import add_input_arguments, blocks, encoding, max_tokens, write_text

NAME = "truncate"
HELP = "cut a text to at most N tokens (exit 4 when something was cut)"

CUT = 4
"""The exit code when the text was cut."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--max-tokens",
        "-n",
        type=max_tokens,
        required=True,
        metavar="N",
        help="the most tokens to keep (1 or more)",
    )
    parser.add_argument("--from-end", action="store_true", help="keep the end of the text instead")


def run(args: argparse.Namespace) -> int:
    from tokencmp import truncate_pieces

    enc = encoding(args)
    source = blocks(args)
    seen = _Seen(source)
    for part in truncate_pieces(seen, args.max_tokens, enc, from_end=args.from_end):
        write_text(part)
        seen.kept += len(part)
    return CUT if seen.kept < seen.read else 0


class _Seen:
    """The blocks, counting the characters read and kept (to tell whether anything was cut)."""

    def __init__(self, source: object) -> None:
        self.source = source
        self.read = 0
        self.kept = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for block in self.source:  # type: ignore[attr-defined]
            self.read += len(block)
            yield block
