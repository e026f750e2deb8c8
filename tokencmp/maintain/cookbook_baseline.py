"""The OpenAI cookbook's counting formula as published, the baseline the recorded-traffic
rates are set against (openai/openai-cookbook ``examples/How_to_count_tokens_with_tiktoken.ipynb``,
section 6 ``num_tokens_from_messages`` and section 7 ``num_tokens_for_tools``).

Messages: 3 tokens per message, the tokens of every string value of it (role, content,
name, tool_call_id ...), 1 more for a ``name``, and 3 to prime the reply. Tools: per
function 7 + the tokens of ``name:description`` (one trailing period dropped); 3 once for
a function with properties; per property 3 + the tokens of ``key:type:description``, and
for an enum −3 and, per value, 3 + its tokens; 12 once at the end. The 7 is gpt-4o's and
gpt-4o-mini's; for gpt-3.5-turbo and gpt-4 the cookbook has 10. Applied here to every model
with the model's encoding, as people use it (10 for a ``cl100k_base`` model, 7 otherwise).

    >>> # "Hello!" is 2 tokens: 3 + 1 (user) + 2 + 3 priming
    >>> cookbook_count({"messages": [{"role": "user", "content": "Hello!"}]}, "chat", "gpt-4o")
    9

It is frozen on purpose: :mod:`tokencmp.chat.cookbook` is the counter's own rule (its
constants are catalog data, refitted on evidence), this module is the published formula
whatever the counter does. A request it cannot take (a value that is not a string, an
image, a tool-call item, a property without a type or description) gives ``None``: the
notebook's code would raise there. Lists of text parts are read as their texts, and a
Responses body as its ``instructions`` (a system message) and input messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..text import count_tokens, encoding_for_model

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
FUNC_INIT = {"cl100k_base": 10}
"""Section 7's per-function constant: 10 on gpt-3.5-turbo and gpt-4, else gpt-4o's 7."""
FUNC_INIT_O200K = 7
PROP_INIT, PROP_KEY, ENUM_INIT, ENUM_ITEM, FUNC_END = 3, 3, -3, 3, 12

TEXT_PARTS = ("text", "input_text", "output_text")


class NotApplicable(Exception):
    """The cookbook's code could not count this request."""


def cookbook_count(body: dict[str, Any], api: str, model: str) -> int | None:
    """The cookbook formula's count of ``body`` (``api`` ``chat`` or a Responses one), or None."""
    encoding = encoding_for_model(model)

    def tokens(text: str) -> int:
        return count_tokens(text, encoding=encoding)

    try:
        messages = _messages(body) if api == "chat" else _responses_messages(body)
        functions = _functions(body, api)
        total = REPLY_PRIMING
        for message in messages:
            total += TOKENS_PER_MESSAGE
            for key, value in message.items():
                total += tokens(_text(value))
                if key == "name":
                    total += TOKENS_PER_NAME
        if functions:
            func_init = FUNC_INIT.get(encoding.name, FUNC_INIT_O200K)
            total += sum(func_init + _function_tokens(f, tokens) for f in functions) + FUNC_END
        return total
    except NotApplicable:
        return None


def _text(value: Any) -> str:
    """A message value as the text the cookbook encodes: a string, or a list of text parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(p, dict) and p.get("type") in TEXT_PARTS for p in value):
        return "".join(str(p.get("text", "")) for p in value)
    raise NotApplicable


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise NotApplicable
    return messages


def _responses_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(body.get("instructions"), str):
        out.append({"role": "system", "content": body["instructions"]})
    given = body.get("input")
    if isinstance(given, str):
        return [*out, {"role": "user", "content": given}]
    if not isinstance(given, list):
        raise NotApplicable
    for item in given:
        if not isinstance(item, dict) or item.get("type", "message") != "message" or "role" not in item:
            raise NotApplicable
        out.append({"role": item["role"], "content": item.get("content")})
    return out


def _functions(body: dict[str, Any], api: str) -> list[dict[str, Any]]:
    """The function definitions in the Chat shape (``name``, ``description``, ``parameters``)."""
    if body.get("functions"):
        return list(body["functions"])
    tools = body.get("tools") or []
    if api == "chat":
        return [t.get("function") for t in tools]
    return [t for t in tools if isinstance(t, dict)]


def _function_tokens(function: Any, tokens: Callable[[str], int]) -> int:
    try:
        description = function["description"].removesuffix(".")
        n = tokens(f"{function['name']}:{description}")
        properties = function["parameters"]["properties"]
        if properties:
            n += PROP_INIT
        for key, prop in properties.items():
            n += PROP_KEY
            if "enum" in prop:
                n += ENUM_INIT
                for item in prop["enum"]:
                    if not isinstance(item, str):
                        raise NotApplicable
                    n += ENUM_ITEM + tokens(item)
            n += tokens(f"{key}:{prop['type']}:{prop['description'].removesuffix('.')}")
        return int(n)
    except (KeyError, TypeError, AttributeError) as e:
        raise NotApplicable from e
