"""The command line: ``python -m tokencmp SUBCOMMAND ...``.

A thin shell over the public API. Each subcommand is a module in this
package with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; :data:`SUBCOMMANDS` lists them in help order. Modules
import the library only inside ``run``, so ``--help`` and start-up stay fast.

Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage error,
3 a budget check that failed (``check``), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

SUBCOMMANDS = ("count", "request", "image", "cost", "check", "compare", "models", "speed")


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with usage errors on one line of stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        sys.exit(2)


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
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from tokencmp.errors import TokencmpError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args))
    except TokencmpError as e:
        sys.stderr.write(f"tokencmp {args.command}: error: {e}\n")
        return 1
    except BrokenPipeError:
        # `tokencmp ... | head`: the reader went away; end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("tokencmp: interrupted\n")
        return 130
