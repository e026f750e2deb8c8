"""Bounds: every count says the range the API's count falls in (docs/chat.md, "Bounds").

An exact count is its own range; an estimate adds, once per estimated rule, the spread the
format's ``bounds`` data gives that rule (measured on recorded API calls, each entry with its
evidence); an image adds its own range. The budget check and the fit take the upper bound,
and the command line prints an estimate as ``≈ total (low–high)``.
"""

from __future__ import annotations

import json

import pytest

import tokencmp
from tokencmp.cli import main
from tokencmp.money.budget import assess

GPT_4O_IMAGE = "https://example.com/cat.png"
UNMEASURED = {"model": "gpt-5-chat-latest", "messages": [{"role": "user", "content": "hi"}]}
"""A request on a model no recorded call measures: an estimate."""


def bound(fmt: str, rule: str) -> tokencmp.catalog.RuleBound:
    return tokencmp.get_catalog().chat_formats[fmt].bounds[rule]


def test_an_exact_count_is_its_own_range() -> None:
    c = tokencmp.count_messages([{"role": "user", "content": "hello"}], model="gpt-4o")
    assert c.exact and c.low == c.high == c.total == 8  # cookbook: 3 + 1 + 1 + 3


def test_every_format_has_a_default_bound_with_its_reason() -> None:
    for key, fmt in tokencmp.get_catalog().chat_formats.items():
        default = fmt.bounds["default"]
        assert default.low < 0 < default.high and default.evidence, key


def test_an_estimated_rule_adds_its_spread_once_however_often_it_applies() -> None:
    # gpt-5-chat-latest: no recorded call measures its message rule (docs/chat.md)
    one = tokencmp.count_messages([{"role": "user", "content": "hello"}], model="gpt-5-chat-latest")
    many = tokencmp.count_messages([{"role": "user", "content": "hello"}] * 5, model="gpt-5-chat-latest")
    spread = bound("chatml-newer", "messages")
    for c in (one, many):
        assert not c.exact
        assert (c.low, c.high) == (c.total + spread.low, c.total + spread.high)


def test_a_bound_comes_from_the_catalog(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    override = {"chat_formats": {"chatml-newer": {"bounds": {
        "messages": {"low": -5, "high": 7, "evidence": "a test's own figures"}}}}}
    path = tmp_path / "override.json"
    path.write_text(json.dumps(override))
    try:
        tokencmp.load_catalog(path)
        c = tokencmp.count_messages([{"role": "user", "content": "hello"}], model="gpt-5-chat-latest")
        assert (c.low, c.high) == (c.total - 5, c.total + 7)
    finally:
        tokencmp.load_catalog()


def test_an_image_of_unknown_size_spans_the_smallest_to_the_largest_image() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": GPT_4O_IMAGE, "detail": "high"}}]}]}
    c = tokencmp.count_request(body)
    part = c.breakdown.image_parts[0]
    # OpenAI's vision guide (gpt-4o, high): 85 + 170 per 512px tile. The most, 768x2048: 8 tiles = 1445;
    # the least, any image within one tile: 85 + 170 = 255
    assert (part.tokens, part.low, part.high) == (1445, 255, 1445)
    # the message around it: 3 + 1 (user) and 3 to prime the reply, counted exactly
    assert (c.total, c.low, c.high) == (4 + 1445 + 3, 4 + 255 + 3, 4 + 1445 + 3)


def test_check_budget_takes_the_prompt_at_its_upper_bound() -> None:
    messages = [{"role": "user", "content": "hello " * 50}]
    count = tokencmp.count_messages(messages, model="gpt-5-chat-latest")
    assert count.high > count.total
    report = assess(count, model="gpt-5-chat-latest", budget=None, reserve_output=1000, output_tokens=None,
                    cached_tokens=0, tier="standard")
    prompt = (report.prompt_tokens, report.prompt_low, report.prompt_high)
    assert prompt == (count.total, count.low, count.high)
    ceiling = tokencmp.estimate_cost(count.high, model="gpt-5-chat-latest", max_output_tokens=1000)
    assert report.total_max == ceiling.total_max


def test_fit_messages_fits_the_upper_bound() -> None:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "one " * 40},
                {"role": "assistant", "content": "ok"}, {"role": "user", "content": "two"}]
    c = tokencmp.count_messages(messages, model="gpt-5-chat-latest")
    # a limit the total fits but the upper bound does not: the oldest turn must go
    result = tokencmp.fit_messages(messages, model="gpt-5-chat-latest", max_prompt_tokens=c.total)
    assert result.dropped and result.prompt_tokens <= c.total


