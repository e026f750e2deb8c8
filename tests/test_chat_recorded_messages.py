"""The message-level rules against recorded API calls (docs/chat.md, "Rules fitted to recorded calls").

Each case is a request as it was sent to api.openai.com and the ``prompt_tokens`` /
``input_tokens`` the API returned, copied from a VCR cassette in the test suite of
pydantic/pydantic-ai (MIT) or traceloop/openllmetry (Apache-2.0); the comment names the
repository, the cassette, the interaction and the date of the response. Where a request's
tool definitions are counted by rules of their own, the test takes the step between two
interactions of one cassette (the same tools, one call/result pair more), so only the
message rules are measured.
"""

from __future__ import annotations

import pytest

import tokencmp


def count(body: dict, **kw) -> tokencmp.RequestCount:
    return tokencmp.count_request(body, **kw)


# --- reply priming ---------------------------------------------------------------------------

PRIMING = [
    # pydantic/pydantic-ai tests/models/cassettes/test_openai/
    # test_openai_model_settings_temperature_ignored_on_gpt_5.yaml interaction0, 2025-08-11: 13
    ({"messages": [{"content": "What is the capital of France?", "role": "user"}], "model": "gpt-5"}, 13),
    # pydantic/pydantic-ai test_openai/test_max_completion_tokens[o3-mini].yaml interaction0, 2026-06-15: 7
    ({"max_completion_tokens": 100, "messages": [{"content": "hello", "role": "user"}],
      "model": "o3-mini"}, 7),
    # pydantic/pydantic-ai test_openai/test_openai_model_without_system_prompt.yaml interaction0, 2025-04-08
    ({"messages": [{"content": "You are a potato.", "role": "system"}], "model": "o3-mini", "n": 1}, 11),
    # traceloop/openllmetry packages/opentelemetry-instrumentation-openai/tests/traces/cassettes/test_chat/
    # test_chat_reasoning.yaml interaction0, 2025-08-19: 11
    ({"messages": [{"role": "user", "content": "Count r's in strawberry"}], "model": "gpt-5-nano",
      "reasoning_effort": "low"}, 11),
    # pydantic/pydantic-ai tests/models/cassettes/test_openai_responses/
    # test_openai_responses_reasoning_context_default_wire_contract[default-unsupported].yaml
    # interaction0, 2026-07-24: 18
    ({"include": ["reasoning.encrypted_content"], "model": "o3",
      "input": [{"content": "What is the capital of France? Answer in one word.", "role": "user"}]}, 18),
    # traceloop/openllmetry .../test_responses/test_responses_reasoning.yaml interaction0, 2025-08-19: 11
    ({"input": "Count r's in strawberry", "model": "gpt-5-nano", "reasoning": {"effort": "low"}}, 11),
]


@pytest.mark.parametrize(("body", "observed"), PRIMING)
def test_reasoning_models_prime_the_reply_with_two_tokens(body: dict, observed: int) -> None:
    c = count(body)
    assert c.total == observed and c.exact
    assert c.breakdown.reply_priming == 2


def test_gpt_4_1_and_gpt_4_5_keep_three() -> None:
    # traceloop/openllmetry .../test_chat/test_chat_history_message_dict.yaml interaction1, 2025-06-05: 43
    body = {"model": "gpt-4.1-nano", "messages": [
        {"role": "user", "content": "Generate a random noun in Korean. Respond with just that word."},
        {"role": "assistant", "content": "\ubc14\ub2e4"},
        {"role": "user", "content": "Now, generate a sentence using the word you just gave me."}]}
    c = count(body)
    assert (c.total, c.exact, c.breakdown.reply_priming) == (43, True, 3)
    # pydantic/pydantic-ai test_openai/test_max_completion_tokens[gpt-4.5-preview].yaml interaction0,
    # 2025-03-22: 8 = 3 + 1 (user) + 1 ("hello") + 3
    c = count({"max_completion_tokens": 100, "messages": [{"content": "hello", "role": "user"}],
               "model": "gpt-4.5-preview"})
    assert (c.total, c.exact) == (8, True)


def test_a_reasoning_model_not_recorded_is_an_estimate_either_way() -> None:
    c = count({"messages": [{"content": "hello", "role": "user"}], "model": "o4-mini"})
    # 3 + 1 + 1 + 2: the family's priming, but no recorded call of o4-mini
    assert (c.total, c.exact) == (7, False)
    assert c.low <= 7 - 1 and c.high >= 7 + 1  # the priming could be 2 or 3


