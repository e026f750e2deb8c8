"""Reading untrusted JSON with the path of every value: the getters both request parsers use.

Every problem raises :class:`~tokencmp.errors.InvalidRequestError` naming the
JSON path of the offending value and what was expected::

    >>> opt_str({"model": 4}, "model", "")
    Traceback (most recent call last):
    ...
    tokencmp.errors.InvalidRequestError: model: must be a string, not a number
    >>> join("messages[0]", "content"), join("tools", "odd key")
    ('messages[0].content', 'tools["odd key"]')

``null`` means the same as an absent field, as it does for the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidRequestError, token_count

MAX_DEPTH = 100
"""Deepest nesting accepted in a body (a guard against runaway recursion)."""

SCALARS = frozenset({str, int, float, bool, type(None)})
"""The exact types of JSON scalars: a value of one of them is already plain data."""


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


def obj(value: Any, path: str, what: str = "an object") -> dict[str, Any]:
    """``value`` if it is a JSON object, else an error saying it must be ``what``."""
    if not isinstance(value, dict):
        raise InvalidRequestError(path, f"must be {what}, not {kind(value)}")
    return value


def _optional(data: dict[str, Any], key: str, path: str, expected: type, what: str) -> Any:
    value = data.get(key)
    if value is None or isinstance(value, expected):
        return value
    raise InvalidRequestError(join(path, key), f"must be {what}, not {kind(value)}")


def opt_str(data: dict[str, Any], key: str, path: str) -> str | None:
    """``data[key]`` as a string, or ``None`` when absent."""
    value: str | None = _optional(data, key, path, str, "a string")
    return value


def req_str(data: dict[str, Any], key: str, path: str, hint: str = "") -> str:
    """``data[key]`` as a string; ``hint`` tells how to fix it when it is missing."""
    value = opt_str(data, key, path)
    if value is None:
        raise InvalidRequestError(join(path, key), f"missing{hint}")
    return value


def opt_list(data: dict[str, Any], key: str, path: str) -> list[Any] | None:
    """``data[key]`` as an array, or ``None`` when absent."""
    value: list[Any] | None = _optional(data, key, path, list, "an array")
    return value


def opt_count(data: dict[str, Any], key: str, path: str) -> int | None:
    """``data[key]`` as a token count (:func:`tokencmp.errors.token_count`), or ``None`` when absent."""
    value = data.get(key)
    return None if value is None else token_count(value, join(path, key))
