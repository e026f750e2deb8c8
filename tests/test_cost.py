"""Costs of requests and of finished calls.

Every expected figure is worked by hand in a comment from OpenAI's pricing page
(developers.openai.com/api/docs/pricing, USD per 1M tokens; the 2026-07-15 copy is
`guides/pricing.md` in piercecohen1/openai-docs @ de09146; audio and long-context
rates from litellm 1.110.2, `litellm/model_prices_and_context_window_backup.json`)
and the billing rules of the prompt-caching, reasoning and realtime-costs guides
(`guides/guides/prompt-caching.md`, `reasoning.md`, `realtime-costs.md` in the same
copy), as docs/cost.md lists them.
"""

from __future__ import annotations

import decimal
import doctest
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

import tokencmp
from tokencmp.catalog import load_catalog
from tokencmp.errors import InvalidRequestError, PriceUnknownError
from tokencmp.money import cost
from tokencmp.money import usage as usage_module
from tokencmp.money.cost import estimate_cost, prices_for
from tokencmp.money.usage import cost_from_usage

D = Decimal

# The prompt-caching guide's usage object (developers.openai.com/api/docs/guides/prompt-caching;
# piercecohen1/openai-docs @ de09146 `guides/guides/prompt-caching.md`).
CACHING_USAGE = {
    "prompt_tokens": 2006,
    "completion_tokens": 300,
    "total_tokens": 2306,
    "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
}


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    load_catalog()


@pytest.mark.parametrize("module", [cost, usage_module])
def test_module_examples_run(module) -> None:
    assert doctest.testmod(module).failed == 0


# --- the prompt-caching example -----------------------------------------------------------


def test_prompt_caching_example_on_gpt_4o() -> None:
    # 2,006 prompt tokens of which 1,920 cached: 86 x $2.50 + 1,920 x $1.25 + 300 x $10 per 1M
    # = 215 + 2,400 + 3,000 = 5,615 per 1M = $0.005615
    est = cost_from_usage(CACHING_USAGE, model="gpt-4o")
    assert est.total == D("0.005615")
    assert est.input_cost == D("0.000215")
    assert est.cached_input_cost == D("0.0024")
    assert est.output_cost == D("0.003")
    assert est.total_min == est.total_max == est.total


def test_prompt_caching_example_on_gpt_5() -> None:
    # 86 x $1.25 + 1,920 x $0.125 + 300 x $10 = 107.5 + 240 + 3,000 = 3,347.5 per 1M = $0.0033475
    assert cost_from_usage(CACHING_USAGE, model="gpt-5").total == D("0.0033475")


def test_estimate_matches_usage_for_the_same_tokens() -> None:
    est = estimate_cost(2006, model="gpt-4o", cached_tokens=1920, output_tokens=300)
    assert est.total == D("0.005615")  # same arithmetic as above


def test_sdk_usage_objects_are_read_through_model_dump() -> None:
    class Details(BaseModel):
        cached_tokens: int | None = None
        audio_tokens: int | None = None

    class CompletionUsage(BaseModel):  # the shape of openai.types.CompletionUsage
        prompt_tokens: int
        completion_tokens: int
        total_tokens: int
        prompt_tokens_details: Details | None = None

    usage = CompletionUsage(
        prompt_tokens=2006, completion_tokens=300, total_tokens=2306,
        prompt_tokens_details=Details(cached_tokens=1920),
    )
    assert cost_from_usage(usage, model="gpt-4o").total == D("0.005615")  # as above


def test_null_details_count_as_zero() -> None:
    usage = {"prompt_tokens": 1000, "completion_tokens": 100, "prompt_tokens_details": None,
             "completion_tokens_details": {"reasoning_tokens": None}}
    # 1,000 x $2.50 + 100 x $10 = 2,500 + 1,000 = 3,500 per 1M
    assert cost_from_usage(usage, model="gpt-4o").total == D("0.0035")


# --- reasoning, tiers, long context, cache writes, audio --------------------------------


