"""Every malformed request raises InvalidRequestError naming where it is wrong (hypothesis).

A valid body is generated, then exactly one thing in it is broken in a way the API rejects
(OpenAI's Chat Completions API reference: the types of `messages`, `role`, `content`, parts, `tool_calls`,
`tools`, `tool_choice`, `function_call`, `max_tokens`). The count must fail with
`InvalidRequestError` whose `.path` points at (or above) the broken value: never a count, never
another exception.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp import InvalidRequestError

MODELS = ["gpt-4o", "gpt-4", "gpt-3.5-turbo-0613", "gpt-5", "gpt-oss-20b"]
WRONG = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.just([1]), st.just({"x": 1}))
NOT_STRING = st.one_of(st.integers(), st.booleans(), st.just([]), st.just({}))


def valid_body(model: str) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": "You answer briefly."},
            {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": "18C"},
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "weather",
                    "description": "Current weather",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                },
            }
        ],
        "tool_choice": "auto",
        "max_tokens": 100,
    }


Mutation = Callable[[dict[str, Any], Any], str]
"""Breaks a body in place with a drawn value; returns the JSON path the error must name."""


def _set(path: str, *keys: Any) -> Mutation:
    def mutate(body: dict[str, Any], value: Any) -> str:
        target = body
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return path

    return mutate


def _drop(path: str, *keys: Any) -> Mutation:
    def mutate(body: dict[str, Any], _value: Any) -> str:
        target = body
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
        return path

    return mutate


MUTATIONS: dict[str, tuple[Mutation, st.SearchStrategy[Any]]] = {
    "model not a string": (_set("model", "model"), NOT_STRING),
    "messages not a list": (_set("messages", "messages"), st.one_of(st.integers(), st.text(), st.just({}))),
    "messages empty": (_set("messages", "messages"), st.just([])),
    "message not an object": (_set("messages[1]", "messages", 1), st.one_of(st.text(), st.integers())),
    "role missing": (_drop("messages[0]", "messages", 0, "role"), st.none()),
    "role unknown": (
        _set("messages[0].role", "messages", 0, "role"),
        st.sampled_from(["robot", "", "USER "]),
    ),
    "role not a string": (_set("messages[0].role", "messages", 0, "role"), NOT_STRING),
    "content wrong type": (
        _set("messages[0].content", "messages", 0, "content"),
        st.one_of(st.integers(), st.booleans(), st.just({"a": 1})),
    ),
    "part not an object": (
        _set("messages[1].content[0]", "messages", 1, "content", 0),
        st.one_of(st.text(), st.integers()),
    ),
    "part type unknown": (
        _set("messages[1].content[0].type", "messages", 1, "content", 0, "type"),
        st.sampled_from(["txt", "video", ""]),
    ),
    "part text not a string": (
        _set("messages[1].content[0].text", "messages", 1, "content", 0, "text"),
        NOT_STRING,
    ),
    "tool_calls not a list": (
        _set("messages[2].tool_calls", "messages", 2, "tool_calls"),
        st.one_of(st.integers(), st.text(min_size=1), st.just({})),
    ),
    "tool call without function": (
        _drop("messages[2].tool_calls[0]", "messages", 2, "tool_calls", 0, "function"),
        st.none(),
    ),
    "tool call name not a string": (
        _set("messages[2].tool_calls[0].function.name", "messages", 2, "tool_calls", 0, "function", "name"),
        NOT_STRING,
    ),
    "tool call arguments not a string": (
        _set(
            "messages[2].tool_calls[0].function.arguments",
            "messages",
            2,
            "tool_calls",
            0,
            "function",
            "arguments",
        ),
        st.one_of(st.integers(), st.just({"a": 1})),
    ),
    "tool message id not a string": (
        _set("messages[3].tool_call_id", "messages", 3, "tool_call_id"),
        st.one_of(st.integers(), st.just([])),
    ),
    "tools not a list": (_set("tools", "tools"), st.one_of(st.integers(), st.text(), st.just({}))),
    "tool not an object": (_set("tools[0]", "tools", 0), st.one_of(st.text(), st.integers())),
    "tool without function": (_drop("tools[0]", "tools", 0, "function"), st.none()),
    "tool name not a string": (_set("tools[0].function.name", "tools", 0, "function", "name"), NOT_STRING),
    "tool parameters not an object": (
        _set("tools[0].function.parameters", "tools", 0, "function", "parameters"),
        st.one_of(st.integers(), st.text(), st.just([1])),
    ),
    "tool_choice unknown": (_set("tool_choice", "tool_choice"), st.sampled_from(["sometimes", "", "AUTO"])),
    "tool_choice wrong type": (
        _set("tool_choice", "tool_choice"),
        st.one_of(st.integers(), st.booleans(), st.just([])),
    ),
    "tool_choice names an undefined tool": (
        _set("tool_choice", "tool_choice"),
        st.just({"type": "function", "function": {"name": "nope"}}),
    ),
    "max_tokens negative": (_set("max_tokens", "max_tokens"), st.integers(max_value=-1)),
    "max_tokens not a number": (
        _set("max_tokens", "max_tokens"),
        st.one_of(st.text(), st.just([]), st.floats(0.5, 10.5).filter(lambda x: x != int(x))),
    ),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.sampled_from(sorted(MUTATIONS)), st.sampled_from(MODELS), st.data())
def test_every_generated_malformed_request_raises_invalid_request(
    name: str, model: str, data: st.DataObject
) -> None:
    mutate, values = MUTATIONS[name]
    body = copy.deepcopy(valid_body(model))
    path = mutate(body, data.draw(values, label="value"))
    with pytest.raises(InvalidRequestError) as e:
        tokencmp.count_request(body)
    assert path.startswith(e.value.path) or e.value.path.startswith(path), (name, path, e.value.path)


def test_the_base_body_is_valid_on_every_model() -> None:
    for model in MODELS:
        assert tokencmp.count_request(valid_body(model)).total > 0


LEGACY = {
    "model": "gpt-3.5-turbo-0613",
    "messages": [{"role": "user", "content": "hi"}],
    "functions": [{"name": "f", "parameters": {"type": "object", "properties": {}}}],
}


@pytest.mark.parametrize(
    "change, path",
    [
        ({"function_call": "sometimes"}, "function_call"),
        ({"function_call": {"name": 5}}, "function_call.name"),
        ({"function_call": {"name": "g"}}, "function_call"),
        ({"functions": None, "function_call": {"name": "f"}}, "function_call"),
        ({"functions": None, "function_call": 7}, "function_call"),
    ],
)
def test_legacy_function_call_is_validated_even_without_functions(change: dict, path: str) -> None:
    body = {**LEGACY, **change}
    if body.get("functions") is None:
        body.pop("functions", None)
    with pytest.raises(InvalidRequestError) as e:
        tokencmp.count_request(body)
    assert e.value.path.startswith(path.split(".")[0])
