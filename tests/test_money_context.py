"""Every public money path gives the same Decimal whatever the caller's decimal context.

tokencmp computes money in one exact context of its own (tokencmp/money/usd.py,
``MONEY``), never in the caller's. Each case below runs once under a fresh
default context and once under a hostile one: one digit of precision, and every
signal that a rounding or an invalid operation happened trapped. An operation
that ran in the caller's context would raise (Inexact, Rounded) or give a
one-digit figure; the two runs must give the same figures, written the same
way (``str`` of each Decimal, so an exponent that differs shows too).

Issue 13 reported the compare paths giving 0.00002 where estimate_cost gives
0.0000175 under ``prec=1``; they now go through tokencmp.money.usd too.
"""

from __future__ import annotations

import dataclasses
import decimal
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import tokencmp
from tokencmp.money.usd import format_usd, parse_usd, per_million
from tokencmp.result import Result, plain

HOSTILE = decimal.Context(
    prec=1,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow,
           decimal.DivisionByZero],
)

TEXT = "hello world " * 3
# The prompt-caching guide's usage object (developers.openai.com/api/docs/guides/prompt-caching).
CHAT_USAGE = {"prompt_tokens": 2006, "completion_tokens": 300,
              "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}}
# The reasoning guide's Responses usage (developers.openai.com/api/docs/guides/reasoning).
RESPONSES_USAGE = {"input_tokens": 75, "output_tokens": 1186,
                   "input_tokens_details": {"cached_tokens": 0},
                   "output_tokens_details": {"reasoning_tokens": 1024}}
# The Realtime cost guide's usage (developers.openai.com/api/docs/guides/realtime-costs).
REALTIME_USAGE = {"input_tokens": 132, "output_tokens": 121,
                  "input_token_details": {"text_tokens": 119, "audio_tokens": 13, "cached_tokens": 64,
                                          "cached_tokens_details": {"text_tokens": 64, "audio_tokens": 0}},
                  "output_token_details": {"text_tokens": 30, "audio_tokens": 91}}
AUDIO_USAGE = {"prompt_tokens": 1000, "completion_tokens": 500,
               "prompt_tokens_details": {"audio_tokens": 800},
               "completion_tokens_details": {"audio_tokens": 400}}
CACHE_WRITE_USAGE = {"prompt_tokens": 10_000, "completion_tokens": 500,
                     "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 8_000}}
BODY = {"model": "gpt-4o", "max_tokens": 100, "n": 3,
        "messages": [{"role": "user", "content": "Hello!"}]}
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Tell me about Paris. " * 40},
    {"role": "assistant", "content": "Paris is in France. " * 40},
    {"role": "user", "content": "And Rome?"},
]


def raised(call: Callable[[], Any]) -> Any:
    """What ``call`` returns, or the type and message of the TokencmpError it raises."""
    try:
        return call()
    except tokencmp.TokencmpError as e:
        return f"{type(e).__name__}: {e}"


MONEY_CASES: dict[str, Callable[[], Any]] = {
    # estimate_cost: a bare count, every term, the range, tiers, long context
    "estimate count": lambda: tokencmp.estimate_cost(7, model="gpt-4o", output_tokens=0),
    "estimate cached": lambda: tokencmp.estimate_cost(2006, model="gpt-4o", cached_tokens=1920,
                                                      output_tokens=300),
    "estimate range": lambda: tokencmp.estimate_cost(2006, model="gpt-4o"),
    "estimate batch no cached price": lambda: tokencmp.estimate_cost(
        2006, model="gpt-4o", cached_tokens=1920, output_tokens=300, tier="batch"),
    "estimate long context": lambda: tokencmp.estimate_cost(300_000, model="gpt-5.5", cached_tokens=100_000,
                                                            output_tokens=1_000),
    "estimate cache write": lambda: tokencmp.estimate_cost(10_000, model="gpt-5.6-luna",
                                                           cache_write_tokens=8_000, output_tokens=7),
    "estimate huge": lambda: tokencmp.estimate_cost(10**40 + 7, model="text-embedding-3-small"),
    # estimate_cost: a request body, and a RequestCount
    "estimate body": lambda: tokencmp.estimate_cost(BODY),
    "estimate RequestCount": lambda: tokencmp.estimate_cost(tokencmp.count_request(BODY), choices=1),
    # cost_from_usage: the three shapes; cached, audio, reasoning, cache writes
    "usage chat cached": lambda: tokencmp.cost_from_usage(CHAT_USAGE, model="gpt-4o"),
    "usage responses reasoning": lambda: tokencmp.cost_from_usage(RESPONSES_USAGE, model="o3"),
    "usage realtime audio": lambda: tokencmp.cost_from_usage(REALTIME_USAGE, model="gpt-realtime"),
    "usage chat audio": lambda: tokencmp.cost_from_usage(AUDIO_USAGE,
                                                         model="gpt-4o-audio-preview-2024-12-17"),
    "usage cache write": lambda: tokencmp.cost_from_usage(CACHE_WRITE_USAGE, model="gpt-5.6-luna"),
    # prices_for
    "prices_for long context": lambda: tokencmp.prices_for("gpt-5.4", prompt_tokens=300_000),
    "prices_for batch": lambda: tokencmp.prices_for("gpt-5.4", tier="batch"),
    # check_budget / ensure_budget: within, over (its message formats the amounts), unpriced
    "check_budget": lambda: tokencmp.check_budget(BODY, max_cost="0.0030225"),
    "check_budget over": lambda: tokencmp.check_budget(BODY, max_cost="0.003").problems,
    "ensure_budget ok": lambda: tokencmp.ensure_budget(BODY, max_cost=Decimal("0.05")),
    "ensure_budget over": lambda: raised(lambda: tokencmp.ensure_budget(BODY, max_cost="0.003")),
    "check_budget unknown output": lambda: tokencmp.check_budget(
        {"model": "gpt-4o", "messages": BODY["messages"]}, max_cost=7),
    # rank_models / cheapest_fit
    "rank_models": lambda: tokencmp.rank_models(TEXT, models=["gpt-4o", "gpt-4-0613", "gpt-oss-120b"]),
    "rank_models capped": lambda: tokencmp.rank_models(BODY, models=["gpt-4o", "gpt-5-nano", "gpt-4.1"],
                                                       max_cost="0.01"),
    "cheapest_fit": lambda: tokencmp.cheapest_fit("Hello", models=["gpt-5-nano", "gpt-4o-mini"],
                                                  max_cost="0.01"),
    # fit_messages (limits, no money: it must not touch the caller's context either)
    "fit_messages": lambda: tokencmp.fit_messages(CONVERSATION, model="gpt-4o", max_prompt_tokens=60),
    # the USD helpers themselves
    "usd helpers": lambda: (per_million(7, Decimal("2.50")), parse_usd(" 0.0000175 ", "max_cost"),
                            format_usd(Decimal("1.7500E-5"))),
}

COMPARE_CASES: dict[str, Callable[[], Any]] = {
    "compare_text": lambda: tokencmp.compare_text(TEXT, models=["gpt-4o", "gpt-4-0613"]).input_costs,
    "compare_file": lambda: tokencmp.compare_file(io.BytesIO(TEXT.encode()), models=["gpt-4o"]).input_costs,
    "compare_corpus": lambda: (lambda r: (r.total.input_costs,
                                          [lang.counts.input_costs for lang in r.languages]))(
        tokencmp.compare_corpus(models=["gpt-4o", "gpt-4-0613"])),
}


def snapshot(value: Any) -> Any:
    """``value`` as plain data, every Decimal written by ``str`` (so a different exponent shows)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Result):
        return {f.name: snapshot(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.name.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [snapshot(v) for v in value]
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return plain(value)


def _json(value: Any) -> Any:
    """The JSON form of a result (or of results inside lists and dicts), as the CLI writes it."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return plain(value)


def same_under_both_contexts(case: Callable[[], Any]) -> None:
    with decimal.localcontext(decimal.Context()):
        value = case()
        expected, expected_json = snapshot(value), _json(value)
    with decimal.localcontext(HOSTILE) as ctx:
        got = case()
        got_json = _json(got)  # the JSON form is written in tokencmp's context too
        flags = [signal.__name__ for signal, raised_ in ctx.flags.items() if raised_]
    assert snapshot(got) == expected
    assert got_json == expected_json
    assert flags == []  # nothing ran in the caller's context, not even without rounding


@pytest.mark.parametrize("name", list(MONEY_CASES))
def test_money_is_the_same_under_a_hostile_decimal_context(name: str) -> None:
    same_under_both_contexts(MONEY_CASES[name])


def test_a_malformed_budget_is_refused_whatever_the_callers_traps() -> None:
    # With InvalidOperation not trapped, Decimal("abc") would quietly be NaN in the caller's context.
    for context in (decimal.Context(traps=[]), HOSTILE):
        with decimal.localcontext(context), pytest.raises(tokencmp.InvalidRequestError,
                                                          match="not an amount in USD"):
            tokencmp.check_budget(BODY, max_cost="abc")


@pytest.mark.parametrize("name", list(COMPARE_CASES))
def test_compare_costs_are_the_same_under_a_hostile_decimal_context(name: str) -> None:
    same_under_both_contexts(COMPARE_CASES[name])


def test_the_issues_example_worked_by_hand() -> None:
    # "hello world " * 3 on o200k_base: o200k_base's pattern (tiktoken_ext/openai_public.py in
    # openai/tiktoken) splits it into "hello", " world", " hello", " world", " hello", " world"
    # and the trailing " " (the \s+(?!\S) branch); each piece is a single token of the
    # vocabulary, so 7 tokens. gpt-4o's input price is $2.50 per 1M (OpenAI's pricing page,
    # developers.openai.com/api/docs/pricing): 7 x 2.50 = 17.5 per 1M = $0.0000175 exactly.
    # A one-digit context would round it to $0.00002 (issue 13).
    with decimal.localcontext(HOSTILE):
        tokens = tokencmp.count_tokens(TEXT, model="gpt-4o")
        est = tokencmp.estimate_cost(tokens, model="gpt-4o", output_tokens=0)
        rows = tokencmp.rank_models(TEXT, models=["gpt-4o"], output_tokens=0)
    assert tokens == 7
    assert est.total == est.input_cost == Decimal("0.0000175")
    assert str(est.total) == "0.0000175"
    # As one user message: 3 per message + 1 for the role "user" + 7 + 3 priming the reply = 14
    # prompt tokens (openai/openai-cookbook examples/How_to_count_tokens_with_tiktoken.ipynb,
    # section 6, at c81359c): 14 x 2.50 = 35 per 1M = $0.000035.
    assert rows[0].prompt_tokens == 14 and rows[0].total_min == Decimal("0.000035")


def test_the_issues_compare_example_worked_by_hand() -> None:
    # As above: 7 tokens x $2.50 per 1M = $0.0000175 (issue 13 saw 0.00002 under prec=1).
    with decimal.localcontext(HOSTILE):
        costs = tokencmp.compare_text(TEXT, models=["gpt-4o"]).input_costs
    assert str(costs["gpt-4o"]) == "0.0000175"


IMAGE = "https://example.com/a.png"
IMAGE_CASES: dict[str, Callable[[], Any]] = {
    "estimate_image (patch multiplier)": lambda: tokencmp.estimate_image(1024, 1024, model="gpt-4.1-mini"),
    "count_request with an image": lambda: tokencmp.count_request(
        {"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": IMAGE}}]}]},
        image_sizes={IMAGE: (1024, 1024)}),
}


@pytest.mark.parametrize("name", list(IMAGE_CASES))
def test_image_tokens_are_the_same_under_a_hostile_decimal_context(name: str) -> None:
    # Not money, but the same rule: the patch multiplier (a Decimal) ran in the caller's context
    # and gave 2000 tokens under prec=1 (found in review of issue 13).
    same_under_both_contexts(IMAGE_CASES[name])


def test_the_patch_multiplier_worked_by_hand() -> None:
    # OpenAI's images-vision guide ("Calculating costs", the patch-based models): a 1024 x 1024
    # image is (1024 / 32) x (1024 / 32) = 1,024 patches of 32 px, under the 1,536-patch cap, and
    # gpt-4.1-mini multiplies patches by 1.62: 1,024 x 1.62 = 1,658.88, counted as 1,658 tokens.
    with decimal.localcontext(HOSTILE):
        assert tokencmp.estimate_image(1024, 1024, model="gpt-4.1-mini").tokens == 1658
