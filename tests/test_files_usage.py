"""tokencmp usage / tokencmp.cost_of_outputs: finished work priced from what the API sent back.

Sources of the expected prices (USD per 1M tokens): the catalog's (OpenAI pricing page): gpt-4o
standard $2.50 input, $1.25 cached, $10 output; batch $1.25 / $5; o3 flex $1 / $4; and the
fine-tuning table of the pricing page (the catalog's fine_tuning): fine-tuned gpt-4o-mini-2024-07-18
standard $0.30 input, $0.15 cached, $1.20 output, batch $0.15 / $0.075 / $0.60. The shapes: the
Batch API's output line ({"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error"}) and the usage objects of Chat Completions and Responses (their API references).
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


def out_line(cid: str, body: dict[str, Any] | None, status: int = 200, error: Any = None) -> dict[str, Any]:
    response = None if body is None else {"status_code": status, "request_id": "req", "body": body}
    return {"id": f"batch_req_{cid}", "custom_id": cid, "response": response, "error": error}


def chat(
    model: str, prompt: int, completion: int, cached: int = 0, tier: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"object": "chat.completion", "model": model,
                            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                      "prompt_tokens_details": {"cached_tokens": cached}}}
    if tier:
        body["service_tier"] = tier
    return body


def jl(*objs: Any) -> io.BytesIO:
    return io.BytesIO(b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs))


def test_batch_output_file_at_batch_prices_errors_counted() -> None:
    r = tokencmp.cost_of_outputs(jl(
        out_line("a", chat("gpt-4o", 1000, 100)),
        out_line("b", chat("gpt-4o", 2000, 300)),
        out_line("c", None, error={"code": "batch_expired", "message": "expired"}),
        out_line("d", {"error": {"message": "bad"}}, status=400),
    ))
    assert (r.kind, r.responses, r.errors, r.invalid) == ("batch_output", 2, 2, 0)
    row = r.rows[0]
    assert (row.model, row.tier, row.prompt_tokens, row.output_tokens) == ("gpt-4o", "batch", 3000, 400)
    assert r.total == Decimal("0.00575")  # 3,000 x $1.25 + 400 x $5 = 5,750 per 1M


def test_logged_responses_per_model_and_tier() -> None:
    responses = {"object": "response", "model": "o3", "service_tier": "flex",
                 "usage": {"input_tokens": 75, "output_tokens": 1186,
                           "output_tokens_details": {"reasoning_tokens": 1024}}}
    r = tokencmp.cost_of_outputs(jl(chat("gpt-4o", 2006, 300, cached=1920, tier="default"), responses))
    by = {(x.model, x.tier): x for x in r.rows}
    assert by[("gpt-4o", "standard")].cost == Decimal("0.005615")  # 86 x 2.5 + 1,920 x 1.25 + 300 x 10
    assert by[("gpt-4o", "standard")].cached_tokens == 1920
    o3 = by[("o3", "flex")]
    assert o3.reasoning_tokens == 1024 and o3.cost == Decimal("0.004819")  # 75 x $1 + 1,186 x $4
    assert r.total == Decimal("0.010434") and r.kind == "responses"


def test_one_pretty_printed_response(tmp_path: Path) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(chat("gpt-4o", 100, 10), indent=2))
    r = tokencmp.cost_of_outputs(path)
    assert r.responses == 1 and r.total == Decimal("0.00035")  # 100 x 2.5 + 10 x 10 per 1M


def test_fine_tuned_models_get_their_inference_prices() -> None:
    ft = "ft:gpt-4o-mini-2024-07-18:acme::abc123"
    r = tokencmp.cost_of_outputs(jl(chat(ft, 1000, 100, cached=500, tier="default"),
                                    out_line("b", chat(ft, 1000, 100, cached=500))))
    by = {x.tier: x for x in r.rows}
    assert by["standard"].cost == Decimal("0.000345")  # 500 x 0.30 + 500 x 0.15 + 100 x 1.20
    assert by["batch"].cost == Decimal("0.0001725")    # 500 x 0.15 + 500 x 0.075 + 100 x 0.60


def test_unknown_price_and_bad_lines_are_reported() -> None:
    r = tokencmp.cost_of_outputs(jl(chat("gpt-4o", 10, 1), b"not json", {"model": "gpt-4o"},
                                    chat("gpt-4o", 10, 1, tier="flex")))
    assert r.invalid == 2 and {p.kind for p in r.line_problems} == {"json", "no_usage"}
    assert r.cost_unknown and "No flex price for gpt-4o" in r.cost_unknown  # the catalog has none
    assert r.total == Decimal("0.000035")  # the one priced: 10 x 2.5 + 1 x 10


def test_cost_from_usage_takes_a_whole_response() -> None:
    est = tokencmp.cost_from_usage(chat("gpt-4o", 1000, 100, tier="priority"))
    assert est.tier == "priority" and est.total == Decimal("0.00595")  # 1,000 x $4.25 + 100 x $17 per 1M


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(jl(out_line("a", chat("gpt-4o", 1000, 100))).getvalue())
    assert main(["usage", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "0.00175" and data["rows"][0]["tier"] == "batch"  # 1,000 x 1.25 + 100 x 5
    path.write_bytes(b"nope\n")
    assert main(["usage", str(path)]) == 1
