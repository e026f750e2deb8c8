"""Pre-flight checks, trimming to fit, and comparing one request across models.

The limits are the catalog's (docs/catalog.md): gpt-5 accepts 272,000 input
tokens of a 400,000 context (models.dev `models/openai/gpt-5.toml` @ f3fc692,
`input = 272_000`; litellm 1.110.2 `model_prices_and_context_window_backup.json`,
`max_input_tokens` 272000), gpt-4o has 128,000 with 16,384 max output (same
sources). The prices are OpenAI's pricing page (developers.openai.com/api/docs/pricing,
the 2026-07-15 copy in piercecohen1/openai-docs @ de09146, `guides/pricing.md`).
Costs are worked by hand in the comments. Where a test needs a request's token
count it takes it from the chat counter: these tests check the limit and
trimming rules, not the counting.
"""

from __future__ import annotations

import doctest
from decimal import Decimal
from types import SimpleNamespace

import pytest

import tokencmp
from tokencmp.chat import count_messages, count_request
from tokencmp.errors import BudgetExceededError, ContextOverflowError, InvalidRequestError
from tokencmp.money import budget, limits, ranking, trim
from tokencmp.money.budget import check_budget, ensure_budget
from tokencmp.money.ranking import cheapest_fit, compare_models, rank_models
from tokencmp.money.trim import fit_messages

D = Decimal


def counted(total: int, model: str, max_output_tokens: int | None = None) -> SimpleNamespace:
    """A request already counted: the fields of tokencmp.RequestCount that budget checks read."""
    return SimpleNamespace(total=total, model=model, encoding="o200k_base", exact=True, notes=[],
                           max_output_tokens=max_output_tokens)


@pytest.mark.parametrize("module", [budget, limits, ranking, trim])
def test_module_examples_run(module) -> None:
    assert doctest.testmod(module).failed == 0


# --- limits -----------------------------------------------------------------------------


def test_gpt_5_accepts_272000_input_tokens_not_more() -> None:
    at = check_budget(counted(272_000, "gpt-5"))
    assert at.fits_context and at.over_by == 0
    assert at.input_limit == 272_000 and at.context_window == 400_000 and at.prompt_limit == 272_000
    over = check_budget(counted(272_001, "gpt-5"))
    assert not over.fits_context and over.over_by == 1 and over.output_headroom == 0
    message = "272,001 prompt tokens exceed the input limit of 272,000 by 1"
    with pytest.raises(ContextOverflowError, match=message) as e:
        ensure_budget(counted(272_001, "gpt-5"))
    assert (e.value.prompt_tokens, e.value.limit) == (272_001, 272_000)


def test_reserved_output_counts_against_the_context_window() -> None:
    # gpt-5: 272,000 + 128,000 = 400,000 fits exactly; one more reserved token does not.
    assert check_budget(counted(272_000, "gpt-5"), reserve_output=128_000).fits_context
    over = check_budget(counted(272_000, "gpt-5"), reserve_output=128_001)
    assert not over.fits_context and over.over_by == 1 and over.prompt_limit == 271_999
    # gpt-4o: 120,000 + 8,001 = 128,001 > 128,000
    with pytest.raises(ContextOverflowError, match="8,001 reserved output tokens exceed the 128,000-token"):
        ensure_budget(counted(120_000, "gpt-4o"), reserve_output=8_001)


def test_the_requests_max_tokens_is_the_default_reserve() -> None:
    report = check_budget(counted(120_000, "gpt-4o", max_output_tokens=10_000))
    assert report.reserved_output == 10_000 and report.over_by == 2_000  # 130,000 - 128,000


def test_output_headroom() -> None:
    assert check_budget(counted(120_000, "gpt-4o")).output_headroom == 8_000  # 128,000 - 120,000
    assert check_budget(counted(1_000, "gpt-4o")).output_headroom == 16_384  # its max output
    assert check_budget(counted(1_000, "gpt-5")).output_headroom == 128_000


