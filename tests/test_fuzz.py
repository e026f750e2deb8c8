"""Fuzz tests: every public entry point, on hostile input, returns a sound result or a TokencmpError.

Each test draws inputs from :mod:`tests.fuzz` (arbitrary Unicode with lone
surrogates, NUL, combining stacks, bidi marks and long runs; request bodies
with a wrong type at any path, deep nesting and huge strings; arbitrary
model names, image headers, data URLs, usage objects and catalog files) and
holds the call to :func:`tests.fuzz.sound`. Where a result comes back it is
checked against an independent fact (tiktoken's own count for short text,
the parts of a breakdown adding up, costs that are non-negative Decimals
ordered min <= max), so "sound" means more than "did not crash".

``test_every_public_name_is_fuzzed_or_a_value_type`` keeps the list honest:
a name added to ``tokencmp.__all__`` fails it until it is fuzzed here (or
declared a value type). The inventory is in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tiktoken
from hypothesis import given
from hypothesis import strategies as st

import tokencmp
from tokencmp.catalog import load as catalog_module

from .fuzz import (
    CHAT_TEMPLATE,
    Refused,
    any_model,
    hostile_request,
    hostile_text,
    json_scalar,
    json_value,
    model_name,
    mutated,
    nested,
    profile,
    sound,
)

# Reference encodings straight from tiktoken, built from tokencmp's verified ranks (the same
# files tiktoken downloads; tests/test_encodings.py proves they equal tiktoken's).
REFERENCE = {name: tokencmp.get_encoding(name) for name in ("o200k_base", "cl100k_base")}


def _reference_count(text: str, encoding: str) -> int:
    enc = REFERENCE[encoding]
    return len(tiktoken.Encoding.encode_ordinary(enc, text))


# --- the inventory ---------------------------------------------------------------------------

FUZZED = {
    "count_tokens", "count_file", "encoding_for_model", "get_encoding", "list_encodings",
    "resolve_model", "load_catalog", "get_catalog", "list_models", "count_request", "count_messages",
    "image_tokens", "estimate_image", "max_image_tokens", "image_size", "image_part_tokens",
    "estimate_cost", "cost_from_usage", "prices_for", "check_budget", "ensure_budget",
    "rank_models", "compare_models", "cheapest_fit", "fit_messages", "compare_text", "compare_file",
    "compare_corpus", "read_corpus", "SpeedMeter", "SpeedClient", "speed_test", "acount_tokens",
    "acount_file", "acount_request", "check_batch", "check_finetune", "cost_of_outputs",
    "choose_encoding", "normalization_form",  # fuzzed in tests/test_text_api.py
    "stale_facts",
    "guard", "read_ledger", "summarize_ledger",  # fuzzed in tests/test_guard_fuzz.py
    "truncate_text", "split_text", "truncate_pieces", "split_pieces", "token_pieces",
    "iter_token_pieces", "decode_tokens", "decode_pieces",
    "load_tokenizer",  # fuzzed in tests/test_vendor_encodings.py
}
# ... and the command line's main(), fuzzed with any arguments and files below.
"""Entry points fuzzed below (SpeedClient and speed_test: their argument checks; the hostile
server side is tests/test_speed.py's)."""

VALUE_TYPES = {
    "ModelInfo", "Prices", "Catalog", "RequestCount", "MessageCount", "ToolsCount", "Breakdown",
    "ImageEstimate", "ImagePartCount", "CostEstimate", "BudgetReport", "ModelCost", "FitResult",
    "Comparison", "ScriptCounts", "CorpusReport", "LanguageResult", "SpeedResult", "SpeedSummary",
    "GuardedClient", "LedgerRecord", "LedgerSummary",
    "BatchReport", "BatchModelReport", "FileLimits", "FineTuneReport", "FineTuneFile", "UsageReport",
    "UsageRow", "Distribution", "LineProblem",
    "Truncation", "Piece", "TokenPiece",
}
"""Results the entry points return: read, not fed user input."""

SHARED_RULES = {"TIERS", "TIER_NAMES", "token_count", "parse_usd", "offset_progress", "token_label",
                "read_pieces"}
"""Exported for the command line (issue 13): fuzzed through the entry points above that use them
(tier=, max_tokens and other counts, max_cost=, compare_corpus's progress; token_label through
token_pieces' results, read_pieces through compare_file)."""


def test_every_public_name_is_fuzzed_or_a_value_type() -> None:
    errors = {n for n in tokencmp.__all__ if isinstance(getattr(tokencmp, n), type)
              and issubclass(getattr(tokencmp, n), tokencmp.TokencmpError)}
    assert set(tokencmp.__all__) == FUZZED | VALUE_TYPES | SHARED_RULES | errors
    assert not FUZZED & VALUE_TYPES


def test_the_inventory_in_docs_names_every_entry_point_and_only_real_tests() -> None:
    import re

    docs = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text("utf-8")
    missing = [name for name in sorted(FUZZED) if f"`{name}`" not in docs and f"`{name}(" not in docs]
    assert not missing
    here = Path(__file__).parent
    for test in set(re.findall(r"fuzz::(test_\w+)", docs)):
        assert f"def {test}(" in (here / "test_fuzz.py").read_text("utf-8"), test
    for module, test in set(re.findall(r"(test_\w+)\.py::(test_\w+)", docs)):
        assert f"def {test}(" in (here / f"{module}.py").read_text("utf-8"), (module, test)
    every_test = "".join(p.read_text("utf-8") for p in here.glob("test_*.py"))
    for test in set(re.findall(r"::(test_\w+)", docs)):  # the `::test_x` shorthands too
        assert f"def {test}(" in every_test, test


# --- text --------------------------------------------------------------------------------------


@profile(750)
@given(hostile_text(), st.sampled_from(["o200k_base", "cl100k_base"]), st.booleans())
def test_count_tokens_on_any_text_equals_tiktoken(text: str, encoding: str, special: bool) -> None:
    got = sound(lambda: tokencmp.count_tokens(text, encoding=encoding, allow_special=special))
    assert isinstance(got, int)
    if not special:
        assert got == _reference_count(text, encoding)
    else:
        assert got >= 0


@profile(20)
@given(hostile_text(max_size=200, max_run=2000).filter(bool), st.sampled_from(["o200k_base", "cl100k_base"]))
def test_large_texts_equal_tiktoken(unit: str, encoding: str) -> None:
    # Over ENGINE_MIN (64 Ki characters): the accelerated engine when installed, else safe pieces.
    text = unit * (70_000 // len(unit) + 1)
    got = sound(lambda: tokencmp.count_tokens(text, encoding=encoding))
    assert got == _reference_count(text, encoding)


@profile(300)
@given(st.one_of(hostile_text(), json_value), any_model, st.one_of(st.none(), json_scalar),
       st.one_of(st.just(2), json_scalar))
def test_count_tokens_with_any_arguments(text: Any, model: Any, encoding: Any, threads: Any) -> None:
    got = sound(lambda: tokencmp.count_tokens(text, model=model, encoding=encoding, threads=threads))
    assert isinstance(got, (int, Refused))
    if isinstance(got, int):
        assert got >= 0


@profile(200)
@given(hostile_text())
def test_async_counting_matches(text: str) -> None:
    got = sound(lambda: asyncio.run(tokencmp.acount_tokens(text, encoding="cl100k_base")))
    assert got == _reference_count(text, "cl100k_base")


@profile(300)
@given(any_model)
def test_model_names(name: Any) -> None:
    info = sound(lambda: tokencmp.resolve_model(name))
    if not isinstance(info, Refused):
        assert isinstance(info, tokencmp.ModelInfo)
        assert info.encoding
    enc = sound(lambda: tokencmp.encoding_for_model(name))
    assert isinstance(enc, (Refused, tiktoken.Encoding))
    for what in (lambda: tokencmp.prices_for(name), lambda: tokencmp.get_encoding(name),
                 lambda: tokencmp.image_tokens(64, 64, model=name),
                 lambda: tokencmp.max_image_tokens(model=name, detail="high")):
        sound(what)


@profile(150)
@given(hostile_text(max_size=30, max_run=300), st.one_of(st.integers(-2, 40), json_scalar),
       st.sampled_from(["o200k_base", "cl100k_base"]), st.booleans())
def test_truncate_and_split_on_any_text(text: str, n: Any, encoding: str, from_end: bool) -> None:
    got = sound(lambda: tokencmp.truncate_text(text, n, encoding=encoding, from_end=from_end))
    if not isinstance(got, Refused):
        assert got.tokens == _reference_count(got.text, encoding) <= n
        assert text.endswith(got.text) if from_end else text.startswith(got.text)
    pieces = sound(lambda: tokencmp.split_text(text, n, encoding=encoding))
    if not isinstance(pieces, Refused):
        assert "".join(p.text for p in pieces) == text
        assert all(p.tokens == _reference_count(p.text, encoding) <= n for p in pieces)
    enc = REFERENCE[encoding]
    blocks = sound(lambda: list(tokencmp.truncate_pieces([text], n, enc, from_end=from_end)))
    assert isinstance(blocks, Refused) or isinstance(got, Refused) or "".join(blocks) == got.text
    streamed = sound(lambda: list(tokencmp.split_pieces([text], n, REFERENCE[encoding])))
    assert isinstance(streamed, Refused) or isinstance(pieces, Refused) or streamed == list(pieces)


@profile(200)
@given(hostile_text(), st.sampled_from(["o200k_base", "cl100k_base"]),
       st.lists(st.one_of(st.integers(-3, 300_000), json_scalar), max_size=8))
def test_token_views_on_any_text_and_ids(text: str, encoding: str, ids: list[Any]) -> None:
    from tokencmp.text.segment import tiktoken_text

    pieces = sound(lambda: tokencmp.token_pieces(text, encoding=encoding))
    assert [p.id for p in pieces] == REFERENCE[encoding].encode_ordinary(tiktoken_text(text))
    assert all(tokencmp.token_label(p) == p.text if p.text is not None else tokencmp.token_label(p)[0] == "<"
               for p in pieces)
    assert list(tokencmp.iter_token_pieces([text], REFERENCE[encoding])) == list(pieces)
    back = sound(lambda: tokencmp.decode_tokens([p.id for p in pieces], encoding=encoding))
    assert back == tiktoken_text(text)
    for call in (lambda: tokencmp.decode_tokens(ids, encoding=encoding),
                 lambda: tokencmp.decode_pieces(ids, encoding=encoding)):
        sound(call)


@given(st.one_of(st.integers(-5, 100_000), json_scalar),
       st.one_of(st.none(), st.dates(), st.datetimes(), json_scalar))
def test_stale_facts_with_any_arguments(days: Any, today: Any) -> None:
    got = sound(lambda: tokencmp.stale_facts(days, today=today))
    if not isinstance(got, Refused):
        assert all(f.age_days > days for f in got)


def test_long_chains_of_name_rules_are_unknown_not_a_recursion_error() -> None:
    # Found by fuzzing (tokencmp/catalog/__init__.py): "-2024" repeated is a dated suffix of a dated suffix
    # of ..., which resolved one recursive rule per suffix until Python's recursion limit.
    for name in ("gpt-4o" + "-2024" * 3000, "gpt-4o" + "-latest" * 3000, "ft:" * 3000 + "gpt-4o"):
        got = sound(lambda n=name: tokencmp.resolve_model(n))
        # Unknown, or at most "a variant of gpt-4o" with no price carried over: never a guess.
        assert isinstance(got, Refused) or (got.assumed_from == "gpt-4o" and not got.prices)
    # Real names use at most three rules (fine-tune of a dated snapshot, per the catalog docs).
    assert tokencmp.resolve_model("ft:gpt-4o-mini-2024-07-18:acme::x1").assumed_from == "gpt-4o-mini"
    assert tokencmp.resolve_model("gpt-4o-2024-08-06-latest").assumed_from == "gpt-4o"


def test_the_list_functions_take_no_input() -> None:
    assert "o200k_base" in tokencmp.list_encodings()
    assert tokencmp.list_models() and isinstance(tokencmp.get_catalog(), tokencmp.Catalog)


# --- files ---------------------------------------------------------------------------------------

file_bytes = st.one_of(
    st.binary(max_size=200),
    hostile_text().map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(b"\xef\xbb\xbfBOM then text"),
    st.just(b"\x00" * 5000),
)


@profile(300)
@given(file_bytes, st.sampled_from(["strict", "replace"]), st.integers(1, 64))
def test_files_of_any_bytes(tmp_path_factory: Any, data: bytes, errors: str, block: int) -> None:
    path = tmp_path_factory.mktemp("f") / "input.txt"
    path.write_bytes(data)
    counted = sound(lambda: tokencmp.count_file(path, encoding="cl100k_base", errors=errors))
    compared = sound(lambda: tokencmp.compare_file(path, errors=errors, block_size=block, by_script=True))
    acounted = sound(lambda: asyncio.run(tokencmp.acount_file(path, encoding="cl100k_base", errors=errors)))
    size, from_bytes = sound(lambda: tokencmp.image_size(path)), sound(lambda: tokencmp.image_size(data))
    if isinstance(size, Refused):  # the same verdict as on the bytes, worded for the file
        assert isinstance(from_bytes, Refused)
        assert str(size.error) == str(from_bytes.error).replace("the image bytes", str(path))
    else:
        assert size == from_bytes
    if isinstance(counted, int):
        assert compared.tokens["cl100k_base"] == counted == acounted
        assert sum(s.tokens["cl100k_base"] for s in compared.scripts) == counted
    else:
        assert isinstance(compared, Refused) and isinstance(acounted, Refused)


path_arg = st.one_of(hostile_text(20, 20), st.sampled_from(
    ["", ".", "/", "/dev/null", "/proc/self/mem", "\x00x", "\ud800.txt", "nonexistent/a.txt", "a" * 5000]))


@profile(200)
@given(path_arg, st.one_of(st.sampled_from(["strict", "replace", "ignore", "bogus"]), json_scalar))
def test_file_functions_with_any_path(path: Any, errors: Any) -> None:
    sound(lambda: tokencmp.count_file(path, errors=errors))
    sound(lambda: tokencmp.compare_file(path, errors=errors))
    sound(lambda: tokencmp.read_corpus(path))
    sound(lambda: tokencmp.compare_corpus(path))
    sound(lambda: tokencmp.image_size(path))


def test_file_functions_on_bad_utf8_with_an_unknown_errors_value(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \xff bad")
    for call in (lambda: tokencmp.count_file(path, errors="bogus"),
                 lambda: tokencmp.compare_file(path, errors="bogus"),
                 lambda: tokencmp.compare_file(path, block_size=0)):
        assert isinstance(sound(call), Refused)


# --- chat requests --------------------------------------------------------------------------------


def _check_count(count: tokencmp.RequestCount) -> None:
    b = count.breakdown
    assert count.total == b.total >= 0
    assert all(m.total >= 0 for m in b.messages)
    assert count.exact or count.notes  # an estimate always says why
    if count.exact:  # an exact count notes only how the model name was resolved
        assert all(note.startswith("model: ") for note in count.notes)


@profile(1250)
@given(hostile_request, st.one_of(st.none(), any_model))
def test_count_request_on_any_body(body: Any, model: Any) -> None:
    got = sound(lambda: tokencmp.count_request(body, model=model))
    if not isinstance(got, Refused):
        _check_count(got)


@profile(150)
@given(hostile_request, st.one_of(st.none(), any_model))
def test_async_request_counting_matches(body: Any, model: Any) -> None:
    got = sound(lambda: tokencmp.count_request(body, model=model))
    awaited = sound(lambda: asyncio.run(tokencmp.acount_request(body, model=model)))
    if isinstance(got, Refused):
        assert isinstance(awaited, Refused) and type(awaited.error) is type(got.error)
        assert str(awaited.error) == str(got.error)
    else:
        assert awaited == got


@profile(400)
@given(st.one_of(json_value, mutated(CHAT_TEMPLATE["messages"])), any_model,
       st.one_of(st.none(), json_value, mutated(CHAT_TEMPLATE["tools"])), st.one_of(st.none(), json_value))
def test_count_messages_on_any_messages(messages: Any, model: Any, tools: Any, choice: Any) -> None:
    got = sound(lambda: tokencmp.count_messages(messages, model=model, tools=tools, tool_choice=choice))
    if not isinstance(got, Refused):
        _check_count(got)


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    deep = nested(100_000)
    for call in (
        lambda: tokencmp.count_request({"model": "gpt-4o", "messages": [{"role": "user", "content": deep}]}),
        lambda: tokencmp.count_messages(deep, model="gpt-4o"),
        lambda: tokencmp.estimate_cost(deep, model="gpt-4o"),
        lambda: tokencmp.cost_from_usage(deep, model="gpt-4o"),
        lambda: tokencmp.fit_messages([{"role": "user", "content": deep}], model="gpt-4o"),
    ):
        assert isinstance(sound(call), Refused)


# --- money and limits --------------------------------------------------------------------------

count_arg = st.one_of(st.integers(-5, 3_000_000), st.integers(0, 10**80), json_scalar)
money_arg = st.one_of(st.none(), st.decimals(allow_nan=True), json_scalar,
                      st.sampled_from(["0.05", "1e999999", "-0", "NaN", "sNaN", " 1 ", "1_000"]))
tier_arg = st.one_of(st.sampled_from(["standard", "batch", "flex", "priority", "fast"]), json_scalar)


def _check_estimate(est: tokencmp.CostEstimate) -> None:
    for amount in (est.input_cost, est.cached_input_cost, est.cache_write_cost, est.min_total):
        assert isinstance(amount, Decimal) and amount.is_finite() and amount >= 0
    if est.max_total is not None:
        assert est.min_total <= est.max_total
    if est.total is not None:
        assert est.total == est.min_total


@profile(750)
@given(st.one_of(count_arg, hostile_request), st.one_of(st.none(), any_model),
       st.one_of(st.none(), count_arg),
       count_arg, count_arg, tier_arg, st.one_of(st.none(), count_arg))
def test_estimate_cost_with_any_arguments(
    subject: Any, model: Any, output: Any, cached: Any, write: Any, tier: Any, max_out: Any
) -> None:
    got = sound(lambda: tokencmp.estimate_cost(
        subject, model=model, output_tokens=output, cached_tokens=cached, cache_write_tokens=write,
        tier=tier, max_output_tokens=max_out))
    if not isinstance(got, Refused):
        _check_estimate(got)


usage_template = {
    "prompt_tokens": 100, "completion_tokens": 50,
    "prompt_tokens_details": {"cached_tokens": 20, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 10, "audio_tokens": 0},
}
realtime_template = {
    "input_tokens": 100, "output_tokens": 20,
    "input_token_details": {"cached_tokens": 10, "audio_tokens": 5,
                            "cached_tokens_details": {"audio_tokens": 1}},
    "output_token_details": {"audio_tokens": 5},
}


@profile(600)
@given(st.one_of(mutated(usage_template), mutated(realtime_template), json_value), any_model, tier_arg)
def test_cost_from_any_usage(usage: Any, model: Any, tier: Any) -> None:
    got = sound(lambda: tokencmp.cost_from_usage(usage, model=model, tier=tier))
    if not isinstance(got, Refused):
        _check_estimate(got)


@profile(500)
@given(hostile_request, st.one_of(st.none(), any_model), money_arg, st.one_of(st.none(), count_arg),
       st.one_of(st.none(), count_arg), count_arg, tier_arg)
def test_check_budget_with_any_arguments(
    body: Any, model: Any, budget: Any, reserve: Any, output: Any, cached: Any, tier: Any
) -> None:
    kwargs = dict(model=model, max_cost=budget, reserve_output=reserve, output_tokens=output,
                  cached_tokens=cached, tier=tier)
    report = sound(lambda: tokencmp.check_budget(body, **kwargs))
    ensured = sound(lambda: tokencmp.ensure_budget(body, **kwargs))
    if not isinstance(report, Refused):
        if report.cost is not None:  # None: no price, and no budget asked for
            _check_estimate(report.cost)
        else:
            assert report.budget is None and report.within_budget is None
        assert report.fits_context == (report.over_by == 0)
        assert report.ok == (not isinstance(ensured, Refused))


@profile(300)
@given(st.one_of(hostile_text(), hostile_request, st.lists(json_value, max_size=3)),
       st.one_of(st.lists(any_model, max_size=3), model_name), st.one_of(st.none(), count_arg), money_arg)
def test_compare_models_and_cheapest_fit(subject: Any, models: Any, output: Any, budget: Any) -> None:
    kwargs = dict(models=models, output_tokens=output, max_cost=budget)
    rows = sound(lambda: tokencmp.compare_models(subject, **kwargs))
    best = sound(lambda: tokencmp.cheapest_fit(subject, **kwargs))
    if not isinstance(rows, Refused):
        for r in rows:
            if r.report.cost is not None:  # None: a model without a price (sorted last)
                _check_estimate(r.report.cost)
        # With a budget, a row must be known to be within it (an unpriced model is not).
        fitting = [r for r in rows if r.fits and (budget is None or r.within_budget)]
        assert best == (fitting[0] if fitting else None)


@profile(400)
@given(st.one_of(mutated(CHAT_TEMPLATE["messages"]), json_value), any_model,
       st.one_of(st.none(), count_arg), st.one_of(st.just(0), count_arg))
def test_fit_messages_with_any_messages(messages: Any, model: Any, cap: Any, reserve: Any) -> None:
    got = sound(lambda: tokencmp.fit_messages(messages, model=model, max_prompt_tokens=cap,
                                              reserve_output=reserve))
    if not isinstance(got, Refused):
        assert got.prompt_tokens <= got.limit
        assert len(got.kept) + len(got.dropped) == len(messages)


# --- images ----------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    ihdr = b"IHDR" + struct.pack(">II", width, height) + bytes(5)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr


# A frame header (SOF0, 2x1 px), an empty APP1, a fill byte and a start of scan.
JPEG_SEGMENTS = [b"\xff\xc0\x00\x11\x08\x01\x00\x02\x00", b"\xff\xe1\x00\x02", b"\xff\xff", b"\xff\xda"]
headers = st.one_of(
    st.binary(max_size=64),
    st.builds(_png, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)),
    st.builds(lambda w, h, tail: b"GIF89a" + struct.pack("<HH", w, h) + tail,
              st.integers(0, 65535), st.integers(0, 65535), st.binary(max_size=8)),
    st.builds(lambda body: b"RIFF\x00\x00\x00\x00WEBP" + body, st.binary(max_size=24)),
    st.builds(lambda segs: b"\xff\xd8" + b"".join(segs),
              st.lists(st.one_of(st.binary(max_size=6), st.sampled_from(JPEG_SEGMENTS)), max_size=8)),
)
data_urls = st.one_of(
    st.builds(lambda mime, data: f"data:{mime};base64," + base64.b64encode(data).decode(),
              st.sampled_from(["image/png", "image/gif", "IMAGE/JPEG", "text/plain", "", "image/webp;x=1"]),
              headers),
    st.builds(lambda s: "data:image/png;base64," + s, hostile_text(40, 100)),
    st.builds(lambda s: "data:" + s, hostile_text(40, 600)),
    hostile_text(40, 100),
)
detail_arg = st.one_of(st.sampled_from(["low", "high", "auto", "original", None]), json_scalar)


@profile(1000)
@given(headers)
def test_image_size_of_any_header(data: bytes) -> None:
    got = sound(lambda: tokencmp.image_size(data))
    if not isinstance(got, Refused):
        w, h = got
        assert isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0
    assert type(sound(lambda: tokencmp.image_size(bytearray(data)))) is type(got)
    assert type(sound(lambda: tokencmp.image_size(memoryview(data)))) is type(got)


@profile(750)
@given(data_urls, detail_arg, st.sampled_from(["gpt-4o", "gpt-4.1-mini", "gpt-5.4", "gpt-4", "o3"]),
       st.booleans())
def test_image_parts_from_any_data_url(url: str, detail: Any, model: str, strict: bool) -> None:
    size = sound(lambda: tokencmp.image_size(url))
    part = sound(lambda: tokencmp.image_part_tokens(url, detail=detail, model=model, strict=strict))
    if not isinstance(part, Refused):
        assert part.tokens >= 0
        if part.size_from == "data-url":
            assert (part.width, part.height) == size


@profile(600)
@given(st.one_of(st.integers(-10, 100_000), json_scalar), st.one_of(st.integers(-10, 100_000), json_scalar),
       any_model, detail_arg, st.one_of(st.none(), json_scalar),
       st.one_of(st.none(), st.dictionaries(hostile_text(10, 10), json_value, max_size=2)))
def test_image_tokens_of_any_size(width: Any, height: Any, model: Any, detail: Any, fidelity: Any,
                                  sizes: Any) -> None:
    est = sound(lambda: tokencmp.estimate_image(width, height, model=model, detail=detail,
                                                input_fidelity=fidelity))
    tokens = sound(lambda: tokencmp.image_tokens(width, height, model=model, detail=detail,
                                                 input_fidelity=fidelity))
    if not isinstance(est, Refused):
        assert est.tokens == tokens >= 0
        bound = sound(lambda: tokencmp.max_image_tokens(model=model, detail=detail, input_fidelity=fidelity))
        if isinstance(bound, int):
            assert est.tokens <= bound
    url = next(iter(sizes), "https://example.com/a.png") if sizes else "https://example.com/a.png"
    sound(lambda: tokencmp.image_part_tokens(url, detail=detail, model=model, sizes=sizes))


# --- comparison --------------------------------------------------------------------------------------


@profile(400)
@given(hostile_text(), st.sampled_from(["none", "NFC", "NFKC"]), st.booleans())
def test_compare_text_on_any_text(text: str, form: str, by_script: bool) -> None:
    got = sound(lambda: tokencmp.compare_text(text, by_script=by_script, normalize=form))
    assert not isinstance(got, Refused)
    if form == "none":
        assert got.tokens == {e: _reference_count(text, e) for e in REFERENCE}
        assert got.characters == len(text)
    if by_script:
        for e in got.tokens:
            assert sum(s.tokens[e] for s in got.scripts) == got.tokens[e]


@profile(200)
@given(st.one_of(hostile_text(), json_value), st.lists(st.one_of(json_scalar, model_name), max_size=3),
       st.one_of(json_scalar, st.sampled_from(["nfc", "NFKD"])),
       st.one_of(st.none(), st.lists(any_model, max_size=2), model_name))
def test_compare_text_with_any_arguments(text: Any, encodings: Any, form: Any, models: Any) -> None:
    got = sound(lambda: tokencmp.compare_text(text, encodings=encodings, normalize=form, models=models))
    if not isinstance(got, Refused):
        assert all(isinstance(n, int) and n >= 0 for n in got.tokens.values())


def test_compare_corpus_with_hostile_folders(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_bytes(b"hello")
    (tmp_path / "xx.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "manifest.json").write_text('{"about": 1}')
    assert isinstance(sound(lambda: tokencmp.compare_corpus(tmp_path)), Refused)
    (tmp_path / "manifest.json").write_text("[" * 100_000)
    assert isinstance(sound(lambda: tokencmp.read_corpus(tmp_path)), Refused)
    (tmp_path / "manifest.json").unlink()
    assert isinstance(sound(lambda: tokencmp.compare_corpus(tmp_path)), Refused)  # invalid UTF-8
    ok = sound(lambda: tokencmp.compare_corpus(tmp_path, errors="replace", reference="zz"))
    assert isinstance(ok, Refused)  # no zz.txt


# --- catalog overrides ---------------------------------------------------------------------------------

OVERRIDE = {
    "models": {
        "gpt-4o": {"prices": {"standard": {"input": "2.00", "output": "8"}}, "context_window": 1000},
        "my-model": {"encoding": "cl100k_base", "checked": "2026-01-01", "chat_format": "gpt-4o",
                     "context_window": 8192, "max_output_tokens": 1024,
                     "prices": {"standard": {"input": "1", "output": "2"}}},
    },
    "image_limits": {"max_side": 100000},
}


@pytest.fixture
def restore_catalog() -> Any:
    yield
    with catalog_module._lock:
        catalog_module._active = None
        catalog_module._resolve_cached.clear()


catalog_files = st.one_of(
    mutated(OVERRIDE).map(lambda d: json.dumps(d).encode()),
    json_value.map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=100),
    st.just(b"[" * 100_000),
    st.just(b'{"models": ' * 50_000),
    st.sampled_from([b"", b"\xef\xbb\xbf{}", b"{}", b"null", b'{"models": {"gpt-4o": {"prices": {"standard": '
                     b'{"input": "1e999999", "output": "-1"}}}}}',
                     b'{"models": {"gpt-4o": {"prices": {"standard": {"input": "0.' + b"3" * 80 + b'"}}}}}',
                     b'{"models": {"gpt-4o": {"context_window": 1e400}}}']),
)


@profile(600)
@given(catalog_files, st.sampled_from(["gpt-4o", "my-model", "gpt-4o-2024-08-06", "gpt-4"]),
       st.one_of(st.integers(0, 10**40), st.just(123_456_789)))
def test_any_catalog_override_file(tmp_path_factory: Any, restore_catalog: Any, data: bytes, model: str,
                                   tokens: int) -> None:
    path = tmp_path_factory.mktemp("cat") / "override.json"
    path.write_bytes(data)
    loaded = sound(lambda: tokencmp.load_catalog(path))
    try:
        if isinstance(loaded, Refused):
            return
        # Whatever the file says, everything built on the catalog stays sound.
        sound(lambda: tokencmp.resolve_model(model))
        sound(lambda: tokencmp.count_tokens("hello world", model=model))
        est = sound(lambda: tokencmp.estimate_cost(tokens, model=model, output_tokens=tokens))
        if not isinstance(est, Refused):
            _check_estimate(est)
        report = sound(lambda: tokencmp.check_budget(
            {"model": model, "messages": [{"role": "user", "content": "hi"}]}, max_cost="1"))
        if not isinstance(report, Refused) and report.cost is not None:
            _check_estimate(report.cost)
        sound(lambda: tokencmp.image_tokens(5000, 5000, model=model, detail="high"))
        sound(lambda: tokencmp.compare_text("hi", models=[model]))
    finally:
        catalog_module.load_catalog(None)


@profile(150)
@given(st.one_of(path_arg, st.sampled_from(["", "/", "/nonexistent.json", "\x00"])))
def test_load_catalog_with_any_path(restore_catalog: Any, path: str) -> None:
    assert isinstance(sound(lambda: tokencmp.load_catalog(path)), Refused)


# --- speed (the pure side; a hostile server is tests/test_speed.py's) ------------------------------------

chunk_template = {"model": "m", "choices": [{"index": 0, "delta": {"content": "hi", "reasoning_content": "r"},
                                             "finish_reason": None}],
                  "usage": {"prompt_tokens": 1, "completion_tokens": 2,
                            "completion_tokens_details": {"reasoning_tokens": 1}}}


@profile(500)
@given(st.lists(st.tuples(st.floats(allow_nan=True), st.one_of(mutated(chunk_template), json_value,
                                                               hostile_text(20, 100))), max_size=5))
def test_speed_meter_on_any_chunks(chunks: list[tuple[float, Any]]) -> None:
    def run() -> Any:
        meter = tokencmp.SpeedMeter(model="gpt-4o")
        for at, chunk in chunks:
            meter.add(chunk, at=at)
        return meter.result()

    got = sound(run)
    if not isinstance(got, Refused):
        assert got.response_tokens >= 0


@profile(150)
@given(any_model, st.one_of(st.none(), json_scalar), st.integers(-5, 0))
def test_speed_arguments_are_checked_before_any_connection(model: Any, encoding: Any, trials: int) -> None:
    # Bad arguments fail before a request is made (the suite blocks every non-local connection).
    sound(lambda: tokencmp.SpeedMeter(model=model, encoding=encoding))
    assert isinstance(sound(lambda: tokencmp.speed_test("gpt-4o", "hi", trials=trials)), Refused)


# --- files of requests: what the file entry points and the command line are fed ------------------

BATCH_LINE = {"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions",
              "body": {**CHAT_TEMPLATE, "model": "gpt-4o"}}
EMBED_LINE = {"custom_id": "e1", "method": "POST", "url": "/v1/embeddings",
              "body": {"model": "text-embedding-3-small", "input": ["hello", [1, 2]]}}
FT_LINE = {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"},
                        {"role": "assistant", "content": "a", "weight": 1}]}
DPO_LINE = {"input": {"messages": [{"role": "user", "content": "u"}]},
            "preferred_output": [{"role": "assistant", "content": "a"}],
            "non_preferred_output": [{"role": "assistant", "content": "b"}]}
OUTPUT_LINE = {"id": "b1", "custom_id": "r1", "error": None,
               "response": {"status_code": 200, "body": {"object": "chat.completion", "model": "gpt-4o",
                                                         "usage": usage_template}}}


def _jsonl_lines(*templates: Any) -> st.SearchStrategy[bytes]:
    """One line: a template mutated at any path, any JSON value, or any bytes (invalid UTF-8, a BOM,
    NULs, hostile text), so every line rule and every body rule is met."""
    dumped = st.one_of(*(mutated(t) for t in templates), json_value).map(
        lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return st.one_of(dumped, dumped, file_bytes, st.just(b"[" * 50_000), st.just(b""))


def _jsonl_file(*templates: Any) -> st.SearchStrategy[bytes]:
    ends = st.sampled_from([b"\n", b"\r\n"])
    return st.tuples(st.lists(st.tuples(_jsonl_lines(*templates), ends), max_size=6), st.booleans()).map(
        lambda t: b"".join(line.replace(b"\n", b" ") + end for line, end in t[0])[: None if t[1] else -1])


# --- the command line ----------------------------------------------------------------------------------

CLI_COMMANDS = ["count", "request", "image", "cost", "check", "batch", "finetune", "usage", "compare",
                "models"]
cli_option = st.one_of(
    st.sampled_from(["--format", "json", "csv", "markdown", "table", "--errors", "replace", "--by-script",
                     "--allow-special", "--normalize", "NFKC", "--encodings", "cl100k_base,o200k_base",
                     "--tier", "batch", "--detail", "high", "--input-fidelity", "high", "--max-cost", "0.01",
                     "--reserve-output", "100", "--output-tokens", "-5", "--cached-tokens", "9999999",
                     "--model", "-m", "--encoding", "--active", "--kind", "chat", "--reference", "xx",
                     "--epochs", "3", "--enqueued-limit", "--workers", "1"]),
    model_name.filter(lambda s: s != "-" and "\x00" not in s),
)
cli_file = st.one_of(
    file_bytes,
    _jsonl_file(BATCH_LINE, FT_LINE, OUTPUT_LINE),
    hostile_request.map(lambda b: json.dumps(b).encode()),
    headers,
    st.sampled_from([b"[" * 100_000, b'{"messages": ' * 100_000]),
)


@profile(200)
@given(st.sampled_from(CLI_COMMANDS), cli_file, st.lists(cli_option, max_size=5))
def test_the_command_line_with_any_arguments_and_files(
    tmp_path_factory: Any, capsys: Any, command: str, data: bytes, options: list[str]
) -> None:
    from tokencmp.cli import main

    path = tmp_path_factory.mktemp("cli") / "input"
    path.write_bytes(data)
    try:
        code = main([command, str(path), *options])
    except SystemExit as e:  # argparse: usage errors (2), --help (0)
        code = e.code
        assert code in (0, 2)
    except BaseException as e:
        raise AssertionError(f"{type(e).__name__} escaped main(): {e!r}"[:2000]) from e
    out, err = capsys.readouterr()
    assert code in (0, 1, 2, 3)
    if code == 1:
        assert err.strip() and all(line.startswith("tokencmp") for line in err.splitlines())
    if code == 0 and "json" in options and options[options.index("json") - 1] == "--format":
        json.loads(out)


# --- linear time -----------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["a", " ", "日"])
def test_long_runs_count_in_linear_time(char: str) -> None:
    # 16 times the text takes well under 64 times as long (linear work would take 16 times; a
    # quadratic tokenizer 256 times). A ratio of two runs on the same machine, best of three after
    # a warm-up, so no absolute timing is asserted. tiktoken alone grows faster than linearly on
    # runs of one letter and panics on a million spaces (docs/performance.md, tokencmp/text/segment.py).
    import time

    def seconds(n: int) -> float:
        text = char * n
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            tokencmp.count_tokens(text, threads=1)
            best = min(best, time.perf_counter() - start)
        return best

    tokencmp.count_tokens(char * (1 << 17), threads=1)  # load the encoding (and engine) first
    small, large = seconds(1 << 17), seconds(1 << 21)
    assert large / max(small, 1e-5) < 64


# --- regressions: each bug the fuzzing found, by the module it was fixed in ---------------------------


def test_encoding_names_of_any_type_are_refused() -> None:  # tokencmp/encodings/__init__.py
    for name in ([], {}, None, 0, ""):
        with pytest.raises(tokencmp.UnknownEncodingError):
            tokencmp.get_encoding(name)  # type: ignore[arg-type]


def test_image_counts_for_a_model_that_is_not_a_name() -> None:  # tokencmp/images/rules.py
    with pytest.raises(tokencmp.UnknownModelError):
        tokencmp.image_tokens(64, 64, model=None)  # type: ignore[arg-type]


def test_paths_the_os_cannot_open_are_refused(tmp_path: Path) -> None:
    # tokencmp/text, tokencmp/images/headers.py, tokencmp/compare/corpus.py, tokencmp/catalog:
    # a NUL in a path is a ValueError, a very long name an OSError from stat().
    for path in ("a\x00b.txt", "\ud800.txt"):
        with pytest.raises(tokencmp.InvalidTextError):
            tokencmp.count_file(path)
        with pytest.raises(tokencmp.InvalidImageError):
            tokencmp.image_size(path)
        with pytest.raises(tokencmp.CatalogError):
            tokencmp.load_catalog(path)
    with pytest.raises(tokencmp.CorpusError):
        tokencmp.read_corpus("a" * 5000)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc only")
def test_a_read_error_mid_file_is_refused() -> None:  # tokencmp/text/stream.py
    # Opening /proc/self/mem works; reading it at offset 0 fails with EIO.
    with pytest.raises(tokencmp.InvalidTextError, match="Input/output error"):
        tokencmp.compare_file("/proc/self/mem")


def test_unknown_errors_modes_and_block_sizes_are_refused(tmp_path: Path) -> None:  # text/read, text/stream
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \xff bad")  # the mode is only looked up on invalid UTF-8
    with pytest.raises(tokencmp.InvalidTextError, match="'strict' or 'replace'"):
        tokencmp.count_file(path, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(tokencmp.InvalidTextError, match="'strict' or 'replace'"):
        tokencmp.compare_file(path, errors="bogus")  # type: ignore[arg-type]
    with pytest.raises(tokencmp.TokencmpError, match="block_size"):
        tokencmp.compare_file(path, block_size=0)


def test_deeply_nested_json_files_are_refused(tmp_path: Path) -> None:  # catalog/load.py, compare/corpus.py
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    with pytest.raises(tokencmp.CatalogError, match="nested too deeply"):
        tokencmp.load_catalog(deep)
    (tmp_path / "en.txt").write_text("hi")
    (tmp_path / "manifest.json").write_text("[" * 100_000)
    with pytest.raises(tokencmp.CorpusError):
        tokencmp.read_corpus(tmp_path)


def test_negative_prices_are_refused(tmp_path: Path, restore_catalog: Any) -> None:  # catalog/schema.py
    path = tmp_path / "override.json"
    path.write_text('{"models": {"gpt-4o": {"prices": {"standard": {"input": "-1"}}}}}')
    with pytest.raises(tokencmp.CatalogError, match="greater than or equal to 0"):
        tokencmp.load_catalog(path)


def test_costs_stay_exact_for_any_price_and_count(tmp_path: Path, restore_catalog: Any) -> None:  # money/usd
    # 50 digits of precision rounded (and trapped: decimal.Inexact escaped) beyond 50 digits.
    est = tokencmp.estimate_cost(10**60 + 1, model="gpt-4o", output_tokens=0)
    # (10^60 + 1) x $2.50 / 1M = 2.5 x 10^54 + 0.0000025, every digit kept.
    assert est.input_cost == Decimal("2500000000000000000000000000000000000000000000000000000.0000025")
    path = tmp_path / "override.json"
    path.write_text('{"models": {"gpt-4o": {"prices": {"standard": {"input": "1e99", "output": "1"}}}}}')
    tokencmp.load_catalog(path)
    # 123,456,789 tokens x 10^99 USD / 10^6 = 1.23456789 x 10^101 USD.
    est = tokencmp.estimate_cost(123_456_789, model="gpt-4o", output_tokens=0)
    assert est.total == Decimal("1.23456789E+101")


def test_fit_messages_refuses_malformed_messages_with_their_path() -> None:  # tokencmp/money/budget.py
    # A tool call id that is a list made the grouping of tool calls and results crash (unhashable).
    messages = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": ["x"], "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "x", "content": "ok"},
    ]
    with pytest.raises(tokencmp.InvalidRequestError, match=r"messages\[1\]\.tool_calls\[0\]\.id"):
        tokencmp.fit_messages(messages, model="gpt-4o")


def test_a_panic_in_the_engine_falls_back_to_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    # tokencmp/text/engine.py caught Exception only; a Rust panic (pyo3's PanicException) derives from
    # BaseException and would have escaped count_tokens.
    from tokencmp.text import engine

    class PanicException(BaseException):  # what pyo3 raises, matched by name (segment.is_panic)
        pass

    def panics(*args: Any, **kwargs: Any) -> list[int]:
        raise PanicException("engine panicked")

    monkeypatch.setitem(engine._state, "batch_count", panics)
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    text = "hello world " * 10_000  # 120,000 characters: over ENGINE_MIN, so the engine is asked
    assert tokencmp.count_tokens(text, encoding="cl100k_base") == _reference_count(text, "cl100k_base")


@pytest.mark.parametrize("value", ["a" * 5000, "/", "/dev/null", "/nonexistent.json"])
def test_any_catalog_setting_is_refused_clearly(monkeypatch: pytest.MonkeyPatch, restore_catalog: Any,
                                                value: str) -> None:
    # TOKENCMP_CATALOG is read when the catalog loads (load_catalog with no path).
    monkeypatch.setenv(catalog_module.CATALOG_ENV, value)
    with pytest.raises(tokencmp.CatalogError, match="catalog"):
        tokencmp.load_catalog()


def test_a_bad_output_cap_is_refused(restore_catalog: Any) -> None:  # tokencmp/money/cost.py
    # Found by the long fuzz run: max_output_tokens=-1 gave a negative output cost (min_total above
    # max_total), and a string raised TypeError.
    for cap in (-1, "", 2.5, True):
        with pytest.raises(tokencmp.InvalidRequestError, match="max_output_tokens"):
            tokencmp.estimate_cost(7, model="gpt-4o", max_output_tokens=cap)
    for reserve in (-1, "", 0.0):  # "" and 0.0 were taken as 0 ("reserve or 0")
        with pytest.raises(tokencmp.InvalidRequestError, match="reserve_output"):
            tokencmp.check_budget({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]},
                                  reserve_output=reserve)


def test_model_and_encoding_lists_holding_non_names_are_refused() -> None:  # tokencmp/compare/run.py
    # Found by the long fuzz run: models=[[]] failed as unhashable while removing repeats.
    with pytest.raises(tokencmp.UnknownModelError):
        tokencmp.compare_text("hi", models=[[]])  # type: ignore[list-item]
    with pytest.raises(tokencmp.UnknownEncodingError):
        tokencmp.compare_text("hi", encodings=["o200k_base", {}])  # type: ignore[list-item]


def test_a_chunk_whose_choices_are_not_a_list_has_no_content() -> None:  # tokencmp/speed/measure.py
    # Found by the long fuzz run: a server sending "choices": true raised TypeError.
    meter = tokencmp.SpeedMeter(model="gpt-4o")
    meter.add({"model": "m", "choices": True}, at=0.5)
    meter.add({"choices": [{"index": 0, "delta": {"content": "hello"}}]}, at=1.0)
    result = meter.result()
    # "hello world" is [24912, 2375] under o200k_base (openai/harmony's tests), so "hello" is 1 token.
    assert result.response_tokens == 1 and result.response_model == "m"


# --- files of requests ----------------------------------------------------------------------

@profile(150)
@given(_jsonl_file(BATCH_LINE, EMBED_LINE), st.sampled_from([None, ["gpt-4o", "gpt-4-0613"]]))
def test_batch_files_of_any_lines(data: bytes, models: Any) -> None:
    import io

    got = sound(lambda: tokencmp.check_batch(io.BytesIO(data), models=models))
    assert isinstance(got, tokencmp.BatchReport)  # a bad line is a line problem, never an error
    assert got.valid + got.invalid + got.not_countable == got.lines
    assert got.limits.bytes == len(data)
    for m in got.models:
        assert m.distribution.count == m.requests <= got.valid
        if m.cost_min is not None:
            assert m.cost_min >= 0 and (m.cost_max is None or m.cost_min <= m.cost_max)
        assert m.prompt_tokens_low <= m.prompt_tokens <= m.prompt_tokens_high


@profile(150)
@given(_jsonl_file(FT_LINE, DPO_LINE), st.sampled_from([None, 1, 3]))
def test_finetune_files_of_any_lines(data: bytes, epochs: Any) -> None:
    import io

    got = sound(lambda: tokencmp.check_finetune(io.BytesIO(data), model="gpt-4o-mini-2024-07-18",
                                                epochs=epochs))
    assert isinstance(got, tokencmp.FineTuneReport)
    t = got.training
    assert t.valid + t.invalid == t.examples and t.tokens.count == t.valid
    assert t.billed_tokens <= t.tokens.total and got.billed_tokens == t.billed_tokens * got.epochs
    assert got.training_cost is not None and got.training_cost >= 0


@profile(150)
@given(_jsonl_file(OUTPUT_LINE, {"object": "response", "model": "o3", "service_tier": "flex",
                                 "usage": realtime_template}))
def test_output_files_of_any_lines(data: bytes) -> None:
    import io

    got = sound(lambda: tokencmp.cost_of_outputs(io.BytesIO(data)))
    assert isinstance(got, tokencmp.UsageReport)
    assert got.responses + got.errors + got.invalid == got.lines
    for row in got.rows:
        assert row.cost is None or (row.cost.is_finite() and row.cost >= 0)


@profile(60)
@given(st.one_of(path_arg, json_scalar), st.one_of(st.none(), st.integers(-2, 3), json_scalar))
def test_file_commands_with_any_path_and_workers(path: Any, workers: Any) -> None:
    for call in (lambda: tokencmp.check_batch(path, workers=workers),
                 lambda: tokencmp.check_finetune(path, workers=workers),
                 lambda: tokencmp.cost_of_outputs(path)):
        got = sound(call)
        assert isinstance(got, (Refused, tokencmp.BatchReport, tokencmp.FineTuneReport, tokencmp.UsageReport))
