"""Counting whole chat requests: messages, content parts, tools, tool calls, Responses input.

    >>> from tokencmp.chat import count_messages
    >>> count_messages([{"role": "user", "content": "hello"}], model="gpt-4").total
    8

A request flows one way through these modules:

1. :mod:`.parse` (``parse_request``, the one way in) hands a Chat Completions
   body to :mod:`.completions` and a Responses body to :mod:`.responses`; both
   read JSON with :mod:`.jsonpath` and the shared pieces of :mod:`.fields`,
   into the one normalised request of :mod:`.request`.
2. A renderer lays the request out as the server does, as labelled segments
   (:mod:`.layout`): :mod:`.chatml` (every OpenAI chat model but gpt-oss; tool
   definitions as the TypeScript :mod:`.namespace`; :mod:`.cookbook` is the
   cookbook's formula, kept to compare with) or
   :mod:`.harmony` (gpt-oss). :mod:`.content` counts image parts, :mod:`.context`
   carries the model, its format constants and the notes.
3. :mod:`.count` counts the segments; :mod:`.result` sums them by label into
   the breakdown.
"""

from .count import count_messages, count_request
from .parse import parse_request
from .result import Breakdown, MessageCount, RequestCount, ToolsCount

__all__ = [
    "Breakdown",
    "MessageCount",
    "RequestCount",
    "ToolsCount",
    "count_messages",
    "count_request",
    "parse_request",
]
