"""Seeing the tokens: each token's id and the text (or bytes) it covers, and where encodings cut.

    >>> [(t.id, t.text) for t in token_pieces("hello world", encoding="cl100k_base")]
    [(15339, 'hello'), (1917, ' world')]

(tiktoken's README: ``"hello world"`` is ``[15339, 1917]`` in cl100k_base.)

A token that is not a whole number of characters (a multi-byte character
split across tokens) has ``text=None`` and is shown by :func:`label` as its
bytes, ``<e6 97>``, never as a replacement character that would hide the
split. Offsets are in characters of the input: a token covers the characters
whose first byte it holds (``start``) up to the character holding the first
byte of the next token (``end``), so a split character belongs to the token
where it begins and the tokens' ``[start, end)`` ranges tile the text.

Special-token strings are text (``encode_ordinary``); lone surrogates are read
as U+FFFD, as tiktoken reads them; a file's invalid UTF-8 follows
:mod:`tokencmp.text.read` (refused with its offset, or U+FFFD with
``errors="replace"``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

import tiktoken

from ..errors import TokencmpError
from ..result import Result
from . import segment
from .count import choose_encoding
from .cut import encode


@dataclasses.dataclass(frozen=True, kw_only=True)
class TokenPiece(Result):
    """One token: its ``id``, its ``bytes`` (hex), the ``text`` it covers (``None`` when it is not
    whole characters) and its character offsets ``[start, end)`` in the input."""

    index: int
    id: int
    text: str | None
    bytes: str
    start: int
    end: int


def token_label(piece: TokenPiece) -> str:
    """How a token is shown: its text, or ``<hex bytes>`` when it is part of a character.

    >>> # U+2000B's 4 bytes are not one token of cl100k_base (its rank file has no such entry)
    >>> [token_label(t)[0] for t in token_pieces("\U0002000b", encoding="cl100k_base")][:2]
    ['<', '<']
    """
    if piece.text is not None:
        return piece.text
    return "<" + " ".join(piece.bytes[i : i + 2] for i in range(0, len(piece.bytes), 2)) + ">"


def token_pieces(
    text: str, *, model: str | None = None, encoding: str | tiktoken.Encoding | None = None
) -> tuple[TokenPiece, ...]:
    """Every token of ``text`` (ordinary text) with the piece of text it covers."""
    if not isinstance(text, str):
        raise TokencmpError(f"token_pieces takes a str, not {type(text).__name__}; decode bytes first.")
    enc = choose_encoding(model, encoding)
    return tuple(iter_token_pieces([text], enc))


def iter_token_pieces(blocks: Iterable[str], enc: tiktoken.Encoding) -> Iterator[TokenPiece]:
    """:func:`token_pieces` of a text given in safe pieces (:func:`tokencmp.text.stream.read_pieces`):
    the tokens of a text cut at safe cuts are the tokens of its pieces, one after the other."""
    index, offset = 0, 0
    for block in blocks:
        for piece in _block_pieces(block, enc, index, offset):
            yield piece
            index += 1
        offset += len(block)


def _block_pieces(block: str, enc: tiktoken.Encoding, index: int, offset: int) -> list[TokenPiece]:
    text = segment.tiktoken_text(block)
    data = text.encode("utf-8")
    starts = _Starts(text)
    out: list[TokenPiece] = []
    pos = 0
    for i, token in enumerate(encode(enc, block)):
        raw = enc.decode_single_token_bytes(token)
        end = pos + len(raw)
        whole = _is_boundary(data, pos) and _is_boundary(data, end)
        out.append(
            TokenPiece(
                index=index + i,
                id=token,
                text=raw.decode("utf-8") if whole else None,
                bytes=raw.hex(),
                start=offset + starts(pos),
                end=offset + starts(end),
            )
        )
        pos = end
    return out


def _is_boundary(data: bytes, pos: int) -> bool:
    return pos >= len(data) or (data[pos] & 0xC0) != 0x80


class _Starts:
    """How many characters of ``text`` begin before a byte offset of its UTF-8 (no surrogates)."""

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        if not self.ascii:
            self.index: list[int] = []  # byte offset -> characters begun before it
            for i, c in enumerate(text):
                self.index.extend([i] + [i + 1] * (len(c.encode("utf-8")) - 1))
            self.index.append(len(text))

    def __call__(self, pos: int) -> int:
        return pos if self.ascii else self.index[pos]


def decode_tokens(
    ids: Sequence[int], *, model: str | None = None, encoding: str | tiktoken.Encoding | None = None
) -> str:
    """The text of token ``ids``: UTF-8 decoded, bytes that are not whole characters as U+FFFD
    (use :func:`decode_pieces` to see them). An id the encoding does not have is an error.

    >>> decode_tokens([15339, 1917], encoding="cl100k_base")   # tiktoken's README
    'hello world'
    """
    enc = choose_encoding(model, encoding)
    return b"".join(_token_bytes(enc, t) for t in ids).decode("utf-8", "replace")


def decode_pieces(
    ids: Sequence[int], *, model: str | None = None, encoding: str | tiktoken.Encoding | None = None
) -> tuple[TokenPiece, ...]:
    """Each of ``ids`` with the text it stands for (``None`` and its bytes when not whole characters)."""
    enc = choose_encoding(model, encoding)
    raws = [_token_bytes(enc, t) for t in ids]
    data = b"".join(raws)
    text = data.decode("utf-8", "replace")
    starts = _Starts(text) if data.decode("utf-8", "ignore") == text else None
    out, pos = [], 0
    for i, (token, raw) in enumerate(zip(ids, raws, strict=True)):
        end = pos + len(raw)
        whole = _is_boundary(data, pos) and _is_boundary(data, end)
        try:
            piece_text = raw.decode("utf-8") if whole else None
        except UnicodeDecodeError:
            piece_text = None
        out.append(
            TokenPiece(
                index=i,
                id=token,
                text=piece_text,
                bytes=raw.hex(),
                start=starts(pos) if starts else pos,
                end=starts(end) if starts else end,
            )
        )
        pos = end
    return tuple(out)


def _token_bytes(enc: tiktoken.Encoding, token: int) -> bytes:
    if type(token) is not int or token < 0:
        raise TokencmpError(f"Token ids are whole numbers of 0 or more, not {token!r}.")
    try:
        return enc.decode_single_token_bytes(token)
    except (KeyError, OverflowError, ValueError):  # not in the vocabulary, or past 32 bits
        raise TokencmpError(
            f"Token id {token} is not in {enc.name} (ids run from 0 to {enc.n_vocab - 1}, with gaps)."
        ) from None


def boundaries(text: str, enc: tiktoken.Encoding) -> frozenset[int]:
    """Character offsets where a token of ``text`` starts (0 and every cut; not ``len(text)``).

    >>> sorted(boundaries("hello world", choose_encoding(encoding="cl100k_base")))
    [0, 5]
    """
    return frozenset(p.start for p in iter_token_pieces([text], enc) if p.start < len(text))
