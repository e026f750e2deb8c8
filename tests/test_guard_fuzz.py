"""Fuzz tests of the guard's public names (the inventory of tests/test_fuzz.py and docs/reliability.md).

A guarded call with any request body either is refused with a TokencmpError before anything
reaches the loopback server, or is sent and ends with exactly one ledger record and nothing
left reserved; ``guard()`` with any arguments gives a client or one TokencmpError; a ledger
file of any content reads as records or one TokencmpError; a summary adds up its records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

openai = pytest.importorskip("openai")

import tokencmp  # noqa: E402
from tokencmp.guards.ledger import OUTCOMES, LedgerRecord  # noqa: E402

from .fuzz import hostile_request, hostile_text, json_value, profile, sound  # noqa: E402
from .guard_server import GuardServer  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[GuardServer]:
    with GuardServer() as s:
        yield s


def _plain(endpoint: str, text: str, stream: bool) -> dict[str, Any]:
    """A body the endpoint takes, with hostile text where the user's text goes."""
    if endpoint == "chat":
        return {"model": "gpt-4o", "max_tokens": 10, "stream": stream,
                "messages": [{"role": "user", "content": text}]}
    if endpoint == "responses":
        return {"model": "gpt-4o", "max_output_tokens": 10, "stream": stream, "input": text}
    return {"model": "text-embedding-3-small", "input": [text, text]}


@profile(60)
@given(body=st.one_of(hostile_request, st.none()),
       endpoint=st.sampled_from(["chat", "responses", "embeddings"]),
       text=hostile_text(40, 2000), stream=st.booleans())
def test_a_guarded_call_with_any_body(server: GuardServer, body: Any, endpoint: str, text: str,
                                      stream: bool) -> None:
    raw = openai.OpenAI(base_url=server.base_url, api_key="t", max_retries=0, timeout=10)
    g = tokencmp.guard(raw, budget="1")
    if body is None:  # about a third of the examples: a body the endpoint takes, hostile text in it
        kwargs = _plain(endpoint, text, stream)
    else:
        kwargs = body if isinstance(body, dict) else {"model": "gpt-4o", "messages": body, "input": body}
    resources = {"chat": g.chat.completions, "responses": g.responses, "embeddings": g.embeddings}
    resource = resources[endpoint]
    before = server.count()
    try:
        result = resource.create(**kwargs)
        if kwargs.get("stream"):
            list(result)
    except tokencmp.TokencmpError as e:
        assert str(e).strip()
        assert server.count() == before  # refused: nothing was sent
        assert all(r.outcome == "refused" for r in g.ledger)
    except (openai.OpenAIError, TypeError, ValueError):
        pass  # the SDK or the server said no, after the guard let it through
    assert g.reserved == 0
    assert len(g.ledger) <= 1
    if server.count() == before:
        assert g.spent == 0  # never charged for a call that never left
    if server.count() > before:
        (record,) = g.ledger
        assert record.outcome in ("settled", "released", "at_reservation")


tiers = st.one_of(st.sampled_from([*tokencmp.TIERS, "fast", "cheap"]), json_value)
amounts = st.one_of(st.sampled_from(["5.00", "0", "-1", "1e400", "NaN", 5, 0.5, True, None, "refuse"]),
                    hostile_text(10, 30), json_value)


CLIENTS: dict[str, Any] = {}


def _client(kind: str) -> Any:
    if kind == "other":
        return {}
    if kind not in CLIENTS:  # built once: an SDK client takes milliseconds to make
        CLIENTS[kind] = (openai.OpenAI if kind == "sync" else openai.AsyncOpenAI)(api_key="t")
    return CLIENTS[kind]


@profile(100)
@given(budget=amounts, unpriced=amounts, default_tier=tiers,
       client=st.sampled_from(["sync", "async", "other"]))
def test_guard_with_any_arguments(budget: Any, unpriced: Any, default_tier: Any, client: str) -> None:
    got = sound(lambda: tokencmp.guard(_client(client), budget, unpriced=unpriced, default_tier=default_tier))
    if isinstance(got, tokencmp.GuardedClient):
        assert got.cap >= 0 and got.spent == 0 and got.remaining == got.cap
        assert got.budget.unpriced is None or got.budget.unpriced > 0  # never free


def _one_record(value: Any) -> str:
    return json.dumps([{"outcome": "settled", "time": "t", "endpoint": "chat", "model": "gpt-4o",
                        "tier": "standard", "reserved_input_tokens": value, "reserved_output_tokens": 1,
                        "reserved_cost": value}])


@profile(150)
@given(content=st.one_of(st.binary(max_size=300), hostile_text(60, 200),
                         st.builds(json.dumps, st.lists(json_value, max_size=3)),
                         st.builds(_one_record, json_value)),
       suffix=st.sampled_from([".json", ".csv", ".sqlite", ".txt"]))
def test_read_ledger_on_any_file(tmp_path_factory: pytest.TempPathFactory, content: Any,
                                 suffix: str) -> None:
    path = tmp_path_factory.mktemp("ledger") / f"calls{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    got = sound(lambda: tokencmp.read_ledger(path))
    if isinstance(got, tuple):
        assert all(isinstance(r, LedgerRecord) and r.reserved_cost >= 0 and r.cost >= 0 for r in got)


record = st.builds(
    LedgerRecord, time=st.text(max_size=5), endpoint=st.sampled_from(["chat", "responses", "embeddings"]),
    model=st.sampled_from(["gpt-4o", "gpt-5", "o3"]), tier=st.sampled_from(tokencmp.TIERS),
    outcome=st.sampled_from(OUTCOMES), reserved_input_tokens=st.integers(0, 10**9),
    reserved_output_tokens=st.integers(0, 10**9),
    reserved_cost=st.decimals(0, 10**6, places=9), input_tokens=st.integers(0, 10**9),
    output_tokens=st.integers(0, 10**9), cost=st.decimals(0, 10**6, places=9))


@profile(150)
@given(st.lists(record, max_size=30))
def test_summarize_ledger_adds_up_any_records(records: list[LedgerRecord]) -> None:
    s = tokencmp.summarize_ledger(records)
    assert s.calls == len(records) == sum(n for _, n in s.outcomes) == sum(m.calls for m in s.by_model)
    total = sum((r.cost for r in records), Decimal(0))
    assert s.cost == total == sum((m.cost for m in s.by_model), Decimal(0))
    assert s.input_tokens == sum(r.input_tokens for r in records)
    assert [m.cost for m in s.by_model] == sorted((m.cost for m in s.by_model), reverse=True)


def test_an_export_of_fuzzed_records_reads_back(tmp_path: Path) -> None:
    from tokencmp.guards.files import write_ledger

    rec = LedgerRecord(time="2026-12-02T00:00:00.000Z", endpoint="chat", model="gpt-4o", tier="flex",
                       outcome="expired", reserved_input_tokens=1, reserved_output_tokens=2,
                       reserved_cost=Decimal("1E-9"), cost=Decimal("0.000000001"), note='a "quoted",\nnote')
    for suffix in (".json", ".csv"):
        assert tokencmp.read_ledger(write_ledger([rec], tmp_path / f"x{suffix}")) == (rec,)
