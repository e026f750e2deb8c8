"""Hostile inputs for the fuzz tests: strategies, the run profile, and the soundness check.

The profile is chosen by the ``TOKENCMP_FUZZ`` environment variable, read
once when the tests are collected:

* unset (CI): a fixed seed (``derandomize=True``) and a small number of
  examples per test, so every run tries the same inputs and the whole fuzz
  suite stays well under two minutes on two cores;
* ``long``: twenty times as many examples, random seeds (hypothesis prints
  the seed of any failure, and ``@reproduce_failure`` replays it). See
  docs/reliability.md.

:func:`sound` is the contract every public entry point is held to: it returns
a value, or raises a :class:`tokencmp.TokencmpError` subclass. Any other
exception (a ``TypeError`` from deep inside, a ``PanicException`` from the
Rust tokenizer, a ``RecursionError``) fails the test with the input.
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tokencmp.errors import TokencmpError

T = TypeVar("T")

LONG = os.environ.get("TOKENCMP_FUZZ", "").strip().lower() == "long"


def profile(examples: int) -> settings:
    """Settings for one fuzz test: ``examples`` in CI, twenty times as many in the long run."""
    if LONG:
        return settings(
            max_examples=examples * 20, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        )
    return settings(
        max_examples=examples, derandomize=True, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
    )


class Refused:
    """What :func:`sound` returns when the call raised a TokencmpError."""

    def __init__(self, error: TokencmpError) -> None:
        self.error = error


def sound(call: Callable[[], T]) -> T | Refused:
    """Run ``call``: its value, or :class:`Refused` for a TokencmpError; anything else fails."""
    try:
        return call()
    except TokencmpError as e:
        assert str(e).strip(), f"{type(e).__name__} with an empty message"
        return Refused(e)
    except BaseException as e:
        raise AssertionError(f"{type(e).__module__}.{type(e).__name__} escaped: {e!r}"[:2000]) from e


# --- text -------------------------------------------------------------------------------------

# Characters that have broken tokenizers and text pipelines: NUL and C0 controls, lone
# surrogates, combining marks (and a long stack of them), bidi controls and marks, joiners,
# BOM, noncharacters, the Unicode line separators, astral emoji with ZWJ, special-token text.
NASTY = [
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\udc80\ud83d", "\u0301",
    "e\u0301\u0302\u0303\u0304", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a",
    "\u202b", "\u202e", "\u2066", "\u2069", "\u061c", "\ufeff", "\ufffe", "\uffff", "\ufffd",
    "\u2028", "\u2029", "\u3000", "\r\n", "\r", "\t", "\x0b", "\x0c", "\U0001f469\u200d\U0001f4bb",
    "\U0001f1fa\U0001f1f8", "\U0010ffff", "\U000e0001", "<|endoftext|>", "<|im_start|>", "<|start|>",
    "'s", "'S", "\u0130", "\u00df", "\ufb03", "\u0e01\u0e33", "\u1100\u1161\u11a8",
]

any_char = st.characters(codec=None, exclude_categories=())  # every code point, surrogates too
run_char = st.one_of(st.sampled_from([" ", "\n", "\t", "\u3000", "a", "0", ".", "\u0301", "\x00", "日"]),
                     any_char)


def runs(max_len: int) -> st.SearchStrategy[str]:
    """A long run of one character (whitespace, a letter, a mark, NUL ...)."""
    return st.builds(lambda c, n: c * n, run_char, st.integers(0, max_len))


def hostile_text(max_size: int = 60, max_run: int = 3000) -> st.SearchStrategy[str]:
    """Any Unicode text, mixed from arbitrary code points, nasty pieces and long runs."""
    piece = st.one_of(
        st.text(any_char, max_size=max_size),
        st.sampled_from(NASTY),
        runs(max_run),
        st.text(st.sampled_from(string.printable), max_size=max_size),
    )
    return st.lists(piece, max_size=6).map("".join)


# --- JSON ---------------------------------------------------------------------------------------

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text(20, 200),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text(8, 0), inner, max_size=4)
    ),
    max_leaves=12,
)


def nested(depth: int, leaf: Any = "x") -> Any:
    """``leaf`` inside ``depth`` alternating lists and objects."""
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indexes) into a JSON value, the root included."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


def replaced(value: Any, path: tuple, new: Any) -> Any:
    """A copy of ``value`` with the value at ``path`` replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


