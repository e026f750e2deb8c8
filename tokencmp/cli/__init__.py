"""The command line: ``python -m tokencmp SUBCOMMAND ...``.

A thin shell over the public API. Each subcommand is a module in this
package with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; :data:`SUBCOMMANDS` lists them in help order. Modules
import the library only inside ``run``, so ``--help`` and start-up stay fast.

Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage error,
3 a budget check that failed (``check``), 4 a text that ``truncate`` cut, 130 interrupted.

Output that cannot be written ends the command with one line, never a
traceback: a reader that went away (``tokencmp ... | head``) ends it quietly
with exit 0, as ``cat`` does under a shell that ignores SIGPIPE; any other
write error (a full disk, ``> /dev/full``) is an error line and exit 1. What
was still buffered for standard output is dropped, so the final flush (see
:mod:`tokencmp.__main__`) does not fail a second time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._models import write_notes
from ._output import one_line

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

SUBCOMMANDS: tuple[str, ...] = (
    "count", "request", "image", "cost", "check", "batch", "finetune", "usage", "compare", "models", "speed",
    "tokens", "decode", "show", "truncate", "split",
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with usage errors on one line of stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")
        sys.exit(2)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse ignores write errors here, so `--help > /dev/full` would exit 0 with nothing
        # written; let them reach main(), which reports them like any other output error.
        if message:
            (file or sys.stderr).write(message)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="tokencmp",
        description="Exact token counts, fits and costs for OpenAI-style models, offline.",
        epilog="Run 'tokencmp SUBCOMMAND --help' for the options of each subcommand.",
    )
    from tokencmp import __version__

    parser.add_argument("--version", action="version", version=f"tokencmp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=ArgumentParser)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"tokencmp.cli.{name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(_run=module.run, _options=frozenset(p._option_string_actions))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from tokencmp import TokencmpError

    from ._words import speak

    parser = build_parser()
    prog = "tokencmp"
    options: frozenset[str] = frozenset()
    try:
        args = parser.parse_args(argv)  # inside: --help into a closed pipe is a write error too
        if not getattr(args, "_run", None):
            parser.print_help(sys.stderr)
            return 2
        prog = f"tokencmp {args.command}"
        options = args._options
        code = int(args._run(args))
        write_notes(args)  # after the output, and only when the command did not fail
        return code
    except TokencmpError as e:
        sys.stderr.write(f"{prog}: error: {one_line(speak(str(e), options))}\n")
        return 1
    except BrokenPipeError:  # `tokencmp ... | head`: the reader went away; end quietly
        _drop_output()
        return 0
    except OSError as e:  # every input error is a TokencmpError, so this is the output failing
        _drop_output()
        what = f"{e.filename}: " if e.filename else "cannot write the output: "
        sys.stderr.write(f"{prog}: error: {one_line(what)}{one_line(e.strerror or e)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("tokencmp: interrupted\n")
        return 130


def _drop_output() -> None:
    """Point standard output at the null device, so what is still buffered goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (captured, closed): nothing to drop
        pass
