"""Streaming speed of an OpenAI-compatible endpoint: time to first token, tokens per second.

Layers usable on their own, one module each:

- :mod:`.results`: what one stream gives (:class:`SpeedResult`, :class:`StreamUsage`).
- :mod:`.measure`: those figures from chunks and their arrival times
  (:func:`measure`, :func:`measure_stream`, :class:`SpeedMeter`). Pure computation.
- :mod:`.summary`: minimum / maximum / average over trials (:func:`summarize`,
  :class:`SpeedSummary`, :class:`StatRange`).
- :mod:`.sse`: the event-stream decoding that OpenAI-compatible servers use.
- :mod:`.endpoint`: where and how to send requests (:class:`Endpoint`).
- :mod:`.client`: timed requests over HTTP (:class:`SpeedClient`,
  :func:`speed_test`); needs the ``tokencmp[speed]`` extra (httpx), imported
  only when a client is made.

    >>> from tokencmp.speed import measure
    >>> measure([(0.25, "hello"), (0.5, " world")], model="gpt-4o").latency
    0.25
"""

from __future__ import annotations

from .client import SpeedClient, speed_test
from .endpoint import DEFAULT_BASE_URL, Endpoint
from .measure import SpeedMeter, measure, measure_stream
from .results import SpeedResult, StreamUsage
from .sse import DONE, ServerEvent, SSEDecoder, chunk_from_event, sse_chunks
from .summary import SUMMARY_STATS, SpeedSummary, StatRange, summarize

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
