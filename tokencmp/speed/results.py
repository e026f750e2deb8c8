"""What one timed stream gives: :class:`SpeedResult`, and the API's own count, :class:`StreamUsage`.

    >>> from tokencmp.speed import measure
    >>> result = measure([(0.25, "hello"), (0.5, " world")], model="gpt-4o")
    >>> {k: result.to_dict()[k] for k in ("latency", "total_time", "response_tokens", "usage")}
    {'latency': 0.25, 'total_time': 0.5, 'response_tokens': 2, 'usage': None}

Both are frozen dataclasses deriving from :class:`tokencmp.result.Result`
(docs/speed.md says what each figure means).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..result import Result


@dataclass(frozen=True, kw_only=True)
class StreamUsage(Result):
    """The ``usage`` object an OpenAI-compatible stream may end with.

    ``reasoning_tokens`` is ``completion_tokens_details.reasoning_tokens``,
    ``cached_tokens`` is ``prompt_tokens_details.cached_tokens``.

    >>> usage = StreamUsage.from_api({"prompt_tokens": 9, "completion_tokens": 2,
    ...                               "completion_tokens_details": {"reasoning_tokens": 0}})
    >>> usage.completion_tokens, usage.reasoning_tokens, usage.total_tokens
    (2, 0, None)
    """

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    reasoning_tokens: int | None = None
    cached_tokens: int | None = None

    @classmethod
    def from_api(cls, usage: Mapping[str, Any]) -> StreamUsage:
        """Read the API's usage dict, keeping the fields that matter here."""

        def number(value: Any) -> int | None:
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        completion = usage.get("completion_tokens_details") or {}
        prompt = usage.get("prompt_tokens_details") or {}
        return cls(
            prompt_tokens=number(usage.get("prompt_tokens")),
            completion_tokens=number(usage.get("completion_tokens")),
            total_tokens=number(usage.get("total_tokens")),
            reasoning_tokens=number(completion.get("reasoning_tokens")) if isinstance(completion, Mapping)
            else None,
            cached_tokens=number(prompt.get("cached_tokens")) if isinstance(prompt, Mapping) else None,
        )


@dataclass(frozen=True, kw_only=True)
class SpeedResult(Result):
    """The speed of one streamed response. Times in seconds, rates in tokens per second.

    - ``model``: the model asked for; ``response_model``: the one the chunks
      name (e.g. a dated snapshot).
    - ``encoding``: the encoding ``response_tokens`` were counted with.
    - ``latency``: seconds to the first content chunk (``None`` if none came);
      ``total_time``: seconds to the end of the stream.
    - ``stream_rate``: tokens per second after the first content chunk
      (``None`` with fewer than two); ``total_rate``: ``response_tokens / total_time``.
    - ``response_tokens``: the content's tokens, counted locally;
      ``reasoning_tokens``: streamed reasoning text, counted locally.
    - ``chunks``: chunks that carried content; ``finish_reason`` as the stream said.
    - ``usage``: the API's own count, when the stream had one;
      ``usage_difference``: ``response_tokens - usage.completion_tokens``.
    - ``text``: the streamed content (left out of the repr, kept in :meth:`to_dict`).
    """

    model: str | None
    response_model: str | None = None
    encoding: str
    latency: float | None
    total_time: float
    stream_rate: float | None
    total_rate: float | None
    response_tokens: int
    reasoning_tokens: int = 0
    chunks: int
    finish_reason: str | None = None
    usage: StreamUsage | None = None
    usage_difference: int | None = None
    text: str = field(default="", repr=False)
