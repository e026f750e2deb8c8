"""tokencmp.scale without an engine: small pickles, safe byte cuts, partial results that merge exactly.

Every expectation is the single-machine answer (``compare_file``, ``compare_text``), computed in the
test, or a figure worked by hand in a comment; the distributed side must equal it exactly.
"""

from __future__ import annotations

import io
import itertools
import json
import pickle
import tempfile
from pathlib import Path

import pytest
import tiktoken
from hypothesis import given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.compare import compare_file, compare_text
from tokencmp.errors import EncodingIntegrityError, InvalidTextError
from tokencmp.scale import CompareSettings, count_range, count_texts, cut_bytes, cut_file, finish, merge
from tokencmp.scale.columns import CountBatch, count_columns, spark_schema, totals
from tokencmp.scale.split import next_cut

from .helpers import run_python

# --- pickles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "o200k_harmony"])
def test_an_encoding_pickles_as_a_small_handle_and_unpickles_to_the_same_object(name: str) -> None:
    enc = tokencmp.get_encoding(name)
    data = pickle.dumps(enc)
    # issue 19: 2.87 MB today (the whole rank table); a handle is a name and a 64-hex-digit hash
    assert len(data) < 1000
    assert b"mergeable_ranks" not in data and name.encode() in data
    assert pickle.loads(data) is enc
    # tiktoken's own pickle of the same encoding (not in its registry) carries the ranks
    plain = tiktoken.Encoding(name="plain", pat_str=enc._pat_str, mergeable_ranks=enc._mergeable_ranks,
                              special_tokens=enc._special_tokens)
    assert len(pickle.dumps(plain)) > 1_000_000


@pytest.mark.parametrize("name", ["llama3", "qwen2", "tekken", "deepseek-v4"])
def test_vendor_encodings_pickle_as_handles_too(name: str) -> None:
    try:
        enc = tokencmp.get_encoding(name)
    except tokencmp.EncodingUnavailableError as e:
        pytest.skip(f"{name}'s extra is not installed: {e}")
    data = pickle.dumps(enc)
    assert len(data) < 1000  # instead of its table: 1.7 MB for llama3, 2.1 MB for qwen2 before
    assert pickle.loads(data) is enc
    out = run_python(f"""
import json, pickle
enc = pickle.loads(bytes.fromhex({data.hex()!r}))
print(json.dumps([enc.name, enc.encode_ordinary("hello world, 日本語")]))
""")
    assert out == [enc.name, enc.encode_ordinary("hello world, 日本語")]  # the same encoding, rebuilt there


def test_settings_and_count_batches_pickle_small() -> None:
    s = CompareSettings(("o200k_base", "cl100k_base"), models=("gpt-4o",)).resolved()
    assert len(pickle.dumps(s)) < 1000
    assert pickle.loads(pickle.dumps(s)) == s
    batch = CountBatch(s)
    assert len(pickle.dumps(batch)) < 5000  # two encoding handles, the settings
    assert pickle.loads(pickle.dumps(batch))({"text": ["hello world"]})["tokens_o200k_base"] == [2]


def test_a_handle_whose_content_differs_is_refused() -> None:
    from tokencmp.encodings.registry import from_handle

    with pytest.raises(EncodingIntegrityError, match="same tokencmp version"):
        from_handle("o200k_base", "0" * 64)


def test_a_fresh_worker_builds_an_encoding_from_its_handle_without_tiktoken_s_downloader() -> None:
    handle = pickle.dumps(tokencmp.get_encoding("o200k_base")).hex()
    out = run_python(f"""
import json, pickle, sys, time
import tiktoken.load
def refuse(*args, **kwargs):
    raise AssertionError("tiktoken's downloader was called")
tiktoken.load.read_file_cached = refuse
tiktoken.load.read_file = refuse
start = time.perf_counter()
enc = pickle.loads(bytes.fromhex({handle!r}))
first = time.perf_counter() - start
again = pickle.loads(bytes.fromhex({handle!r}))
print(json.dumps({{"tokens": enc.encode_ordinary("hello world"), "same": enc is again,
                   "first": first, "module": type(enc).__module__}}))
""")
    # "hello world" under o200k_base: [24912, 2375] (tokencmp.encodings' doctest, tiktoken's ranks)
    assert out["tokens"] == [24912, 2375] and out["same"]
    assert out["module"] == "tokencmp.encodings.registry"
    assert out["first"] < 10  # a fresh process: imports, then the rank cache (or the bundled file)


# --- safe byte cuts --------------------------------------------------------------------------


