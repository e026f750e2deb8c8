"""Argument types shared by subcommands: a bad value is a usage error (exit 2) naming the option.

    >>> usd("0.05"), tokens("4000")
    (Decimal('0.05'), 4000)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar, overload

N = TypeVar("N", int, float)


def tokens(text: str) -> int:
    """A number of tokens: a whole number, 0 or more (the rule of :func:`tokencmp.token_count`)."""
    from tokencmp import InvalidRequestError, token_count

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of tokens, not {text!r}") from None
    try:
        return token_count(value, "N")
    except InvalidRequestError:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}") from None


def usd(text: str) -> Decimal:
    """An amount in US dollars, as an exact decimal (``0.05``), 0 or more (:func:`tokencmp.parse_usd`)."""
    from tokencmp import InvalidRequestError, parse_usd

    try:
        return parse_usd(text, "USD")
    except InvalidRequestError as e:
        if e.problem.startswith("not an amount"):  # say what one looks like
            message = f"expected an amount in USD such as 0.05, not {text!r}"
            raise argparse.ArgumentTypeError(message) from None
        raise argparse.ArgumentTypeError(e.problem.removesuffix(".")) from None


class LibraryChoices(Sequence[str]):
    """argparse ``choices`` that the library defines, read on first use.

    Building every subcommand's parser must not import the library (the catalog's schema pulls
    in pydantic, text counting tiktoken), which ``tokencmp --help`` and every short count would
    then pay for; the choices are only read to parse or show the option. Give the option a
    ``metavar``: argparse formats the metavar of an option without one, from its choices, as
    soon as the option is added.

        >>> "batch" in Tiers(), "cheap" in Tiers(), list(ErrorModes())
        (True, False, ['strict', 'replace'])
    """

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __contains__(self, value: object) -> bool:
        return value in self._load()


def _tiers() -> Sequence[str]:
    from tokencmp import TIER_NAMES

    return TIER_NAMES


def _error_modes() -> Sequence[str]:
    from tokencmp.text.read import ERRORS

    return ERRORS


def Tiers() -> LibraryChoices:
    """The processing tier names, :data:`tokencmp.TIER_NAMES` (``fast`` is ``priority``)."""
    return LibraryChoices(_tiers)


def ErrorModes() -> LibraryChoices:
    """What to do with invalid UTF-8, :data:`tokencmp.text.read.ERRORS`."""
    return LibraryChoices(_error_modes)


def add_errors_option(parser: argparse.ArgumentParser) -> None:
    """``--errors MODE``, the one way the subcommands that read text take it."""
    parser.add_argument("--errors", choices=ErrorModes(), default="strict", metavar="MODE",
                        help="invalid UTF-8: fail with the byte offset (strict, default) or count "
                        "U+FFFD (replace)")


def positive(kind: Callable[[str], N]) -> Callable[[str], N]:
    """A parser for a number of ``kind`` (``int`` or ``float``) that must be more than 0."""

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a finite number more than 0, not {text}")
        return value

    return parse


def encoding_name(name: str) -> str:
    """An encoding as tables print it (``o200k`` for ``o200k_base``), or as given.

        >>> encoding_name("o200k"), encoding_name("cl100k_base"), encoding_name("o200k_harmony")
        ('o200k_base', 'cl100k_base', 'o200k_harmony')
    """
    from tokencmp import list_encodings

    known = list_encodings()
    return f"{name}_base" if name not in known and f"{name}_base" in known else name