def test_a_name_on_a_model_no_recording_measures_it_on_is_an_estimate() -> None:
    # no recorded call of gpt-5 carries a message name; the cookbook measured +1 on gpt-4o only
    named = [{"role": "user", "content": "hello", "name": "ann"}]
    assert not count({"model": "gpt-5", "messages": named}).exact
    assert count({"model": "gpt-4o", "messages": named}).exact
    assert count({"model": "gpt-5", "messages": [{"role": "user", "content": "hello"}]}).exact


def test_the_chat_variants_are_not_counted_as_reasoning_models() -> None:
    # gpt-5-chat-latest / gpt-5.1-chat-latest are ChatGPT's non-reasoning models: no recorded call,
    # so the format's 3 / +1 / 3 as an estimate, bounded by the reasoning models' 2
    for model in ("gpt-5-chat-latest", "gpt-5.1-chat-latest"):
        c = count({"model": model, "messages": [{"role": "user", "content": "hello"}]})
        assert (c.total, c.exact, c.breakdown.reply_priming) == (8, False, 3) and c.low <= 7


def test_o1_mini_is_an_estimate_that_bounds_its_one_recording() -> None:
    # pydantic/pydantic-ai test_openai/test_system_prompt_role_o1_mini.yaml interaction0, 2025-08-15: 30
    body = {"messages": [{"content": "You are a helpful assistant.", "role": "user"},
                         {"content": "What's the capital of France?", "role": "user"}], "model": "o1-mini"}
    c = count(body)
    assert not c.exact and c.low <= 30 <= c.high


def test_assistant_messages_cost_two_more_on_gpt_5_responses() -> None:
    # pydantic/pydantic-ai test_openai_responses/test_openai_responses_thinking_with_modified_history.yaml
    # interaction2, 2025-09-12: 142
    body = {"include": ["reasoning.encrypted_content"], "model": "gpt-5",
            "reasoning": {"effort": "low", "summary": "detailed"}, "input": [
                {"content": "What is the meaning of life?", "role": "user"},
                {"content": "<think>\n**Considering perspectives on meaning**\n\nI need to keep my response "
                 "succinct since this topic is philosophical and subjective. I'll provide various "
                 "perspectives, such as biological, philosophical, personal constructs, and religious views. "
                 "A practical approach might involve creating meaning through relationships, contribution, "
                 "growth, experiences, and values. I should avoid being overly verbose and consider a short "
                 "actionable framework focusing on values, strengths, service, wonder, and connection. Also, "
                 "encouraging the user to share their thoughts would be great!\n</think>",
                 "role": "assistant"},
                {"content": "The meaning of life is 42", "role": "assistant"},
                {"content": "Anything to add?", "role": "user"}]}
    c = count(body)
    assert (c.total, c.exact) == (142, True)
    assert [m.overhead for m in c.breakdown.messages] == [4, 6, 6, 4]  # 3 + role, +2 per assistant


# --- search models ---------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "observed"), [
    # pydantic/pydantic-ai test_openai/test_openai_web_search_tool.yaml interaction0, 2025-05-14: 11
    ("What day is today?", 11),
    # pydantic/pydantic-ai test_openai/test_openai_web_search_tool_with_user_location.yaml
    # interaction0, 2025-05-14: 12
    ("What is the current temperature?", 12),
])
def test_search_models_report_the_contents_only(question: str, observed: int) -> None:
    body = {"model": "gpt-4o-search-preview", "web_search_options": {"search_context_size": "low"},
            "messages": [{"content": "You are a helpful assistant.", "role": "system"},
                         {"content": question, "role": "user"}]}
    c = count(body)
    enc = tokencmp.get_encoding("o200k_base")
    contents = len(enc.encode("You are a helpful assistant.")) + len(enc.encode(question))
    assert c.total == contents == observed and c.exact
    assert c.breakdown.reply_priming == 0


# --- tool-call history -----------------------------------------------------------------------

