"""Server-sent events, as OpenAI-compatible servers stream Chat Completions.

A streamed completion is a sequence of ``data: {json}`` events ended by
``data: [DONE]``. :class:`SSEDecoder` turns raw bytes, in whatever pieces
the network delivers them, into events; :func:`chunk_from_event` turns one
event into a chunk dict (or :data:`DONE`); :func:`sse_chunks` does both for
lines already split, with their arrival times.

    >>> decoder = SSEDecoder()
    >>> decoder.feed(b'data: {"choices": []}\\n\\n: ping\\n\\ndata: [DO')
    [ServerEvent(event='message', data='{"choices": []}')]
    >>> decoder.feed(b'NE]\\n\\n')
    [ServerEvent(event='message', data='[DONE]')]

Decoding follows the WHATWG event-stream rules: lines end in LF, CRLF or CR;
lines starting with ``:`` are comments (keep-alive pings); ``data`` lines of
one event are joined with newlines; a blank line ends the event. Bytes may
be split anywhere, even inside a UTF-8 character.

Why hand-written, not httpx-sse (checked with httpx-sse 0.4.3 on the streams of
tests/test_speed.py, 2026-12-01): its ``EventSource.iter_sse()`` decodes those
streams to the same events wherever the bytes are split, and is faster
(2,000 events: 2.5 ms against 4.2 ms here, far below any network's pace), but

* it imports httpx, so :func:`sse_chunks` and :class:`SSEDecoder` would need
  the ``speed`` extra to read a captured stream; here they need nothing;
* it raises its own ``SSEError`` for a stream with no Content-Type (which the
  client accepts) and for ``application/json`` (where the client reads the
  server's error message, within its 64 KiB ``_ERROR_BODY_LIMIT``);
* it drops a last event whose blank line never came (``data: [DONE]`` at the
  end of a body), does not strip a leading byte-order mark (the first event is
  lost), and dispatches an ``event:`` line with no data as an empty event;
* it neither reads error events nor guards JSON: ``ServerSentEvent.json()`` on
  data nested 100,000 deep raises RecursionError, and ``event: error`` or an
  ``{"error": ...}`` chunk mid-stream is one more event. :func:`chunk_from_event`
  does both, and would be needed on top of it anyway.

Neither caps an event's size: events are handed on as soon as they end, so
memory holds one partial line and event, but a server that streams one endless
line grows it until the run ends. The client's one byte limit is on error bodies.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final, NamedTuple

from ..errors import SpeedTestError

# Only these end a line: str.splitlines would also split on U+2028 and friends,
# which JSON allows raw inside strings.
_LINE_END = re.compile(r"\r\n|\r|\n")


class ServerEvent(NamedTuple):
    """One dispatched event: its type (``message`` unless an ``event:`` line said) and data."""

    event: str
    data: str


class _Done:
    def __repr__(self) -> str:
        return "DONE"


DONE: Final = _Done()
"""What :func:`chunk_from_event` returns for ``data: [DONE]``, the end of the stream."""


class SSEDecoder:
    """Incremental event-stream decoder: feed bytes as they arrive, get complete events.

    Keeps at most one partial line and one partial event between calls.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # text after the last line break
        self._data: list[str] = []
        self._event = ""
        self._started = False

    def feed(self, data: bytes) -> list[ServerEvent]:
        """The events completed by ``data`` (possibly none)."""
        return self._feed_text(self._utf8.decode(data))

    def close(self) -> list[ServerEvent]:
        """End of stream: the events still held back.

        A last event whose blank line never came is kept only when its data is
        whole (``[DONE]`` or valid JSON): a stream cut in the middle of a line
        must not yield half a chunk, but a server that omits the final blank
        line loses nothing.
        """
        events = self._feed_text(self._utf8.decode(b"", final=True))
        if self._pending:
            events += self.feed_line(self._pending.removesuffix("\r"))
            self._pending = ""
        if self._data:
            data = "\n".join(self._data)
            if data.strip() == "[DONE]" or _is_json(data):
                events.append(ServerEvent(self._event or "message", data))
        self._data, self._event = [], ""
        return events

    def _feed_text(self, text: str) -> list[ServerEvent]:
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        buffer = self._pending + text
        events: list[ServerEvent] = []
        pos = 0
        for end in _LINE_END.finditer(buffer):
            if end.group() == "\r" and end.end() == len(buffer):
                break  # maybe the first half of a CRLF: wait for the next piece
            events += self.feed_line(buffer[pos : end.start()])
            pos = end.end()
        self._pending = buffer[pos:]
        return events

    def feed_line(self, line: str) -> list[ServerEvent]:
        """Interpret one line (without its line break); a blank line dispatches the event."""
        if not line:
            if not self._data:
                self._event = ""
                return []
            event = ServerEvent(self._event or "message", "\n".join(self._data))
            self._data, self._event = [], ""
            return [event]
        if line.startswith(":"):
            return []
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        return []  # id, retry and unknown fields do not matter here


