"""Reading what the subcommands are given: a request body (JSON) or plain text."""

from __future__ import annotations

import json
from typing import Any

from tokencmp import InvalidRequestError

REQUEST_KEYS = ("messages", "input")


class InvalidJSON(InvalidRequestError):
    """A file that is not JSON (or too deeply nested to read)."""


def read_input(name: str) -> dict[str, Any] | str:
    """A request body when ``name`` holds a JSON object with ``messages`` or ``input``, else its text.

    ``-`` reads standard input. Any other file (including JSON that is not a
    request) is text, to be counted as one user message.
    """
    text = _read(name)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            data = load_json(text, _where(name))
        except InvalidJSON:
            return text
        if isinstance(data, dict) and any(key in data for key in REQUEST_KEYS):
            return data
    return text


def read_request(name: str) -> dict[str, Any]:
    """A request body from a JSON file (or ``-``), with a clear error for anything else."""
    where = _where(name)
    data = read_json(name)
    if not isinstance(data, dict) or not any(key in data for key in REQUEST_KEYS):
        raise InvalidRequestError(
            where, "expected a request body: a JSON object with 'messages' (Chat Completions) "
            "or 'input' (Responses)."
        )
    return data


def read_json(name: str) -> Any:
    """Any JSON value from a file (or ``-``); InvalidRequestError naming the file if it is not JSON."""
    return load_json(_read(name), _where(name))


def load_json(text: str, where: str) -> Any:
    """``text`` parsed as JSON; :class:`InvalidJSON` (an InvalidRequestError) names ``where`` if not.

    A leading byte-order mark (editors on Windows write one) is ignored, as RFC 8259 allows.
    """
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as e:
        raise InvalidJSON(where, f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}).") from None
    except ValueError as e:  # an integer of more digits than Python converts (sys.int_info)
        raise InvalidJSON(where, f"not readable JSON: {e}.") from None
    except RecursionError:  # json's C parser recurses once per level of nesting
        raise InvalidJSON(where, "nested too deeply to be a request body.") from None


def _where(name: str) -> str:
    from tokencmp.text.read import STDIN

    return STDIN if name == "-" else name


def _read(name: str) -> str:
    from tokencmp.text.read import read_stdin, read_text

    return read_stdin() if name == "-" else read_text(name)