def test_cut_bytes_cuts_only_after_a_line_feed_between_ascii_non_spaces() -> None:
    data = b"one\ntwo\n\nthree\n/four\n five\n six\xc3\xa9\nseven"
    # line feeds at 3 (o|t: safe), 7 and 8 (a blank line: not), 14 (e|/: not), 20 and 26 (a space
    # after: not), 33 (an e-acute's last byte before it: not ASCII); so the one cut is at 4
    assert next_cut(io.BytesIO(data), 0, len(data)) == 4
    assert next_cut(io.BytesIO(data), 5, len(data)) is None
    assert cut_bytes(io.BytesIO(data), len(data), 1) == [(0, 4), (4, len(data))]
    assert cut_bytes(io.BytesIO(b""), 0, 10) == [(0, 0)]


_ALPHABET = st.sampled_from(["a", "b", "Z", "1", " ", "\n", "\n", "\r\n", "\t", "/", ".", "'", "é", "e\u0301",
                             "日本", "。", "ﬁ", "Ⅸ", "👍🏽", "🇫🇷", "क्ष", "\u00a0", "\u3000", "  ", "x\ny"])


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(_ALPHABET, max_size=200), target=st.integers(1, 40),
       form=st.sampled_from(["none", "NFC", "NFKC"]), by_script=st.booleans())
def test_ranges_count_exactly_as_the_whole_file(
    parts: list[str], target: int, form: str, by_script: bool
) -> None:
    data = "".join(parts).encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.txt"
        path.write_bytes(data)
        ranges = cut_file(path, target)
        assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        s = CompareSettings(("o200k_base", "cl100k_base"), normalize=form, by_script=by_script)
        if by_script:
            ranges = [(0, len(data))]  # script runs are not cut (tokencmp.scale.dask.submit_paths)
        merged = merge([count_range(s, path, a, b) for a, b in ranges], s)
        assert merged == compare_file(path, encodings=["o200k_base", "cl100k_base"], normalize=form,
                                      by_script=by_script)


def test_an_invalid_byte_in_a_later_range_reports_its_offset_in_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"alpha\nbeta\ngam\xffma\n")  # the bad byte is at offset 14
    s = CompareSettings(("o200k_base",))
    [_, (a1, b1)] = cut_file(path, 8)
    with pytest.raises(InvalidTextError) as local:
        compare_file(path, encodings=["o200k_base"])
    with pytest.raises(InvalidTextError) as remote:
        count_range(s, path, a1, b1)
    assert remote.value.offset == local.value.offset == 14
    assert str(remote.value) == str(local.value)


# --- texts, merged -----------------------------------------------------------------------------

TEXTS = ["hello world", "日本語のテキストです。", "お誕生日おめでとう", "e", "\u0301x", "Hello 世界"]


@pytest.mark.parametrize("by_script", [False, True])
def test_texts_merge_to_the_sum_of_compare_text_in_any_grouping(by_script: bool) -> None:
    s = CompareSettings(("o200k_base", "cl100k_base"), by_script=by_script, models=("gpt-4o",))
    whole = finish(s.resolved(), count_texts(s, TEXTS))
    one = [compare_text(t, encodings=["o200k_base", "cl100k_base"], by_script=by_script) for t in TEXTS]
    assert whole.tokens == {e: sum(c.tokens[e] for c in one) for e in whole.tokens}
    # each text counted whole: "e" and a combining acute in the next text are 1 + 2 clusters, not 2
    assert whole.graphemes == sum(c.graphemes for c in one)
    for cut in range(len(TEXTS) + 1):
        parts = [count_texts(s, TEXTS[:cut]), count_texts(s, TEXTS[cut:])]
        merged = finish(s.resolved(), merge(parts))
        assert merged == whole
        assert json.dumps(merged.to_dict()) == json.dumps(whole.to_dict())
    assert whole.input_costs.keys() == {"gpt-4o"}


def test_merge_refuses_parts_of_different_settings() -> None:
    a = count_texts(CompareSettings(("o200k_base",)), ["x"])
    b = count_texts(CompareSettings(("cl100k_base",)), ["x"])
    with pytest.raises(ValueError, match="different settings"):
        merge([a, b])


def test_count_columns_sum_to_the_single_machine_comparison() -> None:
    s = CompareSettings(("o200k_base", "cl100k_base")).resolved()
    batch = CountBatch(s)({"text": TEXTS})
    assert count_columns(s) == ["tokens_o200k_base", "tokens_cl100k_base", "characters", "bytes", "graphemes"]
    sums = {c: sum(batch[c]) for c in count_columns(s)}
    assert totals(s, sums) == finish(s, count_texts(s, TEXTS))
    assert spark_schema(s).startswith("`text` string, `tokens_o200k_base` long")


def test_count_batch_refuses_a_script_breakdown() -> None:
    with pytest.raises(tokencmp.TokencmpError, match="by-script"):
        CountBatch(CompareSettings(("o200k_base",), by_script=True))
