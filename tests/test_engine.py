"""The optional accelerated engine (tokencmp[fast]): differential tests against tiktoken.

CI installs every extra, so these run there; without toktok-rs the tests of the engine
itself are skipped with the reason, and only the tests of tokencmp's switch run (with a
stand-in engine, so they can fail either way). The reference is always tiktoken's
encode_ordinary (or, where tiktoken panics, tokencmp's tiktoken path, checked in test_text.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.text import count_with, engine

from .helpers import PATHOLOGICAL

ENCODINGS = ["o200k_base", "cl100k_base", "o200k_harmony"]
CORPORA = Path(__file__).resolve().parent.parent / "corpora"

needs_engine = pytest.mark.skipif(
    engine._engine() is None,
    reason=f"the fast extra is not installed ({engine.ENGINE_PACKAGE} {engine.ENGINE_VERSION}: "
    "pip install 'tokencmp[fast]')",
)


def enc(name: str):
    return tokencmp.get_encoding(name)


def reference(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    with monkeypatch.context() as m:
        m.setenv(engine.ENGINE_ENV, "tiktoken")
        return count_with(enc(name), text)


def engine_count(name: str, text: str, threads: int = 1) -> int:
    fast = engine.counter(name)
    assert fast is not None
    count = fast(text, threads)
    assert count is not None, "the engine declined this text"
    return count


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, int]]:
    """A stand-in for toktok's batch_count (tiktoken's counts; refuses lone surrogates as
    toktok does), installed whether or not the extra is: the switch below is tokencmp's code.
    Returns the calls made: (number of texts, encoding, threads)."""
    calls: list[tuple[int, str, int]] = []

    def batch_count(texts: list[str], encoding: str, threads: int = 1) -> list[int]:
        calls.append((len(texts), encoding, threads))
        return [len(enc(encoding).encode_ordinary(t.encode("utf-8").decode())) for t in texts]

    monkeypatch.setitem(engine._state, "batch_count", batch_count)
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    return calls


def test_environment_variable_turns_the_engine_off(stand_in, monkeypatch) -> None:
    assert engine.counter("o200k_base") is not None
    for value in ("tiktoken", " TikToken "):
        monkeypatch.setenv(engine.ENGINE_ENV, value)
        assert engine.counter("o200k_base") is None
    big = "word " * engine.ENGINE_MIN
    assert count_with(enc("o200k_base"), big) == len(enc("o200k_base").encode_ordinary(big))
    assert stand_in == []  # counted by tiktoken


def test_unsupported_encodings_and_short_texts_go_to_tiktoken(stand_in) -> None:
    assert engine.counter("r50k_base") is None
    fast = engine.counter("o200k_base")
    assert fast is not None
    assert fast("x" * (engine.ENGINE_MIN - 1), 1) is None
    assert stand_in == []
    big = "word " * engine.ENGINE_MIN
    assert count_with(enc("o200k_base"), big, threads=1) == len(enc("o200k_base").encode_ordinary(big))
    assert stand_in == [(1, "o200k_base", 1)]  # a large text goes to the engine, whole on one thread


def test_the_switch_sends_guarded_text_and_what_the_engine_refuses_to_tiktoken(stand_in) -> None:
    fast = engine.counter("o200k_base")
    assert fast is not None
    for a, b in engine.DIFFERING:
        assert fast("x" * engine.ENGINE_MIN + chr(a), 1) is None
        assert fast("x" * engine.ENGINE_MIN + chr(b), 1) is None
    assert stand_in == []  # guarded before the engine is called
    assert fast("x" * engine.ENGINE_MIN + "\ud800", 1) is None  # the engine raised: tiktoken counts it
    assert len(stand_in) == 1


@needs_engine
def test_the_installed_engine_is_used_and_switched_off(monkeypatch) -> None:
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    fast = engine.counter("o200k_base")
    assert fast is not None and fast("short text", 1) is None
    big = "word " * engine.ENGINE_MIN
    assert fast(big, 1) == len(enc("o200k_base").encode_ordinary(big))
    monkeypatch.setenv(engine.ENGINE_ENV, "tiktoken")
    assert engine.counter("o200k_base") is None


@needs_engine
def test_guarded_characters_go_to_tiktoken() -> None:
    fast = engine.counter("o200k_base")
    for a, b in engine.DIFFERING:
        assert fast("x" * engine.ENGINE_MIN + chr(a), 1) is None
        assert fast("x" * engine.ENGINE_MIN + chr(b), 1) is None
    assert fast("x" * engine.ENGINE_MIN + "\ud800", 1) is None  # lone surrogate


@needs_engine
@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora/ is not in this tree")
@pytest.mark.parametrize("name", ENCODINGS)
def test_equal_counts_on_the_whole_corpus(name: str) -> None:
    e = enc(name)
    files = sorted(CORPORA.glob("*.txt"))
    assert files
    texts = [p.read_text("utf-8") for p in files]
    # Each file, and everything joined and repeated to engine size, whole and line by line.
    big = "\n".join(texts) * (engine.ENGINE_MIN // sum(map(len, texts)) + 1)
    assert engine_count(name, big) == len(e.encode_ordinary(big))
    assert engine_count(name, big, threads=2) == len(e.encode_ordinary(big))
    import toktok

    lines = [line for t in texts for line in t.splitlines(keepends=True)]
    assert toktok.batch_count(lines + texts, name, threads=1) == [
        len(x) for x in e.encode_ordinary_batch(lines + texts)
    ]


@needs_engine
@pytest.mark.parametrize("kind", PATHOLOGICAL)
@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_equal_counts_on_pathological_input(kind: str, size: int, monkeypatch) -> None:
    text = PATHOLOGICAL[kind](size)
    for name in ("o200k_base", "cl100k_base"):
        assert engine_count(name, text) == reference(name, text, monkeypatch), (kind, name)


RECENT = st.sampled_from([chr(a) for a, _ in engine.DIFFERING] + [chr(0x16D40), chr(0x1E5D0), chr(0x31350)])
TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(" \n\t'sé日1.-"), RECENT), max_size=60
)


@needs_engine
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=8), st.sampled_from(ENCODINGS))
def test_equal_counts_on_hypothesis_text(parts: list[str], name: str) -> None:
    # Short generated pieces, each counted by the engine directly, and all of them joined
    # and padded to engine size through count_with (where the guard applies).
    import toktok

    e = enc(name)
    clean = [p for p in parts if not engine.guarded(p)]
    assert toktok.batch_count(clean, name, threads=1) == [len(e.encode_ordinary(p)) for p in clean]
    text = "".join(parts) + " filler" * (engine.ENGINE_MIN // 7 + 1)
    assert count_with(e, text) == len(e.encode_ordinary(text))


@needs_engine
@pytest.mark.parametrize("name", ENCODINGS)
def test_special_token_strings_count_as_text(name: str) -> None:
    text = "hello <|endoftext|> world <|im_start|>user<|im_end|> <|fim_prefix|> <|start|><|message|> x" * 800
    assert len(text) >= engine.ENGINE_MIN
    assert engine_count(name, text) == len(enc(name).encode_ordinary(text))
