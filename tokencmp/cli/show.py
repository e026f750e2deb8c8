"""Show a text with its token boundaries coloured: alternating backgrounds, whitespace visible.

Whitespace is drawn as a glyph (space ·, tab →, newline ↵ then the line
break); a character whose bytes are split across tokens is underlined. With
two or more encodings (--encoding a,b or repeated; --model too), one aligned
line per encoding; --diff draws the text once with a coloured bar where their
boundaries differ. A footer gives the count under each encoding. --html FILE
writes the same view as one self-contained HTML page (no network needed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ._text import add_input_arguments, encodings, whole

NAME = "show"
HELP = "show a text with coloured token boundaries (several encodings aligned, or --diff)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, several=True)
    parser.add_argument(
        "--diff",
        action="store_true",
        help="draw the text once, marking where the encodings' boundaries differ",
    )
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the view to FILE as HTML")
    parser.add_argument("--width", type=int, metavar="COLUMNS", help="line width (default: the terminal's)")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from tokencmp import TokencmpError
    from tokencmp.report.html import show_page
    from tokencmp.report.terminal import render

    encs = encodings(args)
    if args.diff and len(encs) < 2:
        raise TokencmpError(
            "--diff compares encodings: give two or more (--encoding o200k_base,cl100k_base)."
        )
    text = whole(args)
    if args.html is not None:
        _write_html(args.html, show_page(text, encs, title=f"Tokens of {args.file or 'the text'}"))
    render(Console(width=args.width, highlight=False, soft_wrap=False), text, encs, diff=args.diff)
    return 0


def _write_html(path: Path, document: str) -> None:
    from tokencmp import TokencmpError

    try:
        path.write_text(document, encoding="utf-8")
    except OSError as e:
        raise TokencmpError(f"Cannot write {path}: {e.strerror or e}.") from None
