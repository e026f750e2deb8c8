"""The one normalised request every renderer reads, whichever API the body came from.

:func:`tokencmp.chat.parse.parse_request` reads a Chat Completions or a
Responses body into a :class:`ChatRequest`; the renderers (:mod:`.chatml`,
:mod:`.harmony`) lay it out as the server would. Nothing here validates:
a value of these types has been checked already.

    >>> from tokencmp.chat.parse import parse_request
    >>> req = parse_request({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
    >>> req.messages[0]  # doctest: +NORMALIZE_WHITESPACE
    Message(role='user', content='hi', path='messages[0]', name=None, tool_calls=(),
            function_call=None, tool_call_id=None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
SYSTEM_ROLES = ("system", "developer")
"""The roles of instructions: the namespace rule and harmony treat them alike."""


@dataclass(frozen=True)
class TextPart:
    """A text (or refusal) part of a list content."""

    text: str


@dataclass(frozen=True)
class ImagePart:
    """An image part: its URL (or file id), ``detail`` as given, and its JSON path."""

    url: str
    detail: str | None
    path: str


Part = TextPart | ImagePart
Content = str | tuple[Part, ...] | None


@dataclass(frozen=True)
class ToolCall:
    """An assistant's call of a function (a tool call, or the legacy ``function_call``)."""

    name: str
    arguments: str
    id: str | None = None


class Message(NamedTuple):
    """One message, validated. (Message and ChatRequest are named tuples: immutable like the
    frozen dataclasses around them, and several times faster to make, which matters at one
    Message per message counted.)"""

    role: str
    content: Content
    path: str
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    function_call: ToolCall | None = None
    tool_call_id: str | None = None


@dataclass(frozen=True)
class FunctionDef:
    """A function the model may call: a tool of type ``function``, or a legacy function."""

    name: str
    description: str | None
    parameters: dict[str, Any] | None
    path: str


@dataclass(frozen=True)
class ToolChoice:
    """``tool_choice`` (or the legacy ``function_call``); ``name`` for a named function."""

    mode: Literal["auto", "none", "required", "named"]
    name: str | None = None


@dataclass(frozen=True)
class ResponseFormat:
    """``response_format`` (Chat) or ``text.format`` (Responses)."""

    type: Literal["text", "json_object", "json_schema"]
    name: str = ""
    description: str | None = None
    schema: Any = None


class ChatRequest(NamedTuple):
    """A request in the one shape every renderer reads.

    ``legacy_functions`` is true when the definitions came from the legacy
    ``functions`` field (and ``tool_choice`` from ``function_call``).
    ``notes`` are estimates the reading itself introduced (the Responses mapping).
    ``choices`` is the body's ``n``: how many completions are generated (and billed).
    """

    model: str | None
    messages: tuple[Message, ...]
    tools: tuple[FunctionDef, ...] = ()
    legacy_functions: bool = False
    tool_choice: ToolChoice | None = None
    response_format: ResponseFormat | None = None
    max_output_tokens: int | None = None
    api: Literal["chat", "responses"] = "chat"
    notes: tuple[str, ...] = ()
    choices: int = 1
