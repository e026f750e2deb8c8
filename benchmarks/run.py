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
from tokencmp.encodings import get_encoding  # noqa: E402
from tokencmp.text import count_with, engine  # noqa: E402

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


def chat_requests(seed: int, n_messages: int) -> list[list[dict[str, str]]]:
    """Benchmark d's requests: messages of 50 characters of prose, alternately user and assistant,
    in requests of 10."""
    text = prose(seed, n_messages * 50)
    msgs = [{"role": ("user", "assistant")[i % 2], "content": text[i * 50 : i * 50 + 50]}
            for i in range(n_messages)]
    return [msgs[i : i + 10] for i in range(0, n_messages, 10)]


def cookbook_count(reqs: list[list[dict[str, str]]], encode: Callable[[str], list[int]]) -> int:
    """The OpenAI cookbook's num_tokens_from_messages for gpt-4o over each request, summed."""
    total = 0
    for messages in reqs:
        n = 3  # every reply is primed with <|start|>assistant<|message|>
        for m in messages:
            n += 3  # tokens_per_message
            for key, value in m.items():
                n += len(encode(value))
                if key == "name":
                    n += 1  # tokens_per_name
        total += n
    return total


def case_chat(n_messages: int, reps: int) -> dict[str, Any]:
    """Target d: 100,000 short messages in requests of 10, >= 1.0x of a bare cookbook loop.

    Messages of 50 characters of generated prose, alternately user and assistant. The
    baseline is the OpenAI cookbook's ``num_tokens_from_messages`` for gpt-4o (3 tokens per
    message, 1 per name, 3 to prime the reply) over the same o200k ``Encoding``, called with
    each request's message list; tokencmp's is ``count_request`` on each request body, which
    also validates it and keeps the per-message breakdown (built when first read, so not
    here: the benchmark reads only the total). The totals must be equal.
    """
    count_request = tokencmp.count_request
    enc = get_encoding("o200k_base")
    encode = enc.encode_ordinary

    def requests(seed: int) -> list[list[dict[str, str]]]:
        return chat_requests(seed, n_messages)

    def cookbook(reqs: list[list[dict[str, str]]]) -> int:
        return cookbook_count(reqs, encode)

    def ours(reqs: list[list[dict[str, str]]]) -> int:
        return sum(count_request({"model": "gpt-4o", "messages": m}).total for m in reqs)

    times: dict[str, list[float]] = {"cookbook": [], "tokencmp": []}
    ratios = []
    for r in range(reps):
        reqs = requests(2000 + r)
        fns = [("cookbook", cookbook), ("tokencmp", ours)]
        t: dict[str, float] = {}
        counts: dict[str, int] = {}
        for name, fn in fns[:: -1 if r % 2 else 1]:
            t[name], counts[name] = timed(lambda fn=fn, reqs=reqs: fn(reqs))
            times[name].append(t[name])
        if counts["cookbook"] != counts["tokencmp"]:
            raise SystemExit(f"COUNT MISMATCH on the chat requests (seed {2000 + r}): {counts}")
        ratios.append(t["cookbook"] / t["tokencmp"])
    return {
        "messages": n_messages,
        "reps": reps,
        "tokens": counts["cookbook"],
        "cookbook_s": statistics.median(times["cookbook"]),
        "tokencmp_s": statistics.median(times["tokencmp"]),
        "speedup_vs_cookbook": statistics.median(ratios),
    }


def multilingual(path: Path, size: int, seed: int) -> None:
    """A UTF-8 file of ``size`` bytes: lines of every ``corpora/*.txt`` language, seeded order.

    Each line is a corpus line turned at a random point (its end joined to its start by a
    space), so lines repeat rarely; stripped, and never starting with "/", so that a line
    feed then the next line is a safe cut (the baseline reads whole lines).
    """
    lines: list[str] = []
    for file in sorted((ROOT / "corpora").glob("*.txt")):
        lines += [line.strip() for line in file.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        while written < size:
            batch = []
            for _ in range(1000):
                s = rng.choice(lines)
                cut = rng.randrange(len(s))
                batch.append((s[cut:] + " " + s[:cut]).strip().lstrip("/") + "\n")
            data = "".join(batch)
            f.write(data)
            written += len(data.encode("utf-8"))


_MEASURE = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True)
elapsed = time.perf_counter() - t0
sys.stdout.buffer.write(proc.stdout)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": proc.returncode, "s": elapsed, "peak_kb": peak, "err": proc.stderr.decode()}),
      file=sys.stderr)
