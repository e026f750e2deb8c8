"""The guard's ledger: exported as JSON and CSV, read back, summed; a bad file is one clear error.

The calls are tests/test_guard.py's: gpt-4o, 8 prompt tokens, ``max_tokens=10``; $0.00012
reserved, $0.00007 settled on the server's usage (8 in, 5 out; OpenAI's pricing page, $2.50
input and $10 output per 1M).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

openai = pytest.importorskip("openai")

import tokencmp  # noqa: E402
from tokencmp import InvalidRequestError  # noqa: E402

from .guard_server import Behaviour, GuardServer  # noqa: E402

HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def guarded() -> tokencmp.GuardedClient:
    with GuardServer() as server:
        raw = openai.OpenAI(base_url=server.base_url, api_key="t", max_retries=0)
        g = tokencmp.guard(raw, budget="0.0003")
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)           # settled, $0.00007
        list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True))  # $0.00007
        server.behaviour = Behaviour(status=429)
        with pytest.raises(openai.RateLimitError):                                      # released, $0
            g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
        # spent $0.00014, so $0.00016 is left: a call reserving $0.00012 fits, one reserving the
        # model's 16,384 output tokens (8 x 2.50 + 16,384 x 10 per 1M = $0.16386) does not.
        with pytest.raises(tokencmp.BudgetExceededError):                               # refused
            g.chat.completions.create(model="gpt-4o", messages=HI)
    return g


def test_the_ledger_holds_every_call_with_its_outcome(guarded: tokencmp.GuardedClient) -> None:
    assert [(r.outcome, r.cost, r.request_id) for r in guarded.ledger] == [
        ("settled", Decimal("0.00007"), "req_1"), ("settled", Decimal("0.00007"), "req_2"),
        ("released", 0, "req_3"), ("refused", 0, "")]
    assert [r.stream for r in guarded.ledger] == [False, True, False, False]
    assert guarded.ledger[3].reserved_output_tokens == 16_384


def test_the_summary_sums_the_ledger(guarded: tokencmp.GuardedClient) -> None:
    s = guarded.summary()
    assert (s.calls, s.cost, s.input_tokens, s.output_tokens) == (4, Decimal("0.00014"), 16, 10)
    assert dict(s.outcomes) == {"settled": 2, "released": 1, "refused": 1}
    # reserved: 0.00012 x 3 + 0.16386 = 0.16422
    assert s.reserved_cost == Decimal("0.16422")
    assert [(m.model, m.calls, m.cost) for m in s.by_model] == [("gpt-4o", 4, Decimal("0.00014"))]
    assert s.first is not None and s.first <= (s.last or "")


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_an_export_reads_back_as_the_same_records(guarded: tokencmp.GuardedClient, tmp_path: Path,
                                                  suffix: str) -> None:
    path = guarded.export_ledger(tmp_path / f"calls{suffix}")
    assert tokencmp.read_ledger(path) == guarded.ledger
    assert tokencmp.summarize_ledger(tokencmp.read_ledger(path)) == guarded.summary()


def test_the_export_formats(guarded: tokencmp.GuardedClient, tmp_path: Path) -> None:
    rows = json.loads(guarded.export_ledger(tmp_path / "a.json").read_text())
    assert rows[0]["cost"] == "0.00007" and rows[0]["reserved_cost"] == "0.00012"  # amounts as strings
    lines = guarded.export_ledger(tmp_path / "a.txt", "csv").read_text().splitlines()
    assert lines[0].startswith("time,endpoint,model,tier,outcome,reserved_input_tokens") and len(lines) == 5


def test_a_file_that_is_not_a_ledger_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"not": "a list"}')
    with pytest.raises(InvalidRequestError, match="expected a JSON list"):
        tokencmp.read_ledger(tmp_path / "x.json")
    (tmp_path / "y.json").write_text('[{"outcome": "paid"}]')
    with pytest.raises(InvalidRequestError, match=r"outcome: expected one of settled"):
        tokencmp.read_ledger(tmp_path / "y.json")
    with pytest.raises(InvalidRequestError, match=r"ends in \.json or \.csv"):
        tokencmp.read_ledger(tmp_path / "calls.txt")
    with pytest.raises(InvalidRequestError, match="cannot read"):
        tokencmp.read_ledger(tmp_path / "missing.csv")
    (tmp_path / "z.sqlite").write_text("not a database")
    with pytest.raises(InvalidRequestError, match="not a tokencmp budget store"):
        tokencmp.read_ledger(tmp_path / "z.sqlite")


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_the_usage_command_reads_a_ledger(guarded: tokencmp.GuardedClient, tmp_path: Path,
                                          suffix: str) -> None:
    import subprocess
    import sys

    path = guarded.export_ledger(tmp_path / f"calls{suffix}")
    command = [sys.executable, "-m", "tokencmp", "usage", "--ledger", str(path), "--format", "json"]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    # the four calls of the fixture: two settled at $0.00007 each, one released, one refused
    assert data["calls"] == 4 and data["cost"] == "0.00014"
    assert [(m["model"], m["calls"]) for m in data["by_model"]] == [("gpt-4o", 4)]
    table = subprocess.run([sys.executable, "-m", "tokencmp", "usage", "--ledger", str(path)],
                           capture_output=True, text=True, check=False)
    assert table.returncode == 0 and "gpt-4o" in table.stdout
    assert "4 calls" in table.stderr and "settled $0.00014" in table.stderr


def test_the_usage_command_refuses_a_file_that_is_not_a_ledger(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "calls.json"
    bad.write_text('{"not": "a ledger"}')
    run = subprocess.run([sys.executable, "-m", "tokencmp", "usage", "--ledger", str(bad)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and str(bad) in run.stderr
