"""A real Dask cluster on loopback for the tests and benchmarks/scale.py: a scheduler and worker
processes started with Dask's own commands, no dashboard, torn down afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", **(extra or {})}


@contextmanager
def local_cluster(workers: int = 2, *, nthreads: int = 1, allowed_failures: int = 3,
                  timeout: float = 60) -> Iterator[str]:
    """``tcp://127.0.0.1:PORT`` of a scheduler with ``workers`` worker processes (each behind a nanny,
    which restarts it if it dies), every process stopped on exit."""
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "scheduler.json"
        env = _env({"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures)})
        log = open(Path(tmp) / "cluster.log", "wb")  # noqa: SIM115 - closed below
        try:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(info)],
                cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True))
            deadline = time.monotonic() + timeout
            while not info.exists():
                _check(procs, deadline, Path(tmp) / "cluster.log")
            address = json.loads(info.read_text())["address"]
            for _ in range(workers):
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                     "--nthreads", str(nthreads), "--no-dashboard", "--death-timeout", "60"],
                    cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True))
            _wait_for_workers(address, workers, deadline, procs, Path(tmp) / "cluster.log")
            yield address
        finally:
            for p in reversed(procs):
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
            log.close()


def _check(procs: list[subprocess.Popen[bytes]], deadline: float, log: Path) -> None:
    if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
        raise RuntimeError("the Dask cluster did not start:\n" + log.read_text(errors="replace")[-3000:])
    time.sleep(0.1)


def _wait_for_workers(address: str, n: int, deadline: float, procs: list[subprocess.Popen[bytes]],
                      log: Path) -> None:
    from distributed import Client

    with Client(address, timeout=30) as client:
        while len(client.scheduler_info()["workers"]) < n:
            _check(procs, deadline, log)


def wait_for_workers(client: object, n: int, timeout: float = 60) -> None:
    """Until ``n`` workers are connected again (after one was killed and its nanny restarted it)."""
    deadline = time.monotonic() + timeout
    while len(client.scheduler_info()["workers"]) < n:  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {n} workers after {timeout} s")
        time.sleep(0.2)