def chunk_from_event(event: ServerEvent) -> dict[str, Any] | _Done:
    """The JSON chunk an event carries, or :data:`DONE`.

    Raises :class:`SpeedTestError` for an ``event: error``, an ``{"error": ...}``
    payload, or data that is not a JSON object.

    >>> chunk_from_event(ServerEvent("message", '{"choices": []}'))
    {'choices': []}
    >>> chunk_from_event(ServerEvent("message", '{"error": {"message": "overloaded"}}'))
    Traceback (most recent call last):
    ...
    tokencmp.errors.SpeedTestError: the server sent an error in the stream: overloaded
    """
    data = event.data.strip()
    if data == "[DONE]":
        return DONE
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        payload = None
    message = api_error_message(payload)
    if event.event == "error" or message is not None:
        raise SpeedTestError(f"the server sent an error in the stream: {message or _excerpt(data)}")
    if not isinstance(payload, dict):
        raise SpeedTestError(
            f"the server sent an event that is not a JSON object: {_excerpt(data)!r}; "
            "is this an OpenAI-compatible Chat Completions endpoint?"
        )
    return payload


def sse_chunks(lines: Iterable[tuple[float, str | bytes]]) -> Iterator[tuple[float, dict[str, Any]]]:
    """``(time, chunk)`` pairs from ``(time, line)`` pairs of a captured event stream.

    Each ``data:`` line is taken as one whole event, as every OpenAI-compatible
    server sends it, so lists of ``data:`` lines without the blank lines between
    them work too. Comments are skipped; iteration stops at ``data: [DONE]``.

    >>> lines = [(0.4, 'data: {"choices": [{"delta": {"content": "Hi"}}]}'), (0.5, ": ping"),
    ...          (0.6, "data: [DONE]")]
    >>> list(sse_chunks(lines))
    [(0.4, {'choices': [{'delta': {'content': 'Hi'}}]})]
    """
    decoder = SSEDecoder()
    for at, raw in lines:
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        line = line.rstrip("\r\n")
        events = decoder.feed_line(line)
        if line.startswith("data"):
            events += decoder.feed_line("")
        for event in events:
            chunk = chunk_from_event(event)
            if chunk is DONE:
                return
            assert isinstance(chunk, dict)
            yield at, chunk


def api_error_message(payload: Any) -> str | None:
    """The message of an API error body, in any of the shapes servers use; None if not an error.

    OpenAI and vLLM send ``{"error": {"message": ...}}``; some servers send
    ``{"error": "text"}``, ``{"detail": ...}`` (FastAPI) or ``{"message": ...}``.

    >>> api_error_message({"error": {"message": "bad key", "code": "invalid_api_key"}})
    'bad key (invalid_api_key)'
    >>> api_error_message({"choices": []}) is None
    True
    """
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, dict):
        message = str(error.get("message") or error.get("type") or error)
        code = error.get("code")
        return f"{message} ({code})" if isinstance(code, str) and code not in message else message
    if isinstance(error, str) and error:
        return error
    if "choices" in payload:
        return None
    for key in ("detail", "message"):
        if isinstance(payload.get(key), str) and payload[key]:
            return str(payload[key])
    return None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
