"""Split and truncate a 100 MB file against counting it, in the same process; and their memory.

    python benchmarks/split.py                 # 100 MB of prose, N = 8191 (text-embedding-3's input limit)
    python benchmarks/split.py --mb 20 --max-tokens 1000 4096 8191

The file is generated from ``corpora/en.txt`` (sentences reshuffled, a seed per run) in a temporary
folder. Each timing is the median of ``--repeat`` runs, alternating counting and splitting, and
each split's tokens must add up to the file's count (split pieces are counted alone; on a text
cut at safe cuts the counts add up, so a split that loses or invents text fails here).

Counting is ``tokencmp.count_file`` (what ``tokencmp count`` does: the whole file read, then
counted on 2 threads, by the optional engine when installed); the ratio printed is counting's
time over splitting's (>= 0.8 is the target: split at least 0.8x as fast as counting).
Memory is each command's peak resident size (``ru_maxrss``) run as a child process over the same
file: ``count`` reads the whole file; ``tokens``, ``truncate`` and ``split`` stream it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tokencmp  # noqa: E402
from tokencmp.text.cut import split_pieces  # noqa: E402
from tokencmp.text.stream import read_pieces  # noqa: E402


def make_file(path: Path, megabytes: int, seed: int) -> None:
    lines = [line for line in (ROOT / "corpora" / "en.txt").read_text(encoding="utf-8").splitlines() if line]
    rnd = random.Random(seed)
    size, target = 0, megabytes * 1_000_000
    with path.open("w", encoding="utf-8") as f:
        while size < target:
            line = " ".join(rnd.sample(lines, 3)) + "\n"
            f.write(line)
            size += len(line.encode())


_MEASURE = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-m", "tokencmp", *sys.argv[1:]], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def child_rss(args: list[str]) -> float:
    """Peak resident MB of ``python -m tokencmp ARGS`` (output to /dev/null).

    Measured by a small go-between process: a child forked straight from this one would start
    with this process's pages (the file it has read) in its peak.
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return int(out.stdout.split()[-1]) / 1024  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--max-tokens", type=int, nargs="+", default=[8191])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--encoding", default="o200k_base")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    enc = tokencmp.get_encoding(args.encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        make_file(path, args.mb, seed=1)
        size = path.stat().st_size
        total = tokencmp.count_file(path, encoding=enc)  # warm: the engine's vocabulary, the caches
        from tokencmp.text import engine

        fast = engine.counter(enc.name) is not None
        which = "the fast engine (toktok-rs)" if fast else "tiktoken (TOKENCMP_ENGINE=tiktoken or no engine)"
        print(f"{size / 1e6:.0f} MB, {total:,} tokens ({enc.name}), counted by {which}")
        for n in [] if args.no_speed else args.max_tokens:
            counts, splits = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                assert tokencmp.count_file(path, encoding=enc) == total
                counts.append(time.perf_counter() - t)
                t = time.perf_counter()
                pieces = tokens = 0
                for p in split_pieces(read_pieces(path), n, enc):
                    pieces += 1
                    tokens += p.tokens
                splits.append(time.perf_counter() - t)
                assert tokens == total, (tokens, total)
            c, s = statistics.median(counts), statistics.median(splits)
            print(
                f"N={n:>6}: count {c:.2f} s ({size / c / 1e6:.0f} MB/s), split {s:.2f} s "
                f"({size / s / 1e6:.0f} MB/s) into {pieces:,} pieces; ratio count/split {c / s:.2f} "
                f"(target >= 0.8)"
            )
        if not args.no_memory:
            n = str(args.max_tokens[0])
            base = child_rss(["--version"])
            floor = child_rss(["split", "-t", "hello", "-n", n, "-e", args.encoding])
            print(
                f"peak memory (MB, resident): python -m tokencmp --version {base:.0f}; "
                f"split -t hello (the encoding and engine loaded, no input) {floor:.0f}"
            )
            for cmd in (
                ["count", str(path), "-e", args.encoding],
                ["tokens", str(path), "--format", "csv", "-e", args.encoding],
                ["truncate", str(path), "-n", str(total // 2), "-e", args.encoding],
                ["truncate", str(path), "-n", "1000", "--from-end", "-e", args.encoding],
                ["split", str(path), "-n", n, "-e", args.encoding],
            ):
                shown = " ".join(c if c != str(path) else "FILE" for c in cmd)
                print(f"  tokencmp {shown}: {child_rss(cmd):.0f}")


if __name__ == "__main__":
    main()
