"""The guard's overhead per call: the raw openai client against tokencmp.guard's, on loopback.

Both clients call the same local server (tests/guard_server.py) with the same request, one
call at a time, interleaved in rounds so that the machine's load falls on both alike; the
figure is the median of each round's per-call time, and the overhead the difference of the
medians. Stores: in memory, and a SQLite file (each call is two ``BEGIN IMMEDIATE``
transactions: the reservation and the settlement). Then the guard's own work without the
network (``Budget.open`` and ``Call.settle`` on the same request and usage), which the
loopback figures bury in the noise of a shared machine.

    python benchmarks/guard_overhead.py [--calls 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openai

import tokencmp
from tests.guard_server import GuardServer

HI = [{"role": "user", "content": "hi"}]


def per_call(client: Any, calls: int, stream: bool) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        if stream:
            stream_options = {"include_usage": True}
            for _chunk in client.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10,
                                                         stream=True, stream_options=stream_options):
                pass
        else:
            client.chat.completions.create(model="gpt-4o", messages=HI, max_tokens=10)
    return (time.perf_counter() - start) / calls


def guard_alone(calls: int, rounds: int, tmp: str) -> None:
    from tokencmp.guards import Budget

    kwargs = {"model": "gpt-4o", "messages": HI, "max_tokens": 10}
    usage = {"prompt_tokens": 8, "completion_tokens": 5}
    for name, budget in (("memory", Budget.create("1000")),
                         ("sqlite", Budget.create("1000", store=Path(tmp) / "alone.sqlite"))):
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(calls):
                budget.open("chat", kwargs).settle(usage, request_id="x")
            runs.append((time.perf_counter() - start) / calls)
        print(f"guard  {name:7} {1e6 * statistics.median(runs):7.0f} us/call  (open + settle, no network)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with GuardServer() as server, tempfile.TemporaryDirectory() as tmp:
        raw = openai.OpenAI(base_url=server.base_url, api_key="t", max_retries=0)
        clients = {
            "raw": raw,
            "memory": tokencmp.guard(raw, budget="1000"),
            "sqlite": tokencmp.guard(raw, budget="1000", store=Path(tmp) / "b.sqlite"),
        }
        for stream in (False, True):
            times: dict[str, list[float]] = {name: [] for name in clients}
            for c in clients.values():
                per_call(c, 10, stream)  # warm: connection, encodings, catalog
            for _ in range(args.rounds):
                for name, c in clients.items():
                    times[name].append(per_call(c, args.calls, stream))
            base = statistics.median(times["raw"])
            kind = "stream" if stream else "json"
            for name, t in times.items():
                med = statistics.median(t)
                extra = "" if name == "raw" else f"  overhead {1e6 * (med - base):7.0f} us"
                print(f"{kind:6} {name:7} {1e6 * med:7.0f} us/call{extra}")
        guard_alone(args.calls, args.rounds, tmp)


if __name__ == "__main__":
    main()
