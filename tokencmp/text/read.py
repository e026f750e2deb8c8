"""Reading text files and standard input as UTF-8, with one clear error for every failure.

A public module of file-reading helpers: the command line reads its inputs
through it, and any program that counts files can too. Every failure is an
:class:`~tokencmp.errors.InvalidTextError` that names the file (its
``source``) and, for invalid UTF-8, the byte offset (its ``offset``), so a
caller can report one bad input and go on with the others::

    >>> import tempfile, pathlib
    >>> from tokencmp.errors import InvalidTextError
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "bad.txt").write_bytes(b"caf\\xe9")
    4
    >>> try:
    ...     read_text(folder / "bad.txt")
    ... except InvalidTextError as e:
    ...     print(e.source.endswith("bad.txt"), e.offset)
    True 3
    >>> read_text(folder / "bad.txt", errors="replace")
    'caf\\ufffd'

The rules, each written once here:

* text is UTF-8; a leading byte-order mark is kept as text (``"\\ufeff"``), as
  tiktoken would see it;
* ``errors="strict"`` (the default) refuses invalid UTF-8 with its byte
  offset; ``errors="replace"`` decodes each bad sequence as U+FFFD;
* a directory, a missing or unreadable file, a path the operating system
  cannot take (a NUL, a lone surrogate) and a read that fails after the file
  opened are each one error naming the path.

:func:`tokencmp.count_file` and :func:`tokencmp.text.stream.read_pieces` (files
read in blocks) follow the same rules through these functions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO, Literal

from ..errors import InvalidTextError

Errors = Literal["strict", "replace"]
"""What to do with invalid UTF-8: refuse it with its byte offset, or decode it as U+FFFD."""

ERRORS: tuple[Errors, ...] = ("strict", "replace")


def check_errors(errors: object) -> Errors:
    """``errors`` if it is one of :data:`ERRORS`, else :class:`InvalidTextError`.

    >>> check_errors("replace")
    'replace'
    """
    if errors not in ERRORS:
        raise InvalidTextError(f"errors must be 'strict' or 'replace', not {errors!r}.")
    return errors


def decode_utf8(data: bytes, *, errors: Errors = "strict", source: str | None = None) -> str:
    """Decode UTF-8, raising :class:`InvalidTextError` with the byte offset of bad input.

    A leading byte-order mark is kept as text, as tiktoken would see it.

    >>> decode_utf8("\\ufeffhi".encode())
    '\\ufeffhi'
    >>> decode_utf8(b"ok \\xff", source="notes.txt")
    Traceback (most recent call last):
        ...
    tokencmp.errors.InvalidTextError: notes.txt: invalid UTF-8 at byte offset 3 (invalid start byte). ...
    """
    check_errors(errors)
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as e:
        raise invalid_utf8(e.start, e.reason, source) from None


def invalid_utf8(offset: int, reason: str, source: str | None) -> InvalidTextError:
    """The error for invalid UTF-8 at byte ``offset`` of ``source`` (``None``: unnamed input)."""
    where = f"{source}: " if source else ""
    return InvalidTextError(
        f"{where}invalid UTF-8 at byte offset {offset} ({reason}). Convert the file to "
        "UTF-8, or pass errors='replace' (--errors replace) to count U+FFFD in its place.",
        offset=offset,
        source=source,
    )


def read_text(path: str | os.PathLike[str], *, errors: Errors = "strict") -> str:
    """A whole file as text (UTF-8), with clear errors for unreadable or invalid files."""
    p = Path(path)
    with open_binary(p) as f:
        try:
            data = f.read()
        except OSError as e:
            raise unreadable(p, e) from None
    return decode_utf8(data, errors=errors, source=str(p))


STDIN = "<stdin>"
"""The name standard input has in errors."""


def read_stdin(*, errors: Errors = "strict") -> str:
    """All of standard input as text (UTF-8), named ``<stdin>`` in errors.

    A read that fails (a closed or write-only descriptor) or a process with no
    standard input at all is an :class:`InvalidTextError`, like an unreadable file.
    """
    return decode_utf8(read_stdin_bytes(), errors=errors, source=STDIN)


def read_stdin_bytes() -> bytes:
    """All of standard input as bytes; see :func:`read_stdin` for the errors."""
    stdin = stdin_binary()
    try:
        return stdin.read()
    except (OSError, ValueError) as e:  # ValueError: closed
        raise unreadable(Path(STDIN), e) from None


def stdin_binary() -> BinaryIO:
    """Standard input as a binary file, to be read in pieces (``compare_file`` streams it).

    :class:`~tokencmp.errors.InvalidTextError` when there is no standard input at all (a
    process started with it closed, where ``sys.stdin`` is ``None``).
    """
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        raise unreadable(Path(STDIN), ValueError("there is no standard input"))
    return buffer  # type: ignore[no-any-return]


def open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    """``open(path, "rb")``, raising :class:`InvalidTextError` for directories and unreadable paths.

    >>> open_binary("/")
    Traceback (most recent call last):
        ...
    tokencmp.errors.InvalidTextError: / is a directory, not a file.
    """
    try:
        return Path(path).open("rb")
    except (OSError, ValueError) as e:  # ValueError: a NUL in the path, or one the OS cannot encode
        raise unreadable(Path(path), e) from None


def unreadable(path: str | os.PathLike[str], e: OSError | ValueError) -> InvalidTextError:
    """The error for a path that cannot be opened or read (``e``: what the OS or Python raised)."""
    path = Path(path)
    if isinstance(e, ValueError):
        return InvalidTextError(f"Cannot open {str(path)!r}: {e}.", source=str(path))
    if isinstance(e, IsADirectoryError):
        return InvalidTextError(f"{path} is a directory, not a file.", source=str(path))
    return InvalidTextError(f"Cannot read {path}: {e.strerror or e}.", source=str(path))
