"""Reading what the subcommands are given: a request body (JSON) or plain text."""

from __future__ import annotations

import json
import sys
from typing import Any

REQUEST_KEYS = ("messages", "input")


def read_input(name: str) -> dict[str, Any] | str:
    """A request body when ``name`` holds a JSON object with ``messages`` or ``input``, else its text.

    ``-`` reads standard input. Any other file (including JSON that is not a
    request) is text, to be counted as one user message.
    """
    text = _read(name)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(data, dict) and any(key in data for key in REQUEST_KEYS):
            return data
    return text


def read_request(name: str) -> dict[str, Any]:
    """A request body from a JSON file (or ``-``), with a clear error for anything else."""
    from tokencmp.errors import InvalidRequestError

    where = "<stdin>" if name == "-" else name
    try:
        data = json.loads(_read(name))
    except json.JSONDecodeError as e:
        raise InvalidRequestError(where, f"not valid JSON: {e}.") from None
    if not isinstance(data, dict) or not any(key in data for key in REQUEST_KEYS):
        raise InvalidRequestError(
            where, "expected a request body: a JSON object with 'messages' (Chat Completions) "
            "or 'input' (Responses)."
        )
    return data


def _read(name: str) -> str:
    from tokencmp.text import decode_utf8, read_text

    if name == "-":
        return decode_utf8(sys.stdin.buffer.read(), source="<stdin>")
    return read_text(name)
