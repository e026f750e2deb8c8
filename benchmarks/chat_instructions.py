"""Benchmark d by instruction count: count_request against the cookbook loop, under callgrind.

Wall-clock ratios of benchmark d (benchmarks/run.py --only d) move by +-10% from run to run
on a shared two-core machine, which is the size of the margin being measured. Instructions
executed do not: ``valgrind --tool=callgrind`` gives the same total for the same program
and input whatever else the machine is doing. This script runs the same workload as
``case_chat`` three times under callgrind: the setup alone (imports, the encoding, the
requests), the setup and the cookbook's ``num_tokens_from_messages`` loop, the setup and
``count_request``; and prints each loop's instructions (the run minus the setup) and their
ratio (cookbook / tokencmp: above 1, tokencmp executes fewer instructions).

Instructions are not time (a cache miss costs more than an add), so this complements the
wall-clock figure rather than replacing it.

    python benchmarks/chat_instructions.py [--messages 20000]

Needs valgrind (Debian's package); each run takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def workload(mode: str, n_messages: int) -> int:
    """The requests of case_chat (seed 2000), counted by ``mode``: setup, cookbook or tokencmp
    (case_chat's own requests and cookbook loop)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import chat_requests, cookbook_count

    import tokencmp

    encode = tokencmp.get_encoding("o200k_base").encode_ordinary
    reqs = chat_requests(2000, n_messages)
    tokencmp.count_request({"model": "gpt-4o", "messages": reqs[0]})  # warm both paths alike
    encode("warm")
    if mode == "cookbook":
        return cookbook_count(reqs, encode)
    if mode == "tokencmp":
        return sum(tokencmp.count_request({"model": "gpt-4o", "messages": m}).total for m in reqs)
    return 0


def instructions(mode: str, n_messages: int, folder: Path) -> tuple[int, int]:
    """(instructions executed, the total the workload printed) of one run under callgrind."""
    out = folder / f"callgrind.{mode}"
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
         "--run", mode, "--messages", str(n_messages)],
        check=True, capture_output=True, text=True, env={**os.environ, "TOKENCMP_ENGINE": "tiktoken"},
    )
    match = re.search(r"^summary: (\d+)", out.read_text(), re.M)
    if match is None:
        raise SystemExit(f"no summary line in {out}")
    return int(match.group(1)), int(proc.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--run", choices=["setup", "cookbook", "tokencmp"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(workload(args.run, args.messages))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        counts = {m: instructions(m, args.messages, Path(tmp)) for m in ("setup", "cookbook", "tokencmp")}
    if counts["cookbook"][1] != counts["tokencmp"][1]:
        raise SystemExit(f"COUNT MISMATCH: cookbook {counts['cookbook'][1]}, "
                         f"tokencmp {counts['tokencmp'][1]}")
    cook = counts["cookbook"][0] - counts["setup"][0]
    ours = counts["tokencmp"][0] - counts["setup"][0]
    print(f"d. chat, {args.messages:,} messages in requests of 10, instructions (callgrind):")
    print(f"  cookbook loop {cook:,}  count_request {ours:,}  ratio {cook / ours:.2f}x (>= 1.0x)")


if __name__ == "__main__":
    main()
