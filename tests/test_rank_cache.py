"""The on-disk cache of parsed ranks: used when sound, rebuilt when not, never required."""

from __future__ import annotations

import pytest

import tokencmp
from tokencmp import encodings
from tokencmp.catalog import get_catalog, lookup
from tokencmp.encodings import rank_cache as _rank_cache
from tokencmp.encodings import registry

from .helpers import rank_file_bytes, run_python

CL100K = "cl100k_base.tiktoken"
# The published SHA-256 of cl100k_base.tiktoken, from tiktoken_ext/openai_public.py (tiktoken 0.14).
CL100K_SHA = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(_rank_cache.CACHE_DIR_ENV, str(tmp_path))
    return tmp_path


def reference_ranks() -> dict[bytes, int]:
    return encodings.parse_ranks(rank_file_bytes(CL100K))


def test_build_fills_the_cache_and_the_next_build_reads_it(cache) -> None:
    assert _rank_cache.load(CL100K, CL100K_SHA) is None
    first = registry._build("cl100k_base")
    entry = _rank_cache.entry_path(CL100K, CL100K_SHA)
    assert entry is not None and entry.parent == cache and entry.is_file()
    assert _rank_cache.load(CL100K, CL100K_SHA) == reference_ranks()
    second = registry._build("cl100k_base")
    assert second.encode_ordinary("cache hit, same tokens") == first.encode_ordinary("cache hit, same tokens")


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache, damage: str) -> None:
    _rank_cache.store(CL100K, CL100K_SHA, reference_ranks())
    entry = _rank_cache.entry_path(CL100K, CL100K_SHA)
    blob = bytearray(entry.read_bytes())
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "flip":
        blob[-1000] ^= 1
    elif damage == "garbage":
        blob = bytearray(b"not a cache entry")
    else:
        blob = bytearray()
    entry.write_bytes(bytes(blob))
    assert _rank_cache.load(CL100K, CL100K_SHA) is None
    enc = registry._build("cl100k_base")  # parses the verified file, rewrites the entry
    assert enc.encode_ordinary("hello world") == [15339, 1917]  # cl100k ids, tiktoken README example
    assert _rank_cache.load(CL100K, CL100K_SHA) == reference_ranks()


@pytest.mark.parametrize("payload", [{"not": "bytes keys"}, {b"x": "not an int"}, {b"x": 0, b"y": 0}],
                         ids=["str keys", "str ranks", "duplicate ranks"])
def test_an_entry_with_a_valid_checksum_but_no_rank_table_is_rebuilt(cache, payload: dict) -> None:
    # Its own checksum matches (written by store()), so only tiktoken can tell it is not a rank
    # table: the build falls back to the verified file and replaces the entry.
    _rank_cache.store(CL100K, CL100K_SHA, payload)  # type: ignore[arg-type]
    enc = registry._build("cl100k_base")
    assert enc.encode_ordinary("hello world") == [15339, 1917]  # cl100k ids, tiktoken README example
    assert _rank_cache.load(CL100K, CL100K_SHA) == reference_ranks()


def test_an_entry_for_another_file_hash_is_not_read(cache) -> None:
    _rank_cache.store(CL100K, "0" * 64, {b"x": 0})
    assert _rank_cache.load(CL100K, CL100K_SHA) is None


def test_empty_setting_turns_the_cache_off(monkeypatch) -> None:
    monkeypatch.setenv(_rank_cache.CACHE_DIR_ENV, "")
    assert _rank_cache.cache_dir() is None
    _rank_cache.store(CL100K, CL100K_SHA, {b"x": 0})  # a no-op, no error
    assert registry._build("cl100k_base").encode_ordinary("hello world") == [15339, 1917]


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv(_rank_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    assert registry._build("cl100k_base").encode_ordinary("hello world") == [15339, 1917]


def test_default_folder_follows_xdg(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(_rank_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(_rank_cache.sys, "platform", "linux")
    assert _rank_cache.cache_dir() == tmp_path / "tokencmp"


def test_cli_count_skips_pydantic_and_uses_the_cache(tmp_path) -> None:
    code = (
        "import io, json, sys, contextlib\n"
        "from tokencmp.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['count', '--model', 'gpt-4o', '--format', 'json', '" + str(tmp_path / "in.txt") + "'])\n"
        "print(json.dumps([json.loads(out.getvalue())['total']['tokens'], 'pydantic' in sys.modules]))\n"
    )
    (tmp_path / "in.txt").write_text("hello world", encoding="utf-8")
    env = {_rank_cache.CACHE_DIR_ENV: str(tmp_path / "cache")}
    assert run_python(code, env=env) == [2, False]  # "hello", " world"
    assert list((tmp_path / "cache").glob("o200k_base-*.ranks"))
    assert run_python(code, env=env) == [2, False]  # second run: from the cache


def test_the_lookup_module_finds_an_encoding_without_pydantic(tmp_path) -> None:
    code = (
        "import json, sys\n"
        "from tokencmp.catalog.lookup import default_model, encoding_name\n"
        "found = [encoding_name('gpt-4o'), encoding_name('gpt-3.5-turbo'), default_model()]\n"
        "print(json.dumps([found, 'pydantic' in sys.modules]))\n"
    )
    # gpt-4o and gpt-3.5-turbo: tiktoken 0.14's MODEL_TO_ENCODING (tiktoken/model.py).
    found, imported_pydantic = run_python(code, env={_rank_cache.CACHE_DIR_ENV: ""})
    assert (found, imported_pydantic) == (["o200k_base", "cl100k_base", "gpt-4o"], False)


def test_the_lookup_module_leaves_other_names_and_overrides_to_the_resolver(tmp_path) -> None:
    override = tmp_path / "mine.json"
    override.write_text('{"models": {"gpt-4o": {"encoding": "cl100k_base"}}}')
    code = (
        "import json, sys\n"
        "from tokencmp.catalog.lookup import encoding_name\n"
        "print(json.dumps([encoding_name('Azure/GPT-35-Turbo'), encoding_name('gpt-4o'), "
        "'pydantic' in sys.modules]))\n"
    )
    # The override changes gpt-4o's encoding: the raw bundled file must not answer for it.
    assert run_python(code, env={lookup.CATALOG_ENV: str(override)}) == ["cl100k_base", "cl100k_base", True]


def test_fast_model_lookup_agrees_with_the_catalog() -> None:
    catalog = get_catalog()
    assert lookup.default_model() == catalog.defaults.model
    raw = lookup._bundled()
    assert raw["models"].keys() == catalog.models.keys()
    assert raw["defaults"]["model"] == catalog.defaults.model
    for name, entry in raw["models"].items():
        assert entry["encoding"] == tokencmp.resolve_model(name).encoding, name
        assert lookup.encoding_name(name) == tokencmp.resolve_model(name).encoding, name