TOOL_CHOICE_REQUIRED_TOOLS = [
    {"function": {"description": "", "name": "get_user_country",
                  "parameters": {"additionalProperties": False, "properties": {}, "type": "object"}},
     "type": "function"},
    {"function": {"description": "The final response which ends this conversation", "name": "final_result",
                  "parameters": {"properties": {"city": {"type": "string"}, "country": {"type": "string"}},
                                 "required": ["city", "country"], "type": "object"}}, "type": "function"},
]
ADD_TOOLS = [{"type": "function", "function": {
    "name": "add_numbers", "description": "Add two numbers together.",
    "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                   "required": ["a", "b"]}}}]


def test_a_chat_tool_result_costs_its_calls_name_and_two_more() -> None:
    # pydantic/pydantic-ai test_openai/test_openai_tool_output.yaml interactions 0 and 1, 2025-05-01:
    # 68 and 89 prompt tokens, the second with one call/result pair more
    question = {"content": "What is the largest city in the user country?", "role": "user"}
    first = {"model": "gpt-4o", "tool_choice": "required", "tools": TOOL_CHOICE_REQUIRED_TOOLS,
             "messages": [question]}
    second = {**first, "messages": [question,
        {"role": "assistant", "tool_calls": [{"function": {"arguments": "{}", "name": "get_user_country"},
                                              "id": "call_iXFttys57ap0o16JSlC8yhYo", "type": "function"}]},
        {"content": "Mexico", "role": "tool", "tool_call_id": "call_iXFttys57ap0o16JSlC8yhYo"}]}
    assert count(second).total - count(first).total == 89 - 68
    # the pair by hand: assistant 3 + 1 + name 3 + "{}" 1; tool 3 + 1 + 5 + name 3 + "Mexico" 1
    assistant, tool = count(second).breakdown.messages[1:]
    assert (assistant.total, tool.total) == (8, 13)


def test_the_same_rule_on_gpt_4o_mini_from_another_source() -> None:
    # traceloop/openllmetry packages/opentelemetry-instrumentation-agno/tests/cassettes/test_agent/
    # test_agent_with_tools.yaml interactions 0 and 1, 2025-11-20: 52 and 79
    question = {"role": "user", "content": "Add 5 and 7"}
    first = {"model": "gpt-4o-mini", "tools": ADD_TOOLS, "messages": [question]}
    second = {**first, "messages": [question,
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "call_K1e5DeMhf00qONjSQD0B4h9C", "type": "function",
             "function": {"arguments": "{\"a\":5,\"b\":7}", "name": "add_numbers"}}]},
        {"role": "tool", "content": "12", "tool_call_id": "call_K1e5DeMhf00qONjSQD0B4h9C"}]}
    assert count(second).total - count(first).total == 79 - 52
    assert not any("tool-call history" in n for n in count(second).notes)


def test_a_responses_function_call_output_costs_its_calls_name() -> None:
    # pydantic/pydantic-ai test_openai_responses/
    # test_openai_responses_model_simple_response_with_tool_call.yaml interactions 0 and 1,
    # 2025-10-24: 40 and 67
    tools = [{"description": None, "name": "get_capital", "strict": True, "type": "function",
              "parameters": {"additionalProperties": False, "properties": {"country": {"type": "string"}},
                             "required": ["country"], "type": "object"}}]
    question = {"content": "What is the capital of PotatoLand?", "role": "user"}
    first = {"model": "gpt-4o", "tool_choice": "auto", "tools": tools, "input": [question]}
    second = {**first, "input": [question,
        {"arguments": "{\"country\":\"PotatoLand\"}", "call_id": "call_YfwRsW8sUxDKipwyhWTzOXCA",
         "name": "get_capital", "status": None, "type": "function_call"},
        {"call_id": "call_YfwRsW8sUxDKipwyhWTzOXCA", "output": "Potato City",
         "type": "function_call_output"}]}
    assert count(second).total - count(first).total == 67 - 40
    tool = count(second).breakdown.messages[2]
    enc = tokencmp.get_encoding("o200k_base")
    # 3 + role + 3 + tokens("get_capital") + tokens("Potato City"): the Chat rule less 2
    assert tool.total == 3 + 1 + 3 + len(enc.encode("get_capital")) + len(enc.encode("Potato City"))


