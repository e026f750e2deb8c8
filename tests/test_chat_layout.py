"""The one-way path: renderers lay a request out as labelled segments, the breakdown is their sum.

Expected numbers are worked by hand from the formats' published layouts: the cookbook's
(openai/openai-cookbook examples/How_to_count_tokens_with_tiktoken.ipynb, section 6: 3 tokens
per message, the role, the content, 3 to prime the reply) and harmony's (openai/harmony
docs/format.md: every <|...|> marker one special token).
"""

from __future__ import annotations

import tokencmp
from tokencmp.chat.chatml import render_chatml
from tokencmp.chat.context import Context
from tokencmp.chat.harmony import render_harmony
from tokencmp.chat.layout import PRIMING, Joined, Layout
from tokencmp.chat.parse import parse_request
from tokencmp.chat.result import RequestCount

from .chat_examples import JARGON, WEATHER_MESSAGES, WEATHER_TOOLS


def tok(text: str, encoding: str = "o200k_base") -> int:
    return tokencmp.count_tokens(text, encoding=encoding)


def test_chatml_segments_are_the_cookbook_formula() -> None:
    req = parse_request({"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]})
    layout = render_chatml(req, Context.for_model("gpt-4o"))
    # 3 per message + tokens("user") = 4, the content as text, 3 to prime the reply
    expected = [(0, "overhead", 3 + tok("user")), (0, "content", "hello"), (PRIMING, "tokens", 3)]
    assert layout.segments == expected


def test_breakdown_is_the_sum_of_the_labelled_segments() -> None:
    for model in ("gpt-4o", "gpt-4", "gpt-3.5-turbo-0613", "gpt-oss-20b"):
        body = {"model": model, "messages": WEATHER_MESSAGES, "tools": WEATHER_TOOLS}
        count = tokencmp.count_request(body)
        ctx = Context.for_model(model)
        req = parse_request(body)
        layout = (render_harmony if ctx.fmt.harmony is not None else render_chatml)(req, ctx)
        counts = layout.count(ctx.tokens)
        b = count.breakdown
        assert sum(counts) == count.total == b.total
        for i, m in enumerate(b.messages):
            assert m.total == sum(n for o, n in zip(layout.owners, counts, strict=True) if o == i)
        assert b.tools is not None
        assert b.tools.total == sum(n for o, n in zip(layout.owners, counts, strict=True) if o == "tools")


def test_joined_text_counts_what_it_adds_to_the_text_before_it() -> None:
    layout = Layout()
    layout.add(0, "content", "hello")
    layout.add(0, "overhead", Joined(" world"))
    layout.add(0, "overhead", 1)
    layout.add(0, "overhead", Joined("!"))  # after a special token: a text of its own
    enc = tokencmp.get_encoding("o200k_base")
    counts = layout.count(lambda t: len(enc.encode_ordinary(t)))
    assert counts == [tok("hello"), tok("hello world") - tok("hello"), 1, tok("!")]


def test_harmony_response_format_without_system_message_is_a_developer_message() -> None:
    # harmony: <|start|>developer<|message|>{the # Response Formats text}<|end|>: 3 specials +
    # "developer" + the text (the wrapper was not counted before 0.x's layout)
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    body = {
        "model": "gpt-oss-20b",
        "messages": [{"role": "user", "content": "hi"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}},
    }
    text = '# Response Formats\n\n## answer\n\n{"type":"object","properties":{"a":{"type":"string"}}}'
    count = tokencmp.count_request(body)
    wrapped = 3 + tok("developer", "o200k_harmony") + tok(text, "o200k_harmony")
    assert count.breakdown.response_format == wrapped


def test_results_are_frozen_dataclasses_with_to_dict_and_the_old_names() -> None:
    count = tokencmp.count_request({"model": "gpt-4", "messages": JARGON, "max_tokens": 7})
    assert isinstance(count, RequestCount) and isinstance(count.notes, tuple)
    assert isinstance(count.breakdown.messages, tuple)
    assert count.output_tokens_max == count.max_output_tokens == 7
    assert count.model_dump() == count.to_dict()
    d = count.to_dict()
    assert d["total"] == 129 and d["output_tokens_max"] == 7  # cookbook section 6: 129 on gpt-4
    assert d["breakdown"]["total"] == 129
    assert sum(m["total"] for m in d["breakdown"]["messages"]) + d["breakdown"]["reply_priming"] == 129