def test_a_real_request_with_max_tokens_over_the_context() -> None:
    # max_completion_tokens 128,000 fills gpt-4o's whole context, so every prompt token is over.
    request = {"model": "gpt-4o", "max_completion_tokens": 128_000,
               "messages": [{"role": "user", "content": "Hello!"}]}
    report = check_budget(request)
    assert report.reserved_output == 128_000
    assert not report.fits_context and report.over_by == report.prompt_tokens
    assert report.prompt_tokens == count_request(request).total
    assert "more than gpt-4o can produce" in " ".join(report.notes)


def test_model_argument_overrides_the_requests_model() -> None:
    request = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!"}]}
    assert check_budget(request, model="gpt-5").model == "gpt-5"


# --- budgets ----------------------------------------------------------------------------


def test_budget_is_met_only_by_the_upper_end_of_the_range() -> None:
    # gpt-4o, 2,006 prompt tokens, up to 500 output: 2,006 x 2.5 + 500 x 10 = 5,015 + 5,000
    # = 10,015 per 1M = $0.010015
    request = counted(2006, "gpt-4o", max_output_tokens=500)
    report = check_budget(request, max_cost="0.01")
    assert (report.total_min, report.total_max) == (D("0.005015"), D("0.010015"))
    assert report.within_budget is False and not report.ok
    with pytest.raises(BudgetExceededError, match=r"up to \$0\.010015 .* budget of \$0\.01\b"):
        ensure_budget(request, max_cost="0.01")
    assert check_budget(request, max_cost=D("0.010015")).within_budget is True
    assert check_budget(request).within_budget is None  # no budget given


def test_known_output_gives_one_figure() -> None:
    # 2,006 x 2.5 + 300 x 10 = 8,015 per 1M
    report = check_budget(counted(2006, "gpt-4o"), output_tokens=300, max_cost="0.01")
    assert report.cost.total == D("0.008015") and report.within_budget


def test_budget_as_float_is_read_through_its_shortest_repr() -> None:
    # repr(0.1) == "0.1" (Python's shortest round-tripping repr, since 3.1): the budget is exactly
    # 0.1, not the binary fraction 0.1000000000000000055511151231257827021181583404541015625.
    assert check_budget(counted(10, "gpt-4o"), max_cost=0.1).budget == D("0.1")
    assert check_budget(counted(10, "gpt-4o"), max_cost=1).budget == D("1")
    for bad in (True, float("nan"), float("inf"), -0.5, [0.1]):
        with pytest.raises(InvalidRequestError):
            check_budget(counted(10, "gpt-4o"), max_cost=bad)  # type: ignore[arg-type]


def test_problems_explain_the_failure() -> None:
    report = check_budget(counted(272_001, "gpt-5"), max_cost="0")
    assert len(report.problems) == 2
    assert check_budget(counted(10, "gpt-5")).problems == ()


# --- comparing models -------------------------------------------------------------------

JAPANESE = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"


def test_compare_models_recounts_with_each_models_encoding() -> None:
    rows = rank_models(JAPANESE, models=["gpt-4o", "gpt-4-0613"], output_tokens=100)
    by_model = {r.model: r for r in rows}
    one_message = [{"role": "user", "content": JAPANESE}]
    for name in ("gpt-4o", "gpt-4-0613"):
        assert by_model[name].prompt_tokens == count_messages(one_message, model=name).total
    assert by_model["gpt-4o"].encoding == "o200k_base" and by_model["gpt-4-0613"].encoding == "cl100k_base"
    assert by_model["gpt-4o"].prompt_tokens < by_model["gpt-4-0613"].prompt_tokens
    gpt4 = by_model["gpt-4-0613"]
    # gpt-4-0613: $30 in / $60 out per 1M
    assert gpt4.prompt_cost == D(gpt4.prompt_tokens) * 30 / 1_000_000
    assert gpt4.total_min == gpt4.total_max == gpt4.prompt_cost + D(100) * 60 / 1_000_000


