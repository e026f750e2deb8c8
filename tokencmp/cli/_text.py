"""The one input of the token commands (tokens, show, truncate, split): a FILE, '-' or -t TEXT.

    tokencmp tokens notes.txt            # a file
    echo "hello world" | tokencmp tokens # standard input (or '-')
    tokencmp tokens -t "hello world"     # text on the command line

The encoding is ``--encoding E`` or ``--model M`` (default: the catalog's default model's).
Files and standard input are read as UTF-8 under ``--errors`` (the rules of
:mod:`tokencmp.text.read`) in blocks that join at safe cuts, so ``tokens``,
``truncate`` and ``split`` hold one block at a time, not the whole input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ._args import add_errors_option
from ._models import add_strict_models_option, note_models

if TYPE_CHECKING:
    import tiktoken


def add_input_arguments(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """FILE (or '-'), ``-t TEXT``, the encoding options and ``--errors``."""
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a UTF-8 text file; '-' (or nothing, with text piped in) for standard input",
    )
    parser.add_argument("--text", "-t", metavar="TEXT", help="the text itself, instead of a FILE")
    if several:
        parser.add_argument(
            "--encoding",
            "-e",
            action="append",
            default=[],
            metavar="E",
            help="encoding to use (repeatable; comma-separated lists too), e.g. cl100k_base",
        )
        parser.add_argument(
            "--model",
            "-m",
            action="append",
            default=[],
            metavar="M",
            help="model whose encoding to use (repeatable)",
        )
    else:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--encoding", "-e", metavar="E", help="encoding to use, e.g. cl100k_base")
        which.add_argument(
            "--model",
            "-m",
            metavar="M",
            help="model whose encoding to use (default: the catalog's default model)",
        )
    add_strict_models_option(parser)
    add_errors_option(parser)


def encoding(args: argparse.Namespace) -> tiktoken.Encoding:
    from tokencmp import choose_encoding

    note_models(args, [args.model])
    return choose_encoding(args.model, args.encoding, strict_model=args.strict_models)


def encodings(args: argparse.Namespace) -> list[tiktoken.Encoding]:
    """The encodings of ``--encoding`` and ``--model`` in order (default: the catalog's defaults)."""
    from tokencmp import choose_encoding, get_catalog

    note_models(args, args.model)
    names = [e.strip() for value in args.encoding for e in value.split(",") if e.strip()]
    out = [choose_encoding(encoding=n) for n in names]
    out += [choose_encoding(m, strict_model=args.strict_models) for m in args.model]
    if not out:
        out = [choose_encoding(encoding=n) for n in get_catalog().defaults.encodings]
    seen: dict[str, tiktoken.Encoding] = {}
    for enc in out:
        seen.setdefault(enc.name, enc)
    return list(seen.values())


def _source(args: argparse.Namespace) -> str | None:
    """The file name, '-' for standard input, or None for --text."""
    from tokencmp import TokencmpError

    if args.text is not None:
        if args.file is not None:
            raise TokencmpError("give a FILE or --text, not both.")
        return None
    if args.file is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise TokencmpError("give a FILE, '-' for standard input, or --text TEXT.")
        return "-"
    return str(args.file)


def blocks(args: argparse.Namespace) -> Iterator[str]:
    """The input in pieces that join at safe cuts (read a block at a time)."""
    from tokencmp import read_pieces
    from tokencmp.text.read import stdin_binary

    name = _source(args)
    if name is None:
        return iter([args.text] if args.text else [])  # one block is the whole text
    source = stdin_binary() if name == "-" else name
    return read_pieces(source, errors=args.errors)


def whole(args: argparse.Namespace) -> str:
    """All of the input as one string."""
    from tokencmp.text.read import read_stdin, read_text

    name = _source(args)
    if name is None:
        return str(args.text)
    return read_stdin(errors=args.errors) if name == "-" else read_text(name, errors=args.errors)


def max_tokens(text: str) -> int:
    """``--max-tokens N``: a whole number of at least 1 (0 or less is a usage error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of tokens, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


def write_text(text: str) -> None:
    """``text`` on standard output exactly (UTF-8, no newline added or translated)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    out.write(text.encode("utf-8", "surrogatepass"))
