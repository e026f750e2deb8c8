"""The command line writes the library's results: its JSON is their ``to_dict()`` (issue 13).

Each case runs ``python -m tokencmp`` and compares its JSON with the ``to_dict()`` of the public
call the command makes, so the two cannot drift apart; the numbers themselves are checked in
tests/test_cli_cost.py (worked by hand from the pricing page).
"""

from __future__ import annotations

import json

import pytest

import tokencmp

from .test_cli import run_cli

REQUEST = {"model": "gpt-4o", "max_tokens": 100,
           "messages": [{"role": "user", "content": "What is the capital of France?"}]}


@pytest.fixture
def request_file(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST), encoding="utf-8")
    return path


def test_check_json_is_the_reports_to_dict_plus_what_the_cli_adds(request_file) -> None:
    proc = run_cli("check", str(request_file), "--max-cost", "0.05", "--format", "json")
    report = tokencmp.check_budget(REQUEST, max_cost="0.05")
    cost = report.to_dict()["cost"]
    assert json.loads(proc.stdout) == {
        **report.to_dict(), "ok": True, "problems": [],
        "price_sources": [s["url"] for s in cost["sources"]], "checked": cost["checked"],
    }


def test_cost_json_rows_are_the_rankings_to_dict(request_file) -> None:
    proc = run_cli("cost", str(request_file), "-m", "gpt-4o", "-m", "gpt-4.1", "--format", "json")
    rows = tokencmp.rank_models(REQUEST, models=["gpt-4o", "gpt-4.1"])
    got = json.loads(proc.stdout)
    assert [r["model"] for r in got] == [r.model for r in rows]
    for line, row in zip(got, rows, strict=True):
        data = row.to_dict()
        est = data.pop("report")["cost"]
        assert {k: line[k] for k in data} == data
        assert line["output_tokens_max"] == est["output_tokens_max"] == 100  # the request's max_tokens
        assert line["tier"] == "standard" and line["checked"] == est["checked"]


def test_cost_csv_shows_amounts_as_the_json_does(request_file) -> None:
    got = run_cli("cost", str(request_file), "-m", "gpt-4o", "--format", "csv").stdout.decode().splitlines()
    [row] = json.loads(run_cli("cost", str(request_file), "-m", "gpt-4o", "--format", "json").stdout)
    header, values = got[0].split(","), got[1].split(",")
    assert header[:4] == ["model", "encoding", "prompt_tokens", "prompt_cost"]
    assert values[header.index("prompt_cost")] == row["prompt_cost"]
    assert values[header.index("total_max")] == row["total_max"]


def test_image_json_counts_are_the_estimates_to_dict(tmp_path) -> None:
    # a PNG header of 512 x 256 (the IHDR chunk: PNG specification, section 11.2.2)
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (512).to_bytes(4, "big")
                    + (256).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
                    + b"\x00\x00\x00\x00IEND\xaeB`\x82")  # ... and its end, the IEND chunk (11.2.5)
    out = json.loads(run_cli("image", str(png), "-m", "gpt-4.1-mini", "--format", "json").stdout)
    [image] = out["images"]
    assert (image["width"], image["height"]) == (512, 256)
    assert image["counts"] == [tokencmp.estimate_image(512, 256, model="gpt-4.1-mini").to_dict()]


def test_compare_defaults_to_the_catalogs_encodings() -> None:
    out = json.loads(run_cli("compare", "-", "--format", "json", stdin="hello").stdout)
    assert tuple(out["encodings"]) == tokencmp.get_catalog().defaults.encodings


def test_count_defaults_to_the_catalogs_model() -> None:
    out = json.loads(run_cli("count", "-", "--format", "json", stdin="hello").stdout)
    assert out["model"] == tokencmp.get_catalog().defaults.model