def test_reasoning_tokens_are_billed_once_as_output() -> None:
    # The reasoning guide's usage: 75 input, 1,186 output of which 1,024 reasoning.
    # On o3 ($2 / $8): 75 x 2 + 1,186 x 8 = 150 + 9,488 = 9,638 per 1M = $0.009638.
    # (Adding the 1,024 reasoning tokens again would give $0.017830.)
    usage = {"input_tokens": 75, "output_tokens": 1186, "total_tokens": 1261,
             "input_tokens_details": {"cached_tokens": 0},
             "output_tokens_details": {"reasoning_tokens": 1024}}
    est = cost_from_usage(usage, model="o3")
    assert est.total == D("0.009638")
    assert est.reasoning_tokens == 1024 and est.output_tokens == 1186


def test_batch_tier() -> None:
    # gpt-4o Batch: $1.25 in / $5 out. 10,000 x 1.25 + 2,000 x 5 = 12,500 + 10,000 = 22,500 per 1M
    est = estimate_cost(10_000, model="gpt-4o", output_tokens=2_000, tier="batch")
    assert est.total == D("0.0225")
    assert est.tier == "batch"


def test_batch_cached_price_where_published() -> None:
    # gpt-5.4 Batch: $1.25 in, $0.13 cached (not half of 0.25), $7.50 out.
    # 2,000 x 1.25 + 8,000 x 0.13 + 1,000 x 7.5 = 2,500 + 1,040 + 7,500 = 11,040 per 1M
    est = estimate_cost(10_000, model="gpt-5.4", cached_tokens=8_000, output_tokens=1_000, tier="batch")
    assert est.total == D("0.01104")


def test_tier_without_cached_price_bills_cached_tokens_at_input_rate_and_says_so() -> None:
    # gpt-4o Batch lists no cached-input price: 2,006 x 1.25 + 300 x 5 = 2,507.5 + 1,500 = 4,007.5
    est = estimate_cost(2006, model="gpt-4o", cached_tokens=1920, output_tokens=300, tier="batch")
    assert est.total == D("0.0040075")
    assert any("upper bound" in n for n in est.notes)


def test_flex_and_priority_tiers() -> None:
    # gpt-5 Flex: $0.625 / $5. 10,000 x 0.625 + 1,000 x 5 = 6,250 + 5,000 = 11,250 per 1M
    assert estimate_cost(10_000, model="gpt-5", output_tokens=1_000, tier="flex").total == D("0.01125")
    # gpt-4o Priority: $4.25 / $17. 1,000 x 4.25 + 1,000 x 17 = 21,250 per 1M
    assert estimate_cost(1_000, model="gpt-4o", output_tokens=1_000, tier="priority").total == D("0.02125")


def test_long_context_prices_apply_above_272k_input() -> None:
    # gpt-5.4 above 272K input: $5 / $0.50 / $22.50. 300,000 x 5 + 10,000 x 22.5
    # = 1,500,000 + 225,000 = 1,725,000 per 1M = $1.725
    est = estimate_cost(300_000, model="gpt-5.4", output_tokens=10_000)
    assert est.total == D("1.725") and est.long_context
    # At exactly 272,000 the standard rates hold: 272,000 x 2.5 + 10,000 x 15 = 680,000 + 150,000
    at = estimate_cost(272_000, model="gpt-5.4", output_tokens=10_000)
    assert at.total == D("0.83") and not at.long_context
    # gpt-5.5 above 272K: $10 / $1 / $45. 200,000 x 10 + 100,000 x 1 + 1,000 x 45
    # = 2,000,000 + 100,000 + 45,000 = 2,145,000 per 1M
    big = estimate_cost(300_000, model="gpt-5.5", cached_tokens=100_000, output_tokens=1_000)
    assert big.total == D("2.145")


def test_priority_above_272k_is_billed_at_standard_long_context_rates() -> None:
    est = estimate_cost(300_000, model="gpt-5.4", output_tokens=10_000, tier="priority")
    assert est.total == D("1.725")  # as the standard long-context case above
    assert any("standard rates" in n for n in est.notes)


def test_batch_above_272k_stacks_with_long_context() -> None:
    # Long context stacks with batch (OpenAI's latest-model guide, copy of 2026-07-15: "stacks with
    # ... batch"); gpt-5.4 batch above 272K: $2.50 in, $11.25 out per 1M (genai-prices 0.2.3
    # genai_prices/data.py and litellm 1.110.2 *_above_272k_tokens_batches agree).
    # 300,000 x 2.5 + 10 x 11.25 = 750,000 + 112.5 = 750,112.5 per 1M
    est = estimate_cost(300_000, model="gpt-5.4", output_tokens=10, tier="batch")
    assert est.long_context and est.total == D("0.7501125")


