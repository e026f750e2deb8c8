"""tokencmp batch / tokencmp.check_batch: Batch API input files checked, counted and priced.

Sources of the expected numbers:

* the cookbook formula (openai/openai-cookbook examples/How_to_count_tokens_with_tiktoken.ipynb):
  3 tokens per message + its role and content + 3 to prime the reply; "user" is 1 token and
  "Hello!" 2 (the README's worked example: 3 + 1 + 2 + 3 = 9 on gpt-4o);
* gpt-4o's batch prices $1.25 / $5 per 1M and its 16,384 max output tokens (the catalog's
  openai-pricing and models.dev sources); text-embedding-3-small's batch price $0.01 per 1M
  and its 8,191-token input limit (the same catalog sources);
* "hello world" is [15339, 1917] in cl100k_base (tiktoken's README);
* the file limits (50,000 requests, 200 MB, 50,000 embedding inputs): the Batch API
  reference, Create batch (tokencmp/data/files.json, source openai-batch-create).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tokencmp
from tokencmp.cli import main
from tokencmp.files import jsonl
from tokencmp.files.results import FileLimits

HELLO = [{"role": "user", "content": "Hello!"}]  # 3 + 1 + 2 + 3 = 9 tokens (the cookbook formula)


def line(cid: str, body: dict[str, Any] | None = None, **over: Any) -> bytes:
    obj: dict[str, Any] = {"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                           "body": body if body is not None else {"model": "gpt-4o", "messages": HELLO}}
    obj.update(over)
    return json.dumps(obj).encode() + b"\n"


def write(tmp_path: Path, *lines: bytes, name: str = "batch.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(lines))
    return path


def test_two_requests_hand_worked_totals_and_costs() -> None:
    capped = {"model": "gpt-4o", "max_tokens": 10, "messages": HELLO}
    report = tokencmp.check_batch(io.BytesIO(line("a", capped) + line("b")))
    m = report.models[0]
    assert (report.valid, report.invalid, m.requests, m.prompt_tokens) == (2, 0, 2, 18)  # 9 + 9
    assert m.exact and m.distribution.to_dict() == {"count": 2, "total": 18, "min": 9, "p50": 9, "p95": 9,
                                                    "max": 9}
    # output bound: the first body's 10, the second sets none so gpt-4o's 16,384
    assert m.output_tokens_max == 10 + 16_384 and m.output_bound_from_model == 1
    assert m.cost_min == Decimal("0.0000225")  # 18 x $1.25 / 1M
    assert m.cost_max == Decimal("0.0819925")  # + 16,394 x $5 / 1M = 0.08197
    assert m.cost is None and m.tier == "batch"


def test_output_tokens_gives_an_estimate() -> None:
    m = tokencmp.check_batch(io.BytesIO(line("a") + line("b")), output_tokens=100).models[0]
    assert m.output_tokens == 200  # 100 per request
    assert m.cost == Decimal("0.0010225")  # 18 x 1.25 + 200 x 5 = 1,022.5 per 1M


def test_several_models_recount_the_file() -> None:
    report = tokencmp.check_batch(io.BytesIO(line("a")), models=["gpt-4o", "gpt-4-0613"])
    by = {m.model: m for m in report.models}
    assert by["gpt-4o"].prompt_tokens == 9
    cl100k = tokencmp.get_encoding("cl100k_base")
    # the same formula with gpt-4's cl100k_base: 3 + len("user") + len("Hello!") + 3
    assert by["gpt-4-0613"].prompt_tokens == 3 + len(cl100k.encode("user")) + len(cl100k.encode("Hello!")) + 3
    assert by["gpt-4-0613"].encoding == "cl100k_base"


def test_distribution_is_nearest_rank() -> None:
    # contents of 1..20 times "Hello!": the counts differ per line (o200k_base as the reference)
    bodies = [line(f"r{i}", {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!" * (i + 1)}]
                             }) for i in range(20)]
    m = tokencmp.check_batch(io.BytesIO(b"".join(bodies))).models[0]
    enc = tokencmp.get_encoding("o200k_base")
    counts = sorted(3 + 1 + len(enc.encode("Hello!" * (i + 1))) + 3 for i in range(20))
    d = m.distribution
    assert (d.min, d.max, d.count) == (counts[0], counts[-1], 20)
    assert d.p50 == counts[9]   # ceil(20 x 0.50) = 10th value
    assert d.p95 == counts[18]  # ceil(20 x 0.95) = 19th value


def test_every_bad_input_is_a_line_error_and_nothing_else_is_lost(tmp_path: Path) -> None:
    deep = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"\n"
    path = write(
        tmp_path,
        jsonl.BOM + line("bom"),                                   # 1: byte-order mark
        line("ok1"),                                               # 2
        line("bad-utf8")[:-3] + b"\xff\xfe}\n",                    # 3: invalid UTF-8
        line("ok1"),                                               # 4: duplicate custom_id (of line 2)
        line("crlf")[:-1] + b"\r\n",                               # 5: CRLF: a warning, still counted
        b"   \n",                                                  # 6: blank
        deep,                                                      # 7: deep nesting
        b"[1, 2]\n",                                               # 8: valid JSON, not an object
        line("ok2"),                                               # 9
        line("cut")[:40],                                          # 10: truncated last line
    )
    report = tokencmp.check_batch(path)
    kinds = {(p.line, p.kind) for p in report.line_problems}
    assert kinds == {(1, "bom"), (3, "invalid_utf8"), (4, "duplicate_custom_id"), (5, "crlf"), (6, "blank"),
                     (7, "too_deep"), (8, "not_object"), (10, "truncated")}
    assert report.lines == 10 and report.invalid == 7 and report.valid == 3 and report.warnings == 1
    assert report.models[0].prompt_tokens == 3 * 9  # lines 2, 5 and 9, each 9 tokens
    dup = next(p for p in report.line_problems if p.kind == "duplicate_custom_id")
    assert "line 2" in dup.message


def test_a_100_mb_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as f:
        f.write(line("before"))
        f.write(b'{"custom_id": "huge", "x": "')
        block = b"x" * (1 << 20)
        for _ in range(100):  # 100 MiB on one line
            f.write(block)
        f.write(b'"}\n')
        f.write(line("after"))
    report = tokencmp.check_batch(path)
    assert [(p.line, p.kind) for p in report.line_problems] == [(2, "too_long")]
    assert report.valid == 2 and report.models[0].prompt_tokens == 18


def test_request_shape_errors() -> None:
    data = b"".join([
        line("ok"),
        line("get", method="GET"),
        line("", ),
        line("extra", extra=1),
        line("nobody", body=None) .replace(b'"body": {"model": "gpt-4o", "messages": [{"role": "user", '
                                           b'"content": "Hello!"}]}', b'"body": 3'),
        line("endpoint", {"model": "gpt-4o", "input": "Hello!"}, url="/v1/responses"),
        line("model", {"model": "gpt-4.1", "messages": HELLO}),
        line("badbody", {"model": "gpt-4o", "messages": "hi"}),
    ])
    report = tokencmp.check_batch(io.BytesIO(data))
    kinds = [(p.line, p.kind) for p in report.line_problems]
    assert kinds == [(2, "method"), (3, "custom_id"), (4, "unknown_key"), (5, "body"), (6, "endpoint"),
                     (7, "model"), (8, "body")]
    assert report.valid == 1 and report.invalid == 7 and report.not_countable == 0


def test_an_endpoint_tokencmp_does_not_count() -> None:
    body = {"model": "omni-moderation-latest", "input": "x"}
    data = line("m1", body, url="/v1/moderations") + line("m2", body, url="/v1/moderations")
    report = tokencmp.check_batch(io.BytesIO(data))
    assert (report.valid, report.invalid, report.not_countable) == (0, 0, 2)
    assert {p.kind for p in report.line_problems} == {"not_countable"}


def test_embeddings_inputs_and_the_input_limit() -> None:
    body = {"model": "text-embedding-3-small", "input": ["hello world", [1, 2, 3]]}
    over = {"model": "text-embedding-3-small", "input": list(range(8_192))}  # 8,192 ids > 8,191
    data = (line("e1", body, url="/v1/embeddings") + line("e2", over, url="/v1/embeddings"))
    report = tokencmp.check_batch(io.BytesIO(data))
    m = report.models[0]
    assert m.prompt_tokens == 2 + 3 + 8_192  # "hello world" is 2 cl100k tokens; ids count as given
    assert report.limits.embedding_inputs == 3  # two in the first body, one (a token array) in the second
    assert m.over_input_limit == 1 and m.over_input_limit_ids == ("e2",)
    assert m.output_tokens_max == 0
    assert m.cost_min == m.cost_max == Decimal("0.00008197")  # 8,197 x $0.01 / 1M
    assert report.over_limit


def test_embedding_input_limit_of_a_batch() -> None:
    body = {"model": "text-embedding-3-small", "input": [[1]] * 50_001}  # 50,001 inputs > 50,000
    report = tokencmp.check_batch(io.BytesIO(line("e", body, url="/v1/embeddings")))
    assert report.limits.embedding_inputs == 50_001
    assert report.limits.problems == ("50,001 embedding inputs, over the limit of 50,000 per batch",)


def test_file_limits_are_the_references() -> None:
    limits = tokencmp.check_batch(io.BytesIO(line("a"))).limits
    assert (limits.max_requests, limits.max_bytes, limits.max_embedding_inputs) == (
        50_000, 200_000_000, 50_000)
    assert any("api-reference/batch" in s.url for s in limits.sources)
    over = FileLimits(requests=50_001, max_requests=50_000, bytes=200_000_001, max_bytes=200_000_000,
                      embedding_inputs=0, max_embedding_inputs=50_000, sources=())
    assert len(over.problems) == 2


def test_completions_prompts() -> None:
    body = {"model": "gpt-3.5-turbo-instruct", "prompt": ["hello world", "hello world"], "max_tokens": 5,
            "n": 2}
    m = tokencmp.check_batch(io.BytesIO(line("c", body, url="/v1/completions"))).models[0]
    assert m.prompt_tokens == 4  # two prompts of 2 cl100k tokens
    assert m.output_tokens_max == 5 * 2 * 2  # max_tokens per prompt and choice


def test_enqueued_limit_and_budget() -> None:
    m = tokencmp.check_batch(io.BytesIO(line("a") + line("b")), enqueued_limit=17, max_cost="0.01").models[0]
    assert m.within_enqueued_limit is False  # 18 > 17
    assert m.within_budget is False  # up to $0.0819925 > $0.01


def test_two_workers_agree_with_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "CHUNK_BYTES", 300)  # many small chunks, so both workers get some
    path = write(tmp_path, *[line(f"r{i}") for i in range(40)], b"[]\n", line("r0"))
    one = tokencmp.check_batch(path, workers=1)
    two = tokencmp.check_batch(path, workers=2)
    assert one.to_dict() == two.to_dict()
    assert one.models[0].prompt_tokens == 40 * 9 and [p.line for p in one.line_problems] == [41, 42]


# --- the command line ----------------------------------------------------------------------------


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, line("a"), name="good.jsonl")
    bad = write(tmp_path, line("a"), b"nope\n", name="bad.jsonl")
    assert main(["batch", str(good)]) == 0
    assert main(["batch", str(good), "--max-cost", "0.00001"]) == 3  # up to $0.08198 > $0.00001
    assert main(["batch", str(good), "--enqueued-limit", "8"]) == 3  # 9 tokens > 8
    assert main(["batch", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 2: error: not valid JSON" in err
    assert main(["batch", str(tmp_path / "missing.jsonl")]) == 1
    assert capsys.readouterr().err.count("\n") == 1  # one line on stderr


def test_cli_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, line("a"), line("b"))
    assert main(["batch", str(path), "--format", "json", "-m", "gpt-4o", "-m", "gpt-4o-mini"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["model"] for m in data["models"]] == ["gpt-4o", "gpt-4o-mini"]
    assert data["models"][0]["prompt_tokens"] == 18 and data["models"][0]["cost_min"] == "0.0000225"
    assert data["valid"] == 2 and data["problems"] == [] and data["over_limit"] is False


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_cli_per_line(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, line("a"), b"{}\n")
    out = tmp_path / f"rows.{suffix}"
    assert main(["batch", str(path), "--per-line", str(out), "-m", "gpt-4o", "-m", "gpt-4o-mini"]) == 1
    text = out.read_text()
    if suffix == "jsonl":
        rows = [json.loads(r) for r in text.splitlines()]
        assert [(r["line"], r["model"], r["prompt_tokens"]) for r in rows] == [
            (1, "gpt-4o", 9), (1, "gpt-4o-mini", 9), (2, None, None)]
        assert rows[2]["valid"] is False and "custom_id" in rows[2]["error"]
    else:
        lines = text.splitlines()
        assert lines[0].startswith("line,custom_id,model,valid,error,prompt_tokens")
        assert lines[1].startswith("1,a,gpt-4o,True,,9,") and len(lines) == 4


def test_cli_per_line_needs_a_known_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, line("a"))
    assert main(["batch", str(path), "--per-line", str(tmp_path / "rows.txt")]) == 1
    assert "csv or .jsonl" in capsys.readouterr().err
    assert not (tmp_path / "rows.txt").exists()


def test_cli_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Stdin:
        buffer = io.BytesIO(line("a"))

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["batch", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["models"][0]["prompt_tokens"] == 9


def test_progress_reports_every_byte(tmp_path: Path) -> None:
    path = write(tmp_path, *[line(f"r{i}") for i in range(3)])
    seen: list[tuple[int, int | None]] = []
    tokencmp.check_batch(path, progress=lambda done, total: seen.append((done, total)))
    size = path.stat().st_size
    assert seen and seen[-1] == (size, size)


def test_the_progress_bar_is_drawn_only_on_a_terminal(tmp_path: Path) -> None:
    from tokencmp.cli._progress import ProgressBar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with ProgressBar.for_stderr(32 << 20, threshold=16 << 20, out=out) as bar:
        assert bar is not None
        bar(32 << 20, 32 << 20)
    assert "100%" in out.getvalue()
    with ProgressBar.for_stderr(32 << 20, threshold=16 << 20, out=io.StringIO()) as bar:
        assert bar is None  # not a terminal: no bar
