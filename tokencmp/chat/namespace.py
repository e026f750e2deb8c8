"""Tool and function definitions rendered as the TypeScript namespace the model reads them in.

OpenAI injects function definitions "into the system message in a syntax the
model has been trained on". That syntax is a TypeScript namespace, published
for gpt-oss (harmony) and recovered for gpt-3.5/gpt-4 by hmarr/openai-chat-tokens::

    >>> from tokencmp.chat.request import FunctionDef
    >>> f = FunctionDef("get_weather", "Get the weather", {"type": "object",
    ...     "properties": {"city": {"type": "string", "description": "City name"},
    ...                    "unit": {"type": "string", "enum": ["c", "f"]}},
    ...     "required": ["city"]}, "tools[0].function")
    >>> print(render_namespace([f]))
    namespace functions {
    <BLANKLINE>
    // Get the weather
    type get_weather = (_: {
    // City name
    city: string,
    unit?: "c" | "f",
    }) => any;
    <BLANKLINE>
    } // namespace functions

Rendering rules (hmarr, checked against the API on gpt-3.5-turbo-0613): a
``// description`` line before each function; properties as ``name: type,``
or ``name?: type,`` when not ``required``; property descriptions as comments
only at the top level of the parameters; string enums as ``"a" | "b"``,
number enums joined by `` | ``; ``integer`` is ``number``; arrays ``T[]``
(``any[]`` without ``items``); nested objects inline in ``{ }`` indented two
more spaces; ``anyOf`` joined by `` | ``; unknown types render empty. Harmony
adds ``// default: x`` after a property with a default.

Two rules from recorded API calls (docs/chat.md, "Tool definitions"): a local
``$ref`` (``#/$defs/Name``) is replaced by the schema it points to, as the API
expands references; with ``titles`` (the o200k formats), the parameters'
``title`` is a ``// title`` line before the ``{`` and a top-level property's
``title`` is a ``// Title`` line and an empty ``//`` line before it (the
Responses calls of the openai-agents SDK, whose schemas carry pydantic titles,
match the API only with both).

``features`` collects the schema features a rendering used that recorded calls
have not checked on current models (:data:`UNCHECKED`), for the count's label.

The other way to count definitions, the cookbook's formula for flat schemas,
is :mod:`.cookbook`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..errors import InvalidRequestError
from .jsonpath import MAX_DEPTH, join
from .request import FunctionDef

UNCHECKED = {
    "described": "property descriptions",
    "optional": "optional properties",
    "unlisted": "schemas without a required list",
    "enum": "enums",
    "array": "arrays",
    "object": "nested objects",
    "anyOf": "anyOf",
    "default": "defaults",
    "ref": "$ref references",
    "other": "types without a TypeScript rendering",
}
"""Schema features whose rendering needs checking against the API, in plain words (a tool layout's
``checked_features`` lists those a recorded call or a published figure has checked)."""


def render_namespace(
    functions: Sequence[FunctionDef],
    *,
    defaults: bool = False,
    titles: bool = False,
    features: set[str] | None = None,
) -> str:
    """The ``namespace functions { ... }`` text for ``functions``; ``defaults`` adds harmony's
    comments, ``titles`` the schemas' titles; ``features`` (if given) gets the :data:`UNCHECKED`
    features used."""
    seen: set[str] = set() if features is None else features
    lines = ["namespace functions {", ""]
    for f in functions:
        if f.description:
            lines.append(f"// {f.description}")
        params = f.parameters or {}
        ppath = join(f.path, "parameters")
        if _properties(params, ppath):
            title = params.get("title") if titles else None
            lines.append(
                f"type {f.name} = (_: // {title}" if isinstance(title, str) else f"type {f.name} = (_: {{"
            )
            if isinstance(title, str):
                lines.append("{")
            lines.append(_object_body(params, 0, ppath, _Options(defaults, titles, params, seen), 0))
            lines.append("}) => any;")
        else:
            lines.append(f"type {f.name} = () => any;")
        lines.append("")
    lines.append("} // namespace functions")
    return "\n".join(lines)


class _Options:
    """What one rendering carries down the schema: the options, the root (for ``$ref``), the
    features seen and the references being expanded (a reference inside its own expansion, a
    recursive schema, is left unexpanded)."""

    __slots__ = ("defaults", "expanding", "features", "root", "titles")

    def __init__(self, defaults: bool, titles: bool, root: dict[str, Any], features: set[str]) -> None:
        self.defaults, self.titles, self.root, self.features = defaults, titles, root, features
        self.expanding: set[str] = set()


def _properties(schema: dict[str, Any], path: str) -> dict[str, Any]:
    props = schema.get("properties")
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise InvalidRequestError(join(path, "properties"), "must be an object of property schemas")
    return props


def _resolve(schema: dict[str, Any], o: _Options) -> dict[str, Any]:
    """``schema`` with a local ``$ref`` replaced by the schema it names (its own keys kept); a
    reference that names nothing in the parameters (or is not local) is left as an empty type."""
    ref = schema.get("$ref")
    rest = {k: v for k, v in schema.items() if k != "$ref"}
    o.features.add("ref")
    if not isinstance(ref, str) or not ref.startswith("#/") or ref in o.expanding:
        return rest
    target: Any = o.root
    for part in ref[2:].split("/"):
        target = target.get(part) if isinstance(target, dict) else None
    return {**target, **rest} if isinstance(target, dict) else rest


def _object_body(schema: dict[str, Any], indent: int, path: str, o: _Options, depth: int) -> str:
    required = schema.get("required")
    if required is None:
        required = []
        if schema.get("properties"):
            o.features.add("unlisted")
    if not isinstance(required, list):
        raise InvalidRequestError(join(path, "required"), "must be an array of property names")
    lines = []
    for name, prop in _properties(schema, path).items():
        ppath = join(join(path, "properties"), name)
        if not isinstance(prop, dict):
            raise InvalidRequestError(ppath, "must be a schema object")
        shown = _resolve(prop, o) if "$ref" in prop else prop  # its comments, with a reference's
        if o.titles and indent == 0 and isinstance(shown.get("title"), str):
            lines.append(f"// {shown['title']}")
            lines.append("//")
        if shown.get("description") and indent < 2:
            o.features.add("described")
            lines.append(f"// {js_string(shown['description'])}")
        if name in required:
            mark = ""
        else:
            mark = "?"
            o.features.add("optional")
        line = f"{name}{mark}: {_type(prop, indent, ppath, o, depth + 1)},"
        if "default" in shown:
            o.features.add("default")
            if o.defaults:
                line += f" // default: {js_string(shown['default'])}"
        lines.append(line)
    return "\n".join(" " * indent + line for line in lines)


def _type(schema: dict[str, Any], indent: int, path: str, o: _Options, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise InvalidRequestError(path, f"schema nested more than {MAX_DEPTH} levels deep")
    ref = schema.get("$ref")
    if ref is not None:
        target = _resolve(schema, o)
        if target is schema or not isinstance(ref, str) or ref in o.expanding:
            return _type(target, indent, path, o, depth + 1)
        o.expanding.add(ref)
        try:
            return _type(target, indent, path, o, depth + 1)
        finally:
            o.expanding.discard(ref)
    if isinstance(schema.get("anyOf"), list):
        o.features.add("anyOf")
        options = []
        for i, option in enumerate(schema["anyOf"]):
            opath = f"{join(path, 'anyOf')}[{i}]"
            if not isinstance(option, dict):
                raise InvalidRequestError(opath, "must be a schema object")
            options.append(_type(option, indent, opath, o, depth + 1))
        return " | ".join(options)
    stype = schema.get("type")
    enum = schema.get("enum")
    if enum is not None:
        if not isinstance(enum, list):
            raise InvalidRequestError(join(path, "enum"), "must be an array")
        o.features.add("enum")
    if stype == "string":
        return " | ".join(f'"{js_string(v)}"' for v in enum) if enum is not None else "string"
    if stype in ("number", "integer"):
        return " | ".join(js_string(v) for v in enum) if enum is not None else "number"
    if stype in ("boolean", "null"):
        return str(stype)
    if stype == "object":
        o.features.add("object")
        return "{\n" + _object_body(schema, indent + 2, path, o, depth) + "\n}"
    if stype == "array":
        o.features.add("array")
        items = schema.get("items")
        if not items:
            return "any[]"
        if not isinstance(items, dict):
            raise InvalidRequestError(join(path, "items"), "must be a schema object")
        return _type(items, indent, join(path, "items"), o, depth + 1) + "[]"
    o.features.add("other")
    return ""


def js_string(value: Any) -> str:
    """``value`` as JavaScript's ``String(value)`` writes it (the rendering was recovered from JS).

    >>> js_string(1.0), js_string(True), js_string(2.5e-7)
    ('1', 'true', '2.5e-7')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        mantissa, _, exp = repr(value).partition("e")
        return f"{mantissa}e{int(exp):+d}" if exp else mantissa
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    return "[object Object]"