def mutated(template: Any) -> st.SearchStrategy[Any]:
    """``template`` with one value, at any path, replaced by an arbitrary JSON value (or deleted)."""
    every = paths(template)

    @st.composite
    def build(draw: Any) -> Any:
        path = draw(st.sampled_from(every))
        new = draw(st.one_of(json_value, st.builds(nested, st.integers(1, 150), json_scalar)))
        if path and draw(st.booleans()) and isinstance(parent := _at(template, path[:-1]), dict):
            return replaced(template, path[:-1], {k: v for k, v in parent.items() if k != path[-1]})
        return replaced(template, path, new)

    return build()


def _at(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


# Templates of valid bodies touching every field the parsers read.
CHAT_TEMPLATE: dict[str, Any] = {
    "model": "gpt-4o",
    "max_completion_tokens": 100,
    "messages": [
        {"role": "system", "content": "Be brief.", "name": "sys"},
        {"role": "user", "content": [{"type": "text", "text": "hi"},
                                     {"type": "image_url", "image_url": {"url": "https://x/y.png",
                                                                         "detail": "low"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "no"}]},
    ],
    "tools": [{"type": "function", "function": {
        "name": "f", "description": "Find.", "parameters": {
            "type": "object", "required": ["a"], "properties": {
                "a": {"type": "integer", "description": "A."},
                "b": {"type": "string", "enum": ["x", "y"]},
                "c": {"type": "array", "items": {"type": "object", "properties": {"d": {"type": "number"}}}},
                "e": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            }}}}],
    "tool_choice": {"type": "function", "function": {"name": "f"}},
    "response_format": {"type": "json_schema", "json_schema": {
        "name": "out", "description": "d", "schema": {"type": "object"}}},
}
LEGACY_TEMPLATE: dict[str, Any] = {
    "model": "gpt-3.5-turbo-0613",
    "max_tokens": 50,
    "messages": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": None, "function_call": {"name": "w", "arguments": "{}"}},
        {"role": "function", "name": "w", "content": "sunny"},
    ],
    "functions": [{"name": "w", "description": "Weather.", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}}}],
    "function_call": {"name": "w"},
}
RESPONSES_TEMPLATE: dict[str, Any] = {
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "max_output_tokens": 64,
    "input": [
        {"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "hi"},
            {"type": "input_image", "image_url": "data:image/gif;base64,R0lGODlhAQACAAAAACwAAAAAAQACAAAC",
             "detail": "high"}]},
        {"type": "function_call", "name": "f", "arguments": "{}", "call_id": "c1"},
        {"type": "function_call_output", "call_id": "c1", "output": "ok"},
        {"type": "reasoning", "summary": []},
    ],
    "tools": [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}}],
    "tool_choice": "auto",
    "text": {"format": {"type": "json_schema", "name": "o", "schema": {"type": "object"}}},
}
HARMONY_TEMPLATE = {**CHAT_TEMPLATE, "model": "gpt-oss-20b"}

TEMPLATES = (CHAT_TEMPLATE, LEGACY_TEMPLATE, RESPONSES_TEMPLATE, HARMONY_TEMPLATE)

hostile_request = st.one_of(
    *(mutated(t) for t in TEMPLATES),
    json_value,
    st.builds(nested, st.integers(90, 400)),
    st.builds(lambda t: {"model": "gpt-4o", "messages": [{"role": "user", "content": t}]},
              hostile_text(200, 20_000)),
)

# --- model names ---------------------------------------------------------------------------------

KNOWN_MODELS = ["gpt-4o", "gpt-4", "gpt-3.5-turbo", "gpt-5", "gpt-4.1-mini", "o3", "gpt-oss-20b",
                "text-embedding-3-small", "gpt-5.4", "gpt-image-1", "davinci-002"]
model_name = st.one_of(
    st.sampled_from(KNOWN_MODELS),
    st.builds(lambda base, tail: base + tail, st.sampled_from([*KNOWN_MODELS, "ft:", "azure/", ""]),
              st.one_of(st.sampled_from(["-2024-08-06", "-latest", "-chat-latest", ":org::id", "-x",
                                         "-2024" * 40, "-latest" * 40, " ", "\x00", "\ud800"]),
                        hostile_text(12, 40))),
    hostile_text(30, 300),
)
any_model = st.one_of(model_name, json_scalar, st.lists(st.text(max_size=3), max_size=2))