def test_the_cli_prints_an_estimate_with_its_bounds(tmp_path, capsys) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(UNMEASURED))
    assert main(["request", str(path)]) == 0
    c = tokencmp.count_request(json.loads(path.read_text()))
    out = capsys.readouterr().out
    assert f"≈ {c.total:,} ({c.low:,}–{c.high:,})" in out
    assert main(["request", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["low"], data["high"]) == (c.low, c.high)


def test_the_cli_prints_an_exact_count_as_the_number(tmp_path, capsys) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}))
    assert main(["request", str(path)]) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "8"]  # cookbook: 3 + 1 + 1 + 3


def test_check_prints_the_prompt_with_its_bounds(tmp_path, capsys) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(UNMEASURED))
    assert main(["check", str(path)]) == 0
    c = tokencmp.count_request(json.loads(path.read_text()))
    assert f"≈ {c.total:,} ({c.low:,}–{c.high:,})" in capsys.readouterr().out


def test_an_override_of_an_unknown_field_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    path = tmp_path / "override.json"
    override = {"models": ["gpt-5"], "set": {"reply_primng": 2}, "evidence": "a typo"}
    path.write_text(json.dumps({"chat_formats": {"chatml-newer": {"overrides": {"typo": override}}}}))
    try:
        with pytest.raises(tokencmp.CatalogError, match=r"overrides\.typo\.set\.reply_primng"):
            tokencmp.load_catalog(path)
    finally:
        tokencmp.load_catalog()


def test_an_override_sets_its_models_constants(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    path = tmp_path / "override.json"
    override = {"models": ["gpt-4.1-nano"], "set": {"reply_priming": 5}, "evidence": "a test's own"}
    path.write_text(json.dumps({"chat_formats": {"chatml-newer": {"overrides": {"nano": override}}}}))
    try:
        tokencmp.load_catalog(path)
        hello = [{"role": "user", "content": "hello"}]
        assert tokencmp.count_messages(hello, model="gpt-4.1-nano").total == 3 + 1 + 1 + 5
        assert tokencmp.count_messages(hello, model="gpt-4.1-mini").total == 3 + 1 + 1 + 3
    finally:
        tokencmp.load_catalog()


def test_an_override_for_one_api_leaves_the_other_and_the_bundled_ones(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    path = tmp_path / "override.json"
    override = {"models": ["gpt-4.1-nano"], "api": "responses", "set": {"reply_priming": 5}, "evidence": "x"}
    path.write_text(json.dumps({"chat_formats": {"chatml-newer": {"overrides": {"nano": override}}}}))
    try:
        tokencmp.load_catalog(path)
        hello = [{"role": "user", "content": "hello"}]
        # 3 per message + "user" (1 token) + "hello" (1 token) + the reply priming
        assert tokencmp.count_messages(hello, model="gpt-4.1-nano").total == 3 + 1 + 1 + 3
        assert tokencmp.count_request({"model": "gpt-4.1-nano", "input": "hello"}).total == 3 + 1 + 1 + 5
        # the bundled reasoning override (2-token priming, docs/chat.md) still applies to gpt-5
        assert tokencmp.count_messages(hello, model="gpt-5").total == 3 + 1 + 1 + 2
    finally:
        tokencmp.load_catalog()


def test_an_override_excludes_a_name_whatever_its_base() -> None:
    from tokencmp.catalog import FormatOverride, resolve_model

    o = FormatOverride(models=("gpt-5",), excludes=("gpt-5-chat",), set={"reply_priming": 2}, evidence="own")
    assert o.matches(resolve_model("gpt-5-mini"), "chat")
    assert not o.matches(resolve_model("gpt-5-chat-latest"), "chat")
    assert not FormatOverride(models=("gpt-5",), api="responses", set={"x": 1}, evidence="own").matches(
        resolve_model("gpt-5"), "chat"
    )


def test_an_undocumented_auto_detail_is_bounded_below_by_low() -> None:
    from tokencmp.images.rules import estimate_image

    # the vision guide's tile rule: 540x360 at high is 2 x 1 tiles, 85 + 2 * 170 = 425; at low 85.
    # 'auto' is counted as high; the API may choose low (pydantic-ai test_image_url_tool_response.yaml
    # #interaction1, gpt-4o, 2025-04-29: 4 below the count with it at high)
    e = estimate_image(540, 360, model="gpt-4o", detail="auto")
    assert (e.tokens, e.low, e.high, e.exact) == (425, 85, 425, False)
    high = estimate_image(540, 360, model="gpt-4o", detail="high")
    assert (high.low, high.high) == (425, 425)