def test_a_tier_with_no_long_context_price_or_rule_raises() -> None:
    # gpt-5.5-pro: "The Batch table publishes only base rates" (genai-prices 0.2.3), and no
    # multipliers are stated for it: no price above 272K in batch.
    with pytest.raises(PriceUnknownError, match="272,000"):
        estimate_cost(300_000, model="gpt-5.5-pro", output_tokens=10, tier="batch")


def test_cache_writes_at_their_price_on_gpt_5_6() -> None:
    # gpt-5.6-luna since the cut of 2026-07-30 (OpenAI model page gpt-5.6-luna, stored copy with
    # content after 2026-08-21): $0.20 in, $1.20 out; "Cache writes are billed at 1.25x the
    # uncached input token rate": $0.25. 10,000 prompt of which 8,000 written:
    # 2,000 x 0.2 + 8,000 x 0.25 + 500 x 1.2 = 400 + 2,000 + 600 = 3,000 per 1M
    usage = {"prompt_tokens": 10_000, "completion_tokens": 500,
             "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 8_000}}
    est = cost_from_usage(usage, model="gpt-5.6-luna")
    assert est.total == D("0.003") and est.cache_write_cost == D("0.002")


def test_cache_writes_cost_nothing_extra_before_gpt_5_6() -> None:
    # gpt-5: no cache-write fee, so written tokens are plain input: 10,000 x 1.25 = 12,500 per 1M
    est = estimate_cost(10_000, model="gpt-5", cache_write_tokens=8_000, output_tokens=0)
    assert est.total == D("0.0125")


def test_cache_writes_on_a_tier_without_their_price_are_an_error() -> None:
    # gpt-6-cyber bills cache writes ($25, genai-prices 0.2.3) but lists no batch tier at all,
    # so use an override with a batch price and no cache-write price.
    from tokencmp.catalog import ModelInfo

    info = ModelInfo.model_validate({
        "name": "x", "encoding": "o200k_base", "checked": "2026-12-02",
        "prices": {"standard": {"input": "1", "cache_write": "1.25", "output": "6"},
                   "batch": {"input": "0.5", "output": "3"}},
    })
    from tokencmp.money.cost import Tokens, price

    with pytest.raises(PriceUnknownError, match="cache-write"):
        price(info, Tokens(prompt=10_000, cache_write=8_000, output=0), "batch")


def test_audio_tokens_at_audio_rates() -> None:
    # gpt-4o-audio-preview-2024-12-17: text $2.50 / $10, audio $40 / $80.
    # Prompt 1,000 of which 800 audio; completion 500 of which 400 audio:
    # 200 x 2.5 + 800 x 40 + 100 x 10 + 400 x 80 = 500 + 32,000 + 1,000 + 32,000 = 65,500 per 1M
    usage = {"prompt_tokens": 1000, "completion_tokens": 500,
             "prompt_tokens_details": {"audio_tokens": 800},
             "completion_tokens_details": {"audio_tokens": 400}}
    est = cost_from_usage(usage, model="gpt-4o-audio-preview-2024-12-17")
    assert est.total == D("0.0655")
    assert est.audio_input_tokens == 800 and est.audio_output_tokens == 400


def test_realtime_usage_example() -> None:
    # The Realtime cost guide's usage: 132 input (119 text, 13 audio, 64 cached text),
    # 121 output (30 text, 91 audio). gpt-realtime: text $4 / $0.40 cached / $16, audio $32 / $64.
    # 55 x 4 + 64 x 0.4 + 13 x 32 + 30 x 16 + 91 x 64 = 220 + 25.6 + 416 + 480 + 5,824 = 6,965.6 per 1M
    usage = {"total_tokens": 253, "input_tokens": 132, "output_tokens": 121,
             "input_token_details": {"text_tokens": 119, "audio_tokens": 13, "image_tokens": 0,
                                     "cached_tokens": 64,
                                     "cached_tokens_details": {"text_tokens": 64, "audio_tokens": 0}},
             "output_token_details": {"text_tokens": 30, "audio_tokens": 91}}
    assert cost_from_usage(usage, model="gpt-realtime").total == D("0.0069656")


def test_audio_tokens_on_a_model_without_audio_prices_are_an_error() -> None:
    usage = {"prompt_tokens": 100, "completion_tokens": 0, "prompt_tokens_details": {"audio_tokens": 50}}
    with pytest.raises(PriceUnknownError, match="audio prices for gpt-4o"):
        cost_from_usage(usage, model="gpt-4o")


# --- ranges -----------------------------------------------------------------------------


def test_unknown_output_gives_a_range_up_to_the_models_max_output() -> None:
    # gpt-4o, 2,006 prompt tokens: min 2,006 x 2.5 = 5,015 per 1M;
    # max adds gpt-4o's 16,384 max output x $10 = 163,840 -> 168,855 per 1M
    est = estimate_cost(2006, model="gpt-4o")
    assert est.total is None and est.output_cost is None
    assert est.total_min == D("0.005015")
    assert est.total_max == D("0.168855")
    assert est.output_tokens_max == 16_384
    # the names of earlier 0.x releases read the same values (README and docs examples use them)
    assert (est.min_total, est.max_total, est.max_output_tokens) == (D("0.005015"), D("0.168855"), 16_384)
    assert est.max_output_cost == est.output_cost_max == D("0.16384")  # 16,384 x $10 per 1M
    assert est.output_cost_min == 0 and est.prompt_cost == D("0.005015")


def test_range_uses_the_requests_max_tokens() -> None:
    # A RequestCount with max_completion_tokens 500: max = 5,015 + 500 x 10 = 10,015 per 1M
    count = SimpleNamespace(total=2006, model="gpt-4o", max_output_tokens=500)
    assert estimate_cost(count).total_max == D("0.010015")
    assert estimate_cost(2006, model="gpt-4o", max_output_tokens=500).total_max == D("0.010015")


def test_range_never_exceeds_the_models_max_output() -> None:
    # max_output_tokens 50,000 on gpt-4o, which produces at most 16,384: 5,015 + 163,840 per 1M
    assert estimate_cost(2006, model="gpt-4o", max_output_tokens=50_000).total_max == D("0.168855")


def test_range_never_exceeds_what_the_context_window_leaves() -> None:
    # gpt-4o, 120,000 prompt tokens of a 128,000 context: at most 8,000 output tokens.
    # 120,000 x 2.5 + 8,000 x 10 = 300,000 + 80,000 = 380,000 per 1M
    est = estimate_cost(120_000, model="gpt-4o")
    assert est.output_tokens_max == 8_000 and est.total_max == D("0.38")


def test_embeddings_have_no_output() -> None:
    # text-embedding-3-small: $0.02 per 1M input tokens
    est = estimate_cost(1_000_000, model="text-embedding-3-small")
    assert est.total_min == est.total_max == D("0.02")


# --- sources, unknown prices, overrides -------------------------------------------------


def test_every_estimate_carries_its_price_source_and_checked_date() -> None:
    est = estimate_cost(1000, model="gpt-4o", output_tokens=0)
    assert [s.url for s in est.sources] == ["https://developers.openai.com/api/docs/pricing"]
    assert est.sources[0].date == "2026-07-15"
    # gpt-4o's entry was compared with genai-prices 0.2.3 on 2026-12-02 (cached input per tier)
    assert est.checked.isoformat() == "2026-12-02"
    long = estimate_cost(300_000, model="gpt-5.4", output_tokens=0)
    assert "latest-model" in long.sources[0].url  # the >272K rates: OpenAI's GPT-5.4 guide


@pytest.mark.parametrize("model", ["gpt-oss-120b", "ft:gpt-4-0613:acme::x1", "gpt-image-1"])
def test_model_without_a_price_raises(model: str) -> None:  # gpt-4-0613 has no fine-tuning prices
    with pytest.raises(PriceUnknownError, match="load_catalog"):
        estimate_cost(100, model=model, output_tokens=10)


def test_tier_without_a_price_raises() -> None:
    with pytest.raises(PriceUnknownError, match="flex"):
        estimate_cost(100, model="gpt-4o", tier="flex")
    with pytest.raises(PriceUnknownError, match="tiers are"):
        estimate_cost(100, model="gpt-4o", tier="cheap")  # type: ignore[arg-type]


def test_user_override_prices_are_used(tmp_path, restore_catalog) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"models": {
        "gpt-4o": {"prices": {"standard": {"input": "2.00"}}},
        "my-model": {"encoding": "o200k_base", "context_window": 32000, "max_output_tokens": 1000,
                     "checked": "2026-11-01", "prices": {"standard": {"input": "3", "output": "9"}}},
    }}))
    load_catalog(path)
    # gpt-4o with input at $2.00 (cached and output unchanged):
    # 86 x 2 + 1,920 x 1.25 + 300 x 10 = 172 + 2,400 + 3,000 = 5,572 per 1M
    assert cost_from_usage(CACHING_USAGE, model="gpt-4o").total == D("0.005572")
    # my-model: 1,000 x 3 + 1,000 (its max output) x 9 = 12,000 per 1M
    mine = estimate_cost(1000, model="my-model")
    assert mine.total_max == D("0.012")
    assert mine.sources == () and mine.checked.isoformat() == "2026-11-01"


