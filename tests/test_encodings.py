"""Offline encodings: equal to tiktoken's own, no network, no global state, integrity."""

from __future__ import annotations

import json
import textwrap

import pytest

import tokencmp
from tokencmp import encodings
from tokencmp.encodings import adapter, registry
from tokencmp.encodings import load as rank_files
from tokencmp.encodings import rank_cache as _rank_cache
from tokencmp.errors import EncodingIntegrityError, EncodingUnavailableError, UnknownEncodingError

from .helpers import make_tiktoken_cache, rank_file_bytes, run_python

# A varied set: empty, whitespace runs, emoji, CJK, Devanagari, Arabic, code,
# contractions, numbers, special-token strings, CRLF, combining marks, RTL marks.
SAMPLES = [
    "",
    " ",
    "hello world",
    "   leading and trailing   ",
    "\t\t tabs\n\n\nnewlines\r\n\r\nCRLF  \n",
    " " * 300 + "x" + "\n" * 50,
    "I'm sure they'll say it's fine, DON'T they?",
    "🙂👍🏽 family: 👨‍👩‍👧‍👦 flags 🇯🇵🇧🇷",
    "日本語のテキストです。東京は晴れ。",
    "中文文本，没有空格。",
    "한국어 문장입니다.",
    "हिन्दी में एक वाक्य है।",
    "مرحبا بالعالم، هذا نص عربي.",
    "def f(x):\n    return x ** 2  # square\n\nprint(f(12345678))\n",
    "<|endoftext|> and <|im_start|>user<|im_end|> <|fim_prefix|> <|endofprompt|> <|start|>",
    "e\u0301 cafe\u0301 \u200f\u202e RTL override",
    "1234567890 3.14159 1,000,000 0x1F",
    "https://example.com/path?query=1&b=2 user@example.com",
    "\u00a0\u3000\u2028 unusual spaces\u0085",
]
BUNDLED = ["o200k_base", "cl100k_base", "o200k_harmony"]


@pytest.fixture(scope="module")
def tiktoken_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[int]]]:
    """Token ids from tiktoken.get_encoding itself (its own loader, offline cache)."""
    cache = make_tiktoken_cache(tmp_path_factory.mktemp("tiktoken-cache"))
    code = (
        "import json, sys, tiktoken\n"
        f"samples = json.loads({json.dumps(json.dumps(SAMPLES))})\n"
        f"out = {{n: [tiktoken.get_encoding(n).encode_ordinary(s) for s in samples] for n in {BUNDLED!r}}}\n"
        "print(json.dumps(out))\n"
    )
    return run_python(code, env={"TIKTOKEN_CACHE_DIR": str(cache)})


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_encodings_equal_tiktokens_own(name: str, tiktoken_reference: dict) -> None:
    enc = tokencmp.get_encoding(name)
    for sample, expected in zip(SAMPLES, tiktoken_reference[name], strict=True):
        assert enc.encode_ordinary(sample) == expected, sample


@pytest.mark.parametrize("name", BUNDLED)
def test_special_tokens_are_tiktokens(name: str) -> None:
    # Ids from tiktoken_ext/openai_public.py (tiktoken 0.14.0).
    enc = tokencmp.get_encoding(name)
    expected = {"o200k_base": 199999, "o200k_harmony": 199999, "cl100k_base": 100257}[name]
    assert enc.encode("<|endoftext|>", allowed_special="all") == [expected]
    if name == "o200k_harmony":
        assert enc.encode("<|start|><|message|><|end|>", allowed_special="all") == [200006, 200008, 200007]
        assert enc.n_vocab == 201088


def test_encoding_is_loaded_once_and_cached() -> None:
    assert tokencmp.get_encoding("o200k_base") is tokencmp.get_encoding("o200k_base")


def test_loading_opens_no_socket_in_a_fresh_process(tmp_path) -> None:
    code = (
        "import socket, json\n"
        "class NoSocket(socket.socket):\n"
        "    def __init__(self, *a, **k):\n"
        "        raise OSError('network disabled by the test')\n"
        "socket.socket = NoSocket\n"
        "socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError('disabled'))\n"
        "import tokencmp\n"
        "out = {n: tokencmp.count_tokens('hello world', encoding=n) for n in "
        "('o200k_base', 'cl100k_base', 'o200k_harmony')}\n"
        "print(json.dumps(out))\n"
    )
    # An empty tiktoken cache, so nothing could come from tiktoken's own loader either.
    result = run_python(code, env={"TIKTOKEN_CACHE_DIR": str(tmp_path)})
    assert result == {"o200k_base": 2, "cl100k_base": 2, "o200k_harmony": 2}


