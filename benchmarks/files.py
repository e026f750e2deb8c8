"""Benchmark of the file commands: tokencmp batch and finetune against a bare loop, same process.

    python benchmarks/files.py                 # 100,000 lines, 3 repetitions
    python benchmarks/files.py --lines 20000 --reps 1
    python benchmarks/files.py --rss 2000      # peak RSS of `tokencmp batch` on a generated 2,000 MB file

The bare loop is what a script would do: read the file as text, ``json.loads`` each line and
apply the OpenAI cookbook's formula to its messages (3 tokens per message, the tokens of each
value, 1 per name, 3 to prime the reply) with the same o200k ``Encoding``; the fine-tuning loop
is the cookbook notebook's ``num_tokens_from_messages`` the same way. tokencmp's side is
:func:`tokencmp.check_batch` (every line validated as the Batch API would, counted with
:func:`tokencmp.count_request`, priced) and :func:`tokencmp.check_finetune` (the notebook's
format checks, counted, priced), on one process and on two. Totals must be equal. Runs
alternate their order per repetition; the ratio printed is the median of bare / tokencmp.
Lines: requests of four messages of 50 characters of generated prose (benchmarks/run.py's prose).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import prose  # noqa: E402

import tokencmp  # noqa: E402


def messages(rng: random.Random, text: str) -> list[dict[str, str]]:
    out = []
    for i in range(4):
        start = rng.randrange(max(len(text) - 50, 1))
        out.append({"role": ("system", "user", "assistant", "user")[i], "content": text[start : start + 50]})
    return out


def write_batch(path: Path, lines: int, seed: int) -> None:
    rng = random.Random(seed)
    text = prose(seed, 200_000)
    with path.open("w", encoding="utf-8") as f:
        for i in range(lines):
            body = {"model": "gpt-4o", "max_tokens": 100, "messages": messages(rng, text)}
            f.write(json.dumps({"custom_id": f"r{i}", "method": "POST", "url": "/v1/chat/completions",
                                "body": body}) + "\n")


def write_finetune(path: Path, lines: int, seed: int) -> None:
    rng = random.Random(seed)
    text = prose(seed, 200_000)
    with path.open("w", encoding="utf-8") as f:
        for _ in range(lines):
            f.write(json.dumps({"messages": messages(rng, text)[:3]}) + "\n")


def bare_batch(path: Path, encode: Any) -> int:
    """json.loads each line, the cookbook formula on its body's messages."""
    total = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            n = 3
            for m in json.loads(line)["body"]["messages"]:
                n += 3
                for key, value in m.items():
                    n += len(encode(value))
                    if key == "name":
                        n += 1
            total += n
    return total


def bare_finetune(path: Path, encode: Any) -> int:
    """json.loads each line, the notebook's num_tokens_from_messages."""
    total = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            n = 3
            for m in json.loads(line)["messages"]:
                n += 3
                for key, value in m.items():
                    n += len(encode(value))
                    if key == "name":
                        n += 1
            total += n
    return total


def timed(fn: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result): CPU time does not move with the load
    other programs put on the machine, so the one-core ratio is given by both."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def case(name: str, path: Path, bare: Any, ours: Any, reps: int) -> dict[str, Any]:
    encode = tokencmp.get_encoding("o200k_base").encode_ordinary
    ours(path, 1)  # warm: the encodings, the catalog, the facts
    fns = {"bare": lambda: bare(path, encode), "one core": lambda: ours(path, 1),
           "two cores": lambda: ours(path, 2)}
    wall: dict[str, list[float]] = {k: [] for k in fns}
    ratios: dict[str, list[float]] = {"one core": [], "two cores": [], "one core cpu": []}
    for r in range(reps):
        order = list(fns)[:: -1 if r % 2 else 1]
        t: dict[str, float] = {}
        cpu: dict[str, float] = {}
        totals = {}
        for k in order:
            t[k], cpu[k], totals[k] = timed(fns[k])
            wall[k].append(t[k])
        if len(set(totals.values())) != 1:
            raise SystemExit(f"TOTALS DIFFER in {name}: {totals}")
        ratios["one core"].append(t["bare"] / t["one core"])
        ratios["two cores"].append(t["bare"] / t["two cores"])
        ratios["one core cpu"].append(cpu["bare"] / cpu["one core"])
    return {"case": name, "tokens": totals["bare"],
            **{f"{k} s": statistics.median(v) for k, v in wall.items()},
            **{f"{k} ratio": statistics.median(v) for k, v in ratios.items()}}


def batch_total(path: Path, workers: int) -> int:
    return tokencmp.check_batch(path, workers=workers).models[0].prompt_tokens


def finetune_total(path: Path, workers: int) -> int:
    report = tokencmp.check_finetune(path, model="gpt-4o-mini-2024-07-18", workers=workers)
    return report.training.tokens.total


def peak_rss(megabytes: int, folder: Path) -> None:
    """`tokencmp batch` on a generated file of about ``megabytes`` MB, its peak RSS (ru_maxrss)."""
    path = folder / "big.jsonl"
    rng = random.Random(7)
    text = prose(7, 200_000)
    line_count = 0
    with path.open("w", encoding="utf-8") as f:
        written = 0
        while written < megabytes * 1_000_000:
            content = text[rng.randrange(190_000):][:2000]
            body = {"model": "gpt-4o", "messages": [{"role": "user", "content": content}]}
            line = json.dumps({"custom_id": f"r{line_count}", "method": "POST", "url": "/v1/chat/completions",
                               "body": body}) + "\n"
            f.write(line)
            written += len(line)
            line_count += 1
    code = ("import resource, sys, tokencmp; r = tokencmp.check_batch(sys.argv[1]); "
            "print(r.lines, r.models[0].prompt_tokens, "
            "max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout.split()
    seconds = time.perf_counter() - t
    print(f"peak RSS: {int(out[2]) / 1024:.0f} MB (max of the main process and its largest worker) for "
          f"{path.stat().st_size / 1e6:,.0f} MB, {int(out[0]):,} lines, {int(out[1]):,} prompt tokens, "
          f"{seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rss", type=int, metavar="MB", help="measure peak RSS on a file of MB megabytes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.rss:
            peak_rss(args.rss, folder)
            return
        batch, ft = folder / "batch.jsonl", folder / "ft.jsonl"
        write_batch(batch, args.lines, 1)
        write_finetune(ft, args.lines, 2)
        rows = [case(f"batch, {args.lines:,} chat requests", batch, bare_batch, batch_total, args.reps),
                case(f"finetune, {args.lines:,} examples", ft, bare_finetune, finetune_total, args.reps)]
    print("| case | tokens | bare loop | tokencmp, one core | tokencmp, two cores | ratio 1 core (CPU) | "
          "ratio 2 cores |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['tokens']:,} | {r['bare s']:.2f} s | {r['one core s']:.2f} s | "
              f"{r['two cores s']:.2f} s | {r['one core ratio']:.2f}x ({r['one core cpu ratio']:.2f}x) | "
              f"{r['two cores ratio']:.2f}x |")
    print("targets: >= 1.0x on one core, >= 1.6x on two")


if __name__ == "__main__":
    main()