def test_compare_models_sorts_by_cost_and_reports_fit() -> None:
    request = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!"}],
               "max_completion_tokens": 20_000}
    rows = rank_models(request, models=["gpt-4o", "gpt-5-nano", "gpt-4.1"])
    # The request caps the output, so rows go by the high end of the range (plus a few prompt
    # tokens each): gpt-5-nano 20,000 x $0.40 = $0.008; gpt-4.1 20,000 x $8 = $0.16;
    # gpt-4o at most its 16,384 max output x $10 = $0.16384.
    assert [r.model for r in rows] == ["gpt-5-nano", "gpt-4.1", "gpt-4o"]
    assert rows[2].report.cost.output_tokens_max == 16_384
    fits = {r.model: r.fits_context for r in rows}
    # 20,000 reserved output fits gpt-5-nano's 400,000 and gpt-4.1's 1,047,576 contexts, and
    # gpt-4o's 128,000 context too (it is over gpt-4o's 16,384 max output, which is a note).
    assert fits == {"gpt-5-nano": True, "gpt-4.1": True, "gpt-4o": True}
    nano = rows[0]
    # up to 20,000 output tokens at $0.40 per 1M = $0.008, on top of the prompt
    assert nano.output_cost_min == 0 and nano.output_cost_max == D("0.008")


def test_compare_models_takes_a_message_list() -> None:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    [row] = rank_models(messages, models=["gpt-4o"])
    assert row.prompt_tokens == count_messages(messages, model="gpt-4o").total


def test_cheapest_fit_respects_the_budget() -> None:
    # Output unknown, so each model's upper end includes its max output:
    # gpt-5-nano 128,000 x $0.40 = $0.0512 (over $0.01); gpt-4o-mini 16,384 x $0.60 = $0.0098304,
    # plus a few prompt tokens at $0.15 per 1M: under $0.01.
    best = cheapest_fit("Hello", models=["gpt-5-nano", "gpt-4o-mini"], max_cost="0.01")
    assert best is not None and best.model == "gpt-4o-mini"
    assert cheapest_fit("Hello", models=["gpt-5-nano", "gpt-4o-mini"], max_cost="0.001") is None
    assert cheapest_fit("Hello", models=["gpt-5-nano", "gpt-4o-mini"]).model == "gpt-5-nano"


# --- trimming ---------------------------------------------------------------------------


def call(call_id: str) -> dict:
    return {"id": call_id, "type": "function", "function": {"name": "lookup", "arguments": '{"q": "x"}'}}


CONVERSATION = [
    {"role": "system", "content": "You answer questions about the weather."},
    {"role": "user", "content": "What is the weather in Paris? " * 20},               # turn 1
    {"role": "assistant", "content": "Sunny. " * 20},
    {"role": "user", "content": "And in Rome?"},                                      # turn 2
    {"role": "assistant", "content": None, "tool_calls": [call("c1")]},
    {"role": "tool", "tool_call_id": "c1", "content": "Rome: rain, 14 C. " * 30},
    {"role": "assistant", "content": "Rain in Rome."},
    {"role": "developer", "content": "Answer in one sentence."},
    {"role": "user", "content": "And in Oslo and Bergen?"},                           # the last user message
    {"role": "assistant", "content": None, "tool_calls": [call("c2"), call("c3")]},   # parallel calls
    {"role": "tool", "tool_call_id": "c2", "content": "Oslo: snow. " * 10},
    {"role": "tool", "tool_call_id": "c3", "content": "Bergen: wind. " * 10},
]


def pick(*indexes: int) -> tuple[dict, ...]:
    return tuple(CONVERSATION[i] for i in indexes)


def tokens(messages: tuple[dict, ...] | list[dict]) -> int:
    # the fit takes a count at its upper bound (docs/cost.md): CONVERSATION has parallel tool calls,
    # whose cost no recorded call measures, so its high is above its total
    return count_messages(messages, model="gpt-4o").high


def assert_tool_calls_kept_with_results(kept: tuple[dict, ...]) -> None:
    calls = {c["id"] for m in kept for c in m.get("tool_calls") or ()}
    results = {m["tool_call_id"] for m in kept if m["role"] == "tool"}
    assert calls == results


def test_nothing_dropped_when_it_fits() -> None:
    result = fit_messages(CONVERSATION, model="gpt-4o")
    assert result.kept == tuple(CONVERSATION) and result.dropped == ()
    assert result.prompt_tokens == tokens(CONVERSATION) and result.limit == 128_000