def test_loading_leaves_os_environ_unchanged() -> None:
    code = (
        "import os, json\n"
        "before = dict(os.environ)\n"
        "import tokencmp, tiktoken\n"
        "for n in ('o200k_base', 'cl100k_base', 'o200k_harmony'):\n"
        "    tokencmp.count_tokens('x', encoding=n)\n"
        "tokencmp.count_tokens('x', model='gpt-4o')\n"
        "print(json.dumps(dict(os.environ) == before))\n"
    )
    assert run_python(code) is True


def test_user_folder_of_rank_files_is_used(tmp_path, monkeypatch) -> None:
    (tmp_path / "cl100k_base.tiktoken").write_bytes(rank_file_bytes("cl100k_base.tiktoken"))
    monkeypatch.setenv(encodings.ENCODINGS_DIR_ENV, str(tmp_path))
    enc = registry._build("cl100k_base")  # bypasses the process cache on purpose
    assert enc.encode_ordinary("hello world") == tokencmp.get_encoding("cl100k_base").encode_ordinary(
        "hello world"
    )


def test_tampered_rank_file_is_refused_naming_the_file(tmp_path, monkeypatch) -> None:
    data = bytearray(rank_file_bytes("o200k_base.tiktoken"))
    data[100] ^= 1  # one flipped bit
    (tmp_path / "o200k_base.tiktoken").write_bytes(bytes(data))
    monkeypatch.setenv(encodings.ENCODINGS_DIR_ENV, str(tmp_path))
    with pytest.raises(EncodingIntegrityError, match=r"o200k_base\.tiktoken"):
        registry._build("o200k_base")


def test_corrupt_bundled_file_is_refused(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "o200k_base.tiktoken.gz").write_bytes(b"not gzip at all")
    monkeypatch.setattr(rank_files, "bundled_path", lambda filename: bad / (filename + ".gz"))
    monkeypatch.setenv(_rank_cache.CACHE_DIR_ENV, "")  # no cached ranks: the file itself is read
    with pytest.raises(EncodingIntegrityError, match="corrupt"):
        registry._build("o200k_base")


def test_tampered_bundled_file_is_refused_and_never_cached(tmp_path, monkeypatch) -> None:
    # A well-formed gzip whose content is not OpenAI's file: the SHA-256 check refuses it, and
    # nothing parsed from it reaches the rank cache.
    import gzip

    data = bytearray(rank_file_bytes("cl100k_base.tiktoken"))
    data[-10] ^= 1
    bundled = tmp_path / "data"
    bundled.mkdir()
    (bundled / "cl100k_base.tiktoken.gz").write_bytes(gzip.compress(bytes(data)))
    monkeypatch.setattr(rank_files, "bundled_path", lambda filename: bundled / (filename + ".gz"))
    cache = tmp_path / "cache"
    monkeypatch.setenv(_rank_cache.CACHE_DIR_ENV, str(cache))
    with pytest.raises(EncodingIntegrityError, match=r"cl100k_base\.tiktoken\.gz.*does not match"):
        registry._build("cl100k_base")
    assert not cache.exists() or not any(cache.iterdir())


@pytest.mark.parametrize("content", [b"", b"IQ== 0\n", b"garbage"], ids=["empty", "truncated", "garbage"])
def test_any_wrong_file_in_the_encodings_folder_is_refused(tmp_path, monkeypatch, content: bytes) -> None:
    (tmp_path / "cl100k_base.tiktoken").write_bytes(content)
    monkeypatch.setenv(encodings.ENCODINGS_DIR_ENV, str(tmp_path))
    with pytest.raises(EncodingIntegrityError, match=str(tmp_path / "cl100k_base.tiktoken")):
        registry._build("cl100k_base")


def test_the_command_line_names_a_tampered_rank_file(tmp_path) -> None:
    import os
    import subprocess
    import sys

    from .helpers import ROOT

    data = bytearray(rank_file_bytes("o200k_base.tiktoken"))
    data[5] ^= 1
    (tmp_path / "o200k_base.tiktoken").write_bytes(bytes(data))
    env = {**os.environ, "PYTHONPATH": str(ROOT), encodings.ENCODINGS_DIR_ENV: str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "tokencmp", "count", "-"], input=b"hello", env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and str(tmp_path / "o200k_base.tiktoken") in lines[0]


@pytest.mark.parametrize("value", ["a" * 5000, "/dev/null", "/nonexistent", "relative/folder"])
def test_any_encodings_folder_setting_is_used_or_refused_clearly(monkeypatch, value: str) -> None:
    # Read when an encoding is built. A name too long for the OS said "not bundled" (the generic
    # fallback in registry._build); a folder without the file falls back to the bundled copy.
    monkeypatch.setenv(encodings.ENCODINGS_DIR_ENV, value)
    try:
        enc = registry._build("cl100k_base")
    except EncodingUnavailableError as e:
        assert len(value) == 5000 and encodings.ENCODINGS_DIR_ENV in str(e) and "bundled" not in str(e)
    else:
        assert len(value) < 5000 and enc.encode_ordinary("hello world") == [15339, 1917]


