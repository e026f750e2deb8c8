"""Streaming speed: SSE decoding, the figures, trial summaries, and timed requests to a local server.

Token counts: tiktoken's own test suite asserts ``encode("hello world") ==
[15339, 1917]`` for cl100k_base (tests/test_encoding.py::test_simple), and
openai/harmony's asserts ``[24912, 2375]`` for o200k (the harmony encoding
shares o200k_base's ranks). Both encodings' pre-tokenizer cuts
``"hello" + " world" * k`` into ``"hello"`` and k pieces ``" world"``
(a letter run with at most one leading space), and BPE never merges across
pieces, so that text is exactly ``1 + k`` tokens in either encoding.

Times: the server sleeps a known delay before sending a chunk, so elapsed
times are at least those delays. Tests assert such lower bounds only, never
how fast the machine is.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel

import tokencmp
from tokencmp.errors import MissingExtraError, SpeedTestError, TokencmpError
from tokencmp.speed import (
    DONE,
    Endpoint,
    ServerEvent,
    SpeedClient,
    SSEDecoder,
    StatRange,
    chunk_from_event,
    measure,
    measure_stream,
    speed_test,
    sse_chunks,
    summarize,
)

from .speed_server import Reply, ScriptedServer, chunk, event, free_port, json_error, stream, usage_chunk


def hello_world(k: int) -> list[str]:
    """Deltas "hello", " world" x k: 1 + k tokens in o200k_base and cl100k_base (module docstring)."""
    return ["hello"] + [" world"] * k


# --- SSE decoding -----------------------------------------------------------------------

STREAM = (
    b": keep-alive\n\n"
    b'data: {"choices": [{"index": 0, "delta": '
    b'{"content": "h\xc3\xa9llo \xe2\x80\xa8 w\xc3\xb6rld"}}]}\r\n\r\n'
    b"event: error\n"
    b'data: {"error": {"message": "boom"}}\n\n'
    b"data: first line\n"
    b"data: second line\r\r"
    b"data: [DONE]\n\n"
)
EVENTS = [
    ServerEvent("message", '{"choices": [{"index": 0, "delta": {"content": "héllo \u2028 wörld"}}]}'),
    ServerEvent("error", '{"error": {"message": "boom"}}'),
    ServerEvent("message", "first line\nsecond line"),
    ServerEvent("message", "[DONE]"),
]


def decode_pieces(pieces: list[bytes]) -> list[ServerEvent]:
    decoder = SSEDecoder()
    events = [e for piece in pieces for e in decoder.feed(piece)]
    return events + decoder.close()


def test_sse_decoder_reads_comments_crlf_cr_multiline_data_and_error_events() -> None:
    assert decode_pieces([STREAM]) == EVENTS


def test_sse_decoder_gives_the_same_events_wherever_the_bytes_are_split() -> None:
    # Every cut point: mid-line, mid-CRLF, mid-UTF-8 character (é, ö and U+2028 are multi-byte).
    for cut in range(1, len(STREAM)):
        assert decode_pieces([STREAM[:cut], STREAM[cut:]]) == EVENTS, cut
    assert decode_pieces([bytes([b]) for b in STREAM]) == EVENTS


def test_sse_decoder_drops_a_cut_event_but_keeps_a_whole_one_without_blank_line() -> None:
    assert decode_pieces([b'data: {"choices": [{"delta": {"cont']) == []
    assert decode_pieces([b"data: [DONE]"]) == [ServerEvent("message", "[DONE]")]


def test_chunk_from_event_done_json_and_errors() -> None:
    assert chunk_from_event(ServerEvent("message", " [DONE] ")) is DONE
    assert chunk_from_event(ServerEvent("message", '{"choices": []}')) == {"choices": []}
    with pytest.raises(SpeedTestError, match="boom"):
        chunk_from_event(EVENTS[1])
    with pytest.raises(SpeedTestError, match="overloaded"):
        chunk_from_event(ServerEvent("error", "overloaded"))
    with pytest.raises(SpeedTestError, match="not a JSON object"):
        chunk_from_event(ServerEvent("message", "<html>"))


# --- figures from timed chunks ----------------------------------------------------------


def test_measure_text_deltas_worked_by_hand() -> None:
    # "hello" at 0.5 s, then " world" x 4 at 0.6, 0.7, 0.8, 0.9 s; the stream ends at 1.0 s.
    # 5 tokens (module docstring). latency 0.5; total 1.0; stream rate = 4 tokens after the
    # first chunk / (0.9 - 0.5) s = 10 tokens/s; total rate = 5 / 1.0 = 5 tokens/s.
    times = [0.5, 0.6, 0.7, 0.8, 0.9]
    result = measure([*zip(times, hello_world(4), strict=True), (1.0, "")], model="gpt-4o")
    assert result.response_tokens == 5 and result.chunks == 5 and result.encoding == "o200k_base"
    assert result.latency == 0.5 and result.total_time == 1.0
    assert result.stream_rate == pytest.approx(10.0)
    assert result.total_rate == pytest.approx(5.0)
    assert result.usage is None and result.usage_difference is None
    assert result.text == "hello world world world world"


def test_measure_counts_with_the_models_encoding_or_the_one_given() -> None:
    deltas = list(zip([1.0, 2.0], hello_world(1), strict=True))
    assert measure(deltas, model="gpt-4").encoding == "cl100k_base"
    result = measure(deltas, model="llama-3-8b-instruct", encoding="cl100k_base")
    assert (result.model, result.encoding) == ("llama-3-8b-instruct", "cl100k_base")
    assert result.response_tokens == 2
    with pytest.raises(TokencmpError):
        measure(deltas)
    with pytest.raises(tokencmp.UnknownModelError):
        measure(deltas, model="llama-3-8b-instruct")


def test_measure_start_offsets_times() -> None:
    result = measure([(100.25, "hello"), (100.75, " world")], model="gpt-4o", start=100.0)
    assert result.latency == 0.25 and result.total_time == 0.75


def test_sse_lines_with_usage_and_the_local_difference() -> None:
    # The usage chunk says 7 completion tokens; the content is 1 + 3 = 4 tokens: difference -3
    # (the API counts tokens the stream does not show, e.g. reasoning).
    lines = [(0.1, f"data: {json.dumps(chunk(role='assistant', content=''))}"), (0.15, ": ping")]
    lines += [(0.2 + i / 10, f"data: {json.dumps(chunk(text))}") for i, text in enumerate(hello_world(3))]
    lines += [(0.6, "data: " + json.dumps(chunk(finish="length"))), (0.6, ""),
              (0.61, "data: " + json.dumps(usage_chunk(12, 7))), (0.62, "data: [DONE]"),
              (9.0, "data: " + json.dumps(chunk("ignored after DONE")))]
    result = measure(sse_chunks(lines), model="gpt-4o")
    assert result.response_tokens == 4 and result.chunks == 4
    assert result.latency == 0.2 and result.total_time == 0.61
    assert result.usage is not None and result.usage.completion_tokens == 7
    assert result.usage.prompt_tokens == 12 and result.usage_difference == 4 - 7
    assert result.finish_reason == "length" and result.response_model == "gpt-4o-2024-08-06"


def test_sdk_objects_by_model_dump_and_by_attributes() -> None:
    class Dumped(BaseModel):  # what openai's pydantic chunk objects offer
        choices: list[dict[str, Any]]
        usage: dict[str, Any] | None = None

    def attrs(content: str | None, usage: Any = None) -> SimpleNamespace:
        choice = SimpleNamespace(index=0, finish_reason=None, delta=SimpleNamespace(content=content))
        return SimpleNamespace(choices=[choice] if content is not None else [], usage=usage, model="m")

    dumped = [(1.0, Dumped(choices=[{"index": 0, "delta": {"content": t}}])) for t in hello_world(2)]
    dumped.append((2.0, Dumped(choices=[], usage={"completion_tokens": 3})))
    assert measure(dumped, model="gpt-4o").usage_difference == 0

    usage = SimpleNamespace(prompt_tokens=5, completion_tokens=3, total_tokens=8,
                            completion_tokens_details=SimpleNamespace(reasoning_tokens=0))
    objects = [(1.0 + i, attrs(t)) for i, t in enumerate(hello_world(2))] + [(4.0, attrs(None, usage))]
    result = measure(objects, model="gpt-4o")
    assert (result.response_tokens, result.chunks, result.latency, result.total_time) == (3, 3, 1.0, 4.0)
    assert result.usage is not None and result.usage.total_tokens == 8 and result.usage.reasoning_tokens == 0


def test_only_the_first_choice_counts_and_reasoning_is_kept_apart() -> None:
    both = {"choices": [{"index": 1, "delta": {"content": " world"}},
                        {"index": 0, "delta": {"content": "hello", "reasoning_content": " world world"}}]}
    result = measure([(1.0, both)], model="gpt-4o")
    assert result.response_tokens == 1 and result.reasoning_tokens == 2 and result.stream_rate is None


def test_a_response_with_no_content_has_no_latency() -> None:
    result = measure([(0.3, chunk(role="assistant", content="")), (0.4, chunk(finish="length"))],
                     model="gpt-4o")
    assert result.latency is None and result.stream_rate is None
    assert result.response_tokens == 0 and result.total_rate == 0.0 and result.finish_reason == "length"


def test_an_error_chunk_raises() -> None:
    with pytest.raises(SpeedTestError, match="after 1 content chunks: overloaded"):
        measure([(0.1, "hello"), (0.2, {"error": {"message": "overloaded"}})], model="gpt-4o")
    with pytest.raises(SpeedTestError, match="cannot read a chunk"):
        measure([(0.1, 42)], model="gpt-4o")


def test_measure_stream_times_a_live_iterator() -> None:
    ticks = iter([10.0, 10.5, 10.75, 11.0])  # start, two chunks, end

    result = measure_stream(iter(hello_world(1)), model="gpt-4o", clock=lambda: next(ticks))
    assert result.latency == 0.5 and result.total_time == 1.0
    assert result.stream_rate == pytest.approx(1 / 0.25)


def test_summary_is_minimum_maximum_average_per_figure() -> None:
    # Three trials of 1 + k tokens, k = 2, 4, 3, first chunk at 0.4, 0.5, 0.6 s, 0.1 s per chunk.
    results = []
    for k, first in ((2, 0.4), (4, 0.5), (3, 0.6)):
        times = [first + i / 10 for i in range(k + 1)]
        results.append(measure(list(zip(times, hello_world(k), strict=True)), model="gpt-4o"))
    summary = summarize(results)
    assert summary.trials == 3 and summary.model == "gpt-4o"
    assert summary.response_tokens == StatRange(value_min=3, value_max=5, average=4.0, trials=3)
    assert summary.latency is not None
    assert (summary.latency.value_min, summary.latency.value_max) == (0.4, 0.6)
    assert (summary.latency.minimum, summary.latency.maximum) == (0.4, 0.6)  # the 0.1.0 names
    assert summary.latency.average == pytest.approx(0.5)
    # every trial streams its k tokens after the first at 10 tokens/s (k / (k * 0.1 s))
    assert summary.stream_rate is not None and summary.stream_rate.average == pytest.approx(10.0)
    assert summary.usage_completion_tokens is None and summary.usage_difference is None
    with pytest.raises(TokencmpError):
        summarize([])


def test_results_are_frozen_and_have_one_json_form() -> None:
    # "hello" at 0.25 s and " world" at 0.5 s: 2 tokens (module docstring); usage 12 + 7 = 19.
    lines = [(0.25, "data: " + json.dumps(chunk("hello"))), (0.5, "data: " + json.dumps(chunk(" world"))),
             (0.5, "data: " + json.dumps(usage_chunk(12, 7))), (0.5, "data: [DONE]")]
    result = measure(sse_chunks(lines), model="gpt-4o")
    data = result.to_dict()
    assert data["usage"] == {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19,
                             "reasoning_tokens": None, "cached_tokens": None}
    assert (data["latency"], data["response_tokens"], data["text"]) == (0.25, 2, "hello world")
    assert json.loads(result.to_json()) == data
    ranges = summarize([result, result]).to_dict()
    assert ranges["latency"] == {"value_min": 0.25, "value_max": 0.25, "average": 0.25, "trials": 2}
    # 1 token after the first chunk, over 0.5 - 0.25 s: 4 tokens/s; local 2 - usage 7 = -5
    assert ranges["stream_rate"] == {"value_min": 4.0, "value_max": 4.0, "average": 4.0, "trials": 2}
    assert ranges["usage_difference"]["value_max"] == -5
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.latency = 1.0  # type: ignore[misc]


# --- over HTTP, against a local server --------------------------------------------------

FIRST_DELAY, GAP = 0.06, 0.02


def endpoint(server: ScriptedServer, **options: Any) -> Endpoint:
    return Endpoint(base_url=server.base_url, **options)


def test_timed_request_against_a_local_streaming_server() -> None:
    # First content after 60 ms, then 9 more chunks 20 ms apart: 10 tokens (module docstring).
    reply = stream([(GAP, t) for t in hello_world(9)], first_delay=FIRST_DELAY - GAP, usage=(11, 10))
    with ScriptedServer(reply) as server, SpeedClient(endpoint(server)) as client:
        result = client.measure("gpt-4o", "Say hello.", max_tokens=32)
    assert result.response_tokens == 10 and result.chunks == 10
    assert result.usage is not None and result.usage.completion_tokens == 10 and result.usage_difference == 0
    assert result.latency is not None and result.latency >= FIRST_DELAY
    assert result.total_time >= FIRST_DELAY + 9 * GAP and result.total_time >= result.latency
    # 9 tokens after the first, over a time no longer than the whole response.
    assert result.stream_rate is not None and result.stream_rate >= 9 / result.total_time
    assert result.total_rate == pytest.approx(10 / result.total_time)
    assert result.total_rate <= 10 / (FIRST_DELAY + 9 * GAP)
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["json"] == {"model": "gpt-4o", "messages": [{"role": "user", "content": "Say hello."}],
                            "stream": True, "max_tokens": 32, "stream_options": {"include_usage": True}}
    assert "authorization" not in {k.lower() for k in sent["headers"]}


def test_bytes_split_mid_line_and_mid_character_with_pings_and_crlf() -> None:
    body = (
        b": ping\r\n\r\n"
        + event(chunk("h\u00e9llo")).replace(b"\n", b"\r\n")
        + b": ping\n\n"
        + event(chunk(" w\u00f6rld"))
        + event(usage_chunk(5, 4))
        + event("[DONE]")
    )
    cut1 = body.index("\u00e9".encode()) + 1  # inside é
    cut2 = body.index(b"w\xc3\xb6") + 2  # inside ö
    pieces = [(0.0, body[:10]), (0.01, body[10:cut1]), (0.01, body[cut1:cut2]), (0.01, body[cut2:])]
    with ScriptedServer(Reply(pieces=pieces)) as server, SpeedClient(endpoint(server)) as client:
        result = client.measure("gpt-4o", "x")
    assert result.text == "h\u00e9llo w\u00f6rld" and result.chunks == 2
    assert result.usage is not None and result.usage.completion_tokens == 4


def test_speed_test_runs_trials_on_one_connection_and_reports_each() -> None:
    reply = stream([(0.005, t) for t in hello_world(2)], usage=(3, 3))
    seen = []
    with ScriptedServer(reply) as server:
        settings = endpoint(server, max_tokens_param="max_completion_tokens")
        results = speed_test("gpt-4", "x", trials=3, endpoint=settings,
                             on_trial=lambda n, r: seen.append((n, r.response_tokens)))
    assert seen == [(1, 3), (2, 3), (3, 3)] and len(server.requests) == 3
    assert len({r["peer"] for r in server.requests}) == 1  # one connection, kept alive
    assert all(r["json"]["max_completion_tokens"] == 256 for r in server.requests)
    assert summarize(results).usage_difference == StatRange(value_min=0, value_max=0, average=0.0, trials=3)


def test_auto_max_tokens_param_and_usage_option() -> None:
    openai = Endpoint(base_url="https://api.openai.com/v1").body("gpt-5", [], 10)
    local = Endpoint(base_url="http://localhost:11434/v1", include_usage=False).body("llama3", [], 10)
    assert openai["max_completion_tokens"] == 10 and "max_tokens" not in openai
    assert local["max_tokens"] == 10 and "stream_options" not in local


SECRET = "sk-test-0123456789abcdefSECRET"


def failing(reply: Reply, **options: Any) -> SpeedTestError:
    with (
        ScriptedServer(reply) as server,
        SpeedClient(endpoint(server, **options)) as client,
        pytest.raises(SpeedTestError) as info,
    ):
        client.measure("gpt-4o", "x")
    assert SECRET not in str(info.value)
    return info.value


def test_401_names_the_variable_and_never_shows_the_key() -> None:
    reply = json_error(401, f"Incorrect API key provided: {SECRET}.")
    error = failing(reply, api_key=SECRET, api_key_env="MY_KEY_VAR")
    assert error.status == 401 and "$MY_KEY_VAR was rejected" in str(error) and "***" in str(error)
    error = failing(json_error(401, "Missing bearer authentication"), api_key_env="MY_KEY_VAR")
    assert "$MY_KEY_VAR is not set" in str(error) and "Missing bearer" in str(error)
    assert SECRET not in repr(Endpoint(api_key=SECRET)) and SECRET not in str(Endpoint(api_key=SECRET))


def test_the_key_is_sent_as_a_bearer_token() -> None:
    with ScriptedServer(stream([(0, "hi")])) as server, SpeedClient(endpoint(server, api_key=SECRET)) as c:
        c.measure("gpt-4o", "x")
        assert server.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"


def test_404_429_and_5xx_are_clear() -> None:
    error = failing(json_error(404, "The model `gpt-9` does not exist"))
    assert error.status == 404 and "gpt-9" in str(error) and "/v1" in str(error)
    error = failing(json_error(429, "Rate limit reached", headers={"Retry-After": "7"}))
    assert error.status == 429 and error.retry_after == 7.0 and "Retry after 7 s" in str(error)
    error = failing(json_error(429, "quota", headers={"x-ratelimit-reset-requests": "6m0s"}))
    assert error.retry_after is None and "x-ratelimit-reset-requests: 6m0s" in str(error)
    error = failing(Reply(status=503, headers={"Content-Type": "text/plain"}, pieces=[(0, b"busy")]))
    assert error.status == 503 and "server error" in str(error)
    error = failing(json_error(400, "Unsupported parameter: 'max_tokens' is not supported with this model."))
    assert error.status == 400 and "--max-tokens-param" in str(error)


def test_connection_refused() -> None:
    client = SpeedClient(Endpoint(base_url=f"http://127.0.0.1:{free_port()}/v1"))
    with client, pytest.raises(SpeedTestError, match="could not connect"):
        client.measure("gpt-4o", "x")


def test_server_closing_mid_stream() -> None:
    reply = stream([(0.0, t) for t in hello_world(2)], done=False)
    error = failing(Reply(pieces=reply.pieces, abort=True))
    assert "broke after 3 content chunks" in str(error)
    error = failing(stream([(0.0, "hello")], done=False))  # a clean end, but no [DONE]
    assert "without 'data: [DONE]' after 1 content chunks" in str(error)


def test_error_events_mid_stream() -> None:
    base = stream([(0.0, "hello")], done=False).pieces
    error = failing(Reply(pieces=[*base, (0.0, b'event: error\ndata: {"message": "model crashed"}\n\n')]))
    assert "model crashed" in str(error) and "after 1 content chunks" in str(error)
    error = failing(Reply(pieces=[*base, (0.0, event({"error": {"message": f"bad {SECRET}"}}))]),
                    api_key=SECRET)
    assert "bad ***" in str(error)


def test_not_a_stream() -> None:
    whole = json.dumps({"choices": [{"message": {"content": "hi"}}]}).encode()
    error = failing(Reply(headers={"Content-Type": "application/json"}, pieces=[(0, whole)]))
    assert "instead of a stream" in str(error)
    error = failing(Reply(headers={"Content-Type": "text/html"}, pieces=[(0, b"<html>")]))
    assert "text/html" in str(error)


def test_read_timeout() -> None:
    slow = stream([(0.5, "hello")])
    error = failing(slow, timeout=0.1)
    assert "read timeout" in str(error) and "0.1 s" in str(error)


def test_missing_httpx_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx", None)  # makes `import httpx` raise ImportError
    with pytest.raises(MissingExtraError, match=r"tokencmp\[speed\]") as info:
        SpeedClient(Endpoint())
    assert info.value.extra == "speed"
    # the pure part needs no httpx
    assert measure([(0.1, "hello")], model="gpt-4o").response_tokens == 1


def test_importing_speed_does_not_import_httpx() -> None:
    from .helpers import run_python

    code = "import json, sys, tokencmp.speed, tokencmp.cli.speed; print(json.dumps('httpx' in sys.modules))"
    assert run_python(code) is False


def test_the_examples_in_docs_speed_md_run() -> None:
    import doctest

    from .helpers import ROOT

    failures, tried = doctest.testfile(str(ROOT / "docs" / "speed.md"), module_relative=False)
    assert tried >= 6 and failures == 0


def test_stream_data_nested_too_deeply_is_a_speed_test_error_not_a_recursion_error() -> None:
    from tokencmp.speed.sse import ServerEvent, chunk_from_event

    with pytest.raises(SpeedTestError):
        chunk_from_event(ServerEvent("message", "[" * 100_000 + "]" * 100_000))