def test_oldest_turn_goes_first() -> None:
    without_turn_1 = pick(0, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    result = fit_messages(CONVERSATION, model="gpt-4o", max_prompt_tokens=tokens(without_turn_1))
    assert result.kept == without_turn_1 and result.dropped == pick(1, 2)
    assert result.prompt_tokens == tokens(without_turn_1)


def test_a_tool_call_round_trip_is_dropped_whole_with_its_turn() -> None:
    # One token short of keeping turn 2: the whole turn goes, its tool call with its result.
    without_turn_1 = pick(0, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    result = fit_messages(CONVERSATION, model="gpt-4o", max_prompt_tokens=tokens(without_turn_1) - 1)
    assert result.dropped == pick(1, 2, 3, 4, 5, 6)
    assert result.kept == pick(0, 7, 8, 9, 10, 11)
    assert_tool_calls_kept_with_results(result.kept)


def test_parallel_tool_calls_after_the_last_user_message_go_together() -> None:
    minimum = pick(0, 7, 8)
    result = fit_messages(CONVERSATION, model="gpt-4o", max_prompt_tokens=tokens(minimum) + 5)
    assert result.kept == minimum  # system, developer and the last user message
    assert result.dropped == pick(1, 2, 3, 4, 5, 6, 9, 10, 11)
    assert_tool_calls_kept_with_results(result.kept)


def test_overflow_when_even_the_minimum_does_not_fit() -> None:
    floor = tokens(pick(0, 7, 8))
    with pytest.raises(ContextOverflowError, match="never dropped") as e:
        fit_messages(CONVERSATION, model="gpt-4o", max_prompt_tokens=floor - 1)
    assert (e.value.prompt_tokens, e.value.limit) == (floor, floor - 1)


def test_reserved_output_lowers_the_limit() -> None:
    # gpt-4o: 128,000 context less 127,990 reserved leaves 10 prompt tokens.
    with pytest.raises(ContextOverflowError, match="limit of 10 "):
        fit_messages(CONVERSATION, model="gpt-4o", reserve_output=127_990)


def test_trimming_needs_a_user_message() -> None:
    with pytest.raises(InvalidRequestError, match="no user message"):
        fit_messages([{"role": "system", "content": "x"}], model="gpt-4o", max_prompt_tokens=1)


def test_public_names() -> None:
    assert tokencmp.check_budget is check_budget and tokencmp.fit_messages is fit_messages
    assert tokencmp.rank_models is rank_models and tokencmp.cheapest_fit is cheapest_fit
    assert tokencmp.compare_models is compare_models is rank_models  # the old name stays


def test_old_names_of_the_bounds_read_the_same_values() -> None:
    # As test_budget_is_met_only_by_the_upper_end_of_the_range: $0.005015 .. $0.010015
    report = check_budget(counted(2006, "gpt-4o", max_output_tokens=500), max_cost="0.01")
    assert (report.cost_min, report.cost_max) == (D("0.005015"), D("0.010015"))
    [row] = rank_models("Hi", models=["gpt-4o"])
    old = (row.input_cost, row.fits, row.headroom)
    assert old == (row.prompt_cost, row.fits_context, row.output_headroom)


def test_results_are_frozen_and_have_one_json_form() -> None:
    import dataclasses

    from tokencmp.result import Result

    report = check_budget(counted(2006, "gpt-4o", max_output_tokens=500), max_cost="0.01")
    [row] = rank_models("Hi", models=["gpt-4o"], output_tokens=10)
    fit = fit_messages(CONVERSATION, model="gpt-4o")
    for result in (report, report.cost, row, fit):
        assert isinstance(result, Result)
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.model = "x"  # type: ignore[misc]
    data = report.to_dict()
    # the same bound names on the report, its estimate and a row; money as decimal strings
    assert (data["total_min"], data["total_max"]) == ("0.005015", "0.010015")
    assert (data["cost"]["total_min"], data["cost"]["total_max"]) == ("0.005015", "0.010015")
    assert {"total_min", "total_max", "output_cost_min", "output_cost_max", "prompt_cost",
            "fits_context", "output_headroom"} <= set(row.to_dict())
    assert fit.to_dict()["kept"] == CONVERSATION and isinstance(fit.kept, tuple)


def test_responses_request_reserves_its_max_output_tokens() -> None:
    request = {"model": "gpt-5", "input": "Write a haiku about tokens.", "max_output_tokens": 1_000}
    report = check_budget(request)
    assert report.reserved_output == 1_000 and report.prompt_tokens == count_request(request).total
    # the upper end: the prompt at $1.25 plus 1,000 output tokens at $10, per 1M
    assert report.total_max == (report.prompt_tokens * D("1.25") + 1_000 * 10) / D(1_000_000)


def test_estimate_cost_counts_a_request_body() -> None:
    request = {"model": "gpt-4o", "max_completion_tokens": 100,
               "messages": [{"role": "user", "content": "Hello!"}]}
    est = tokencmp.estimate_cost(request)
    tokens = count_request(request).total
    # tokens x $2.50 + up to 100 x $10, per 1M
    assert est.prompt_tokens == tokens and est.output_tokens_max == 100
    assert est.total_max == (tokens * D("2.5") + 100 * 10) / D(1_000_000)
    assert tokencmp.estimate_cost(request, model="gpt-4-0613").prompt_tokens == count_request(
        request, model="gpt-4-0613").total


def test_checking_a_count_against_another_model_says_so() -> None:
    report = check_budget(counted(1_000, "gpt-4o"), model="gpt-4-0613")
    assert report.model == "gpt-4-0613" and "counted for gpt-4o" in " ".join(report.notes)


# --- models without a price -------------------------------------------------------------


def test_a_model_without_a_price_is_still_checked_for_fit() -> None:
    # gpt-oss-120b: 131,072 context, open weights, no OpenAI price in the catalog.
    report = check_budget(counted(1_000, "gpt-oss-120b"))
    assert report.fits_context and report.cost is None and report.total_min is None
    assert any(n.startswith("Cost unknown: No standard price for gpt-oss-120b") for n in report.notes)
    with pytest.raises(tokencmp.PriceUnknownError):
        check_budget(counted(1_000, "gpt-oss-120b"), max_cost="1")


def test_unpriced_models_sort_last_and_are_never_the_cheapest_under_a_budget() -> None:
    rows = rank_models("Hello", models=["gpt-oss-120b", "gpt-4o"], output_tokens=10)
    assert [r.model for r in rows] == ["gpt-4o", "gpt-oss-120b"]
    assert rows[1].total_min is None and rows[1].prompt_cost is None and rows[1].fits_context
    assert cheapest_fit("Hello", models=["gpt-oss-120b"], output_tokens=10).model == "gpt-oss-120b"
    assert cheapest_fit("Hello", models=["gpt-oss-120b"], output_tokens=10, max_cost="1") is None


def test_a_fine_tune_is_checked_against_its_base_models_context() -> None:
    # gpt-4o-mini's context is 128,000: 128,001 prompt tokens are over by 1.
    report = check_budget(counted(128_001, "ft:gpt-4o-mini-2024-07-18:acme::x1"))
    assert not report.fits_context and report.over_by == 1
    # priced as a fine-tuned gpt-4o-mini-2024-07-18 (the pricing page's fine-tuning table: $0.30 input)
    assert report.cost is not None and report.cost.input_cost == Decimal("0.0384003")  # 128,001 x 0.30 / 1M


def test_n_choices_reserve_the_context_per_choice_but_cost_for_all() -> None:
    # Each choice is its own completion: the context must hold the prompt and one choice's output
    # (100), while the cost bound covers 3 x 100 output tokens: 9 x 2.5 + 300 x 10 per 1M.
    hello = [{"role": "user", "content": "Hello!"}]
    body = {"model": "gpt-4o", "messages": hello, "max_tokens": 100, "n": 3}
    report = check_budget(body, max_cost="0.003")
    assert report.reserved_output == 100 and report.prompt_limit == 128_000 - 100
    assert report.total_max == Decimal("0.0030225") and report.within_budget is False