def test_a_stored_function_call_id_is_an_estimate_with_its_cost_in_the_bounds() -> None:
    body = {"model": "gpt-4o", "input": [
        {"role": "user", "content": "hi"},
        {"type": "function_call", "call_id": "c1", "id": "fc_1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "ok"}]}
    c = count(body)
    without = count({**body, "input": [{k: v for k, v in i.items() if k != "id"} for i in body["input"]]})
    # +3 per call with its item id, seen on one source only: an estimate whose bounds reach the plain count
    assert c.total == without.total + 3 and not c.exact and without.exact
    assert c.low <= without.total <= c.high


def test_parallel_calls_are_an_estimate() -> None:
    calls = [{"id": f"c{i}", "type": "function", "function": {"name": "add_numbers", "arguments": "{}"}}
             for i in (1, 2)]
    body = {"model": "gpt-4o-mini", "tools": ADD_TOOLS, "messages": [
        {"role": "user", "content": "Add"}, {"role": "assistant", "tool_calls": calls},
        {"role": "tool", "tool_call_id": "c1", "content": "1"},
        {"role": "tool", "tool_call_id": "c2", "content": "2"}]}
    c = count(body)
    assert not c.exact and any(n.startswith("parallel tool calls") for n in c.notes) and c.high > c.total


# --- reasoning items -------------------------------------------------------------------------

def test_a_reasoning_item_of_the_current_turn_is_estimated_within_its_bounds() -> None:
    # pydantic/pydantic-ai test_openai_responses/test_openai_responses_requires_function_call_status_none.yaml
    # interaction1, 2025-10-24: 257 input tokens. Its encrypted_content had 1,932 characters; tokencmp reads
    # only their number, so a string of that length stands in for the ciphertext.
    body = {"include": ["reasoning.encrypted_content"], "model": "gpt-5", "tool_choice": "auto",
            "tools": [{"description": None, "name": "get_meaning_of_life", "strict": False,
                       "type": "function",
                       "parameters": {"additionalProperties": False, "properties": {}, "type": "object"}}],
            "input": [
                {"content": "What is the meaning of life?", "role": "user"},
                {"encrypted_content": "x" * 1932, "summary": [], "type": "reasoning",
                 "id": "rs_01d311e2633707df0068fbac0050ec81a2ad76fd9256abcaf7"},
                {"arguments": "{}", "call_id": "call_cp3x6W9eeyMIryJUNhgMaP5w",
                 "id": "fc_01d311e2633707df0068fbac038f1c81a29847e80d6a1a3f60", "name": "get_meaning_of_life",
                 "status": None, "type": "function_call"},
                {"call_id": "call_cp3x6W9eeyMIryJUNhgMaP5w", "output": "42", "type": "function_call_output"}]}
    c = count(body)
    # (1932 - 820) / 6.5 = 171.1: the catalog's constants for gpt-5's family
    assert c.breakdown.reasoning == 171
    assert not c.exact and c.low <= 257 <= c.high


def test_a_reasoning_item_of_an_earlier_turn_costs_nothing() -> None:
    item = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "x" * 13176}
    turns = [{"role": "user", "content": "hi"}, item, {"role": "assistant", "content": "Hello."},
             {"role": "user", "content": "Bye?"}]
    c = count({"model": "gpt-5", "input": turns})
    plain = count({"model": "gpt-5", "input": [t for t in turns if t is not item]})
    # pydantic/pydantic-ai test_openai_responses/test_openai_responses_model_thinking_part.yaml interaction1
    # (2025-09-12) carried a 13,176-character item before the last user message and was counted exactly
    # without it
    assert c.breakdown.reasoning == 0 and (c.total, c.exact) == (plain.total, plain.exact)


def test_reasoning_mode_pro_is_bounded_by_its_one_recording() -> None:
    # pydantic/pydantic-ai test_openai_responses/test_openai_responses_reasoning_mode_pro.yaml interaction0,
    # 2026-07-24: 1,549 input tokens for an 18-token question
    body = {"include": ["reasoning.encrypted_content"], "model": "gpt-5.6-sol",
            "reasoning": {"context": "all_turns", "mode": "pro"},
            "input": [{"content": "What is the capital of France? Answer in one word.", "role": "user"}]}
    c = count(body)
    assert c.total == 18 and not c.exact and c.low <= 1549 <= c.high


# --- content parts ---------------------------------------------------------------------------

def test_text_parts_cost_their_texts_and_nothing_per_part() -> None:
    # pydantic/pydantic-ai test_openai/test_text_document_as_binary_content_input.yaml interaction0,
    # 2025-09-30: 45
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"text": "What is the main content on this document?", "type": "text"},
        {"text": "-----BEGIN FILE id=\"f58746\" type=\"text/plain\"-----\nDummy TXT file\n\n"
                 "-----END FILE id=\"f58746\"-----", "type": "text"}]}]}
    c = count(body)
    assert (c.total, c.exact) == (45, True)


