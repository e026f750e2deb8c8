"""The guard's budget under concurrency: threads, asyncio tasks, processes on one SQLite file,
and a process killed while it held a reservation.

The calls are the ones of tests/test_guard.py: gpt-4o, 8 prompt tokens, ``max_tokens=10``,
reserving $0.00012 and settling at $0.00007 on the server's usage (8 in, 5 out; OpenAI's
pricing page: $2.50 input, $10 output per 1M). Under a cap of $0.001 at most
0.001 / 0.00007 = 14.28..., so 14 calls can ever settle; every test makes more attempts than
that, so some must be refused, and each checks that the server saw exactly the calls that
were not (it counts what it receives).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

openai = pytest.importorskip("openai")

import tokencmp  # noqa: E402
from tokencmp.guards import SQLiteStore  # noqa: E402

from .guard_server import Behaviour, GuardServer  # noqa: E402
from .helpers import ROOT  # noqa: E402

HI = [{"role": "user", "content": "hi"}]
CAP = Decimal("0.001")
RESERVED = Decimal("0.00012")
SETTLED = Decimal("0.00007")


@pytest.fixture
def server() -> Iterator[GuardServer]:
    with GuardServer() as s:
        yield s


def settled_within_the_cap(spent: Decimal, ok: int, refused: int, attempts: int, server: GuardServer) -> None:
    assert ok + refused == attempts
    assert server.count() == ok  # the server never saw a refused call
    assert spent == ok * SETTLED <= CAP
    assert refused > 0 and ok <= 14


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_eight_threads_racing_on_one_budget(server: GuardServer, tmp_path: Path, kind: str) -> None:
    store = None if kind == "memory" else tmp_path / "budget.sqlite"
    g = tokencmp.guard(openai.OpenAI(base_url=server.base_url, api_key="t", max_retries=0), budget=CAP,
                       store=store)
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        for _ in range(5):
            try:
                g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
                outcome = "ok"
            except tokencmp.BudgetExceededError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    settled_within_the_cap(g.spent, outcomes.count("ok"), outcomes.count("refused"), 40, server)
    assert g.reserved == 0
    assert sorted(r.outcome for r in g.ledger) == sorted(
        "settled" if o == "ok" else "refused" for o in outcomes)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_fifty_asyncio_tasks_racing_on_one_budget(server: GuardServer, tmp_path: Path, kind: str) -> None:
    store = None if kind == "memory" else tmp_path / "budget.sqlite"
    g = tokencmp.guard(openai.AsyncOpenAI(base_url=server.base_url, api_key="t", max_retries=0),
                       budget=CAP, store=store)

    async def one() -> str:
        try:
            await g.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
        except tokencmp.BudgetExceededError:
            return "refused"
        return "ok"

    async def main() -> list[str]:
        return list(await asyncio.gather(*(one() for _ in range(50))))

    outcomes = asyncio.run(main())
    settled_within_the_cap(g.spent, outcomes.count("ok"), outcomes.count("refused"), 50, server)
    # 50 reservations of $0.00012 taken at once: only floor(0.001 / 0.00012) = 8 fit before any
    # settles, so at least 8 settle; the tasks reserve before their first await returns.
    assert outcomes.count("ok") >= 8


WORKER = textwrap.dedent('''
    import json, os, sys, time
    import openai, tokencmp
    base_url, store, go = sys.argv[1:4]
    g = tokencmp.guard(openai.OpenAI(base_url=base_url, api_key="t", max_retries=0),
                       budget="0.001", store=store)
    while not os.path.exists(go):
        time.sleep(0.005)
    ok = refused = 0
    for _ in range(12):
        try:
            g.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}],
                                      max_tokens=10)
            ok += 1
        except tokencmp.BudgetExceededError:
            refused += 1
    print(json.dumps([ok, refused]))
''')


def _python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_two_processes_share_one_sqlite_budget(server: GuardServer, tmp_path: Path) -> None:
    store, go = tmp_path / "budget.sqlite", tmp_path / "go"
    workers = [_python("-c", WORKER, server.base_url, str(store), str(go)) for _ in range(2)]
    time.sleep(0.2)
    go.touch()  # both start calling at once (each polls for the file after its imports)
    results = []
    for w in workers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    ok, refused = sum(r[0] for r in results), sum(r[1] for r in results)
    spent, held = SQLiteStore(store, CAP).totals()
    settled_within_the_cap(spent, ok, refused, 24, server)
    assert held == 0
    records = tokencmp.read_ledger(store)  # both processes' calls, in one ledger
    assert [r.outcome for r in records].count("settled") == ok and len(records) == 24


HOLDER = textwrap.dedent('''
    import sys, openai, tokencmp
    base_url, store = sys.argv[1:3]
    g = tokencmp.guard(openai.OpenAI(base_url=base_url, api_key="t", max_retries=0),
                       budget="0.001", store=store, expiry=2.0)
    g.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], max_tokens=10)
''')


def test_a_killed_processs_reservation_is_recovered_after_its_expiry(tmp_path: Path) -> None:
    store = tmp_path / "budget.sqlite"
    with GuardServer(Behaviour(delay=10.0)) as hung:  # the call never returns
        holder = _python("-c", HOLDER, hung.base_url, str(store))
        try:
            deadline = time.monotonic() + 30
            while hung.count() == 0:  # reserved, then sent
                assert time.monotonic() < deadline and holder.poll() is None, holder.stderr
                time.sleep(0.02)
            assert SQLiteStore(store, CAP).totals() == (0, RESERVED)  # held by the live process
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(timeout=10)
        finally:
            if holder.poll() is None:
                holder.kill()
            holder.communicate()
    # One copy of the file per policy, taken after the kill and before the expiry.
    copies = {}
    with sqlite3.connect(store) as db:
        (expires,) = db.execute("SELECT expires FROM holds").fetchone()
        for policy in ("charge", "release"):
            copies[policy] = tmp_path / f"{policy}.sqlite"
            with sqlite3.connect(copies[policy]) as copy:
                db.backup(copy)
    assert time.time() < expires
    stores = {p: SQLiteStore(path, CAP, on_expiry=p) for p, path in copies.items()}  # type: ignore[arg-type]
    assert stores["charge"].totals() == (0, RESERVED)  # dead, but not expired yet: still held
    time.sleep(max(expires - time.time(), 0) + 0.05)  # the reservation's 2 s expiry passes
    for policy, charged in (("charge", RESERVED), ("release", Decimal(0))):
        assert stores[policy].totals() == (charged, 0)
        (record,) = tokencmp.read_ledger(copies[policy])
        assert (record.outcome, record.cost, record.reserved_cost) == ("expired", charged, RESERVED)
        assert "recovered after its 2 s expiry" in record.note
