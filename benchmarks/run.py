"""Benchmarks: tokencmp against raw tiktoken, measured in the same process.

    python benchmarks/run.py            # full run (several MB per input, a few minutes)
    python benchmarks/run.py --quick    # smaller inputs, fewer repetitions (under a minute)

Every timing gets text it has not seen: inputs are generated from a seed per
repetition (sentences of ``corpora/*.txt`` reshuffled and recombined; Python
source files of the standard library), so no cache flatters an engine. Each
case times the tokencmp call and the bare tiktoken call on the same input in
alternating order and reports medians and the median of the per-repetition
ratios. Counts are compared too: a benchmark that is fast and wrong fails.

Writes ``benchmarks/results.json`` (``--out`` to change) and prints a table.
Targets are printed next to the figures; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tokencmp  # noqa: E402
from tests.helpers import PATHOLOGICAL  # noqa: E402  (shared with the differential tests)
from tokencmp import engine  # noqa: E402
from tokencmp.encodings import get_encoding  # noqa: E402
from tokencmp.text import count_with  # noqa: E402

MB = 1_000_000


# --------------------------------------------------------------------------- inputs


def _sentences(names: list[str], splitter: str) -> list[str]:
    out: list[str] = []
    for name in names:
        path = ROOT / "corpora" / f"{name}.txt"
        if not path.is_file():
            raise SystemExit(f"benchmarks need {path} (the corpora/ folder of the repository)")
        out += [s for s in re.split(splitter, path.read_text("utf-8")) if s.strip()]
    return out


def prose(seed: int, size: int) -> str:
    """English prose: corpus sentences in a seeded order, words swapped between them."""
    rng = random.Random(seed)
    sentences = _sentences(["en"], r"(?<=[.!?])\s+")
    words = " ".join(sentences).split()
    parts, n = [], 0
    while n < size:
        s = rng.choice(sentences).split()
        for _ in range(2):
            s[rng.randrange(len(s))] = rng.choice(words)
        if rng.random() < 0.2:
            s.insert(rng.randrange(len(s)), str(rng.randrange(10**6)))
        line = " ".join(s) + ("\n\n" if rng.random() < 0.15 else " ")
        parts.append(line)
        n += len(line)
    return "".join(parts)


def cjk(seed: int, size: int) -> str:
    """Chinese and Japanese prose without spaces: corpus sentences, seeded order."""
    rng = random.Random(seed)
    sentences = _sentences(["zh", "ja"], r"(?<=[。！？])")
    parts, n = [], 0
    while n < size:
        s = rng.choice(sentences).strip()
        cut = rng.randrange(len(s))
        s = s[cut:] + s[:cut] if rng.random() < 0.3 else s  # recombine inside sentences
        s += "\n" if rng.random() < 0.1 else ""
        parts.append(s)
        n += len(s)
    return "".join(parts)


_SOURCE_FILES: list[Path] = []


def source(seed: int, size: int) -> str:
    """Python source: standard-library modules (sorted list, seeded choice)."""
    if not _SOURCE_FILES:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        _SOURCE_FILES.extend(
            p for p in sorted(stdlib.rglob("*.py"))
            if "test" not in p.parts and "site-packages" not in p.parts
        )
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        text = rng.choice(_SOURCE_FILES).read_text("utf-8", errors="replace")
        parts.append(text)
        n += len(text)
    return "".join(parts)[:size]




# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def paired(
    make: Callable[[int], str], base: Callable[[str], int], ours: dict[str, Callable[[str], int]], reps: int
) -> dict[str, Any]:
    """Time ``base`` and each of ``ours`` on fresh input per repetition, alternating order."""
    times: dict[str, list[float]] = {"tiktoken": [], **{k: [] for k in ours}}
    ratios: dict[str, list[float]] = {k: [] for k in ours}
    size = 0
    for r in range(reps):
        text = make(1000 + r)
        size = len(text.encode("utf-8"))
        fns = [("tiktoken", base), *ours.items()]
        if r % 2:
            fns.reverse()
        counts, t = {}, {}
        for name, fn in fns:
            t[name], counts[name] = timed(lambda fn=fn, text=text: fn(text))
            times[name].append(t[name])
        if len(set(counts.values())) != 1:
            raise SystemExit(f"COUNT MISMATCH on seed {1000 + r}: {counts}")
        for k in ours:
            ratios[k].append(t["tiktoken"] / t[k])
    return {
        "bytes": size,
        "reps": reps,
        "median_s": {k: statistics.median(v) for k, v in times.items()},
        "mb_per_s": {k: size / MB / statistics.median(v) for k, v in times.items()},
        "speedup_vs_tiktoken": {k: statistics.median(v) for k, v in ratios.items()},
    }


def run_cli(argv: list[str], stdin: bytes, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, capture_output=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.decode()}")
    return elapsed


# --------------------------------------------------------------------------- cases


def case_text(size: int, reps: int, fast: Callable[[str, int], int | None] | None) -> dict[str, Any]:
    """Targets a (one thread, >= 0.97x), b (two threads, >= 1.5x), c (the engine, >= 3x).

    a and b run with the engine off (TOKENCMP_ENGINE=tiktoken, set by main), so they
    measure the tiktoken path; c calls the engine's counter directly when it is installed.
    """
    enc = get_encoding("o200k_base")
    out = {}
    for name, make in (("English prose", prose), ("CJK", cjk), ("Python source", source)):
        ours: dict[str, Callable[[str], int]] = {
            "one thread": lambda t: tokencmp.count_tokens(t, threads=1),
            "default": lambda t: tokencmp.count_tokens(t),
        }
        if fast is not None:
            ours["engine, one thread"] = lambda t: fast(t, 1)  # type: ignore[return-value]
            ours["engine, two threads"] = lambda t: fast(t, 2)  # type: ignore[return-value]
        out[name] = paired(lambda seed, make=make: make(seed, size), lambda t: len(enc.encode_ordinary(t)),
                           ours, reps)
    return out


def case_pathological(reps: int) -> dict[str, Any]:
    """Target g: per-MB time at 1 MB within 2x of per-MB time at 100 KB; exact."""
    enc = get_encoding("o200k_base")
    out = {}
    for name, make in PATHOLOGICAL.items():
        row: dict[str, Any] = {}
        for n in (100_000, 1_000_000):
            text = make(n)
            ts = []
            for _ in range(reps):
                t, count = timed(lambda text=text: count_with(enc, text))
                ts.append(t)
            size = len(text.encode("utf-8"))
            try:  # tiktoken itself, for reference (it panics on a million spaces)
                t_tik, c_tik = timed(lambda text=text: len(enc.encode_ordinary(text)))
            except BaseException as e:
                t_tik, c_tik = None, type(e).__name__
            row[str(n)] = {
                "bytes": size,
                "tokens": count,
                "s_per_mb": statistics.median(ts) / (size / MB),
                "tiktoken_s_per_mb": None if t_tik is None else t_tik / (size / MB),
                "tiktoken_tokens": c_tik,
            }
            if isinstance(c_tik, int) and c_tik != count:
                raise SystemExit(f"COUNT MISMATCH on {name} {n}: {count} vs tiktoken {c_tik}")
        row["linearity"] = row["1000000"]["s_per_mb"] / row["100000"]["s_per_mb"]
        out[name] = row
    return out


def case_cold_start(reps: int) -> dict[str, Any]:
    """Target e: `python -m tokencmp count --model gpt-4o -` <= 0.6x of tiktoken's cold start."""
    import compileall

    from tests.helpers import make_tiktoken_cache  # the bundled files, in tiktoken's cache layout

    # As installed: pip compiles bytecode at install time (tiktoken's is there already), so
    # compile tokencmp's too; __pycache__ is git-ignored. Without it (PYTHONDONTWRITEBYTECODE
    # and a source tree) every run would also compile tokencmp's modules, about 15 ms here.
    compileall.compile_dir(ROOT / "tokencmp", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("TIKTOKEN", "TOKENCMP"))}
        tik_env = {**base_env, "TIKTOKEN_CACHE_DIR": str(make_tiktoken_cache(Path(tmp) / "tiktoken"))}
        ours_env = {**base_env, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        tik_argv = [sys.executable, "-c",
                    "import tiktoken; tiktoken.get_encoding('o200k_base').encode('hi')"]
        ours_argv = [sys.executable, "-m", "tokencmp", "count", "--model", "gpt-4o", "-"]
        first = run_cli(ours_argv, b"hello world", ours_env)  # fills the user cache
        run_cli(tik_argv, b"", tik_env)
        tik, ours = [], []
        for r in range(reps):
            pair = [(tik, tik_argv, tik_env), (ours, ours_argv, ours_env)]
            for times, argv, env in pair[:: 1 if r % 2 else -1]:
                times.append(run_cli(argv, b"hello world", env))
        bare = statistics.median(run_cli([sys.executable, "-c", "pass"], b"", base_env) for _ in range(reps))
    return {
        "tiktoken_s": statistics.median(tik),
        "tokencmp_s": statistics.median(ours),
        "tokencmp_first_run_s": first,
        "python_pass_s": bare,
        "ratio": statistics.median(ours) / statistics.median(tik),
    }


def case_chat(n_messages: int, reps: int) -> dict[str, Any] | str:
    """Target d: 100,000 short messages in requests of 10, >= 0.7x of a bare cookbook loop."""
    if not hasattr(tokencmp, "count_request") and "count_request" not in getattr(tokencmp, "__all__", []):
        return "skipped: tokencmp.count_request is not in this tree yet"
    count_request = tokencmp.count_request
    enc = get_encoding("o200k_base")
    encode = enc.encode_ordinary

    def requests(seed: int) -> list[list[dict[str, str]]]:
        text = prose(seed, n_messages * 50)
        msgs = [{"role": ("user", "assistant")[i % 2], "content": text[i * 50 : i * 50 + 50]}
                for i in range(n_messages)]
        return [msgs[i : i + 10] for i in range(0, n_messages, 10)]

    def cookbook(reqs: list[list[dict[str, str]]]) -> int:
        # OpenAI cookbook num_tokens_from_messages for gpt-4o: 3 per message, 1 per name, 3 to prime.
        total = 0
        for messages in reqs:
            n = 3
            for m in messages:
                n += 3
                for key, value in m.items():
                    n += len(encode(value))
                    if key == "name":
                        n += 1
            total += n
        return total

    def ours(reqs: list[list[dict[str, str]]]) -> int:
        return sum(count_request({"model": "gpt-4o", "messages": m}).total for m in reqs)

    base_t, ours_t, ratios = [], [], []
    for r in range(reps):
        reqs = requests(2000 + r)
        tb, cb = timed(lambda reqs=reqs: cookbook(reqs))
        to, co = timed(lambda reqs=reqs: ours(reqs))
        base_t.append(tb)
        ours_t.append(to)
        ratios.append(tb / to)
    return {
        "messages": n_messages,
        "cookbook_s": statistics.median(base_t),
        "tokencmp_s": statistics.median(ours_t),
        "speedup_vs_cookbook": statistics.median(ratios),
        "counts": [cb, co],
    }


def case_compare() -> dict[str, Any] | str:
    """Target f: compare on a 200 MB file (left to a later step)."""
    if not (ROOT / "tokencmp" / "cli" / "compare.py").exists():
        return "skipped: the compare subcommand is not in this tree yet"
    return "skipped: the 200 MB compare case is not written yet (a later step)"


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import tiktoken

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "tiktoken": tiktoken.__version__,
        "tokencmp": tokencmp.__version__,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        # Other work on the machine skews the two-thread cases most: note the load.
        "load_average_1_5_15": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def table(results: dict[str, Any]) -> str:
    lines = ["| case | tiktoken | tokencmp | ratio | target |", "|---|---|---|---|---|"]
    for name, r in results["text"].items():
        mbs, sp = r["mb_per_s"], r["speedup_vs_tiktoken"]
        lines.append(f"| a. {name}, {r['bytes'] / MB:.1f} MB, one thread | {mbs['tiktoken']:.1f} MB/s "
                     f"| {mbs['one thread']:.1f} MB/s | {sp['one thread']:.2f}x | >= 0.97x |")
        lines.append(f"| b. {name}, default (2 threads) | {mbs['tiktoken']:.1f} MB/s "
                     f"| {mbs['default']:.1f} MB/s | {sp['default']:.2f}x | >= 1.5x |")
        for key in ("engine, one thread", "engine, two threads"):
            if key in sp:
                lines.append(f"| c. {name}, {key} | {mbs['tiktoken']:.1f} MB/s "
                             f"| {mbs[key]:.1f} MB/s | {sp[key]:.2f}x | >= 3x (one thread) |")
    chat = results["chat"]
    if isinstance(chat, dict):
        lines.append(f"| d. chat, {chat['messages']:,} messages in requests of 10 "
                     f"| {chat['cookbook_s']:.2f} s "
                     f"| {chat['tokencmp_s']:.2f} s | {chat['speedup_vs_cookbook']:.2f}x | >= 0.7x |")
    else:
        lines.append(f"| d. chat | | | {chat} | >= 0.7x |")
    cold = results["cold_start"]
    lines.append(f"| e. cold start, count one string | {cold['tiktoken_s'] * 1000:.0f} ms "
                 f"| {cold['tokencmp_s'] * 1000:.0f} ms | {cold['ratio']:.2f}x time | <= 0.6x time |")
    comp = results["compare"]
    lines.append(f"| f. compare 200 MB | | | {comp} | |")
    for name, r in results["pathological"].items():
        small, big = r["100000"], r["1000000"]
        tik = big["tiktoken_s_per_mb"]
        tik_s = f"{tik:.3f} s/MB" if tik is not None else big["tiktoken_tokens"]
        lines.append(f"| g. {name}: 100 KB / 1 MB | 1 MB: {tik_s} | {small['s_per_mb']:.3f} / "
                     f"{big['s_per_mb']:.3f} s/MB | {r['linearity']:.2f}x per MB | <= 2x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few repetitions (< 1 minute)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    size, reps = (1 * MB, 3) if args.quick else (4 * MB, 7)
    get_encoding("o200k_base")
    tokencmp.count_tokens("warm up the catalog")
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    fast = engine.counter("o200k_base")
    if fast is not None:
        fast("warm " * engine.ENGINE_MIN, 1)  # the engine loads its vocabulary on first use
    os.environ[engine.ENGINE_ENV] = "tiktoken"  # this script's own process: a and b time tiktoken
    results["engine"] = "toktok-rs 0.3.0" if fast is not None else "not installed (tokencmp[fast])"
    results["text"] = case_text(size, reps, fast)
    results["pathological"] = case_pathological(1 if args.quick else 3)
    results["chat"] = case_chat(20_000 if args.quick else 100_000, 1 if args.quick else 3)
    results["cold_start"] = case_cold_start(3 if args.quick else 9)
    results["compare"] = case_compare()
    results["table"] = table(results)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    m = results["machine"]
    after = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, tiktoken {m['tiktoken']}, {m['date']}, "
          f"load average before {m['load_average_1_5_15']}, after {after}")
    print(results["table"])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