def test_unbundled_encoding_offline_names_the_ways_to_provide_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))  # empty: tiktoken must download
    with pytest.raises(EncodingUnavailableError) as info:
        registry._build("p50k_base")
    message = str(info.value)
    assert "p50k_base" in message and encodings.ENCODINGS_DIR_ENV in message


def test_unknown_encoding() -> None:
    with pytest.raises(UnknownEncodingError, match="o200k_base"):
        tokencmp.get_encoding("o300k_base")


# --- the adapter's contract with tiktoken's internals (tokencmp/encodings/adapter.py) ----------


def test_the_installed_tiktoken_meets_the_adapters_contract() -> None:
    adapter.check_contract()


def _fake_plugin(**names: object) -> object:
    import types

    module = types.ModuleType("tiktoken_ext.fake_public")
    for key, value in names.items():
        setattr(module, key, value)
    return module


def test_the_contract_names_a_plugin_without_a_constructor_table() -> None:
    with pytest.raises(EncodingUnavailableError, match=r"fake_public\.ENCODING_CONSTRUCTORS is not a dict"):
        adapter.check_contract(plugin=_fake_plugin())


def test_the_contract_names_a_constructor_that_no_longer_calls_load_tiktoken_bpe() -> None:
    def o200k_base() -> dict:  # reads its ranks some other way
        return {"name": "o200k_base", "pat_str": "", "mergeable_ranks": {}, "special_tokens": {}}

    plugin = _fake_plugin(ENCODING_CONSTRUCTORS={"o200k_base": o200k_base})
    with pytest.raises(EncodingUnavailableError) as info:
        adapter.check_contract(plugin=plugin)
    message = str(info.value)
    assert "no longer calls a module-level load_tiktoken_bpe" in message
    assert "the constructor of o200k_base does not call load_tiktoken_bpe" in message
    assert "tiktoken>=0.14,<0.15" in message  # and says what to install


def test_the_contract_names_a_missing_encoding_and_a_changed_return_shape() -> None:
    import types

    # Written as module source, as tiktoken_ext/openai_public.py is: the constructors call the
    # module global load_tiktoken_bpe, which offline_constructors replaces.
    plugin = types.ModuleType("tiktoken_ext.fake_public")
    exec(textwrap.dedent("""
        def load_tiktoken_bpe(blobpath, expected_hash=None):
            raise AssertionError("replaced by tokencmp's loader")

        def cl100k_base():
            ranks = load_tiktoken_bpe("cl100k_base.tiktoken", expected_hash="0" * 64)
            return {"name": "cl100k_base", "ranks": ranks}  # a renamed key

        def o200k_base():
            ranks = load_tiktoken_bpe("o200k_base.tiktoken", expected_hash="0" * 64)
            return {"name": "o200k_base", "pat_str": "", "mergeable_ranks": ranks, "special_tokens": {}}

        ENCODING_CONSTRUCTORS = {"cl100k_base": cl100k_base, "o200k_base": o200k_base}
    """), plugin.__dict__)
    with pytest.raises(EncodingUnavailableError) as info:
        adapter.check_contract(plugin=plugin)
    problems = str(info.value).split("internals: ")[1]
    assert "ENCODING_CONSTRUCTORS has no o200k_harmony" in problems
    assert "the constructor of cl100k_base returns ['name', 'ranks']" in problems
    assert "o200k_base" not in problems.replace("o200k_harmony", "")  # that one meets the contract


def test_the_contract_names_an_encoding_without_a_rust_core() -> None:
    class NoCore:
        def __init__(self, name: str, **kwargs: object) -> None:
            self.name = name

    with pytest.raises(EncodingUnavailableError, match=r"tiktoken\.Encoding has no _core_bpe"):
        adapter.check_contract(encoding=NoCore)  # type: ignore[arg-type]


def test_the_contract_names_a_core_method_that_is_gone() -> None:
    import tiktoken

    class OldCore(tiktoken.Encoding):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            real = self._core_bpe
            self._core_bpe = type("Core", (), {"encode_ordinary": staticmethod(real.encode_ordinary)})()

    with pytest.raises(EncodingUnavailableError) as info:
        adapter.check_contract(encoding=OldCore)
    assert "CoreBPE has no encode_single_piece, decode_single_token_bytes" in str(info.value)
