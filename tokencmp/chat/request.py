"""Read a request body into a validated, typed form.

Accepts what people pass to the API: a Chat Completions body (the JSON that
``curl -d`` posts, or the keyword arguments of
``client.chat.completions.create``), as plain dicts, the OpenAI SDK's
TypedDicts, or SDK pydantic objects (anything with ``model_dump()``; the
``openai`` package is never imported). Responses API bodies are mapped by
:mod:`tokencmp.chat.responses`.

Every problem raises :class:`~tokencmp.errors.InvalidRequestError` with the
JSON path of the offending value::

    >>> try:
    ...     parse_request({"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]})
    ... except InvalidRequestError as e:
    ...     print(e)
    messages[0].content: must be a string or an array of content parts, not a number

Fields tokencmp does not need (``temperature``, ``n``, ``stream``, ...) are
ignored, as are unknown fields; ``null`` means the same as an absent field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from ..errors import InvalidRequestError
from ..images.rules import DETAILS

ROLES = ("system", "developer", "user", "assistant", "tool", "function")
_ROLE_SET = frozenset(ROLES)
_ROLE_HINT = f"; every message needs a role ({', '.join(ROLES)})"
MAX_DEPTH = 100
"""Deepest nesting accepted in a body (a guard against runaway recursion)."""


@dataclass(frozen=True)
class TextPart:
    text: str


@dataclass(frozen=True)
class ImagePart:
    url: str
    detail: str | None
    path: str


Part = TextPart | ImagePart
Content = str | tuple[Part, ...] | None


@dataclass(frozen=True)
class ToolCall:
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
    name: str
    description: str | None
    parameters: dict[str, Any] | None
    path: str


@dataclass(frozen=True)
class ToolChoice:
    mode: Literal["auto", "none", "required", "named"]
    name: str | None = None


@dataclass(frozen=True)
class ResponseFormat:
    type: Literal["text", "json_object", "json_schema"]
    name: str = ""
    description: str | None = None
    schema: Any = None


class ChatRequest(NamedTuple):
    """A request in the one shape every counting rule reads.

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


# --- plain data --------------------------------------------------------------------------