def test_prices_for_reports_the_rates_that_apply() -> None:
    assert prices_for("gpt-5.4", prompt_tokens=300_000).output == D("22.5")
    assert prices_for("gpt-5.4").output == D("15")
    assert prices_for("gpt-4o", tier="batch").input == D("1.25")


# --- arithmetic and bad input -----------------------------------------------------------


def test_callers_decimal_context_does_not_change_figures() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        assert cost_from_usage(CACHING_USAGE, model="gpt-4o").total == D("0.005615")


@pytest.mark.parametrize(
    "usage, path",
    [
        ({"prompt_tokens": 10, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 20}},
         "cached_tokens"),
        ({"prompt_tokens": -1, "completion_tokens": 1}, "usage.prompt_tokens"),
        ({"prompt_tokens": 10, "completion_tokens": "1"}, "usage.completion_tokens"),
        ({"input_tokens": 10, "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 9}},
         "reasoning_tokens"),
        ({"tokens": 5}, "usage"),
    ],
)
def test_bad_usage_names_the_field(usage: dict, path: str) -> None:
    with pytest.raises(InvalidRequestError) as e:
        cost_from_usage(usage, model="gpt-4o")
    assert e.value.path == path


def test_bare_token_count_needs_a_model() -> None:
    with pytest.raises(tokencmp.TokencmpError, match="model="):
        estimate_cost(100)


