"""The cost and check subcommands, through the command line: output and exit codes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tokencmp import count_messages, get_catalog

from .test_cli import run_cli

D = Decimal

REQUEST = {
    "model": "gpt-4o",
    "max_completion_tokens": 500,
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Summarise the plot of Hamlet."},
    ],
}


@pytest.fixture
def request_file(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST))
    return path


def check(*args: str) -> tuple[int, dict]:
    proc = run_cli("check", *args, "--format", "json")
    return proc.returncode, json.loads(proc.stdout) if proc.stdout else {}


# --- check ------------------------------------------------------------------------------


def test_check_exits_0_when_it_fits(request_file) -> None:
    code, out = check(str(request_file), "--max-cost", "0.01")
    # gpt-4o, up to 500 output tokens: 500 x $10 per 1M = $0.005, plus the prompt at $2.50 per 1M
    assert code == 0 and out["ok"] and out["fits_context"] and out["within_budget"]
    assert out["reserved_output"] == 500 and out["input_limit"] == 128_000
    assert D(out["total_max"]) == D(out["total_min"]) + D("0.005")


def test_check_exits_3_over_the_budget(request_file) -> None:
    code, out = check(str(request_file), "--max-cost", "0.001")
    assert code == 3 and out["fits_context"] and out["within_budget"] is False
    assert "exceeds the budget of $0.001" in out["problems"][0]


def test_check_exits_3_when_reserved_output_overflows_the_context(request_file) -> None:
    code, out = check(str(request_file), "--reserve-output", "128000")
    assert code == 3 and not out["fits_context"]
    assert out["over_by"] == out["prompt_tokens"]  # 128,000 reserved fills the whole context


def test_check_exits_3_over_gpt_5s_input_limit(tmp_path) -> None:
    # "hello" followed by 279,999 " hello": at least 280,000 tokens, over gpt-5's 272,000 input limit
    big = {"model": "gpt-5", "messages": [{"role": "user", "content": "hello" + " hello" * 279_999}]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    code, out = check(str(path))
    assert code == 3 and out["input_limit"] == 272_000 and out["context_window"] == 400_000
    assert out["over_by"] == out["prompt_tokens"] - 272_000 > 0
    assert "exceed the input limit of 272,000" in out["problems"][0]


def test_check_table_output_and_problem_on_stderr(request_file) -> None:
    proc = run_cli("check", str(request_file), "--max-cost", "0")
    assert proc.returncode == 3
    assert b"within budget    no" in proc.stdout
    assert proc.stderr.decode().startswith("tokencmp check: gpt-4o: up to $")


def test_check_model_option(request_file) -> None:
    code, out = check(str(request_file), "--model", "gpt-5")
    assert code == 0 and out["model"] == "gpt-5" and out["input_limit"] == 272_000


@pytest.mark.parametrize(
    "content, message",
    [("{not json", "not valid JSON"), ('{"model": "gpt-4o"}', "expected a request body")],
)
def test_check_bad_request_file_exits_1(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    assert message in proc.stderr.decode() and len(proc.stderr.decode().splitlines()) == 1


def test_check_usage_error_exits_2(request_file) -> None:
    assert run_cli("check", str(request_file), "--reserve-output", "lots").returncode == 2


# --- cost -------------------------------------------------------------------------------


def test_cost_counts_a_text_file_as_one_user_message_per_model(tmp_path) -> None:
    text = "吾輩は猫である。名前はまだ無い。"
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    proc = run_cli("cost", str(path), "-m", "gpt-4o", "-m", "gpt-4-0613", "--output-tokens", "200",
                   "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["model"]: r for r in json.loads(proc.stdout)}
    for name, (price_in, price_out) in {"gpt-4o": ("2.5", "10"), "gpt-4-0613": ("30", "60")}.items():
        tokens = count_messages([{"role": "user", "content": text}], model=name).total
        assert rows[name]["prompt_tokens"] == tokens
        # tokens x input price + 200 x output price, per 1M
        assert D(rows[name]["total_min"]) == (tokens * D(price_in) + 200 * D(price_out)) / 1_000_000
    assert [r["model"] for r in json.loads(proc.stdout)] == ["gpt-4o", "gpt-4-0613"]  # cheaper first


def test_cost_default_models_include_the_requests_own(request_file) -> None:
    proc = run_cli("cost", str(request_file), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    # the catalog's cost models (tests/test_catalog_defaults.py checks that list against the pricing
    # page), the request's own gpt-4o among them, so no row is added for it
    defaults = get_catalog().cost_models()
    assert "gpt-4o" in defaults and [r["model"] for r in rows].count("gpt-4o") == 1
    assert sorted(r["model"] for r in rows) == sorted(defaults)
    highs = [D(r["total_max"]) for r in rows]
    assert highs == sorted(highs)  # the request caps output at 500, so rows go by the high end
    assert all(r["price_sources"] for r in rows)


def test_cost_batch_tier_and_cached_tokens(request_file) -> None:
    proc = run_cli("cost", str(request_file), "-m", "gpt-5", "--tier", "batch", "--cached-tokens", "0",
                   "--output-tokens", "1000", "--format", "json")
    [row] = json.loads(proc.stdout)
    # gpt-5 Batch: $0.625 in, $5 out
    assert D(row["total_min"]) == (row["prompt_tokens"] * D("0.625") + 1000 * 5) / D(1_000_000)
    assert row["tier"] == "batch"


def test_cost_table_headers(request_file) -> None:
    proc = run_cli("cost", str(request_file), "-m", "gpt-4o")
    first = proc.stdout.decode().splitlines()[0]
    assert "total up to $" in first and "input $" in first and "headroom" not in first  # issue 16: fewer
    wide = run_cli("cost", str(request_file), "-m", "gpt-4o", "--wide").stdout.decode().splitlines()[0]
    assert "context left after output" in wide and "output tokens up to" in wide


def test_a_model_without_a_price_gets_blank_costs_and_a_note(request_file) -> None:
    proc = run_cli("cost", str(request_file), "-m", "gpt-oss-120b", "-m", "gpt-4o")
    assert proc.returncode == 0
    lines = proc.stdout.decode().splitlines()
    assert lines[2].startswith("gpt-4o ") and lines[3].startswith("gpt-oss-120b ")  # unpriced last
    # the library's reason, in the command's words (issue 16: TOKENCMP_CATALOG, not load_catalog())
    assert proc.stderr == (b"tokencmp cost: note: gpt-oss-120b: costs blank: No standard price for "
                           b"gpt-oss-120b in the catalog (tiers with prices: none). Add it with a "
                           b"TOKENCMP_CATALOG file (docs/catalog.md).\n")
    rows = json.loads(run_cli("cost", str(request_file), "-m", "gpt-oss-120b", "--format", "json").stdout)
    assert rows[0]["total_min"] is None and rows[0]["notes"][0].startswith("Cost unknown: No standard price")


def test_check_without_a_price_still_checks_the_fit_but_not_a_budget(request_file) -> None:
    proc = run_cli("check", str(request_file), "-m", "gpt-oss-120b", "--format", "json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["fits_context"] is True and report["total_min"] is None
    proc = run_cli("check", str(request_file), "-m", "gpt-oss-120b", "--max-cost", "0.01")
    assert proc.returncode == 1 and b"No standard price for gpt-oss-120b" in proc.stderr


def test_cost_uses_the_users_catalog_file(tmp_path, monkeypatch) -> None:
    catalog = tmp_path / "mine.json"
    catalog.write_text(json.dumps({"models": {"my-model": {
        "encoding": "o200k_base", "chat_format": "chatml-gpt-4o", "context_window": 1000,
        "max_output_tokens": 100, "checked": "2026-11-01",
        "prices": {"standard": {"input": "1000", "output": "2000"}}}}}))
    text = tmp_path / "t.txt"
    text.write_text("Hello")
    monkeypatch.setenv("TOKENCMP_CATALOG", str(catalog))
    proc = run_cli("cost", str(text), "-m", "my-model", "-m", "gpt-4o", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    mine = {r["model"]: r for r in json.loads(proc.stdout)}["my-model"]
    # up to its 100 max output tokens at $2,000 per 1M = $0.2, plus the prompt at $1,000 per 1M
    assert D(mine["total_max"]) == (mine["prompt_tokens"] * 1000 + 100 * 2000) / D(1_000_000)
    assert mine["checked"] == "2026-11-01" and mine["price_sources"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("check", "--max-cost", "abc"), b"argument --max-cost: expected an amount in USD"),
        (("check", "--max-cost", "-1"), b"argument --max-cost: must be a finite amount of 0 or more"),
        (("check", "--max-cost", "NaN"), b"argument --max-cost: must be a finite amount"),
        (("check", "--reserve-output", "1.5"), b"argument --reserve-output: expected a whole number"),
        (("cost", "--output-tokens", "-5"), b"argument --output-tokens: must be 0 or more"),
        (("cost", "--cached-tokens", "x"), b"argument --cached-tokens: expected a whole number"),
    ],
)
def test_bad_option_values_are_usage_errors(request_file, args, message) -> None:
    proc = run_cli(args[0], str(request_file), *args[1:])
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count(b"\n") == 1


def test_argument_types_module_examples() -> None:
    import doctest

    from tokencmp.cli import _args

    assert doctest.testmod(_args).attempted and doctest.testmod(_args).failed == 0


@pytest.mark.parametrize("command", ["request", "cost", "check"])
def test_a_json_body_with_a_byte_order_mark_is_read_as_json(tmp_path, command) -> None:
    path = tmp_path / "bom.json"
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!"}]}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(body).encode())
    proc = run_cli(command, str(path), "-m", "gpt-4o", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # "Hello!" on gpt-4o: 3 + 1 (role) + 2 (content) + 3 (reply priming) = 9, counted as a request
    first = out[0] if isinstance(out, list) else out
    assert first["total" if command == "request" else "prompt_tokens"] == 9


@pytest.mark.parametrize("command", ["request", "check"])  # cost counts any non-request file as text
def test_a_body_with_an_integer_too_long_to_read_is_one_error_line(tmp_path, command) -> None:
    path = tmp_path / "big.json"
    body = '{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "n": '
    path.write_text(body + "1" * 5000 + "}")
    proc = run_cli(command, str(path))
    assert proc.returncode == 1 and proc.stderr.count(b"\n") == 1 and b"Traceback" not in proc.stderr
    assert b"not readable JSON" in proc.stderr


def test_default_models_that_cannot_count_an_image_are_left_out_with_one_note(tmp_path) -> None:
    # An image URL of unknown size: gpt-5-search-api takes no image input (its catalog entry has no
    # vision rule) and GPT-6.2 counts an image of unknown size at its own size ('original'), with no
    # upper bound. Neither stops `cost` on its default models: both are left out, named in one note.
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}
    path = tmp_path / "image.json"
    path.write_text(json.dumps(body))
    proc = run_cli("cost", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["model"]: r for r in json.loads(proc.stdout)}
    assert "gpt-4o" in rows and "gpt-5-search-api" not in rows and "gpt-6.2-astra" not in rows
    notes = [line for line in proc.stderr.decode().splitlines() if "left out" in line]
    assert len(notes) == 1 and "gpt-5-search-api (" in notes[0] and "gpt-6.2-astra (" in notes[0]
    # A model the user names is never left out: its error stops the command, on one line.
    named = run_cli("cost", str(path), "-m", "gpt-5-search-api")
    assert named.returncode == 1 and len(named.stderr.decode().splitlines()) == 1
