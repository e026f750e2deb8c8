"""What each command says about the model names it was given: a note for a name a rule resolves.

A name that is a catalog entry or alias is counted silently. Any other name that
resolves (a dated snapshot, a variant, tiktoken's prefix, a new member of a known
family) gets one line on standard error, once the command has succeeded (after its
output; a failed command prints its one error line only), naming the entry it was
assumed from, the encoding, and a known name one keystroke away::

    tokencmp count: note: gpt-4-o: Taken to be a variant of gpt-4, counted as gpt-4-0613
    (cl100k_base); its prices and limits are not known. Did you mean gpt-4o?

With ``--strict-models`` such a name is an error instead
(:class:`tokencmp.AssumedModelError`, exit 1), for CI. An unknown name is left to
the command, which reports it in its own words.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable


def add_strict_models_option(parser: argparse.ArgumentParser) -> None:
    """``--strict-models``, the one way every command that takes models takes it."""
    parser.add_argument("--strict-models", action="store_true",
                        help="refuse a model name the catalog does not hold (one a rule resolves: a "
                        "snapshot, a variant, tiktoken's prefix, a new family member) instead of "
                        "noting on stderr what it was counted as")


def note_models(args: argparse.Namespace, names: Iterable[object]) -> None:
    """A note for each name in ``names`` that a rule resolves; with ``--strict-models``, the error.

    The notes wait in ``args`` until :func:`write_notes`. Names that are not strings and names
    nothing resolves are skipped: the command raises its own error for them. An exact entry of
    the bundled file is decided without pydantic.
    """
    from tokencmp import UnknownModelError
    from tokencmp.catalog.lookup import is_entry

    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or name in seen:
            continue
        seen.add(name)
        try:
            if is_entry(name):
                continue
        except UnknownModelError:
            continue
        from tokencmp import resolve_model  # pydantic: only for a name that is not an entry

        info = resolve_model(name, strict=args.strict_models)
        pending = vars(args).setdefault("_model_notes", [])
        pending.append(f"tokencmp {args.command}: note: {name}: {info.notes[0]}\n")


def write_notes(args: argparse.Namespace) -> None:
    """Write the notes :func:`note_models` kept, once the command has run."""
    for line in vars(args).pop("_model_notes", []):
        sys.stderr.write(line)
