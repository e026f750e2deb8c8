"""The prompt of one request body of any endpoint a batch may hold, counted exactly.

    >>> from tokencmp.catalog import resolve_model
    >>> count_body("embeddings", {"model": "text-embedding-3-small", "input": ["hello world", [1, 2, 3]]},
    ...            resolve_model("text-embedding-3-small"))   # 2 tokens (tiktoken's README) + 3 given as ids
    BodyCount(total=5, low=5, high=5, exact=True, output_tokens_max=0, own_cap=True, inputs=2, notes=())

* ``chat`` (``/v1/chat/completions``, ``/v1/responses``): :func:`tokencmp.count_request`,
  with its bounds; the output bound is the body's cap (per choice, times its ``n``)
  or, where it sets none, the model's most output (``own_cap`` false).
* ``embeddings`` (``/v1/embeddings``): ``input`` is a string, a list of strings,
  a list of token ids, or a list of lists of token ids (the embeddings API
  reference); each string is counted with the model's encoding, token ids as
  they are; ``inputs`` is how many inputs the body holds (a batch's 50,000
  embedding inputs are counted across its requests). No output.
* ``completions`` (``/v1/completions``): ``prompt`` in the same four shapes, each
  prompt a completion of its own; the output bound is ``max_tokens`` per prompt
  and choice (``n``), or the model's most output where it is absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..catalog import ModelInfo
from ..errors import InvalidRequestError, token_count
from ..money.limits import output_tokens_max

ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/responses": "chat",
    "/v1/embeddings": "embeddings",
    "/v1/completions": "completions",
}
"""How each endpoint a batch may name is counted (the endpoints themselves: data/files.json)."""


class BodyCount(NamedTuple):
    """One body's prompt tokens (``low``/``high`` its bounds), output bound and inputs (a named
    tuple: a worker process sends one back per line, and a tuple pickles fastest)."""

    total: int
    low: int
    high: int
    exact: bool
    output_tokens_max: int | None
    own_cap: bool
    inputs: int
    notes: tuple[str, ...]


def count_body(kind: str, body: Mapping[str, Any], info: ModelInfo) -> BodyCount:
    """Count ``body`` of an endpoint of ``kind`` for the model ``info`` (its own, or the one asked for)."""
    if kind == "chat":
        from ..chat import count_request

        c = count_request(body, model=info.name)
        cap = c.output_tokens_max
        bound = output_tokens_max(info, c.total, cap)
        return BodyCount(
            c.total, c.low, c.high, c.exact, None if bound is None else bound * c.choices,
            cap is not None, 1, c.notes,
        )
    if kind == "embeddings":
        total, inputs = count_inputs(body, "input", info)
        return BodyCount(total, total, total, True, 0, True, inputs, ())
    total, prompts = count_inputs(body, "prompt", info)
    cap = body.get("max_tokens")
    allowed = None if cap is None else token_count(cap, "body.max_tokens")
    n = token_count(body.get("n", 1), "body.n", optional=True) or 1
    bound = output_tokens_max(info, total // max(prompts, 1), allowed)
    return BodyCount(total, total, total, True, None if bound is None else bound * n * prompts,
                     allowed is not None, prompts, ())


def count_inputs(body: Mapping[str, Any], key: str, info: ModelInfo) -> tuple[int, int]:
    """(tokens, inputs) of ``body[key]`` (an embeddings ``input``, a completions ``prompt``): a
    string, strings, token ids, or lists of token ids; exact, no overhead. Also the guard's
    count of an embeddings call (:mod:`tokencmp.guards.plan`)."""
    from ..text import count_tokens

    value = body.get(key)
    path = f"body.{key}"
    if isinstance(value, str):
        return _text(value, path, info, count_tokens), 1
    if not isinstance(value, list) or not value:
        raise InvalidRequestError(path, "expected a string, a list of strings, a list of token ids "
                                        "or a list of lists of token ids, not empty.")
    if all(type(v) is int for v in value):
        _ids(value, path)
        return len(value), 1
    total = 0
    for i, item in enumerate(value):
        where = f"{path}[{i}]"
        if isinstance(item, str):
            total += _text(item, where, info, count_tokens)
        elif isinstance(item, list) and item and all(type(v) is int for v in item):
            _ids(item, where)
            total += len(item)
        else:
            raise InvalidRequestError(where, "expected a string or a non-empty list of token ids.")
    return total, len(value)


def _text(text: str, path: str, info: ModelInfo, count: Any) -> int:
    if not text:
        raise InvalidRequestError(path, "an input cannot be an empty string.")
    return int(count(text, encoding=info.encoding))


def _ids(ids: list[int], path: str) -> None:
    if any(v < 0 for v in ids):
        raise InvalidRequestError(path, "token ids are integers of 0 or more.")
