"""Reading what the subcommands are given: a request body (JSON) or plain text."""

from __future__ import annotations

import json
from typing import Any

from tokencmp import InvalidRequestError

REQUEST_KEYS = ("messages", "input")


class InvalidJSON(InvalidRequestError):
    """A file that is not JSON (or too deeply nested to read)."""


RESPONSE_KEYS = ("usage", "choices", "output")
"""Keys of an API response (Chat Completions, Responses) that a request body does not have."""


def read_input(name: str) -> dict[str, Any] | str:
    """A request body, or the text of a file that is not JSON.

    ``-`` reads standard input. A file named ``*.json``, or whose text starts
    with ``{`` or ``[``, is JSON and must be a request body (:func:`check_request`):
    malformed JSON, JSON that is not a request and an API response are errors,
    never priced as text. Any other file is text, counted as one user message.
    """
    text = _read(name)
    if name.lower().endswith(".json") or text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return check_request(load_json(text, _where(name)), _where(name))
    return text


def read_request(name: str) -> dict[str, Any]:
    """A request body from a JSON file (or ``-``), with a clear error for anything else."""
    return check_request(read_json(name), _where(name))


def check_request(data: Any, where: str) -> dict[str, Any]:
    """``data`` if it is a request body; else InvalidRequestError naming ``where`` and why."""
    if isinstance(data, dict) and any(key in data for key in REQUEST_KEYS):
        return data
    if isinstance(data, dict) and (data.get("object") in ("chat.completion", "response")
                                   or any(key in data for key in RESPONSE_KEYS)):
        raise InvalidRequestError(
            where, "this is an API response, not a request body; price a finished call with "
            "'tokencmp cost --usage FILE'."
        )
    what = f"an object with keys {', '.join(map(repr, list(data)[:6]))}" if isinstance(data, dict) and data \
        else f"a JSON {_kind(data)}"
    raise InvalidRequestError(
        where, f"expected a request body: a JSON object with 'messages' (Chat Completions) "
        f"or 'input' (Responses), not {what}."
    )


def _kind(data: Any) -> str:
    return {dict: "object with no keys", list: "array", str: "string", bool: "boolean",
            type(None): "null"}.get(type(data), "number")


def stdin_or(name: str | None) -> str:
    """``name``, or ``-`` when none is given and standard input is piped (as ``count`` reads it)."""
    import sys

    from tokencmp import TokencmpError

    if name is not None:
        return name
    if sys.stdin is None or sys.stdin.isatty():
        raise TokencmpError("give a FILE, or pipe one into standard input ('-').")
    return "-"


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