def test_a_patch_model_image_is_bounded_by_its_rounding() -> None:
    # pydantic/pydantic-ai test_openai/test_image_url_input_force_download.yaml interaction1, 2025-10-07:
    # 515 prompt tokens for a 540x360 image and one question on gpt-4.1-nano
    url = "https://example.com/vegetable.jpeg"
    body = {"model": "gpt-4.1-nano", "messages": [{"role": "user", "content": [
        {"text": "What is this vegetable?", "type": "text"},
        {"image_url": {"url": url}, "type": "image_url"}]}]}
    c = count(body, image_sizes={url: (540, 360)})
    part = c.breakdown.image_parts[0]
    # 204 patches x 2.46 = 501.8: 501 counted, 501..502 by the rounding, +2 above as recorded
    assert (part.tokens, part.low, part.high) == (501, 501, 504)
    assert not c.exact and c.low <= 515 <= c.high


def test_reasoning_of_all_turns_is_counted_when_the_request_asks_for_it() -> None:
    # OpenAI's reasoning guide: reasoning from earlier turns is not rendered by default;
    # reasoning.context "all_turns" persists it. No recorded call measures it: an estimate.
    item = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "x" * 1470}
    turns = [{"role": "user", "content": "hi"}, item, {"role": "assistant", "content": "Hello."},
             {"role": "user", "content": "Bye?"}]
    default = count({"model": "gpt-5", "input": turns})
    persisted = count({"model": "gpt-5", "input": turns, "reasoning": {"context": "all_turns"}})
    # (1470 - 820) / 6.5 = 100
    assert (default.breakdown.reasoning, persisted.breakdown.reasoning) == (0, 100)
    assert persisted.total == default.total + 100 and not persisted.exact
    assert any(n.startswith("reasoning.context 'all_turns'") for n in persisted.notes)


def test_tool_history_on_gpt_4_1_nano_is_an_estimate_within_its_bounds() -> None:
    # traceloop/openllmetry packages/opentelemetry-instrumentation-langchain/tests/cassettes/
    # test_tool_calls/test_tool_calls_with_history.yaml#interaction0, 2025-05-12: prompt_tokens 88,
    # one below the rule that is exact on gpt-4o and gpt-4.1-mini
    body = {
        "model": "gpt-4.1-nano",
        "messages": [
            {"content": "Be crisp and friendly.", "role": "system"},
            {"content": "Hey, what's the weather in San Francisco?", "role": "user"},
            {"content": None, "role": "assistant", "tool_calls": [{"type": "function", "id": "tool_123",
             "function": {"name": "get_weather", "arguments": '{"location": "San Francisco"}'}}]},
            {"content": "Sunny as always!", "role": "tool", "tool_call_id": "tool_123"},
            {"content": "What's the weather in London?", "role": "user"},
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "description": "", "parameters": {
            "properties": {"location": {"type": "string"}}, "required": ["location"], "type": "object"}}}],
    }
    c = tokencmp.count_request(body)
    assert not c.exact
    assert c.low <= 88 <= c.high


def test_a_tool_messages_own_name_is_not_counted_twice() -> None:
    # pydantic/logfire tests/otel_integrations/cassettes/test_litellm/test_litellm_instrumentation.yaml
    # #interaction1, 2025-07-08: prompt_tokens 62 for a tool result that carries its call's name
    # (litellm sends it); counting that name as a message name as well gave 66. This recording is
    # of the independent set: the rule is an estimate until a recording of the main set bears it out.
    call = {"function": {"arguments": '{"location":"San Francisco, CA"}', "name": "get_current_weather"},
            "id": "call_SWFIWhfCI6AeHuaV6EM1MRsJ", "type": "function"}
    result = {"tool_call_id": "call_SWFIWhfCI6AeHuaV6EM1MRsJ", "role": "tool",
              "content": '{"location": "San Francisco", "temperature": "72", "unit": "fahrenheit"}'}
    messages = [{"role": "user", "content": "What's the weather like in San Francisco?"},
                {"role": "assistant", "tool_calls": [call]}]
    with_name = {**result, "name": "get_current_weather"}
    named = tokencmp.count_messages([*messages, with_name], model="gpt-4o-mini")
    plain = tokencmp.count_messages([*messages, result], model="gpt-4o-mini")
    assert plain.total == named.total == 62
    assert plain.exact and not named.exact
    assert named.low <= 62 <= named.high
