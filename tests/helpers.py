"""Shared test helpers: run code in a fresh interpreter, and tiktoken's own encodings.

tiktoken's reference encodings: tiktoken downloads rank files and caches them
under ``TIKTOKEN_CACHE_DIR`` with the SHA-1 of the download URL as the file
name. Writing OpenAI's files (the bundled copies, whose SHA-256 tokencmp
checks against tiktoken's published hashes) into such a cache lets a
subprocess run ``tiktoken.get_encoding`` itself, offline: the reference that
tokencmp's offline encodings must equal.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tokencmp.encodings.load import bundled_path as _bundled_path

URLS = {
    "o200k_base.tiktoken": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base.tiktoken": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
ROOT = Path(__file__).resolve().parent.parent


def rank_file_bytes(filename: str) -> bytes:
    return gzip.decompress(_bundled_path(filename).read_bytes())


def make_tiktoken_cache(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for filename, url in URLS.items():
        (directory / hashlib.sha1(url.encode()).hexdigest()).write_bytes(rank_file_bytes(filename))
    return directory


def run_python(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> Any:
    """Run ``code`` in a fresh interpreter; it must print one JSON value last."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=timeout
    )
    if proc.returncode != 0:
        raise AssertionError(f"subprocess failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# Inputs that stress tokenizers (tiktoken panics on a million spaces or tabs, and grows faster
# than linearly on runs of one character), by name -> generator of n characters. Shared by the
# engine's differential tests and benchmarks/run.py.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "one letter": lambda n: "a" * n,
    "spaces": lambda n: " " * n,
    "newlines": lambda n: "\n" * n,
    "punctuation": lambda n: "".join(random.Random(n).choices(".,;:!?-()[]{}'\"*&^%$#@~`|<>=+_", k=n)),
    "digits": lambda n: "".join(random.Random(n).choices("0123456789", k=n)),
    "space-letter": lambda n: (" a" * (n // 2 + 1))[:n],
    "CJK run": lambda n: "".join(random.Random(n).choices("日本語中文字漢東京大阪的是不了人我在有", k=n)),
    "tabs then a letter": lambda n: "\t" * (n - 1) + "x",
}
