"""Properties of chat counting that must hold for any request (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp import InvalidRequestError

MODELS = ["gpt-4o", "gpt-4", "gpt-3.5-turbo-0301", "gpt-5", "gpt-oss-20b"]
text = st.text(st.characters(codec="utf-8"), max_size=40)
role_message = st.builds(
    lambda role, content, name: {"role": role, "content": content, **({"name": name} if name else {})},
    st.sampled_from(["system", "developer", "user", "assistant"]),
    text,
    st.one_of(st.none(), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)),
)
tool_round_trip = st.builds(
    lambda name, args, out: [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": name, "arguments": args}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": out},
    ],
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
    text,
    text,
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(role_message, min_size=1, max_size=5), role_message, st.sampled_from(MODELS))
def test_adding_a_message_never_lowers_the_total(messages: list, extra: dict, model: str) -> None:
    before = tokencmp.count_messages(messages, model=model).total
    assert tokencmp.count_messages([*messages, extra], model=model).total >= before


@SETTINGS
@given(st.lists(role_message, min_size=1, max_size=3), tool_round_trip, st.sampled_from(MODELS))
def test_adding_a_tool_round_trip_never_lowers_the_total(messages: list, pair: list, model: str) -> None:
    before = tokencmp.count_messages(messages, model=model).total
    assert tokencmp.count_messages([*messages, *pair], model=model).total > before


@SETTINGS
@given(text, st.sampled_from(["system", "user", "developer"]), st.sampled_from(MODELS))
def test_string_and_one_text_part_count_the_same(content: str, role: str, model: str) -> None:
    # docs/chat.md, "Rules fitted to recorded calls", list content: no per-part overhead; exact where
    # recorded calls show it (gpt-4o, gpt-4, gpt-5), an estimate with a note elsewhere
    plain = tokencmp.count_messages([{"role": role, "content": content}], model=model)
    parts = tokencmp.count_messages(
        [{"role": role, "content": [{"type": "text", "text": content}]}], model=model
    )
    assert parts.total == plain.total
    if model in ("gpt-4o", "gpt-4", "gpt-5"):
        assert parts.exact == plain.exact
    else:
        assert not parts.exact
        assert any(n.startswith("content parts") for n in parts.notes)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), text)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=20,
)
field_value = st.one_of(
    json_value,
    st.sampled_from(
        [
            "system",
            "user",
            "assistant",
            "tool",
            "function",
            "developer",
            "text",
            "image_url",
            "function",
            "auto",
            "none",
            "required",
            "json_schema",
            "input_text",
            "message",
            "function_call",
            "function_call_output",
        ]
    ),
)
KEYS = [
    "role",
    "content",
    "name",
    "type",
    "text",
    "tool_calls",
    "function",
    "arguments",
    "tool_call_id",
    "function_call",
    "parameters",
    "properties",
    "description",
    "enum",
    "items",
    "anyOf",
    "required",
    "json_schema",
    "schema",
    "call_id",
    "output",
    "image_url",
    "url",
]


def _shaped(depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like requests (the right keys, random values), to reach deep validation paths."""
    if depth > 3:
        return field_value
    child = st.deferred(lambda: _shaped(depth + 1))
    return st.one_of(
        field_value,
        st.lists(child, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), child, max_size=5),
    )


body = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {"model": st.sampled_from(MODELS)},
        optional={
            k: _shaped()
            for k in [
                "messages",
                "tools",
                "functions",
                "tool_choice",
                "function_call",
                "response_format",
                "input",
                "instructions",
                "max_tokens",
                "text",
            ]
        },
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body)
def test_any_body_either_counts_or_raises_invalid_request(value: Any) -> None:
    try:
        count = tokencmp.count_request(value)
    except InvalidRequestError as e:
        assert isinstance(e.path, str) and str(e)
    else:
        assert count.total >= 0
