"""Counting whole chat requests: messages, content parts, tools, tool calls, Responses input.

    >>> from tokencmp.chat import count_messages
    >>> count_messages([{"role": "user", "content": "hello"}], model="gpt-4").total
    8

Modules, in the order a request flows through them: :mod:`.request` (read and
validate a Chat Completions body) and :mod:`.responses` (map a Responses
body), :mod:`.content` (strings and parts), :mod:`.messages` (the ChatML
formats) with :mod:`.tools` (namespace rendering, cookbook formula) or
:mod:`.harmony` (gpt-oss), and :mod:`.result` (what is returned).
"""

from .count import count_messages, count_request
from .result import Breakdown, MessageCount, RequestCount, ToolsCount

__all__ = ["Breakdown", "MessageCount", "RequestCount", "ToolsCount", "count_messages", "count_request"]
