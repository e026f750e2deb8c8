"""Candidate accelerated engines: are they exact, and how much faster than tiktoken?

    pip install toktok-rs==0.3.0 quicktok-v1==0.4.0 bpe-openai==0.1.4 rs-bpe==0.1.0
    python benchmarks/engines.py [--quick]

For each engine that is installed: count differences against tiktoken's
``encode_ordinary`` (o200k_base) on the corpus (every file, whole and line by
line), on the pathological inputs of ``run.py`` at 100 KB, and on seeded
random strings drawn from every Unicode plane and from blocks assigned in
recent Unicode versions; then single-thread speed on unseen prose, CJK and
Python source, relative to tiktoken in the same process. Writes
``benchmarks/engines.json``. An engine is a candidate for ``tokencmp[fast]``
only with zero differences; the bar for shipping it is 3x.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run

from tokencmp.encodings import get_encoding
from tokencmp.text import engine
from tokencmp.text.segment import tiktoken_text

ENCODING = "o200k_base"


def engines() -> dict[str, Callable[[str], int]]:
    found: dict[str, Callable[[str], int]] = {}
    try:
        import toktok

        found["toktok-rs 0.3.0"] = lambda t: toktok.batch_count([t], ENCODING, threads=1)[0]
        reference = get_encoding(ENCODING)

        def guarded(t: str) -> int:
            if engine.guarded(t):
                return len(reference.encode_ordinary(t))
            return toktok.batch_count([t], ENCODING, threads=1)[0]

        found["toktok-rs 0.3.0 behind tokencmp's guard"] = guarded
    except ImportError:
        pass
    try:
        import quicktok

        qt = quicktok.get_encoding(ENCODING)
        found["quicktok-v1 0.4.0"] = qt.count
    except ImportError:
        pass
    try:
        from bpe_openai import _bindings  # type: ignore[attr-defined]

        bo = _bindings.tokenizer_for_encoding(ENCODING)
        found["bpe-openai 0.1.4"] = bo.count
    except (ImportError, AttributeError):
        try:
            import bpe_openai

            bo2 = bpe_openai.get_encoding(ENCODING)
            found["bpe-openai 0.1.4"] = lambda t: len(bo2.encode_ordinary(t))
        except ImportError:
            pass
    try:
        import rs_bpe

        rb = rs_bpe.openai.o200k_base()
        found["rs-bpe 0.1.0"] = rb.count
    except (ImportError, AttributeError):
        pass
    return found


# Whole blocks (assigned and unassigned code points alike) where Unicode versions 13-17
# added characters: Tangut, Tangut Components and their supplements, Khitan, Kawi, CJK
# extensions G-J, Egyptian hieroglyph extensions, Garay, Sunuwar, Todhri and others.
# Engines built on older Unicode tables classify some of these differently from tiktoken.
RECENT = [(0x17000, 0x187FF), (0x18800, 0x18AFF), (0x18B00, 0x18CFF), (0x18D00, 0x18D7F),
          (0x18D80, 0x18DFF), (0x11F00, 0x11F5F), (0x30000, 0x323AF), (0x2EBF0, 0x2EE5F),
          (0x13460, 0x143FF), (0x10D40, 0x10D8F), (0x11BC0, 0x11BFF), (0x105C0, 0x105FF),
          (0x16D40, 0x16D7F), (0x1E5D0, 0x1E5FF), (0x11380, 0x113FF)]
COMMON = " \n\t.,'!?-_/0123456789aAzZéÉßшЖ日本語한글ع😀\u0301\u200d"


def random_strings(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randrange(1, 40)):
            r = rng.random()
            if r < 0.5:
                chars.append(rng.choice(COMMON))
            elif r < 0.75:
                lo, hi = rng.choice(RECENT)
                chars.append(chr(rng.randint(lo, hi)))
            else:
                cp = rng.randrange(0x110000)
                chars.append(chr(cp if not 0xD800 <= cp < 0xE000 else 0x20))
        out.append("".join(chars))
    return out


def exactness(count: Callable[[str], int], inputs: list[str]) -> tuple[int, list[str]]:
    enc = get_encoding(ENCODING)
    bad = []
    for text in inputs:
        text = tiktoken_text(text)
        try:
            ours = count(text)
        except Exception as e:  # an engine that raises counts as a difference
            ours = f"{type(e).__name__}"
        if ours != len(enc.encode_ordinary(text)):
            bad.append(text)
    return len(bad), bad[:5]


def speed(count: Callable[[str], int], size: int, reps: int) -> dict[str, float]:
    enc = get_encoding(ENCODING)
    out = {}
    for name, make in (("English prose", run.prose), ("CJK", run.cjk), ("Python source", run.source)):
        ratios = []
        for r in range(reps):
            a, b = make(5000 + 2 * r, size), make(5001 + 2 * r, size)  # unseen text for each
            t_tik, _ = run.timed(lambda a=a: len(enc.encode_ordinary(a)))
            t_eng, _ = run.timed(lambda b=b: count(b))
            ratios.append((len(b.encode()) / t_eng) / (len(a.encode()) / t_tik))
        out[name] = statistics.median(ratios)
    return out


CONTEXTS = ["{}", "a{}a", "A{}", "{}a", " {}", "{}'s", "1{}", "{}\n", "{}{}", ".{}", "{} x", "\n{}"]


def scan(name: str) -> list[tuple[int, int]]:
    """Every Unicode scalar value, alone and in eleven contexts: where toktok differs from tiktoken."""
    import toktok

    enc = get_encoding(name)
    points = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]
    bad: list[int] = []
    for i in range(0, len(points), 4000):
        chunk = points[i : i + 4000]
        texts = [c.replace("{}", chr(cp)) for cp in chunk for c in CONTEXTS]
        got = toktok.batch_count(texts, name, threads=2)
        want = [len(x) for x in enc.encode_ordinary_batch(texts, num_threads=2)]
        bad += [chunk[j // len(CONTEXTS)] for j, (g, w) in enumerate(zip(got, want, strict=True)) if g != w]
    ranges: list[list[int]] = []
    for cp in sorted(set(bad)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return [(a, b) for a, b in ranges]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scan", action="store_true",
                        help="list the code points where toktok-rs differs from tiktoken (a few minutes)")
    args = parser.parse_args()
    if args.scan:
        found = scan(ENCODING)
        print(", ".join(f"(0x{a:04X}, 0x{b:04X})" for a, b in found))
        print("tokencmp.text.engine.DIFFERING matches:", tuple(found) == engine.DIFFERING)
        return
    corpus = []
    for path in sorted((run.ROOT / "corpora").glob("*.txt")):
        text = path.read_text("utf-8")
        corpus += [text, *text.splitlines()]
    patho = [make(100_000) for make in run.PATHOLOGICAL.values()]
    randoms = random_strings(2_000 if args.quick else 20_000)
    results = {}
    for name, count in engines().items():
        row = {}
        for label, inputs in (("corpus", corpus), ("pathological", patho), ("random", randoms)):
            n_bad, examples = exactness(count, inputs)
            row[f"mismatches_{label}"] = n_bad
            row[f"examples_{label}"] = [ascii(x)[:120] for x in examples]
        row["speedup"] = speed(count, 1_000_000 if args.quick else 4_000_000, 3 if args.quick else 5)
        results[name] = row
        sp = ", ".join(f"{k} {v:.2f}x" for k, v in row["speedup"].items())
        print(f"{name}: mismatches corpus {row['mismatches_corpus']}, pathological "
              f"{row['mismatches_pathological']}, random {row['mismatches_random']}/{len(randoms)}; {sp}")
    (run.ROOT / "benchmarks" / "engines.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
