"""The command line: count and models, output formats, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import tokencmp

from .chat_examples import WEATHER_MESSAGES, WEATHER_TOOLS, weather_round_trip
from .helpers import ROOT


def run_cli(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "tokencmp", *args],
        input=data,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_count_stdin() -> None:
    proc = run_cli("count", "--format", "json", "-", stdin="hello world")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["encoding"] == "o200k_base" and out["model"] == "gpt-4o"
    assert out["total"] == {"tokens": 2, "characters": 11, "bytes": 11}


def test_count_files_rows_and_total_table(tmp_path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("hello world", encoding="utf-8")
    b.write_text("日本語", encoding="utf-8")
    proc = run_cli("count", str(a), str(b), "--model", "gpt-4")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0].split() == ["name", "tokens", "characters", "bytes"]
    assert lines[-1].split()[0] == "total"
    expected = tokencmp.count_tokens("hello world", model="gpt-4") + tokencmp.count_tokens(
        "日本語", model="gpt-4"
    )
    assert int(lines[-1].split()[1]) == expected


def test_count_csv(tmp_path) -> None:
    proc = run_cli("count", "--encoding", "cl100k_base", "--format", "csv", "-", stdin="hello world")
    assert proc.stdout.decode().splitlines() == ["name,tokens,characters,bytes", "<stdin>,2,11,11"]


def test_count_ten_megabyte_file_equals_tiktoken(tmp_path) -> None:
    unit = "Prose with words, numbers 12345 and punctuation!\n日本語のテキスト。\n    code(x)\n"
    text = unit * (10_000_000 // len(unit.encode()))
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 9_900_000
    proc = run_cli("count", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    expected = len(tokencmp.get_encoding("o200k_base").encode_ordinary(text))
    assert json.loads(proc.stdout)["total"]["tokens"] == expected


def test_unknown_model_is_one_line_and_exit_1() -> None:
    proc = run_cli("count", "--model", "gtp-4o", "-", stdin="x")
    assert proc.returncode == 1
    err = proc.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "gpt-4o" in err[0]


def test_invalid_utf8_is_one_line_with_offset(tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \xc3\x28")
    proc = run_cli("count", str(path))
    assert proc.returncode == 1
    assert "offset 3" in proc.stderr.decode() and len(proc.stderr.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("args", [("count", "--bogus"), ("nosuchcommand",), ("count", "--format", "xml")])
def test_usage_errors_exit_2_with_one_line(args) -> None:
    proc = run_cli(*args, stdin="")
    assert proc.returncode == 2
    assert len(proc.stderr.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["count", "models"])
def test_help(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0 and b"--format" in proc.stdout


def test_models_lists_catalog_as_json() -> None:
    proc = run_cli("models", "--format", "json")
    rows = json.loads(proc.stdout)
    by_name = {r["name"]: r for r in rows}
    assert by_name["gpt-5"]["input_limit"] == 272_000
    assert by_name["gpt-4o"]["prices"]["standard"]["input"] == "2.5"


def test_models_resolves_names() -> None:
    proc = run_cli("models", "gpt-4o-2024-08-06", "--format", "csv")
    header, row = proc.stdout.decode().splitlines()
    assert (
        header.endswith("assumed_from") and row.startswith("gpt-4o-2024-08-06,") and row.endswith(",gpt-4o")
    )


# --- request -----------------------------------------------------------------------------

ROUND_TRIP = {
    "model": "gpt-4o",
    "temperature": 0,
    "max_completion_tokens": 200,
    "messages": [
        *WEATHER_MESSAGES,
        *weather_round_trip('{"location": "San Francisco, CA"}', '{"temperature": 18}'),
        {"role": "assistant", "content": "It is 18 °C."},
    ],
    "tools": WEATHER_TOOLS,
}


def test_request_prints_breakdown_and_total(tmp_path) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(ROUND_TRIP), encoding="utf-8")
    proc = run_cli("request", str(path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    expected = tokencmp.count_request(ROUND_TRIP)
    lines = out.splitlines()
    # name and images are 0 on every row, so the table leaves them out (issue 16); --wide shows them
    assert lines[0].split() == ["part", "role", "content", "overhead", "tool", "calls", "total"]
    wide = run_cli("request", str(path), "--wide").stdout.decode().splitlines()
    assert wide[0].split() == ["part", "role", "content", "overhead", "name", "tool", "calls", "images",
                               "total"]
    assert [line.split()[1] for line in lines[2:7]] == ["system", "user", "assistant", "tool", "assistant"]
    assert lines[7].startswith("tools (namespace, 1)")  # the namespace rule counts every tool (docs/chat.md)
    total_line = next(line for line in lines if line.startswith("total"))
    assert int(total_line.split()[-1]) == expected.total
    # the cookbook's system + user + tools = 101 (gpt-4o); the round trip adds a tool call and its
    # result, whose rule is measured on gpt-4o's recorded calls (docs/chat.md): exact, no notes
    assert expected.total > 101 and expected.exact and "exact (o200k_base)" in out and "note:" not in out


def test_request_json_from_stdin_and_model_columns() -> None:
    proc = run_cli("request", "-", "--format", "json", stdin=json.dumps(ROUND_TRIP))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["total"] == tokencmp.count_request(ROUND_TRIP).total and out["output_tokens_max"] == 200
    proc = run_cli(
        "request", "-", "-m", "gpt-4o", "-m", "gpt-4", "--format", "csv", stdin=json.dumps(ROUND_TRIP)
    )
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.decode().splitlines()
    assert rows[0] == "part,gpt-4o,gpt-4-0613"
    assert rows[-1] == "total,{},{}".format(
        tokencmp.count_request(ROUND_TRIP).total, tokencmp.count_request(ROUND_TRIP, model="gpt-4").total
    )


def test_request_errors_are_one_line() -> None:
    proc = run_cli("request", "-", stdin='{"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]}')
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == (
        "tokencmp request: error: messages[0].content: "
        "must be a string or an array of content parts, not a number"
    )
    proc = run_cli("request", "-", stdin="{not json")
    assert proc.returncode == 1 and "not valid JSON" in proc.stderr.decode()
