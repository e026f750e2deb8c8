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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, overload

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
SYSTEM_ROLES = ("system", "developer")
"""The roles of instructions: the namespace rule and harmony treat them alike."""
PLAIN_ROLES = frozenset(("system", "developer", "user", "assistant"))
"""The roles whose message may be nothing but a role and a string content (see :class:`PlainMessages`)."""


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
    item_id: str | None = None
    """Responses: the ``id`` of a ``function_call`` item (the stored item's), besides its ``call_id``."""


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


_PATHS = tuple(f"messages[{i}]" for i in range(256))


def message_paths(n: int) -> Sequence[str]:
    """The JSON paths of ``n`` messages of a Chat Completions body: ``messages[0]``, ...

    >>> message_paths(2)[:2]
    ('messages[0]', 'messages[1]')
    """
    return _PATHS if n <= len(_PATHS) else [f"messages[{i}]" for i in range(n)]


class PlainMessages(Sequence[Message]):
    """The messages of a Chat Completions request when each is plain: a role of
    :data:`PLAIN_ROLES` and a string content, nothing else (the common request).

    Held as two columns, ``roles`` and ``contents``, which the renderers read; as
    a sequence it is the request's :class:`Message` tuple, made when first read.

    >>> messages = PlainMessages(("system", "user"), ("Be brief.", "hi"))
    >>> messages[1]  # doctest: +NORMALIZE_WHITESPACE
    Message(role='user', content='hi', path='messages[1]', name=None, tool_calls=(),
            function_call=None, tool_call_id=None)
    >>> messages == tuple(messages), len(messages)
    (True, 2)
    """

    __slots__ = ("_rows", "contents", "roles")

    def __init__(self, roles: Sequence[str], contents: Sequence[str]) -> None:
        self.roles = roles
        self.contents = contents
        self._rows: tuple[Message, ...] | None = None

    def rows(self) -> tuple[Message, ...]:
        """The messages as :class:`Message` objects (made once)."""
        if self._rows is None:
            paths = message_paths(len(self.roles))
            self._rows = tuple(map(Message, self.roles, self.contents, paths))
        return self._rows

    def __len__(self) -> int:
        return len(self.roles)

    @overload
    def __getitem__(self, index: int) -> Message: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Message, ...]: ...
    def __getitem__(self, index: int | slice) -> Message | tuple[Message, ...]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[Message]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlainMessages):
            return self.roles == other.roles and self.contents == other.contents
        return isinstance(other, tuple) and self.rows() == other

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return repr(self.rows())


@dataclass(frozen=True)
class FunctionDef:
    """A function the model may call: a tool of type ``function``, or a legacy function."""

    name: str
    description: str | None
    parameters: dict[str, Any] | None
    path: str


@dataclass(frozen=True)
class ToolChoice:
    """``tool_choice`` (or the legacy ``function_call``); ``name`` for a named function;
    ``allowed``, the functions an ``allowed_tools`` choice lets the model call (its mode
    ``auto`` or ``required``), empty for every other choice."""

    mode: Literal["auto", "none", "required", "named"]
    name: str | None = None
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFormat:
    """``response_format`` (Chat) or ``text.format`` (Responses); ``strict`` as given (false by default)."""

    type: Literal["text", "json_object", "json_schema"]
    name: str = ""
    description: str | None = None
    schema: Any = None
    strict: bool = False


class Reasoning(NamedTuple):
    """A reasoning item of a Responses input: what of it tokencmp can see.

    ``encrypted_chars`` is the length of its ``encrypted_content`` (0 without),
    ``summary`` its summary's text, ``before`` the index of the message it
    precedes, ``current`` whether it belongs to the current turn (follows the
    last user message), which the API counts.
    """

    path: str
    encrypted_chars: int
    summary: str
    before: int
    current: bool = False


class ChatRequest(NamedTuple):
    """A request in the one shape every renderer reads.

    ``legacy_functions`` is true when the definitions came from the legacy
    ``functions`` field (and ``tool_choice`` from ``function_call``).
    ``notes`` are estimates the reading itself introduced, each with the name of its rule
    (``context_management``). ``choices`` is the body's ``n``: how many completions are
    generated (and billed). ``reasoning``: a Responses input's reasoning items.
    """

    model: str | None
    messages: tuple[Message, ...] | PlainMessages
    tools: tuple[FunctionDef, ...] = ()
    legacy_functions: bool = False
    tool_choice: ToolChoice | None = None
    response_format: ResponseFormat | None = None
    max_output_tokens: int | None = None
    api: Literal["chat", "responses"] = "chat"
    notes: tuple[tuple[str, str], ...] = ()
    choices: int = 1
    reasoning: tuple[Reasoning, ...] = ()
