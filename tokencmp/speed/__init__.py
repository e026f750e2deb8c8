"""Streaming speed of an OpenAI-compatible endpoint: time to first token, tokens per second.

Three layers, usable on their own:

- :mod:`.measure`: figures from chunks and their arrival times
  (:func:`measure`, :func:`measure_stream`, :class:`SpeedMeter`), and their
  minimum / maximum / average over trials (:func:`summarize`). Pure computation.
- :mod:`.sse`: the event-stream decoding that OpenAI-compatible servers use.
- :mod:`.client`: timed requests over HTTP (:class:`SpeedClient`,
  :func:`speed_test`); needs the ``tokencmp[speed]`` extra (httpx), imported
  only when a client is made.

    >>> from tokencmp.speed import measure
    >>> measure([(0.25, "hello"), (0.5, " world")], model="gpt-4o").latency
    0.25
"""

from __future__ import annotations

from .client import DEFAULT_BASE_URL, Endpoint, SpeedClient, speed_test
from .measure import (
    SUMMARY_STATS,
    SpeedMeter,
    SpeedResult,
    SpeedSummary,
    StatRange,
    StreamUsage,
    measure,
    measure_stream,
    summarize,
)
from .sse import DONE, ServerEvent, SSEDecoder, chunk_from_event, sse_chunks

__all__ = [
    "DEFAULT_BASE_URL",
    "DONE",
    "SUMMARY_STATS",
    "Endpoint",
    "SSEDecoder",
    "ServerEvent",
    "SpeedClient",
    "SpeedMeter",
    "SpeedResult",
    "SpeedSummary",
    "StatRange",
    "StreamUsage",
    "chunk_from_event",
    "measure",
    "measure_stream",
    "speed_test",
    "sse_chunks",
    "summarize",
]
