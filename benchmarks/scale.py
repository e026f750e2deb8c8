"""Dask: 2 workers against 1 on the same corpus, the cost of a task, and the throughput of one worker.

    python benchmarks/scale.py [--megabytes 64] [--files 8] [--split-mb 4] [--out benchmarks/scale.json]

Starts a scheduler and worker processes on loopback (tests/scale_cluster.py, each worker one thread),
compares a generated corpus of FILES files with tokencmp.scale.dask.compare_paths (o200k_base and
cl100k_base, each file cut into ranges of about SPLIT_MB), checks the result equals compare_file's,
and reports for 1 and 2 workers: wall time, MB/s, and the CPU time the workers spent (so a figure
on a machine shared with other work can be read: wall / CPU shows how much of the cores it had).
Then the per-task overhead: the wall time of 400 empty tasks, one after another and all at once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tokencmp  # noqa: E402
from tests.scale_cluster import local_cluster  # noqa: E402
from tokencmp.scale import CompareSettings  # noqa: E402
from tokencmp.scale.dask import compare_paths, connect  # noqa: E402

ENCODINGS = ("o200k_base", "cl100k_base")
LINES = [
    "The budget for a corpus is its tokens under each encoding, times the price per million.",
    "日本語のテキストは、句読点のところで安全に切ることができます。",
    "Русский текст занимает больше токенов, чем английский, в старых кодировках.",
    "Η ελληνική γλώσσα πληρώνει ακόμα περισσότερο στο cl100k_base.",
    "def count(text: str) -> int:\n    return len(enc.encode_ordinary(text))",
    "हिन्दी पाठ के टोकन अंग्रेज़ी से कहीं अधिक होते हैं।",
]


def write_corpus(folder: Path, megabytes: int, files: int) -> list[Path]:
    rng = random.Random(19)
    paths = []
    per_file = megabytes * (1 << 20) // files
    for i in range(files):
        path = folder / f"part-{i:03}.txt"
        with path.open("w", encoding="utf-8") as f:
            size = 0
            while size < per_file:
                line = " ".join(rng.choice(LINES) for _ in range(rng.randint(1, 6))) + "\n"
                f.write(line)
                size += len(line.encode())
        paths.append(path)
    return paths


def worker_cpu(client: object) -> float:
    times = client.run(time.process_time)  # type: ignore[attr-defined]
    return float(sum(times.values()))


def run_on(workers: int, paths: list[Path], split: int, want: list[object]) -> dict[str, float]:
    settings = CompareSettings(ENCODINGS).resolved()
    size = sum(p.stat().st_size for p in paths)
    with local_cluster(workers) as address:
        client = connect(address)
        try:
            compare_paths(client, paths[:1], settings, split_bytes=split)  # warm: encodings built once
            cpu0, start = worker_cpu(client), time.perf_counter()
            got = compare_paths(client, paths, settings, split_bytes=split)
            wall = time.perf_counter() - start
            cpu = worker_cpu(client) - cpu0
            assert got == want, "the cluster's counts differ from compare_file's"
            overhead = task_overhead(client)
        finally:
            client.close()
    return {"workers": workers, "wall_s": round(wall, 3), "worker_cpu_s": round(cpu, 3),
            "cores_used": round(cpu / wall, 2),
            "mb_per_s": round(size / wall / 1e6, 2), "mb_per_cpu_s": round(size / cpu / 1e6, 2), **overhead}


def task_overhead(client: object, n: int = 400) -> dict[str, float]:
    """Milliseconds per empty task: one round trip at a time, and n submitted at once."""
    submit, gather = client.submit, client.gather  # type: ignore[attr-defined]
    start = time.perf_counter()
    for i in range(n // 4):
        submit(abs, i, pure=False).result()
    serial = (time.perf_counter() - start) / (n // 4)
    start = time.perf_counter()
    gather([submit(abs, i, pure=False) for i in range(n)])
    batch = (time.perf_counter() - start) / n
    return {"task_round_trip_ms": round(serial * 1000, 2), "task_in_batch_ms": round(batch * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=64)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--split-mb", type=float, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "scale.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), args.megabytes, args.files)
        size = sum(p.stat().st_size for p in paths)
        cpu0, start = time.process_time(), time.perf_counter()
        want = [tokencmp.compare_file(p, encodings=list(ENCODINGS), threads=1) for p in paths]
        local = {"wall_s": round(time.perf_counter() - start, 3),
                 "cpu_s": round(time.process_time() - cpu0, 3)}
        split = int(args.split_mb * (1 << 20))
        one = run_on(1, paths, split, want)
        two = run_on(2, paths, split, want)
    result = {
        "corpus_mb": round(size / 1e6, 1), "files": args.files, "split_mb": args.split_mb,
        "encodings": list(ENCODINGS), "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "local_one_thread": local, "one_worker": one, "two_workers": two,
        "speedup_wall": round(one["wall_s"] / two["wall_s"], 2),
        # 1.0: two workers do the same work as one (no extra CPU for cutting, sending, merging)
        "cpu_ratio_two_to_one": round(two["worker_cpu_s"] / one["worker_cpu_s"], 2),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
