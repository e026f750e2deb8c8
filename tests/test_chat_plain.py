"""Plain messages (a role and a string content, nothing else) take the one-step path: parsed as
two columns, laid out as a run, counted in one call. They must count as the cookbook's formula
does, alone or mixed with other messages (openai/openai-cookbook
examples/How_to_count_tokens_with_tiktoken.ipynb, section 6: 3 tokens per message, the tokens of
the role and of the content, +1 and the name's tokens for a name, 3 to prime the reply).
"""

from __future__ import annotations

import tokencmp
from tokencmp.chat.chatml import render_chatml
from tokencmp.chat.context import Context
from tokencmp.chat.layout import Layout
from tokencmp.chat.parse import parse_request
from tokencmp.chat.request import Message, PlainMessages
from tokencmp.text.count import batch_counter, short_counter
from tokencmp.text.engine import ENGINE_MIN

ENC = tokencmp.get_encoding("o200k_base")


def tok(text: str) -> int:
    return len(ENC.encode_ordinary(text))


def test_batch_counter_counts_each_text_as_tiktoken_does() -> None:
    # tiktoken's own wrapper replaces lone surrogates (tiktoken/core.py, encode_ordinary), which
    # the Rust core refuses: the batch falls back text by text and still counts both
    texts = ["hello world", "", "caf\u00e9 \ud800 x", "a b " * (ENGINE_MIN // 4 + 1)]
    assert batch_counter(ENC)(texts) == [tok(t) for t in texts]
    assert [short_counter(ENC)(t) for t in texts] == [tok(t) for t in texts]


def test_plain_messages_read_as_their_message_tuple() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "system", "content": "Be brief."},
                                            {"role": "user", "content": "hi"}]}
    messages = parse_request(body).messages
    assert isinstance(messages, PlainMessages)
    assert messages == (Message("system", "Be brief.", "messages[0]"), Message("user", "hi", "messages[1]"))
    assert [m.path for m in tokencmp.count_request(body).breakdown.messages] == ["messages[0]", "messages[1]"]


def test_a_request_of_plain_messages_counts_the_cookbook_formula() -> None:
    texts = ["You are terse.", "What is 2 + 2?", "4.", "And 3 + 3?"]
    roles = ["system", "user", "assistant", "user"]
    pairs = list(zip(roles, texts, strict=True))
    body = {"model": "gpt-4o", "messages": [{"role": r, "content": t} for r, t in pairs]}
    expected = sum(3 + tok(r) + tok(t) for r, t in pairs) + 3
    count = tokencmp.count_request(body)
    assert count.total == expected and count.exact
    assert [m.total for m in count.breakdown.messages] == [
        3 + tok(r) + tok(t) for r, t in pairs
    ]


def test_plain_messages_mixed_with_others_count_the_cookbook_formula() -> None:
    # a name costs tokens(name) + 1 (cookbook section 6); the runs of plain messages around it
    # are laid out in one step each
    messages = [
        {"role": "user", "content": "one"},
        {"role": "user", "content": "two"},
        {"role": "user", "content": "three", "name": "bob"},
        {"role": "assistant", "content": "four"},
        {"role": "user", "content": "five"},
    ]
    count = tokencmp.count_request({"model": "gpt-4o", "messages": messages})
    rows = [3 + tok(m["role"]) + tok(m["content"]) for m in messages]
    rows[2] += tok("bob") + 1
    assert [m.total for m in count.breakdown.messages] == rows
    assert count.total == sum(rows) + 3
    assert count.breakdown.messages[2].name == tok("bob") + 1


def test_the_plain_run_lays_out_the_segments_message_by_message() -> None:
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    layout = render_chatml(parse_request({"messages": messages}), Context.for_model("gpt-4o"))
    user, assistant = 3 + tok("user"), 3 + tok("assistant")
    assert layout.segments == [(0, "overhead", user), (0, "content", "hi"), (1, "overhead", assistant),
                               (1, "content", "yo"), ("reply_priming", "tokens", 3)]
    assert layout.texts == ["hi", "yo"] and layout.fixed == user + assistant + 3
    run = Layout().add_messages(0, [user, assistant], ["hi", "yo"])
    assert run == Layout.of_messages([user, assistant], ["hi", "yo"])
