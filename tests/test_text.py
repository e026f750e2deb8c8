"""Exact text counting, including inputs where tiktoken itself crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.errors import InvalidTextError, TokencmpError
from tokencmp.text import CHUNK, count_with, long_runs, segment
from tokencmp.text.read import decode_utf8, read_text

ENCODINGS = ["o200k_base", "cl100k_base", "o200k_harmony"]


def enc(name: str):
    return tokencmp.get_encoding(name)


@pytest.fixture
def tiktoken_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the optional engine off, so a large text takes tokencmp's own tiktoken path (safe
    pieces, long runs) whether or not the ``fast`` extra is installed: without this, these tests
    would check toktok-rs instead wherever it is installed (tests/test_engine.py does that)."""
    monkeypatch.setenv("TOKENCMP_ENGINE", "tiktoken")


def test_default_model_is_gpt_4o() -> None:
    text = "The default model is gpt-4o."
    assert tokencmp.count_tokens(text) == len(enc("o200k_base").encode_ordinary(text))


def test_model_or_encoding_not_both() -> None:
    with pytest.raises(TokencmpError, match="not both"):
        tokencmp.count_tokens("x", model="gpt-4o", encoding="o200k_base")


def test_special_token_strings_count_as_text_by_default() -> None:
    text = "a <|endoftext|> b <|endofprompt|>"
    for name in ENCODINGS:
        assert tokencmp.count_tokens(text, encoding=name) == len(enc(name).encode_ordinary(text))
    # allow_special: each special string is one token (tiktoken's encode with allowed_special="all").
    assert tokencmp.count_tokens(text, allow_special=True) == len(
        enc("o200k_base").encode(text, allowed_special="all")
    )
    assert tokencmp.count_tokens("<|endoftext|>", allow_special=True) == 1


def test_non_text_input_is_a_clear_error() -> None:
    with pytest.raises(InvalidTextError, match="bytes"):
        tokencmp.count_tokens(b"bytes")  # type: ignore[arg-type]


def test_lone_surrogates_count_like_tiktoken() -> None:
    text = "abc\ud800def \udfff"
    assert tokencmp.count_tokens(text) == len(enc("o200k_base").encode_ordinary(text))


def _space_run_law(e, n: int) -> int:
    """count(n spaces) = n // 128 + count(n % 128 spaces).

    Both encodings' longest all-space token is 128 spaces, and BPE on a run of
    one repeated byte builds the same blocks of 128 from the left; the law is
    checked against tiktoken itself below for runs tiktoken can handle.
    """
    return n // 128 + len(e.encode_ordinary(" " * (n % 128)))


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_space_run_law_holds_where_tiktoken_works(name: str) -> None:
    e = enc(name)
    assert max(len(b) for b in e._mergeable_ranks if set(b) == {32}) == 128
    for n in [1, 127, 128, 129, 1000, 4097, 50_000, 99_999, 200_064]:
        assert len(e.encode_ordinary(" " * n)) == _space_run_law(e, n), n


def test_a_million_spaces_count_exactly(tiktoken_path: None) -> None:
    # tiktoken 0.14 o200k_base panics (PanicException) on this input. Independent route: the
    # space-run law above: 1,000,000 = 7,812 * 128 + 64, and 64 spaces are one token -> 7,813.
    assert tokencmp.count_tokens(" " * 1_000_000) == 7_813 == _space_run_law(enc("o200k_base"), 1_000_000)


def test_a_million_spaces_then_a_letter_on_cl100k(tiktoken_path: None) -> None:
    # cl100k panics when a non-space follows the run. The pattern makes two pre-tokens:
    # 999,999 spaces (\s+(?!\S)) and " x"; so 999,999 // 128 = 7,812 blocks, plus the
    # 63-space remainder (one token), plus " x" (one token).
    e = enc("cl100k_base")
    expected = _space_run_law(e, 999_999) + len(e.encode_ordinary(" x"))
    assert expected == 7_812 + 1 + 1
    assert tokencmp.count_tokens(" " * 1_000_000 + "x", encoding="cl100k_base") == expected