def test_public_names() -> None:
    assert tokencmp.estimate_cost is estimate_cost
    assert tokencmp.cost_from_usage is cost_from_usage
    assert tokencmp.CostEstimate is cost.CostEstimate


def test_n_choices_multiply_the_most_output_not_the_prompt() -> None:
    # "Hello!" on gpt-4o: 3 + 1 (role) + 2 (content) + 3 (priming) = 9 prompt tokens, billed once;
    # n=3 choices of up to 100 tokens each: up to 300 output tokens.
    # 9 x $2.50/1M + 300 x $10/1M = 0.0000225 + 0.003 = 0.0030225
    hello = [{"role": "user", "content": "Hello!"}]
    body = {"model": "gpt-4o", "messages": hello, "max_tokens": 100, "n": 3}
    est = tokencmp.estimate_cost(body)
    assert (est.prompt_tokens, est.output_tokens_max, est.total_max) == (9, 300, Decimal("0.0030225"))
    assert tokencmp.count_request(body).choices == 3
    # choices= overrides the request's n; a bare token count has one choice unless told
    assert tokencmp.estimate_cost(body, choices=1).total_max == Decimal("0.0010225")
    two = tokencmp.estimate_cost(9, model="gpt-4o", max_output_tokens=100, choices=2)
    assert two.output_tokens_max == 200
    with pytest.raises(tokencmp.InvalidRequestError, match=r"^n: must be at least 1"):
        tokencmp.count_request({**body, "n": 0})
    with pytest.raises(tokencmp.InvalidRequestError):
        tokencmp.estimate_cost(body, choices=0)
