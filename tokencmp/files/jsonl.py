"""JSON Lines read in bounded memory: every line parsed, or one per-line error with its line number.

    >>> import io
    >>> chunks = list(read_chunks(io.BytesIO(b'{"a": 1}\\n\\n[2]\\n{"b"')))
    >>> [parse_line(raw, n, c.last_unterminated and n == c.end) for c in chunks
    ...  for n, raw in c.numbered()]   # doctest: +NORMALIZE_WHITESPACE
    [({'a': 1}, None), (None, ('blank', 'blank line')),
     (None, ('not_object', 'valid JSON, but an array, not an object')),
     (None, ('truncated', 'the last line has no newline and is not complete JSON: the file looks cut short'))]

The rules, each written once here (docs/files.md lists them):

* a line ends at ``\\n``; a ``\\r`` before it (CRLF) is accepted and reported as
  a warning, since JSON allows the whitespace but the line was not written as
  JSON Lines says (``\\n`` only);
* a line of nothing but whitespace is an error (a request file has no blank
  requests), as is a UTF-8 byte-order mark at the start of the file;
* each line must be UTF-8 (an error names the byte offset within the line),
  one JSON value (nesting deeper than Python's parser takes is an error, not a
  crash) and an object;
* a line longer than ``max_line_bytes`` is an error without being held in
  memory: its bytes are skipped up to the next newline;
* the last line may lack its newline; if it is then not complete JSON, the file
  was cut short and the error says so.

Memory: the reader holds one block and the line being read, never the file, so
a file of any size is read in a few megabytes plus the lines of one chunk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

BLOCK = 1 << 20
"""Bytes read at a time."""
CHUNK_BYTES = 1 << 20
"""About how many bytes of lines make one chunk (the unit handed to a worker process)."""
MAX_LINE_BYTES = 64 << 20
"""The longest line held and parsed (64 MiB): tokencmp's bound on memory, not the API's limit."""

BOM = b"\xef\xbb\xbf"

_loads = json.JSONDecoder().decode  # json.loads without its per-call checks of the argument

Problem = tuple[str, str]
"""``(kind, message)`` of one line: ``kind`` is a short name the summary counts by."""

Progress = Callable[[int, int | None], None]


class Readable(Protocol):
    """What lines are read from: a binary file, or anything with its ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(slots=True)
class Chunk:
    """Consecutive lines of a file: ``lines[i]`` is line ``start + i`` (``None``: ``problems`` has why)."""

    start: int
    lines: list[bytes | None] = field(default_factory=list)
    problems: dict[int, Problem] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)
    last_unterminated: bool = False

    @property
    def end(self) -> int:
        """The number of the chunk's last line."""
        return self.start + len(self.lines) - 1

    def numbered(self) -> Iterator[tuple[int, bytes | None]]:
        return zip(range(self.start, self.start + len(self.lines)), self.lines, strict=True)


def read_chunks(
    stream: Readable,
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Progress | None = None,
    total: int | None = None,
) -> Iterator[Chunk]:
    """The lines of ``stream`` in chunks of about ``chunk_bytes``, in order, in bounded memory."""
    number = 1
    chunk = Chunk(start=1)
    held = 0
    pending = b""
    skipping = 0  # bytes of an over-long line skipped so far (0: not skipping)
    done = 0
    while True:
        block = stream.read(BLOCK)
        if not block:
            break
        done += len(block)
        if skipping:
            cut = block.find(b"\n")
            if cut < 0:
                skipping += len(block)
                continue
            skipping += cut + 1
            _too_long(chunk, number, skipping, max_line_bytes)
            number += 1
            skipping = 0
            block = block[cut + 1 :]
        data = pending + block if pending else block
        parts = data.split(b"\n")
        pending = parts.pop()
        for part in parts:
            if len(part) > max_line_bytes:
                _too_long(chunk, number, len(part) + 1, max_line_bytes)
            else:
                chunk.lines.append(part)
                chunk.sizes.append(len(part) + 1)
                held += len(part)
            number += 1
        if len(pending) > max_line_bytes:
            skipping = len(pending)
            pending = b""
        if held >= chunk_bytes:
            yield chunk
            chunk = Chunk(start=number)
            held = 0
        if progress is not None:
            progress(done, total)
    if skipping:
        _too_long(chunk, number, skipping, max_line_bytes)
        chunk.last_unterminated = True
    elif pending:
        chunk.lines.append(pending)
        chunk.sizes.append(len(pending))
        chunk.last_unterminated = True
    if chunk.lines:
        yield chunk


def _too_long(chunk: Chunk, number: int, size: int, limit: int) -> None:
    chunk.problems[number] = ("too_long", f"line of {size:,} bytes, over tokencmp's limit of {limit:,} "
                                          "bytes per line; it was skipped, not read")
    chunk.lines.append(None)
    chunk.sizes.append(size)


def parse_line(raw: bytes | None, number: int, unterminated: bool = False) -> tuple[Any, Problem | None]:
    """``(value, None)`` for a line that is one JSON object, else ``(None, (kind, message))``.

    ``raw`` is the line without its ``\\n`` (``None``: the reader already refused it);
    ``unterminated`` says it is the last line and had no newline.
    """
    if raw is None:
        return None, ("too_long", "line too long")
    if number == 1 and raw.startswith(BOM):
        return None, ("bom", "the file starts with a UTF-8 byte-order mark, which a JSON Lines "
                             "file must not have; save it as UTF-8 without BOM")
    try:
        value = _loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        return None, ("invalid_utf8", f"invalid UTF-8 at byte {e.start} of the line ({e.reason})")
    except RecursionError:
        return None, ("too_deep", "JSON nested too deeply to parse")
    except ValueError as e:
        if not raw.strip():
            return None, ("blank", "blank line")
        if unterminated:
            return None, ("truncated", "the last line has no newline and is not complete JSON: "
                                       "the file looks cut short")
        return None, ("json", f"not valid JSON: {e}")
    if not isinstance(value, dict):
        return None, ("not_object", f"valid JSON, but {_kind(value)}, not an object")
    return value, None


def crlf(raw: bytes | None) -> bool:
    """Whether the line ended in CRLF (reported as a warning: the line is still read)."""
    return raw is not None and raw.endswith(b"\r")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