def test_one_megabyte_of_one_letter(tiktoken_path: None) -> None:
    # Both encodings hold "a" tokens of 1, 2, 3, 4 and 8 letters; BPE on a run of one letter
    # ends in blocks of 8, so 1,000,000 letters are 125,000 tokens. tiktoken agrees.
    text = "a" * 1_000_000
    assert tokencmp.count_tokens(text) == 125_000 == len(enc("o200k_base").encode_ordinary(text))


def test_a_million_newlines(tiktoken_path: None) -> None:
    # o200k pre-tokenizes a newline run as one piece (\s*[\r\n]+). Its longest all-newline
    # token is 16 newlines, and BPE on the run ends in blocks of 16 (the same law as for
    # spaces, checked against tiktoken on shorter runs): 1,000,000 / 16 = 62,500.
    e = enc("o200k_base")
    assert max(len(b) for b in e._mergeable_ranks if set(b) == {10}) == 16
    for n in (1, 15, 16, 17, 1000, 100_001):
        assert len(e.encode_ordinary("\n" * n)) == n // 16 + len(e.encode_ordinary("\n" * (n % 16)))
    assert tokencmp.count_tokens("\n" * 1_000_000) == 62_500


WS = st.sampled_from([" ", "\t", "\n", "\r", "\u3000", "\x85", "\x0b", "\xa0"])
CHARS = st.sampled_from([*"aB1./'_-!日é。、「$’", "\u0301", "\x1c", "\ud800", "😀", "ش"])
PIECES = st.one_of(CHARS, st.builds(lambda c, n: c * n, WS, st.integers(1, 8)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=16).map("".join), st.sampled_from(ENCODINGS))
def test_long_run_rules_match_tiktoken(text: str, name: str) -> None:
    # With min_run=2 every whitespace run of two or more goes through the run rules.
    e = enc(name)
    assert long_runs.count_with_long_runs(e, text, min_run=2) == len(e.encode_ordinary(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.sampled_from([" word", "\r\n", "\nX", " ", "日本語"])), max_size=40)
       .map("".join), st.sampled_from(ENCODINGS), st.integers(1, 12))
def test_counting_in_safe_pieces_equals_counting_whole(text: str, name: str, size: int) -> None:
    e = enc(name)
    pieces = segment.split(text, size)
    assert "".join(pieces) == text
    assert sum(len(e.encode_ordinary(p)) for p in pieces) == len(e.encode_ordinary(text))