def plain(value: Any, path: str = "", depth: int = 0) -> Any:
    """``value`` as JSON-like data: SDK objects dumped, mappings as dicts, tuples as lists."""
    if depth > MAX_DEPTH:
        raise InvalidRequestError(path, f"nested more than {MAX_DEPTH} levels deep")
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        try:
            value = dump(exclude_none=True)
        except Exception as e:  # a third-party object's own failure
            raise InvalidRequestError(path, f"model_dump() failed: {type(e).__name__}: {e}") from None
    if isinstance(value, Mapping):
        return {k: plain(v, join(path, k), depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _already_plain(body: Any) -> bool:
    """Whether ``plain(body)`` would only copy ``body``: the common shape, checked cheaply.

    A dict of JSON scalars whose ``messages`` is a list of dicts of JSON scalars
    (every message with string content). Exact types only: a subclass may carry
    a ``model_dump``. Anything else goes through :func:`plain`.
    """
    if type(body) is not dict:
        return False
    for key, value in body.items():
        if type(value) in _SCALARS:
            continue
        if key != "messages" or type(value) is not list:
            return False
        for message in value:
            if type(message) is not dict:
                return False
            for item in message.values():
                if type(item) not in _SCALARS:
                    return False
    return True


def join(path: str, key: object) -> str:
    """``path`` extended by an object key: ``a.b``, or ``a["odd key"]``."""
    text = str(key)
    if text.isidentifier():
        return f"{path}.{text}" if path else text
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{quoted}"]'


def kind(value: Any) -> str:
    """A JSON type name for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --- small typed getters -----------------------------------------------------------------


def obj(value: Any, path: str, what: str = "an object") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidRequestError(path, f"must be {what}, not {kind(value)}")
    return value


def _optional(data: dict[str, Any], key: str, path: str, expected: type, what: str) -> Any:
    value = data.get(key)
    if value is None or isinstance(value, expected):
        return value
    raise InvalidRequestError(join(path, key), f"must be {what}, not {kind(value)}")


def opt_str(data: dict[str, Any], key: str, path: str) -> str | None:
    return _optional(data, key, path, str, "a string")


def req_str(data: dict[str, Any], key: str, path: str, hint: str = "") -> str:
    value = opt_str(data, key, path)
    if value is None:
        raise InvalidRequestError(join(path, key), f"missing{hint}")
    return value


def opt_list(data: dict[str, Any], key: str, path: str) -> list[Any] | None:
    return _optional(data, key, path, list, "an array")


def opt_count(data: dict[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(join(path, key), f"must be a non-negative integer, not {value!r}")
    return value


# --- Chat Completions --------------------------------------------------------------------


def parse_request(request: Any) -> ChatRequest:
    """A Chat Completions or Responses body, validated and read into a :class:`ChatRequest`."""
    body = request if _already_plain(request) else plain(request)
    if not isinstance(body, dict):
        raise InvalidRequestError("", f"the request body must be a JSON object, not {kind(body)}")
    if "messages" not in body and ("input" in body or "instructions" in body):
        from .responses import parse_responses

        return parse_responses(body)
    if body.get("messages") is None:
        raise InvalidRequestError(
            "messages", "missing: a Chat Completions body needs messages (a Responses body: input)"
        )
    messages = body["messages"]
    if not isinstance(messages, list):
        raise InvalidRequestError("messages", f"must be an array of messages, not {kind(messages)}")
    if not messages:
        raise InvalidRequestError("messages", "is empty; the API needs at least one message")
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
        messages=tuple([parse_message(m, f"messages[{i}]") for i, m in enumerate(messages)]),
        tools=tools,
        legacy_functions=legacy,
        tool_choice=choice,
        response_format=_response_format(body),
        max_output_tokens=_max_tokens(body),
        choices=_choices(body),
    )


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
    # The common case (a dict with string role, name and content) is checked inline;
    # anything else goes through the typed getters, which raise the errors.
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
        content = parse_content(content, join(path, "content"), role)
    return Message(role, content, path, name, tool_calls, function_call, tool_call_id)


_PART_TYPES = {
    "user": ("text", "image_url"),
    "assistant": ("text", "refusal"),
}


def parse_content(content: Any, path: str, role: str) -> Content:
    if content is None or isinstance(content, str):
        return content
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


def image_detail(part: dict[str, Any], path: str) -> str | None:
    """An image part's ``detail`` (``None`` when omitted), one of the levels the API knows."""
    detail = opt_str(part, "detail", path)
    if detail is not None and detail not in DETAILS:
        levels = ", ".join(DETAILS)
        raise InvalidRequestError(join(path, "detail"), f"must be one of {levels}, not {detail!r}")
    return detail


def parse_call(data: dict[str, Any], path: str) -> ToolCall:
    return ToolCall(
        name=req_str(data, "name", path, "; a call needs the function's name"),
        arguments=opt_str(data, "arguments", path) or "",
    )


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


def parse_function(value: Any, path: str) -> FunctionDef:
    f = obj(value, path, "a function definition object")
    params = f.get("parameters")
    if params is not None:
        obj(params, join(path, "parameters"), "a JSON Schema object")
    name = req_str(f, "name", path, "; every function needs a name")
    if not name:
        raise InvalidRequestError(join(path, "name"), "is empty; every function needs a name")
    return FunctionDef(name=name, description=opt_str(f, "description", path), parameters=params, path=path)


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


def parse_tool_choice(body: dict[str, Any], key: str, tools: tuple[FunctionDef, ...]) -> ToolChoice | None:
    """``tool_choice``; a named choice must name one of ``tools``, as the API requires."""
    value = body.get(key)
    if value is None:
        return None
    if value in ("auto", "none", "required"):
        return ToolChoice(value)
    if isinstance(value, dict) and value.get("type") == "function":
        if isinstance(value.get("function"), dict):  # Chat: {"type": "function", "function": {"name": ...}}
            name = req_str(value["function"], "name", f"{key}.function")
            return _named(name, tools, f"{key}.function.name")
        return _named(req_str(value, "name", key), tools, f"{key}.name")  # Responses: {"name": ...}
    raise InvalidRequestError(
        key, 'must be \'none\', \'auto\', \'required\' or {"type": "function", "function": {"name": ...}}'
    )


def _function_call(body: dict[str, Any], functions: tuple[FunctionDef, ...]) -> ToolChoice | None:
    """The legacy ``function_call``; a named call must name one of ``functions``."""
    value = body.get("function_call")
    if value is None:
        return None
    if value in ("auto", "none"):
        return ToolChoice(value)
    if isinstance(value, dict):
        return _named(req_str(value, "name", "function_call"), functions, "function_call.name")
    raise InvalidRequestError("function_call", "must be 'none', 'auto' or {\"name\": ...}")


def _named(name: str, defined: tuple[FunctionDef, ...], path: str) -> ToolChoice:
    if not any(f.name == name for f in defined):
        known = ", ".join(repr(f.name) for f in defined) or "none are defined"
        raise InvalidRequestError(path, f"names {name!r}, which is not a function of the request ({known})")
    return ToolChoice("named", name)


def _response_format(body: dict[str, Any]) -> ResponseFormat | None:
    value = body.get("response_format")
    if value is None:
        return None
    fmt = obj(value, "response_format")
    return read_format(fmt, "response_format", nested=True)


def read_format(fmt: dict[str, Any], path: str, *, nested: bool) -> ResponseFormat:
    """A ``response_format`` (Chat: schema under ``json_schema``) or ``text.format`` (Responses: flat)."""
    ftype = req_str(fmt, "type", path, "; use 'text', 'json_object' or 'json_schema'")
    if ftype in ("text", "json_object"):
        return ResponseFormat(ftype)
    if ftype != "json_schema":
        raise InvalidRequestError(
            join(path, "type"), f"unknown type {ftype!r}; use 'text', 'json_object' or 'json_schema'"
        )
    spec_path = join(path, "json_schema") if nested else path
    spec = obj(fmt.get("json_schema"), spec_path) if nested else fmt
    return ResponseFormat(
        "json_schema",
        name=req_str(spec, "name", spec_path, "; a json_schema format needs a name"),
        description=opt_str(spec, "description", spec_path),
        schema=spec.get("schema", {}),
    )
