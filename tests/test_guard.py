"""tokencmp.guard around the real openai SDK, against a loopback server (tests/guard_server.py).

No mock of the SDK: the SDK builds, sends and parses every request; the server counts what
it receives, so "nothing was sent" is checked where it happens.

Every expected amount is worked by hand from the catalog's prices, which come from OpenAI's
pricing page (https://developers.openai.com/api/docs/pricing, the catalog's "openai-pricing"
source), USD per 1M tokens:

- gpt-4o: standard $2.50 input, $1.25 cached input, $10 output; priority $4.25 in, $17 out;
- gpt-5-nano: flex $0.025 input, $0.20 output;
- text-embedding-3-small: $0.02 input.

The one chat request used throughout, ``[{"role": "user", "content": "hi"}]``, is 8 prompt
tokens by the cookbook's formula (OpenAI cookbook, "How to count tokens with tiktoken"): 3
per message + 1 for "user" + 1 for "hi" + 3 priming the reply. With ``max_tokens=10``:

    reservation  8 x 2.50 + 10 x 10 = 20 + 100 = 120 per 1M  -> $0.00012
    settled      8 x 2.50 +  5 x 10 = 20 +  50 =  70 per 1M  -> $0.00007  (usage: 8 in, 5 out)
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from decimal import Decimal

import pytest

openai = pytest.importorskip("openai")

import tokencmp  # noqa: E402
from tokencmp import BudgetExceededError, InvalidRequestError, PriceUnknownError, UnknownModelError  # noqa: E402

from .guard_server import Behaviour, GuardServer  # noqa: E402
from .helpers import run_python  # noqa: E402

HI = [{"role": "user", "content": "hi"}]
RESERVED = Decimal("0.00012")
SETTLED = Decimal("0.00007")


@pytest.fixture
def server() -> Iterator[GuardServer]:
    with GuardServer() as s:
        yield s


def client(server: GuardServer, **options: object) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0, **options)


def aclient(server: GuardServer, **options: object) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0, **options)


# --- reserve, then settle ---------------------------------------------------------------------


def test_a_chat_call_settles_on_its_usage_and_releases_the_rest(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    reply = g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert reply.choices[0].message.content == "Hello"
    assert (g.spent, g.reserved, g.remaining) == (SETTLED, 0, Decimal("0.01") - SETTLED)
    (record,) = g.ledger
    assert (record.outcome, record.reserved_input_tokens, record.reserved_output_tokens) == ("settled", 8, 10)
    assert (record.reserved_cost, record.cost, record.request_id) == (RESERVED, SETTLED, "req_1")
    assert (record.input_tokens, record.output_tokens) == (8, 5)
    assert all(isinstance(v, Decimal) for v in (g.spent, g.reserved, g.remaining))


def test_cached_and_reasoning_tokens_in_the_usage_are_billed_as_such(server: GuardServer) -> None:
    server.behaviour = Behaviour(prompt=8, cached=4, completion=5, reasoning=3)
    g = tokencmp.guard(client(server), budget="0.01")
    g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    # 4 uncached x 2.50 + 4 cached x 1.25 + 5 output x 10 (reasoning is part of the output)
    #   = 10 + 5 + 50 = 65 per 1M
    assert g.spent == Decimal("0.000065")
    assert (g.ledger[0].cached_tokens, g.ledger[0].reasoning_tokens) == (4, 3)


def test_the_tier_asked_for_is_reserved_and_the_responses_tier_settled(server: GuardServer) -> None:
    server.behaviour = Behaviour(service_tier="priority")
    g = tokencmp.guard(client(server), budget="0.01")
    # priority: reserve 8 x 4.25 + 10 x 17 = 34 + 170 = 204 per 1M; the server returns 8 in, 5 out
    # at priority: 34 + 5 x 17 = 34 + 85 = 119 per 1M.
    g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, service_tier="priority")
    assert (g.ledger[0].reserved_cost, g.ledger[0].cost, g.ledger[0].tier) == (
        Decimal("0.000204"), Decimal("0.000119"), "priority")
    # A request without a tier reserves standard ($0.00012) but is billed at the tier the
    # response reports: priority again, $0.000119.
    g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert (g.ledger[1].reserved_cost, g.ledger[1].cost) == (RESERVED, Decimal("0.000119"))
    # A project whose default tier is priority ("fast" is its alias): the same 0.000204 reserved.
    fast = tokencmp.guard(client(server), budget="0.01", default_tier="fast")
    fast.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert (fast.ledger[0].tier, fast.ledger[0].reserved_cost) == ("priority", Decimal("0.000204"))


def test_responses_and_embeddings_are_guarded(server: GuardServer) -> None:
    server.behaviour = Behaviour(service_tier="flex")
    g = tokencmp.guard(client(server), budget="0.01")
    # gpt-5-nano at flex, "hi" as Responses input: 7 prompt tokens (3 per message + "user" + "hi" +
    # a reasoning model's 2-token reply priming, docs/chat.md), 10 out: reserve 7 x 0.025 + 10 x 0.20
    # = 0.175 + 2 = 2.175 per 1M; settle the server's 8 in: 8 x 0.025 + 5 x 0.20 = 1.2 per 1M.
    r = g.responses.create(model="gpt-5-nano", input="hi", max_output_tokens=10, service_tier="flex")
    assert r.output_text == "Hello"
    assert (g.ledger[0].reserved_cost, g.ledger[0].cost) == (Decimal("0.000002175"), Decimal("0.0000012"))
    # Embeddings: "hello world" is 2 tokens in cl100k_base (tiktoken's README: [15339, 1917]) and
    # "hi" 1 (cl100k_base id 6151): 3 tokens x 0.02 = 0.06 per 1M; the server reports the 3.
    server.behaviour = Behaviour(prompt=3)
    e = g.embeddings.create(model="text-embedding-3-small", input=["hello world", "hi"])
    assert len(e.data) == 2
    assert (g.ledger[1].reserved_input_tokens, g.ledger[1].reserved_cost, g.ledger[1].cost) == (
        3, Decimal("0.00000006"), Decimal("0.00000006"))


def test_the_sdks_own_arguments_are_not_counted_and_extra_body_is(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    g.chat.completions.create(model="gpt-4o", messages=HI, temperature=openai.NOT_GIVEN, timeout=5,
                              extra_headers={"x-test": "1"}, extra_body={"max_tokens": 10})
    assert server.received[0]["json"]["max_tokens"] == 10
    assert g.ledger[0].reserved_cost == RESERVED  # max_tokens=10 from extra_body, as sent


def test_a_call_that_does_not_fit_is_refused_before_anything_is_sent(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.0001")  # less than the $0.00012 reservation
    with pytest.raises(BudgetExceededError, match=r"up to \$0\.00012") as e:
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert (e.value.cost, e.value.remaining) == (RESERVED, Decimal("0.0001"))
    assert isinstance(e.value, tokencmp.TokencmpError)
    assert server.count() == 0
    assert [r.outcome for r in g.ledger] == ["refused"]
    assert g.spent == 0


def test_without_max_tokens_the_models_maximum_output_is_reserved(server: GuardServer) -> None:
    # gpt-4o's most output is 16,384 tokens (the catalog's limits, models.dev):
    # 8 x 2.50 + 16,384 x 10 = 20 + 163,840 = 163,860 per 1M = $0.16386 > the $0.1 budget.
    g = tokencmp.guard(client(server), budget="0.1")
    with pytest.raises(BudgetExceededError, match=r"0\.16386"):
        g.chat.completions.create(model="gpt-4o", messages=HI)
    assert server.count() == 0


def test_everything_else_is_the_clients(server: GuardServer) -> None:
    raw = client(server)
    g = tokencmp.guard(raw, budget="1")
    assert g.base_url == raw.base_url and g.models is raw.models
    assert g.chat.completions.list == raw.chat.completions.list  # stored completions: free
    with pytest.raises(tokencmp.TokencmpError, match="not guarded"):
        g.chat.completions.with_raw_response  # noqa: B018
    with pytest.raises(tokencmp.TokencmpError, match="not guarded"):
        g.responses.stream  # noqa: B018
    assert g.with_options(timeout=5).budget is g.budget


# --- streams ------------------------------------------------------------------------------------


def test_a_chat_stream_gets_usage_asked_for_and_hidden_from_a_caller_who_did_not(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    chunks = list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True))
    assert server.received[0]["json"]["stream_options"] == {"include_usage": True}
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hello"
    assert all(c.choices for c in chunks) and all(c.usage is None for c in chunks)  # no usage chunk leaks
    assert g.spent == SETTLED and g.ledger[0].stream and g.ledger[0].request_id == "req_1"


def test_a_chat_stream_that_asked_for_usage_sees_it(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    with g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True,
                                   stream_options={"include_usage": True}) as stream:
        chunks = list(stream)
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 5
    assert g.spent == SETTLED and g.ledger[0].outcome == "settled"


def test_include_usage_false_is_overridden_for_the_guard_and_hidden(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    chunks = list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True,
                                            stream_options={"include_usage": False}))
    assert server.received[0]["json"]["stream_options"] == {"include_usage": True}
    assert all(c.choices for c in chunks) and g.spent == SETTLED


def test_a_stream_closed_early_settles_at_its_reservation(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    stream = g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True)
    next(stream)
    stream.close()
    assert (g.spent, g.reserved) == (RESERVED, 0)
    assert g.ledger[0].outcome == "at_reservation" and "closed" in g.ledger[0].note


def test_a_stream_from_a_server_that_sends_no_usage_settles_at_its_reservation(server: GuardServer) -> None:
    server.behaviour = Behaviour(usage=False)
    g = tokencmp.guard(client(server), budget="0.01")
    list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True))
    assert g.spent == RESERVED and g.ledger[0].note == "stream ended without usage"


def test_a_server_sending_usage_so_far_on_every_chunk_is_settled_on_the_last(server: GuardServer) -> None:
    server.behaviour = Behaviour(running_usage=True)  # 0, 1, 2, then all 5 completion tokens
    g = tokencmp.guard(client(server), budget="0.01")
    chunks = list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True))
    assert len(chunks) == 4 and g.spent == SETTLED and g.ledger[0].output_tokens == 5


def test_a_stream_cut_midway_settles_at_its_reservation(server: GuardServer) -> None:
    server.behaviour = Behaviour(cut=True)
    g = tokencmp.guard(client(server), budget="0.01")
    with pytest.raises(openai.APIConnectionError):
        list(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True))
    assert (g.spent, g.reserved) == (RESERVED, 0)
    assert g.ledger[0].outcome == "at_reservation" and "APIConnectionError" in g.ledger[0].note


def test_a_responses_stream_settles_on_response_completed(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    # gpt-4o, "hi" as Responses input: 8 prompt tokens, 10 out: $0.00012 reserved, $0.00007 settled.
    events = list(g.responses.create(model="gpt-4o", input="hi", max_output_tokens=10, stream=True))
    assert [e.type for e in events][-1] == "response.completed"
    assert "stream_options" not in server.received[0]["json"]
    assert (g.ledger[0].reserved_cost, g.spent) == (RESERVED, SETTLED)


def test_async_calls_and_streams(server: GuardServer) -> None:
    g = tokencmp.guard(aclient(server), budget="0.01")

    async def main() -> list[str]:
        await g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
        stream = await g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, stream=True)
        chunks = [c async for c in stream]
        assert all(c.choices for c in chunks)
        async with await g.responses.create(model="gpt-4o", input="hi", max_output_tokens=10,
                                            stream=True) as events:
            return [e.type async for e in events]

    assert asyncio.run(main())[-1] == "response.completed"
    assert g.spent == 3 * SETTLED and [r.outcome for r in g.ledger] == ["settled"] * 3


# --- decided cases --------------------------------------------------------------------------------


def test_a_model_without_a_price_is_refused_unless_a_policy_allows_it(server: GuardServer) -> None:
    fine_tune = "ft:gpt-4o-2024-05-13:acme::x1"  # the catalog has no fine-tuned price for this snapshot
    g = tokencmp.guard(client(server), budget="1")
    with pytest.raises(PriceUnknownError, match="unpriced="):
        g.chat.completions.create(model=fine_tune, messages=HI, max_tokens=10)
    assert server.count() == 0
    allowed = tokencmp.guard(client(server), budget="1", unpriced="0.01")
    allowed.chat.completions.create(model=fine_tune, messages=HI, max_tokens=10)
    assert allowed.spent == Decimal("0.01") and "unpriced" in allowed.ledger[0].note  # never free
    with pytest.raises(InvalidRequestError, match="never free"):
        tokencmp.guard(client(server), budget="1", unpriced="0")


def test_an_unknown_model_is_refused(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="1")
    with pytest.raises(UnknownModelError):
        g.chat.completions.create(model="gtp-4o", messages=HI, max_tokens=10)
    assert server.count() == 0 and g.ledger == ()


def test_a_tier_without_a_price_is_refused(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="1")
    with pytest.raises(PriceUnknownError, match="scale"):
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, service_tier="scale")
    with pytest.raises(PriceUnknownError, match="No flex price for gpt-4o"):
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, service_tier="flex")
    assert server.count() == 0


def test_a_responses_request_with_stored_context_is_refused(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="1")
    with pytest.raises(InvalidRequestError, match="previous_response_id"):
        g.responses.create(model="gpt-4o", input="hi", max_output_tokens=10, previous_response_id="resp_0")
    assert server.count() == 0


def test_a_server_error_releases_the_reservation(server: GuardServer) -> None:
    server.behaviour = Behaviour(status=500)
    g = tokencmp.guard(client(server), budget="0.01")
    with pytest.raises(openai.InternalServerError):
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert (g.spent, g.reserved) == (0, 0)
    assert (g.ledger[0].outcome, g.ledger[0].request_id, g.ledger[0].cost) == ("released", "req_1", 0)


def test_a_timeout_settles_at_the_reservation(server: GuardServer) -> None:
    server.behaviour = Behaviour(delay=1.0)
    g = tokencmp.guard(client(server, timeout=0.2), budget="0.01")
    with pytest.raises(openai.APITimeoutError):
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    assert (g.spent, g.reserved) == (RESERVED, 0) and g.ledger[0].outcome == "at_reservation"


def test_a_cancelled_task_settles_at_the_reservation(server: GuardServer) -> None:
    server.behaviour = Behaviour(delay=1.0)
    g = tokencmp.guard(aclient(server), budget="0.01")

    async def main() -> None:
        task = asyncio.create_task(g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10))
        while server.count() == 0:  # the request reached the server
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert (g.spent, g.reserved) == (RESERVED, 0)
    assert g.ledger[0].outcome == "at_reservation" and "CancelledError" in g.ledger[0].note


def test_a_request_the_sdk_cannot_build_is_released(server: GuardServer) -> None:
    g = tokencmp.guard(client(server), budget="0.01")
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate: JSON (UTF-8) cannot carry it
        g.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "a\ud800"}],
                                  max_tokens=10)
    with pytest.raises(TypeError):
        g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10, no_such_argument=1)
    assert server.count() == 0 and g.spent == 0
    assert [r.outcome for r in g.ledger] == ["released", "released"]


def test_bad_arguments_to_guard() -> None:
    with pytest.raises(InvalidRequestError, match="not an amount in USD"):
        tokencmp.guard(openai.OpenAI(api_key="x"), budget=[5])  # type: ignore[arg-type]
    # a float is read through its shortest repr (issue 16): 5.0 is $5.0
    assert tokencmp.guard(openai.OpenAI(api_key="x"), budget=5.0).remaining == Decimal("5.0")
    with pytest.raises(InvalidRequestError, match=r"openai\.OpenAI"):
        tokencmp.guard(object(), budget="5")


def test_importing_tokencmp_and_reading_guard_does_not_import_openai() -> None:
    code = ("import sys, json, tokencmp; tokencmp.guard; tokencmp.read_ledger; "
            "print(json.dumps('openai' in sys.modules))")
    assert run_python(code) is False
    assert "openai" in sys.modules  # this process did import it: the check above is not vacuous
