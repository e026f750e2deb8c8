"""Readers of the pieces both request APIs share: function definitions, ``tool_choice``,
response formats, an image's ``detail`` and a function call.

The Chat Completions parser (:mod:`.completions`) and the Responses parser
(:mod:`.responses`) both read these, each from its own place in the body::

    >>> parse_function({"name": "f", "parameters": {"type": "object"}}, "tools[0].function").name
    'f'
    >>> parse_tool_choice({"tool_choice": "none"}, "tool_choice", ())
    ToolChoice(mode='none', name=None, allowed=())
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequestError
from ..images.rules import DETAILS
from .jsonpath import join, obj, opt_str, req_str
from .request import FunctionDef, ResponseFormat, ToolCall, ToolChoice


def image_detail(part: dict[str, Any], path: str) -> str | None:
    """An image part's ``detail`` (``None`` when omitted), one of the levels the API knows."""
    detail = opt_str(part, "detail", path)
    if detail is not None and detail not in DETAILS:
        levels = ", ".join(DETAILS)
        raise InvalidRequestError(join(path, "detail"), f"must be one of {levels}, not {detail!r}")
    return detail


def parse_call(data: dict[str, Any], path: str) -> ToolCall:
    """A function call's ``name`` and ``arguments`` (``""`` when absent)."""
    return ToolCall(
        name=req_str(data, "name", path, "; a call needs the function's name"),
        arguments=opt_str(data, "arguments", path) or "",
    )


def parse_function(value: Any, path: str) -> FunctionDef:
    """A function definition: a name, and optionally a description and a JSON Schema."""
    f = obj(value, path, "a function definition object")
    params = f.get("parameters")
    if params is not None:
        obj(params, join(path, "parameters"), "a JSON Schema object")
    name = req_str(f, "name", path, "; every function needs a name")
    if not name:
        raise InvalidRequestError(join(path, "name"), "is empty; every function needs a name")
    return FunctionDef(name=name, description=opt_str(f, "description", path), parameters=params, path=path)


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
            return named_choice(name, tools, f"{key}.function.name")
        return named_choice(req_str(value, "name", key), tools, f"{key}.name")  # Responses: {"name": ...}
    if isinstance(value, dict) and value.get("type") == "allowed_tools":
        return _allowed_tools(value, key, tools)
    raise InvalidRequestError(
        key,
        'must be \'none\', \'auto\', \'required\', {"type": "function", "function": {"name": ...}} '
        'or {"type": "allowed_tools", ...}',
    )


def _allowed_tools(value: dict[str, Any], key: str, tools: tuple[FunctionDef, ...]) -> ToolChoice:
    """An ``allowed_tools`` choice: Chat nests ``mode`` and ``tools`` under ``allowed_tools``
    (each tool ``{"type": "function", "function": {"name": ...}}``), Responses puts them at
    the top (each tool ``{"type": "function", "name": ...}``).

    >>> f = FunctionDef("f", None, None, "tools[0]")
    >>> parse_tool_choice({"tool_choice": {"type": "allowed_tools", "mode": "required",
    ...     "tools": [{"type": "function", "name": "f"}]}}, "tool_choice", (f,))
    ToolChoice(mode='required', name=None, allowed=('f',))
    """
    path = key
    spec = value
    if "allowed_tools" in value:  # Chat
        path = join(key, "allowed_tools")
        spec = obj(value["allowed_tools"], path)
    mode = req_str(spec, "mode", path, "; use 'auto' or 'required'")
    if mode not in ("auto", "required"):
        raise InvalidRequestError(join(path, "mode"), f"must be 'auto' or 'required', not {mode!r}")
    listed = spec.get("tools")
    tpath = join(path, "tools")
    if not isinstance(listed, list) or not listed:
        raise InvalidRequestError(tpath, "must be a non-empty array of the tools the model may call")
    names = []
    for i, tool in enumerate(listed):
        ipath = f"{tpath}[{i}]"
        t = obj(tool, ipath, "a tool reference object")
        ttype = req_str(t, "type", ipath, "; a tool reference needs a type ('function')")
        if ttype != "function":
            raise InvalidRequestError(
                join(ipath, "type"), f"tool type {ttype!r} is not supported for counting; use 'function'"
            )
        if isinstance(t.get("function"), dict):
            fpath = join(ipath, "function")
            name = req_str(t["function"], "name", fpath)
            named_choice(name, tools, join(fpath, "name"))
        else:
            name = req_str(t, "name", ipath, "; a tool reference names its function")
            named_choice(name, tools, join(ipath, "name"))
        names.append(name)
    return ToolChoice(mode, allowed=tuple(names))  # type: ignore[arg-type]  # checked just above


def named_choice(name: str, defined: tuple[FunctionDef, ...], path: str) -> ToolChoice:
    """A choice of the function ``name``, which must be one of ``defined``."""
    if not any(f.name == name for f in defined):
        known = ", ".join(repr(f.name) for f in defined) or "none are defined"
        raise InvalidRequestError(path, f"names {name!r}, which is not a function of the request ({known})")
    return ToolChoice("named", name)


def read_format(fmt: dict[str, Any], path: str, *, nested: bool) -> ResponseFormat:
    """A ``response_format`` (Chat: schema under ``json_schema``) or ``text.format`` (Responses: flat)."""
    ftype = req_str(fmt, "type", path, "; use 'text', 'json_object' or 'json_schema'")
    if ftype in ("text", "json_object"):
        return ResponseFormat(ftype)  # type: ignore[arg-type]  # checked just above
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
        strict=spec.get("strict") is True,
    )