def test_chunked_counting_of_a_large_mixed_text(tiktoken_path: None) -> None:
    unit = "Line one, with words.\r\n\r\n日本語の文。\n  indented code(x) / y\n" + "é" * 7 + " "
    text = unit * (3 * CHUNK // len(unit))
    assert len(text) > 2 * CHUNK and len(segment.split(text, CHUNK)) >= 3  # counted in pieces
    for name in ENCODINGS:
        assert count_with(enc(name), text) == len(enc(name).encode_ordinary(text))


def test_safe_cut_examples() -> None:
    assert segment.is_safe_cut("one two", 3)  # space between a word and a letter
    assert not segment.is_safe_cut("one  two", 4)  # inside a whitespace run
    assert not segment.is_safe_cut("one 2", 3)  # digit after the space
    assert segment.is_safe_cut("end.\nNext", 5)  # after a single newline
    assert not segment.is_safe_cut("end.\n/path", 5)  # o200k's punctuation absorbs "\n/"
    assert segment.is_safe_cut("日本語。今日", 3)  # rule C: punctuation between letters
    assert segment.is_safe_cut("a$b", 1) is False  # (i <= 1 is never a cut)
    assert segment.is_safe_cut("ab$cd", 2)  # a symbol between letters
    assert not segment.is_safe_cut("don't", 3)  # the apostrophe starts a contraction ('t)
    assert not segment.is_safe_cut("日本。1", 2)  # a digit after the mark: not rule C
    assert not segment.is_safe_cut("日本。\u0301x", 2)  # a combining mark after it


def test_invalid_utf8_reports_the_byte_offset(tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"hello \xff world")
    with pytest.raises(InvalidTextError) as info:
        read_text(path)
    assert info.value.offset == 6 and "offset 6" in str(info.value)
    assert read_text(path, errors="replace") == "hello \ufffd world"
    assert tokencmp.count_file(path, errors="replace") == tokencmp.count_tokens("hello \ufffd world")


def test_unreadable_files_are_clear_errors(tmp_path) -> None:
    with pytest.raises(InvalidTextError, match="directory"):
        read_text(tmp_path)
    with pytest.raises(InvalidTextError, match="Cannot read"):
        read_text(tmp_path / "missing.txt")


def test_decode_keeps_bom_as_text() -> None:
    assert decode_utf8("\ufeffx".encode()) == "\ufeffx"


# --- long pre-tokens in linear time (long_runs.bpe_count) ---------------------------------

BPE_ALPHABET = st.sampled_from([b"a", b"b", b" ", b"\n", b"-", b"=", "日".encode(), "é".encode(), b"ab"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(BPE_ALPHABET, st.integers(1, 300)), min_size=1, max_size=12),
       st.sampled_from(["o200k_base", "cl100k_base"]), st.integers(129, 300))
def test_bpe_count_in_segments_equals_one_piece(runs, name: str, seg: int) -> None:
    # Pieces of several hundred bytes cut into segments of 129-300 bytes: many joints, some
    # of which fail the pair check and move; the total must equal tiktoken's BPE of the piece.
    e = enc(name)
    piece = b"".join(chunk * n for chunk, n in runs)
    assert long_runs.bpe_count(e, piece, segment=seg) == len(e._encode_single_piece(piece))


def test_bpe_count_rejects_segments_a_token_could_fill() -> None:
    for name in ENCODINGS:
        assert max(len(b) for b in enc(name)._mergeable_ranks) <= long_runs.MAX_TOKEN_BYTES
    with pytest.raises(ValueError):
        long_runs.bpe_count(enc("o200k_base"), b"a" * 1000, segment=64)


RUN_CHARS = st.sampled_from(
    [*"aBé日本ш", "\u0301", "\u0e01", "\u02b0", *".-!/'", "\x1c", *" \n\t", "7", "😀", "\U000323b0"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(RUN_CHARS, st.integers(1, 6)), max_size=12).map(
    lambda runs: "".join(c * n for c, n in runs)), st.sampled_from(ENCODINGS))
def test_stretches_of_one_letter_or_punctuation_count_like_tiktoken(text: str, name: str) -> None:
    # min_run=2: every stretch of two or more characters between whitespace runs that is one
    # letter repeated, caseless letters (日本, Thai, modifier letters, marks), or punctuation takes
    # the bpe_count path; tiktoken itself is the reference.
    e = enc(name)
    assert long_runs.count_with_long_runs(e, text, min_run=2) == len(e.encode_ordinary(text))


@pytest.mark.parametrize("make", [
    lambda n: "a" * n,
    lambda n: "Z" * n,
    lambda n: "日" * n,
    lambda n: "\n" * n,
    lambda n: "".join(".,;:!?-()[]{}"[(i * 7) % 13] for i in range(n)),
    lambda n: "x" + "-" * n + "\n\n" + "word " * 10,
    lambda n: "".join("日本語中文字漢東京"[(i * i) % 9] for i in range(n)),
])
def test_pathological_megabyte_inputs_count_like_tiktoken(make, tiktoken_path: None) -> None:
    text = make(1_000_000)
    e = enc("o200k_base")
    assert count_with(e, text) == len(e.encode_ordinary(text))


def test_threads_must_be_a_positive_whole_number() -> None:
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(TokencmpError, match="threads"):
            tokencmp.count_tokens("x", threads=bad)  # type: ignore[arg-type]


def test_one_thread_and_two_threads_give_the_same_count(tiktoken_path: None) -> None:
    unit = "Words and more words.\n日本語の文。 x = f(y) / 2\n\n"
    text = unit * (5 * CHUNK // len(unit))
    expected = len(enc("o200k_base").encode_ordinary(text))
    assert count_with(enc("o200k_base"), text, threads=1) == expected
    assert count_with(enc("o200k_base"), text, threads=2) == expected
    assert count_with(enc("o200k_base"), text, threads=7) == expected
