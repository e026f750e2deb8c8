"""The guard's stores on their own: the one rule, a SQLite file's cap, a late settlement after expiry.

Amounts here are plain figures chosen for the arithmetic, not prices.
"""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tokencmp import InvalidRequestError
from tokencmp.guards import Budget, MemoryStore, SQLiteStore
from tokencmp.guards.files import read_ledger
from tokencmp.guards.ledger import LedgerRecord

RECORD = LedgerRecord(time="2026-12-02T00:00:00.000Z", endpoint="chat", model="gpt-4o", tier="standard",
                      outcome="settled", reserved_input_tokens=8, reserved_output_tokens=10,
                      reserved_cost=Decimal("0.4"), cost=Decimal("0.1"))


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_reservation_is_taken_only_within_the_cap(kind: str, tmp_path: Path) -> None:
    cap = Decimal("1")
    store = MemoryStore(cap) if kind == "memory" else SQLiteStore(tmp_path / "b.sqlite", cap)
    first = store.reserve(Decimal("0.4"), RECORD)
    second = store.reserve(Decimal("0.6"), RECORD)     # 0.4 + 0.6 = 1: exactly the cap fits
    assert first and second and store.reserve(Decimal("0.01"), RECORD) is None
    store.finish(first, Decimal("0.1"), RECORD)        # 0.1 spent, 0.6 held: 0.3 left
    assert store.totals() == (Decimal("0.1"), Decimal("0.6"))
    assert store.reserve(Decimal("0.31"), RECORD) is None and store.reserve(Decimal("0.3"), RECORD)
    assert store.records() == (RECORD,)


def test_a_sqlite_file_keeps_its_cap(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "b.sqlite", Decimal("5"))
    assert SQLiteStore(tmp_path / "b.sqlite", Decimal("5.00")).cap == Decimal("5")  # the same amount
    with pytest.raises(InvalidRequestError, match=r"holds a budget of \$5"):
        SQLiteStore(tmp_path / "b.sqlite", Decimal("6"))
    with pytest.raises(InvalidRequestError, match="on_expiry"):
        SQLiteStore(tmp_path / "c.sqlite", Decimal("6"), on_expiry="forget")  # type: ignore[arg-type]


def test_a_call_settled_after_its_expiry_is_counted_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "b.sqlite", Decimal("1"), expiry=0.05)
    hold = store.reserve(Decimal("0.4"), RECORD)
    assert hold
    time.sleep(0.1)
    assert store.totals() == (Decimal("0.4"), 0)          # recovered, charged at its reservation
    assert [r.outcome for r in store.records()] == ["expired"]
    store.finish(hold, Decimal("0.1"), RECORD)           # the call did return after all
    assert store.totals() == (Decimal("0.1"), 0)          # its cost replaces the charge
    (record,) = read_ledger(tmp_path / "b.sqlite")        # and its record the expired one
    assert record.outcome == "settled" and "after its reservation expired" in record.note
    with sqlite3.connect(tmp_path / "b.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_two_budgets_on_one_store_share_it() -> None:
    store = MemoryStore(Decimal("1"))  # e.g. a sync and an async client of one application
    a, b = Budget.create("1", store=store), Budget.create("1", store=store)
    assert a.store.reserve(Decimal("0.75"), RECORD) and b.store.reserve(Decimal("0.5"), RECORD) is None
    assert b.reserved == Decimal("0.75") and b.remaining == Decimal("0.25")


def test_bad_budget_arguments() -> None:
    with pytest.raises(InvalidRequestError, match="default_tier"):
        Budget.create("1", default_tier="cheap")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match=r"store's cap is \$2"):
        Budget.create("1", store=MemoryStore(Decimal("2")))
    with pytest.raises(InvalidRequestError, match="expiry"):
        Budget.create("1", store="x.sqlite", expiry=0)
