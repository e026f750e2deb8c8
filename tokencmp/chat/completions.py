"""Read a Chat Completions body into the normalised :class:`~tokencmp.chat.request.ChatRequest`.

Accepts what people pass to the API: the JSON that ``curl -d`` posts, or the
keyword arguments of ``client.chat.completions.create``, as plain data
(:func:`tokencmp.chat.parse.parse_request` dumps SDK objects first)::

    >>> from tokencmp.errors import InvalidRequestError
    >>> try:
    ...     parse_chat({"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]})
    ... except InvalidRequestError as e:
    ...     print(e)
    messages[0].content: must be a string or an array of content parts, not a number

Fields tokencmp does not need (``temperature``, ``stream``, ...) are ignored,
as are unknown fields.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequestError
from .fields import image_detail, named_choice, parse_call, parse_function, parse_tool_choice, read_format
from .jsonpath import SCALARS, join, kind, obj, opt_count, opt_list, opt_str, plain, req_str
from .request import (
    PLAIN_ROLES,
    ROLES,
    ChatRequest,
    Content,
    FunctionDef,
    ImagePart,
    Message,
    Part,
    PlainMessages,
    ResponseFormat,
    TextPart,
    ToolCall,
    ToolChoice,
    message_paths,
)

_ROLE_SET = frozenset(ROLES)
_ROLE_HINT = f"; every message needs a role ({', '.join(ROLES)})"
_PART_TYPES = {
    "user": ("text", "image_url"),
    "assistant": ("text", "refusal"),
}
_FIELDS = frozenset(
    (
        "tools",
        "functions",
        "function_call",
        "tool_choice",
        "response_format",
        "max_completion_tokens",
        "max_tokens",
        "n",
    )
)
"""The fields read besides ``model`` and ``messages``."""


def parse_chat(body: dict[str, Any], *, plain_body: bool = True) -> ChatRequest:
    """``body`` (a dict) read and validated. ``plain_body=False``: its messages may still
    hold SDK objects or tuples, and are made plain one by one (the rest of it is plain)."""
    if body.get("messages") is None:
        raise InvalidRequestError(
            "messages", "missing: a Chat Completions body needs messages (a Responses body: input)"
        )
    messages = body["messages"]
    if not isinstance(messages, list):
        raise InvalidRequestError("messages", f"must be an array of messages, not {kind(messages)}")
    if not messages:
        raise InvalidRequestError("messages", "is empty; the API needs at least one message")
    if body.keys().isdisjoint(_FIELDS):  # the common body: a model and messages, nothing to read else
        model = body.get("model")
        if type(model) is not str:
            model = opt_str(body, "model", "")
        return ChatRequest(model, _messages(messages, plain_body))
    tools, legacy = _definitions(body)
    if legacy:
        choice = _function_call(body, tools)
    elif body.get("function_call") is not None:
        raise InvalidRequestError(
            "function_call", "given without functions; with tools, use tool_choice instead"
        )
    else:
        choice = parse_tool_choice(body, "tool_choice", tools)
    return ChatRequest(
        model=opt_str(body, "model", ""),
        messages=_messages(messages, plain_body),
        tools=tools,
        legacy_functions=legacy,
        tool_choice=choice,
        response_format=_response_format(body),
        max_output_tokens=_max_tokens(body),
        choices=_choices(body),
    )


def _messages(messages: list[Any], plain_body: bool) -> tuple[Message, ...] | PlainMessages:
    # The common message, {"role": ..., "content": "..."} as a dict of exact types, is read
    # in one pass over the messages; when every message is one, the request's messages are
    # their two columns. Every other message goes through plain() if needed and
    # parse_message, which raise the errors.
    roles = [
        role
        if type(m) is dict
        and len(m) == 2
        and type(m.get("content")) is str
        and type(role := m.get("role")) is str
        and role in PLAIN_ROLES
        else None
        for m in messages
    ]
    if all(roles):
        return PlainMessages(roles, [m["content"] for m in messages])  # type: ignore[arg-type]
    out = []
    for path, m, role in zip(message_paths(len(messages)), messages, roles, strict=False):
        if role is not None:
            out.append(Message(role, m["content"], path))
            continue
        if not plain_body and not _plain_message(m):
            m = plain(m, path, 2)
        out.append(parse_message(m, path))
    return tuple(out)


def _plain_message(m: Any) -> bool:
    return type(m) is dict and all(type(v) in SCALARS for v in m.values())


def _choices(body: dict[str, Any]) -> int:
    n = opt_count(body, "n", "")
    if n == 0:
        raise InvalidRequestError("n", "must be at least 1 (the number of choices to generate)")
    return 1 if n is None else n


def _max_tokens(body: dict[str, Any]) -> int | None:
    newer = opt_count(body, "max_completion_tokens", "")
    older = opt_count(body, "max_tokens", "")
    return newer if newer is not None else older


def parse_message(value: Any, path: str) -> Message:
    """One message at ``path``, validated."""
    m = value if type(value) is dict else obj(value, path, "a message object")
    role = m.get("role")
    if type(role) is not str:
        role = req_str(m, "role", path, _ROLE_HINT)
    if role not in _ROLE_SET:
        raise InvalidRequestError(join(path, "role"), f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    name = m.get("name")
    if name is not None and type(name) is not str:
        name = opt_str(m, "name", path)
    name = name or None
    tool_calls: tuple[ToolCall, ...] = ()
    function_call = None
    tool_call_id = None
    if role == "assistant":
        if m.get("tool_calls") is not None:
            calls = opt_list(m, "tool_calls", path) or []
            tool_calls = tuple(_tool_call(c, f"{path}.tool_calls[{i}]") for i, c in enumerate(calls))
        if m.get("function_call") is not None:
            function_call = parse_call(
                obj(m["function_call"], join(path, "function_call")), join(path, "function_call")
            )
    if role == "tool":
        tool_call_id = req_str(m, "tool_call_id", path, "; a tool message answers a tool call by its id")
    if role == "function" and name is None:
        raise InvalidRequestError(join(path, "name"), "missing; a function message needs the function's name")
    content = m.get("content")
    may_be_empty = role in ("assistant", "function")
    if content is None and not may_be_empty:
        raise InvalidRequestError(join(path, "content"), f"missing; a {role} message needs content")
    if content is not None and not isinstance(content, str):
        content = _content(content, join(path, "content"), role)
    return Message(role, content, path, name, tool_calls, function_call, tool_call_id)


def _content(content: Any, path: str, role: str) -> Content:
    if not isinstance(content, list):
        raise InvalidRequestError(path, f"must be a string or an array of content parts, not {kind(content)}")
    allowed = _PART_TYPES.get(role, ("text",))
    return tuple(_part(p, f"{path}[{i}]", allowed) for i, p in enumerate(content))


def _part(value: Any, path: str, allowed: tuple[str, ...]) -> Part:
    part = obj(value, path, "a content part object")
    ptype = req_str(part, "type", path, f"; a content part needs a type ({', '.join(allowed)})")
    if ptype not in allowed:
        unsupported = ptype in ("input_audio", "file")
        why = "is not supported for counting" if unsupported else "is not a valid part type here"
        raise InvalidRequestError(join(path, "type"), f"{ptype!r} {why}; use one of {', '.join(allowed)}")
    if ptype == "image_url":
        image = obj(part.get("image_url"), join(path, "image_url"))
        return ImagePart(
            url=req_str(image, "url", join(path, "image_url")),
            detail=image_detail(image, join(path, "image_url")),
            path=path,
        )
    key = "refusal" if ptype == "refusal" else "text"
    return TextPart(req_str(part, key, path))


def _tool_call(value: Any, path: str) -> ToolCall:
    call = obj(value, path, "a tool call object")
    ctype = opt_str(call, "type", path) or "function"
    if ctype != "function":
        raise InvalidRequestError(
            join(path, "type"), f"tool call type {ctype!r} is not supported; use 'function'"
        )
    fpath = join(path, "function")
    parsed = parse_call(obj(call.get("function"), fpath), fpath)
    return ToolCall(parsed.name, parsed.arguments, opt_str(call, "id", path))


def _definitions(body: dict[str, Any]) -> tuple[tuple[FunctionDef, ...], bool]:
    tools = opt_list(body, "tools", "")
    functions = opt_list(body, "functions", "")
    if tools and functions:
        raise InvalidRequestError("functions", "give tools or the legacy functions, not both")
    if functions:
        return tuple(parse_function(f, f"functions[{i}]") for i, f in enumerate(functions)), True
    out = []
    for i, t in enumerate(tools or []):
        path = f"tools[{i}]"
        tool = obj(t, path, "a tool object")
        ttype = req_str(tool, "type", path, "; a tool needs a type ('function')")
        if ttype != "function":
            raise InvalidRequestError(
                join(path, "type"), f"tool type {ttype!r} is not supported for counting; use 'function'"
            )
        out.append(parse_function(tool.get("function"), join(path, "function")))
    return tuple(out), False


def _function_call(body: dict[str, Any], functions: tuple[FunctionDef, ...]) -> ToolChoice | None:
    """The legacy ``function_call``; a named call must name one of ``functions``."""
    value = body.get("function_call")
    if value is None:
        return None
    if value in ("auto", "none"):
        return ToolChoice(value)
    if isinstance(value, dict):
        return named_choice(req_str(value, "name", "function_call"), functions, "function_call.name")
    raise InvalidRequestError("function_call", "must be 'none', 'auto' or {\"name\": ...}")


def _response_format(body: dict[str, Any]) -> ResponseFormat | None:
    value = body.get("response_format")
    if value is None:
        return None
    return read_format(obj(value, "response_format"), "response_format", nested=True)
