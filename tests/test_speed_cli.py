"""``tokencmp speed`` against a scripted server on 127.0.0.1: tables, JSON, CSV, progress and errors.

Token counts as in test_speed.py: "hello" + " world" x 9 is 10 tokens in
o200k_base and cl100k_base (tiktoken's and openai/harmony's "hello world"
test vectors, one token per pre-tokenizer piece).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from .helpers import ROOT
from .speed_server import ScriptedServer, free_port, json_error, stream

SECRET = "sk-cli-test-9876543210SECRET"
TEN_TOKENS = stream([(0.002, t) for t in ["hello"] + [" world"] * 9], usage=(20, 10))


def run_speed(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    if key is not None:
        env["TOKENCMP_TEST_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "tokencmp", "speed", *args, "--api-key-env", "TOKENCMP_TEST_KEY"],
        capture_output=True, text=True, env=env, timeout=120,
    )


def test_table_for_one_model_with_progress_lines() -> None:
    with ScriptedServer(TEN_TOKENS) as server:
        proc = run_speed("--model", "gpt-4o", "--trials", "2", "--base-url", server.base_url)
    assert proc.returncode == 0, proc.stderr
    progress = proc.stderr.splitlines()
    assert len(progress) == 2 and progress[0].startswith("gpt-4o trial 1/2: 10 tokens in 10 chunks")
    assert "usage 10" in progress[1]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("gpt-4o: 2 trials, counted with o200k_base")
    assert lines[2].split() == ["Stat", "Minimum", "Maximum", "Average"]
    rows = {line[:24].strip(): line[24:].split() for line in lines[4:]}
    assert list(rows) == ["stream rate (tokens/s)", "latency (s)", "total response (s)",
                          "total rate (tokens/s)", "response tokens", "chunks",
                          "usage completion tokens", "local - usage"]
    assert rows["response tokens"] == ["10", "10", "10.000"]
    assert rows["local - usage"] == ["0", "0", "0.000"]


def test_several_models_side_by_side_and_json() -> None:
    with ScriptedServer(TEN_TOKENS) as server:
        table = run_speed("-m", "gpt-4o", "-m", "gpt-4", "-n", "1", "--base-url", server.base_url)
        proc = run_speed("-m", "gpt-4o", "-m", "gpt-4", "-n", "2", "--base-url", server.base_url,
                         "--format", "json")
    assert table.returncode == 0, table.stderr
    header = table.stdout.splitlines()[3]
    assert header.split() == ["Stat", "gpt-4o", "min", "gpt-4o", "max", "gpt-4o", "avg",
                              "gpt-4", "min", "gpt-4", "max", "gpt-4", "avg"]
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["error"] is None and out["base_url"] == server.base_url and out["max_tokens"] == 256
    assert [(m["model"], m["encoding"]) for m in out["models"]] == [("gpt-4o", "o200k_base"),
                                                                     ("gpt-4", "cl100k_base")]
    for m in out["models"]:
        assert m["summary"]["response_tokens"] == {"value_min": 10, "value_max": 10, "average": 10.0,
                                                   "trials": 2}
        assert len(m["trials"]) == 2 and "text" not in m["trials"][0]
        assert m["trials"][0]["latency"] > 0 and m["trials"][0]["usage"]["completion_tokens"] == 10


def test_csv_is_one_row_per_model_and_stat() -> None:
    with ScriptedServer(TEN_TOKENS) as server:
        proc = run_speed("-m", "gpt-4o", "-n", "2", "--base-url", server.base_url, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(rows[0]) == ["model", "stat", "value_min", "value_max", "average", "trials"]
    tokens = next(r for r in rows if r["stat"] == "response_tokens")
    assert tokens == {"model": "gpt-4o", "stat": "response_tokens", "value_min": "10", "value_max": "10",
                      "average": "10.0", "trials": "2"}


def test_prompt_from_file_or_text_and_request_options(tmp_path) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Count to three.", encoding="utf-8")
    with ScriptedServer(TEN_TOKENS) as server:
        run_speed("-m", "gpt-4o", "-n", "1", "-p", str(prompt), "--max-tokens", "64",
                  "--base-url", server.base_url, "--no-usage")
        run_speed("-m", "gpt-4o", "-n", "1", "-p", "Just text.", "--max-tokens-param",
                  "max_completion_tokens", "--base-url", server.base_url)
    first, second = (r["json"] for r in server.requests)
    assert first["messages"] == [{"role": "user", "content": "Count to three."}]
    assert first["max_tokens"] == 64 and "stream_options" not in first
    assert second["messages"][0]["content"] == "Just text." and second["max_completion_tokens"] == 256


def test_the_key_is_sent_but_never_printed() -> None:
    with ScriptedServer(json_error(401, f"Incorrect API key provided: {SECRET}")) as server:
        proc = run_speed("-m", "gpt-4o", "--base-url", server.base_url, key=SECRET)
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert proc.returncode == 1 and SECRET not in proc.stdout + proc.stderr
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "401" in err[0] and "$TOKENCMP_TEST_KEY was rejected" in err[0]


def test_a_failure_stops_the_run_but_keeps_what_was_measured() -> None:
    replies = (TEN_TOKENS, json_error(429, "Rate limit reached", headers={"Retry-After": "20"}))
    with ScriptedServer(*replies) as server:
        proc = run_speed("-m", "gpt-4o", "-n", "3", "--base-url", server.base_url)
    assert proc.returncode == 1 and len(server.requests) == 2  # no retry, no third trial
    assert "gpt-4o: 1 trials" in proc.stdout
    err = proc.stderr.splitlines()
    assert err[0].startswith("gpt-4o trial 1/3")
    assert err[1].startswith("tokencmp speed: error: gpt-4o trial 2/3: 429") and "Retry after 20 s" in err[1]


def test_unknown_model_needs_an_encoding_before_any_request() -> None:
    with ScriptedServer(TEN_TOKENS) as server:
        proc = run_speed("-m", "acme-local-chat-7b", "--base-url", server.base_url)
        assert proc.returncode == 1 and server.requests == []
        assert "--encoding" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        proc = run_speed("-m", "acme-local-chat-7b", "-e", "cl100k_base", "-n", "1",
                         "--base-url", server.base_url)
    assert proc.returncode == 0, proc.stderr
    assert "counted with cl100k_base" in proc.stdout


def test_connection_refused_and_usage_errors() -> None:
    proc = run_speed("-m", "gpt-4o", "--base-url", f"http://127.0.0.1:{free_port()}/v1")
    assert proc.returncode == 1 and "could not connect" in proc.stderr
    assert run_speed("-m", "gpt-4o", "--trials", "0").returncode == 2
    assert run_speed("--trials", "2").returncode == 2