"""


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, int, bytes]:
    """Run a command: (wall seconds, its peak RSS in bytes, its stdout).

    Through a small Python process that starts the command and reads its children's
    peak RSS: a child forked from this (large) process would count this process's
    pages, touched before its exec, in its own peak.
    """
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, env=env)
    report = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    if proc.returncode != 0 or report["rc"] != 0:
        raise SystemExit(f"{argv} failed: {report['err']}")
    return report["s"], report["peak_kb"] * 1024, proc.stdout  # ru_maxrss is in KB on Linux


def case_compare(size: int, reps: int, fast_installed: bool) -> dict[str, Any]:
    """Target f: `compare` on a generated multilingual file, two encodings.

    Peak RSS < 300 MB (the CLI in a child process) and throughput >= 0.9x of counting the
    file with both raw tiktoken encodings. The baseline in its best single-thread form: the
    file read once, in blocks of whole lines of about 1 MB, each block encoded with
    ``encode_ordinary`` under both encodings (a line feed then a new line is a safe cut, so
    its counts equal the whole file's). tokencmp's figure is ``compare_file`` in the same
    process (encodings loaded, as for the baseline), which also counts characters, bytes and
    grapheme clusters; the CLI run adds start-up and the encodings' loading.
    """
    from tokencmp.compare import compare_file

    names = ["o200k_base", "cl100k_base"]
    encs = [get_encoding(n) for n in names]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "multilingual.txt"
        multilingual(path, size, seed=3000)
        nbytes = path.stat().st_size

        def baseline() -> list[int]:
            counts = [0] * len(encs)
            with open(path, encoding="utf-8", newline="") as f:
                while lines := f.readlines(1 << 20):
                    text = "".join(lines)
                    for i, enc in enumerate(encs):
                        counts[i] += len(enc.encode_ordinary(text))
            return counts

        def ours() -> list[int]:
            return list(compare_file(path, encodings=names).tokens.values())

        base_t, ours_t, ratios = [], [], []
        for r in range(reps):
            fns = [("tiktoken", baseline), ("tokencmp", ours)]
            t: dict[str, float] = {}
            counts: dict[str, list[int]] = {}
            for name, fn in fns[:: -1 if r % 2 else 1]:
                t[name], counts[name] = timed(fn)
            if counts["tiktoken"] != counts["tokencmp"]:
                raise SystemExit(f"COUNT MISMATCH on the compare file: {counts}")
            base_t.append(t["tiktoken"])
            ours_t.append(t["tokencmp"])
            ratios.append(t["tiktoken"] / t["tokencmp"])
        engine_s = None
        if fast_installed:  # the same call with the optional engine on, for reference
            os.environ[engine.ENGINE_ENV] = ""
            try:
                engine_s, engine_counts = timed(ours)
            finally:
                os.environ[engine.ENGINE_ENV] = "tiktoken"
            if engine_counts != counts["tiktoken"]:
                raise SystemExit(f"COUNT MISMATCH with the engine: {engine_counts} vs {counts['tiktoken']}")
        env = {**os.environ, "PYTHONPATH": str(ROOT), engine.ENGINE_ENV: "tiktoken"}
        argv = [sys.executable, "-m", "tokencmp", "compare", str(path), "--encodings", ",".join(names),
                "--format", "json"]
        cli_s, cli_rss, out = run_measured(argv, env)
        cli_counts = list(json.loads(out)["inputs"][0]["tokens"].values())
        if cli_counts != counts["tiktoken"]:
            raise SystemExit(f"COUNT MISMATCH in the CLI: {cli_counts} vs {counts['tiktoken']}")
    return {
        "bytes": nbytes,
        "reps": reps,
        "tokens": dict(zip(names, counts["tiktoken"], strict=True)),
        "tiktoken_s": statistics.median(base_t),
        "tokencmp_s": statistics.median(ours_t),
        "mb_per_s": {"tiktoken": nbytes / MB / statistics.median(base_t),
                     "tokencmp": nbytes / MB / statistics.median(ours_t)},
        "speedup_vs_tiktoken": statistics.median(ratios),
        "engine_s": engine_s,
        "cli_s": cli_s,
        "cli_peak_rss_bytes": cli_rss,
    }


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
    for name, r in results.get("text", {}).items():
        mbs, sp = r["mb_per_s"], r["speedup_vs_tiktoken"]
        lines.append(f"| a. {name}, {r['bytes'] / MB:.1f} MB, one thread | {mbs['tiktoken']:.1f} MB/s "
                     f"| {mbs['one thread']:.1f} MB/s | {sp['one thread']:.2f}x | >= 0.97x |")
        lines.append(f"| b. {name}, default (2 threads) | {mbs['tiktoken']:.1f} MB/s "
                     f"| {mbs['default']:.1f} MB/s | {sp['default']:.2f}x | >= 1.5x |")
        for key in ("engine, one thread", "engine, two threads"):
            if key in sp:
                lines.append(f"| c. {name}, {key} | {mbs['tiktoken']:.1f} MB/s "
                             f"| {mbs[key]:.1f} MB/s | {sp[key]:.2f}x | >= 3x (one thread) |")
    if "chat" in results:
        chat = results["chat"]
        lines.append(f"| d. chat, {chat['messages']:,} messages in requests of 10 "
                     f"| {chat['cookbook_s']:.2f} s (cookbook loop) "
                     f"| {chat['tokencmp_s']:.2f} s | {chat['speedup_vs_cookbook']:.2f}x | >= 1.0x |")
    if "cold_start" in results:
        cold = results["cold_start"]
        lines.append(f"| e. cold start, count one string | {cold['tiktoken_s'] * 1000:.0f} ms "
                     f"| {cold['tokencmp_s'] * 1000:.0f} ms | {cold['ratio']:.2f}x time | <= 0.6x time |")
    if "compare" in results:
        comp = results["compare"]
        size, mbs = f"{comp['bytes'] / MB:.0f} MB", comp["mb_per_s"]
        lines.append(f"| f. compare {size}, two encodings | {mbs['tiktoken']:.1f} MB/s "
                     f"| {mbs['tokencmp']:.1f} MB/s | {comp['speedup_vs_tiktoken']:.2f}x | >= 0.9x |")
        lines.append(f"| f. `tokencmp compare` CLI, {size}: peak RSS | "
                     f"| {comp['cli_peak_rss_bytes'] / MB:.0f} MB ({comp['cli_s']:.1f} s) | | < 300 MB |")
        if comp["engine_s"] is not None:
            lines.append(f"| f. compare {size}, with the engine | {mbs['tiktoken']:.1f} MB/s "
                         f"| {comp['bytes'] / MB / comp['engine_s']:.1f} MB/s "
                         f"| {comp['tiktoken_s'] / comp['engine_s']:.2f}x | (reference) |")
    for name, r in results.get("pathological", {}).items():
        small, big = r["100000"], r["1000000"]
        tik = big["tiktoken_s_per_mb"]
        tik_s = f"{tik:.3f} s/MB" if tik is not None else big["tiktoken_tokens"]
        lines.append(f"| g. {name}: 100 KB / 1 MB | 1 MB: {tik_s} | {small['s_per_mb']:.3f} / "
                     f"{big['s_per_mb']:.3f} s/MB | {r['linearity']:.2f}x per MB | <= 2x |")
    return "\n".join(lines)


CASES = "abcdefg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few repetitions (about a minute)")
    parser.add_argument("--only", default=CASES, metavar="LETTERS",
                        help="run only these cases, e.g. --only df (default: all, abcdefg)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    only = set(args.only)
    if not only or not only <= set(CASES):
        parser.error(f"--only takes letters of {CASES}")
    quick = args.quick
    get_encoding("o200k_base")
    tokencmp.count_tokens("warm up the catalog")
    results: dict[str, Any] = {"machine": machine(), "quick": quick, "cases": "".join(sorted(only))}
    fast = engine.counter("o200k_base")
    if fast is not None:
        fast("warm " * engine.ENGINE_MIN, 1)  # the engine loads its vocabulary on first use
    os.environ[engine.ENGINE_ENV] = "tiktoken"  # this script's own process: a and b time tiktoken
    results["engine"] = "toktok-rs 0.3.0" if fast is not None else "not installed (tokencmp[fast])"
    if only & set("abc"):
        results["text"] = case_text(1 * MB if quick else 4 * MB, 3 if quick else 7, fast)
    if "g" in only:
        results["pathological"] = case_pathological(1 if quick else 3)
    if "d" in only:
        results["chat"] = case_chat(20_000 if quick else 100_000, 3 if quick else 5)
    if "e" in only:
        results["cold_start"] = case_cold_start(3 if quick else 9)
    if "f" in only:
        results["compare"] = case_compare(20 * MB if quick else 200 * MB, 1 if quick else 3, fast is not None)
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
