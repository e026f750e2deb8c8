"""Large text files read in pieces that count exactly as the whole file would.

:func:`read_pieces` reads a file in blocks of bytes and yields strings whose
concatenation is exactly the file's text (decoded as UTF-8, then normalised
when asked), each ending where :mod:`tokencmp.text.segment` proves a cut cannot
change the token count::

    >>> import io
    >>> list(read_pieces(io.BytesIO("Cafe\\u0301 au lait".encode()), normalize="NFC", block_size=4))
    ['Café au', ' lait']

Three stages, each holding back only a short tail:

1. **Decoding.** An incremental UTF-8 decoder keeps the bytes of a character
   split across two blocks until the rest arrives. Invalid UTF-8 raises
   :class:`~tokencmp.errors.InvalidTextError` with the byte offset in the
   whole file, as :func:`tokencmp.text.read.read_text` does.
2. **Normalisation** (``"NFC"`` or ``"NFKC"``; ``"none"`` skips it). The text
   is normalised piece by piece, each piece ending just before an ASCII
   character, because for both forms ``normalize(a + b) == normalize(a) +
   normalize(b)`` whenever ``b`` starts with an ASCII character:

   * decomposition works character by character, and an ASCII character
     decomposes to itself (under NFKD too);
   * canonical ordering only reorders runs of combining characters
     (canonical combining class > 0), and an ASCII character has class 0,
     so nothing moves across it;
   * composition joins a character to the last starter before it. After the
     ASCII character, that starter is the ASCII character or a later one, so
     nothing in ``b`` joins anything in ``a``; and the ASCII character itself
     never joins the starter before it, because no canonical decomposition
     has an ASCII second character (``tests/test_stream.py`` checks this over
     all of Unicode).

   Is it enough to normalise pieces that end at a *token* cut (a space
   followed by a letter)? The space is ASCII, so the normalisation is the
   same; but normalisation can change the characters a token cut was chosen
   on (NFKC turns the letter U+037A into a space and a combining mark). So
   the token cuts are chosen afterwards, on the normalised text.
3. **Token-safe cuts** by :class:`tokencmp.text.segment.SafeChunker`.

Memory stays bounded by the block size plus the longest stretch without a
cut: text with no ASCII character (for normalisation) or no safe cut (for
counting) is held until one arrives. Ordinary prose, code and data have
both every few characters; Chinese or Japanese prose has token cuts at its
punctuation, but with normalisation on, a multi-megabyte line of it with no
ASCII character at all is held whole.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from ..errors import TokencmpError
from . import segment
from .count import at_least_one
from .read import Errors, check_errors, invalid_utf8, open_binary, unreadable
from .segment import CHUNK

Normalization = Literal["none", "NFC", "NFKC"]
NORMALIZATIONS: tuple[Normalization, ...] = ("none", "NFC", "NFKC")

BLOCK_SIZE = 2 * CHUNK
"""Bytes read at a time; a piece is then at most about ``2 * CHUNK`` characters,
which :func:`tokencmp.text.count_with` counts in one call."""

Progress = Callable[[int, int | None], None]
"""Called after each block with (bytes read so far, total bytes or None if unknown)."""


def normalization_form(value: str | None) -> Normalization:
    """``"none"``, ``"NFC"`` or ``"NFKC"`` from any spelling (``None`` means ``"none"``).

    >>> normalization_form("nfc")
    'NFC'
    """
    if value is None:
        return "none"
    for form in NORMALIZATIONS:
        if isinstance(value, str) and value.strip().lower() == form.lower():
            return form
    raise TokencmpError(
        f"Unknown normalisation {value!r}: use 'none' (count the text as it is), 'NFC' "
        "(compose accents and marks, what most text already is) or 'NFKC' (also fold "
        "compatibility characters such as full-width letters and ligatures)."
    )


def normalize(text: str, form: Normalization) -> str:
    """``text`` in Unicode normalisation ``form`` (unchanged for ``"none"``)."""
    return text if form == "none" else unicodedata.normalize(form, text)


_ASCII = re.compile("[\x00-\x7f]")


class Normalizer:
    """Normalise a text that arrives in pieces, holding back from the last ASCII character on.

    >>> n = Normalizer("NFC")
    >>> n.feed("Cafe"), n.feed("\\u0301 noir"), n.close()
    ('Caf', 'é noi', 'r')
    """

    def __init__(self, form: Normalization) -> None:
        self.form = form
        self._held: list[str] = []

    def feed(self, text: str) -> str:
        """Add ``text``; return the normalised text before its last ASCII character."""
        match = _ASCII.search(text[::-1])  # the last ASCII character, found in linear time
        if match is None:
            self._held.append(text)
            return ""
        cut = len(text) - 1 - match.start()
        head = "".join(self._held) + text[:cut]
        self._held = [text[cut:]]
        return normalize(head, self.form)

    def close(self) -> str:
        """The held-back text, normalised; the normaliser is empty afterwards."""
        rest = "".join(self._held)
        self._held = []
        return normalize(rest, self.form)


def read_pieces(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    normalize: Normalization = "none",
    errors: Errors = "strict",
    block_size: int = BLOCK_SIZE,
    progress: Progress | None = None,
) -> Iterator[str]:
    """The text of a file (a path or a binary file object) in pieces that count exactly apart.

    Joined, the pieces equal ``normalize(read_text(path))``; each may be
    counted on its own with :func:`tokencmp.text.count_with`, and the counts
    add up to the whole text's.
    """
    at_least_one(block_size, "block_size")
    check_errors(errors)
    if isinstance(source, (str, os.PathLike)):
        with open_binary(source) as f:
            yield from _pieces(f, os.fspath(source), normalize, errors, block_size, progress)
    else:
        name = getattr(source, "name", None)
        yield from _pieces(source, name if isinstance(name, str) else None, normalize, errors,
                           block_size, progress)


def _pieces(
    f: BinaryIO,
    name: str | None,
    form: Normalization,
    errors: Errors,
    block_size: int,
    progress: Progress | None,
) -> Iterator[str]:
    total = _size(f)
    decoder = codecs.getincrementaldecoder("utf-8")(errors)
    normalizer = Normalizer(form) if form != "none" else None
    chunker = segment.SafeChunker()
    done = 0
    while True:
        try:
            data = f.read(block_size)
        except OSError as e:  # an I/O error mid-file (a failing disk, a special file)
            raise unreadable(Path(name or "<input>"), e) from None
        final = not data
        text = _decode(decoder, data, final, done, name)
        if normalizer is not None:
            text = normalizer.feed(text) + (normalizer.close() if final else "")
        piece = chunker.feed(text)
        if piece:
            yield piece
        if final:
            break
        done += len(data)
        if progress is not None:
            progress(done, total)
    rest = chunker.close()
    if rest:
        yield rest


def _decode(decoder: codecs.IncrementalDecoder, data: bytes, final: bool, done: int, name: str | None) -> str:
    pending = len(decoder.getstate()[0])  # bytes of a character begun in the last block
    try:
        return decoder.decode(data, final)
    except UnicodeDecodeError as e:
        raise invalid_utf8(done - pending + e.start, e.reason, name) from None


def _size(f: BinaryIO) -> int | None:
    try:
        return os.fstat(f.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return None
