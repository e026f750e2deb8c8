"""Speed figures from a stream of chunks and their arrival times.

    >>> from tokencmp.speed import measure
    >>> result = measure([(0.5, "hello"), (0.6, " world"), (0.7, " world")], model="gpt-4o")
    >>> result.latency, result.total_time, result.response_tokens, result.chunks
    (0.5, 0.7, 3, 3)
    >>> round(result.stream_rate, 3), round(result.total_rate, 3)
    (10.0, 4.286)

What each figure means (times in seconds from ``start``, the moment the
request was sent):

- ``latency``: until the first chunk with content (time to first token).
- ``total_time``: until the end of the stream (``[DONE]``, or the last chunk).
- ``response_tokens``: the streamed content, re-joined and counted with the
  model's encoding (or the ``encoding`` given).
- ``stream_rate``: tokens per second after the first chunk: the tokens that
  arrived after the first content chunk, over the time between the first and
  the last content chunk. This is what the server sustains while generating.
- ``total_rate``: ``response_tokens / total_time``, latency included.
- ``chunks``: chunks that carried content. Servers send one or several
  tokens per chunk, so this differs from the token count.
- ``usage``: the API's own count, when the stream carries one (OpenAI with
  ``stream_options={"include_usage": True}``), and ``usage_difference`` =
  ``response_tokens - usage.completion_tokens``. The API counts hidden
  reasoning and formatting tokens too, so the difference is often negative.

In the example the first chunk ("hello", 1 token) arrives at 0.5 s, two more
tokens by 0.7 s: stream rate 2 / 0.2 = 10 tokens/s, total rate 3 / 0.7.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import tiktoken

from ..encodings import get_encoding
from ..errors import SpeedTestError, TokencmpError
from ..text import count_with, encoding_for_model
from .results import SpeedResult, StreamUsage
from .sse import api_error_message

__all__ = ["Chunk", "SpeedMeter", "SpeedResult", "StreamUsage", "measure", "measure_stream"]

Chunk = Any
"""A text delta (str), a parsed chunk (Mapping), or an SDK chunk object (``model_dump()`` or attributes)."""


class SpeedMeter:
    """Collects chunks as they arrive; :meth:`result` computes the figures.

    Use it when you read the stream yourself::

        meter = SpeedMeter(model="gpt-4o", start=time.perf_counter())
        for chunk in stream:
            meter.add(chunk, at=time.perf_counter())
        result = meter.result()

    Pass ``encoding`` to count with a named encoding (a self-hosted model that
    tokencmp does not know); ``model`` then only labels the result.
    """

    def __init__(self, *, model: str | None = None, encoding: str | None = None, start: float = 0.0):
        if model is None and encoding is None:
            raise TokencmpError("Pass model= (whose encoding counts the response) or encoding=.")
        self._encoding: tiktoken.Encoding = (
            get_encoding(encoding) if encoding is not None else encoding_for_model(str(model))
        )
        self.model = model
        self.start = start
        self._content: list[str] = []
        self._reasoning: list[str] = []
        self._first_at: float | None = None
        self._last_at: float | None = None
        self._end: float | None = None
        self._usage: StreamUsage | None = None
        self._response_model: str | None = None
        self._finish_reason: str | None = None

    @property
    def chunks(self) -> int:
        """Content chunks so far."""
        return len(self._content)

    def add(self, chunk: Chunk, *, at: float) -> None:
        """Record one chunk that arrived at time ``at`` (same clock as ``start``)."""
        self._end = at
        if isinstance(chunk, str):
            self._add_content(chunk, at)
            return
        data = _as_dict(chunk)
        message = api_error_message(data)
        if message is not None:
            raise SpeedTestError(
                f"the server sent an error in the stream after {self.chunks} content chunks: {message}"
            )
        if isinstance(data.get("model"), str):
            self._response_model = data["model"]
        usage = data.get("usage")
        if isinstance(usage, Mapping):
            self._usage = StreamUsage.from_api(usage)  # the last one wins (vLLM may send one per chunk)
        choices = data.get("choices")
        for choice in choices if isinstance(choices, list) else ():  # anything else has no content
            if not isinstance(choice, Mapping) or choice.get("index", 0) != 0:
                continue  # only the first choice is measured
            delta = choice.get("delta") or {}
            if isinstance(delta, Mapping):
                reasoning = delta.get("reasoning_content") or delta.get("reasoning")
                if isinstance(reasoning, str):
                    self._reasoning.append(reasoning)
                content = delta.get("content")
                if isinstance(content, str):
                    self._add_content(content, at)
            if choice.get("finish_reason"):
                self._finish_reason = str(choice["finish_reason"])

    def _add_content(self, text: str, at: float) -> None:
        if not text:
            return  # the role-only first chunk and empty deltas are not content
        if self._first_at is None:
            self._first_at = at
        self._last_at = at
        self._content.append(text)

    def result(self, *, end: float | None = None) -> SpeedResult:
        """The figures; ``end`` is when the stream ended (default: the last chunk's time)."""
        end = end if end is not None else (self._end if self._end is not None else self.start)
        text = "".join(self._content)
        tokens = count_with(self._encoding, text)
        total = end - self.start
        latency = stream_rate = None
        if self._first_at is not None and self._last_at is not None:
            latency = self._first_at - self.start
            streamed = self._last_at - self._first_at
            if len(self._content) > 1 and streamed > 0:
                after_first = max(tokens - count_with(self._encoding, self._content[0]), 0)
                stream_rate = after_first / streamed
        completion = self._usage.completion_tokens if self._usage else None
        return SpeedResult(
            model=self.model,
            response_model=self._response_model,
            encoding=self._encoding.name,
            latency=latency,
            total_time=total,
            stream_rate=stream_rate,
            total_rate=tokens / total if total > 0 else None,
            response_tokens=tokens,
            reasoning_tokens=count_with(self._encoding, "".join(self._reasoning)),
            chunks=len(self._content),
            finish_reason=self._finish_reason,
            usage=self._usage,
            usage_difference=tokens - completion if completion is not None else None,
            text=text,
        )


def measure(
    timed_chunks: Iterable[tuple[float, Chunk]],
    *,
    model: str | None = None,
    encoding: str | None = None,
    start: float = 0.0,
) -> SpeedResult:
    """The figures for ``(arrival time, chunk)`` pairs; times on the same clock as ``start``.

    A chunk is a text delta (str), a parsed chunk dict, or an SDK chunk
    object. For captured ``data:`` lines use :func:`tokencmp.speed.sse_chunks`::

        measure(sse_chunks(timed_lines), model="gpt-4o")
    """
    meter = SpeedMeter(model=model, encoding=encoding, start=start)
    for at, chunk in timed_chunks:
        meter.add(chunk, at=at)
    return meter.result()


def measure_stream(
    stream: Iterable[Chunk],
    *,
    model: str | None = None,
    encoding: str | None = None,
    start: float | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SpeedResult:
    """Read a live stream (an OpenAI SDK stream, or any iterable of chunks), timing each chunk.

    ``start`` is the ``clock()`` reading taken just before the request was
    sent; without it, timing starts now and the latency misses the wait for
    the response headers::

        start = time.perf_counter()
        stream = client.chat.completions.create(model="gpt-4o", messages=messages, stream=True,
                                                stream_options={"include_usage": True})
        result = measure_stream(stream, model="gpt-4o", start=start)
    """
    meter = SpeedMeter(model=model, encoding=encoding, start=clock() if start is None else start)
    for chunk in stream:
        meter.add(chunk, at=clock())
    return meter.result(end=clock())


def _as_dict(chunk: Any) -> Mapping[str, Any]:
    if isinstance(chunk, Mapping):
        return chunk
    dump = getattr(chunk, "model_dump", None)
    if callable(dump):
        data = dump()
        if isinstance(data, Mapping):
            return data
    if hasattr(chunk, "choices"):  # an object with attributes, read the way the SDK is used
        return {
            "model": getattr(chunk, "model", None),
            "usage": _usage_dict(getattr(chunk, "usage", None)),
            "choices": [
                {
                    "index": getattr(c, "index", 0),
                    "finish_reason": getattr(c, "finish_reason", None),
                    "delta": {
                        "content": getattr(getattr(c, "delta", None), "content", None),
                        "reasoning_content": getattr(getattr(c, "delta", None), "reasoning_content", None),
                    },
                }
                for c in getattr(chunk, "choices", None) or ()
            ],
        }
    raise SpeedTestError(
        f"cannot read a chunk of type {type(chunk).__name__}: pass text deltas (str), chunk dicts, "
        "or OpenAI SDK chunk objects."
    )


def _usage_dict(usage: Any) -> dict[str, Any] | None:
    if usage is None:
        return None
    names = ("prompt_tokens", "completion_tokens", "total_tokens")
    out: dict[str, Any] = {name: getattr(usage, name, None) for name in names}
    details = getattr(usage, "completion_tokens_details", None)
    out["completion_tokens_details"] = {"reasoning_tokens": getattr(details, "reasoning_tokens", None)}
    prompt = getattr(usage, "prompt_tokens_details", None)
    out["prompt_tokens_details"] = {"cached_tokens": getattr(prompt, "cached_tokens", None)}
    return out
