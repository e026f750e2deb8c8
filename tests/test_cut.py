"""Truncate and split to N tokens (tokencmp.text.cut): property tests against brute force.

The definitions (docs/tokens.md, tokencmp/text/cut.py): truncate(T, N) = T[:k*] with k* the largest
k such that count(T[:k]) <= N; the suffix is T[k*:] with k* the smallest k such that
count(T[k:]) <= N; split takes the longest such prefix again and again. Every expectation below
is that definition worked by brute force (every k tried, each prefix counted alone by tiktoken's
own encode_ordinary, the reference implementation), never an output of tokencmp pasted.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp import TokencmpError, get_encoding
from tokencmp.text import cut, segment
from tokencmp.text.cut import split_pieces, split_text, truncate_pieces, truncate_text

ENCODINGS = ["o200k_base", "cl100k_base", "o200k_harmony"]

# Fragments that make BPE non-monotone and cuts interesting: merges across a space, digits,
# CJK (no spaces), combining marks, Devanagari, astral characters, lone surrogates,
# special-token text, line ends.
FRAGMENTS = [
    "a",
    "b",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "hello",
    " world",
    "'s",
    "ll",
    "1",
    "234",
    ".",
    ",",
    "!",
    "?",
    "日",
    "本",
    "語",
    "。",
    "é",
    "e\u0301",
    "क",
    "ा",
    "्",
    "😀",
    "\U0002000b",
    "\ud800",
    "<|endoftext|>",
    "X",
    "--",
    "...",
]

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=30).map("".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def own(enc, text: str) -> int:
    """A text's own count, by tiktoken itself (lone surrogates read as U+FFFD, as tiktoken does)."""
    return len(enc.encode_ordinary(segment.tiktoken_text(text)))


def brute_prefix(enc, text: str, n: int) -> int:
    return max(k for k in range(len(text) + 1) if own(enc, text[:k]) <= n)


def brute_suffix(enc, text: str, n: int) -> int:
    return min(k for k in range(len(text) + 1) if own(enc, text[k:]) <= n)


@pytest.fixture(autouse=True)
def small_units(monkeypatch):
    """Units of 2 characters: the scanner crosses a unit at almost every character."""
    monkeypatch.setattr(cut, "MIN_UNIT", 2)


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=texts, n=st.integers(1, 12))
def test_truncation_is_the_longest_prefix_of_at_most_n(name, text, n) -> None:
    enc = get_encoding(name)
    result = truncate_text(text, n, encoding=enc)
    k = brute_prefix(enc, text, n)
    assert result.text == text[:k]
    assert result.tokens == own(enc, result.text) <= n
    assert result.cut == (k < len(text))
    # streamed in small safe blocks, the same
    blocks = segment.split(text, 3) if text else []
    assert "".join(truncate_pieces(blocks, n, enc)) == text[:k]


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=texts, n=st.integers(1, 12))
def test_suffix_is_the_longest_suffix_of_at_most_n(name, text, n) -> None:
    enc = get_encoding(name)
    result = truncate_text(text, n, encoding=enc, from_end=True)
    k = brute_suffix(enc, text, n)
    assert result.text == text[k:] and result.start == k
    assert own(enc, result.text) <= n
    blocks = segment.split(text, 3) if text else []
    assert "".join(truncate_pieces(blocks, n, enc, from_end=True)) == text[k:]


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=texts, n=st.integers(4, 12))
def test_split_pieces_fit_concatenate_and_are_each_the_longest(name, text, n) -> None:
    enc = get_encoding(name)
    pieces = split_text(text, n, encoding=enc)
    assert "".join(p.text for p in pieces) == text
    for i, p in enumerate(pieces):
        assert p.index == i and text[p.start : p.end] == p.text
        assert p.tokens == own(enc, p.text) <= n
        assert p.end == p.start + brute_prefix(enc, text[p.start :], n)  # greedy: the longest
    blocks = segment.split(text, 3) if text else []
    assert [p.text for p in split_pieces(blocks, n, enc)] == [p.text for p in pieces]


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=texts, n=st.integers(4, 12), k=st.integers(1, 3))
def test_split_with_overlap_repeats_the_last_k_tokens(name, text, n, k) -> None:
    enc = get_encoding(name)
    pieces = split_text(text, n, overlap=k, encoding=enc)
    assert pieces == () if not text else pieces[0].start == 0 and pieces[-1].end == len(text)
    for a, b in itertools.pairwise(pieces):
        assert own(enc, b.text) <= n and b.end > a.end
        # where b starts: the first byte of a's last min(k, m - 1) tokens (its own tokenisation),
        # moved back to the start of the character holding it; or a's end, when b would not
        # reach past a from there
        tokens = enc.encode_ordinary(segment.tiktoken_text(a.text))
        keep = min(k, len(tokens) - 1)
        tail = (
            len(b"".join(enc.decode_single_token_bytes(t) for t in tokens[len(tokens) - keep :]))
            if keep > 0
            else 0
        )
        data = segment.tiktoken_text(a.text).encode()
        head_chars = len(data[: len(data) - tail].decode("utf-8", "ignore"))
        overlap_start = a.start + head_chars
        if b.start != a.end:
            assert b.start == overlap_start
        else:  # overlap dropped: from the overlap start the longest piece does not pass a's end
            assert (
                overlap_start == a.end or overlap_start + brute_prefix(enc, text[overlap_start:], n) <= a.end
            )


@pytest.mark.parametrize("at", ["lines", "sentences"])
@SETTINGS
@given(text=texts, n=st.integers(4, 12))
def test_split_at_lines_or_sentences_still_fits_and_concatenates(at, text, n) -> None:
    enc = get_encoding("o200k_base")
    pieces = split_text(text, n, at=at, encoding=enc)
    assert "".join(p.text for p in pieces) == text
    for p in pieces:
        assert own(enc, p.text) <= n
        longest = brute_prefix(enc, text[p.start :], n)
        if p.end - p.start != longest:  # moved back: it ends a line
            assert at != "lines" or p.text.endswith("\n")


def test_hello_world_cut_where_tiktoken_cuts() -> None:
    # tiktoken's README: "hello world" is [15339, 1917] in cl100k_base, "hello" and " world"
    assert truncate_text("hello world", 1, encoding="cl100k_base").text == "hello"
    assert truncate_text("hello world", 1, encoding="cl100k_base", from_end=True).text == " world"
    assert truncate_text("hello world", 2, encoding="cl100k_base").cut is False
    assert [p.text for p in split_text("hello world", 1, encoding="cl100k_base")] == ["hello", " world"]


def test_split_at_lines_prefers_the_line_end() -> None:
    # With N = 6 the longest prefix runs past the newline (checked by brute force, not assumed)
    # and "one two\n" fits on its own, so --at lines ends the first piece there.
    text = "one two\nthree four five six"
    enc = get_encoding("o200k_base")
    assert brute_prefix(enc, text, 6) > len("one two\n") and own(enc, "one two\n") <= 6
    pieces = split_text(text, 6, at="lines", encoding=enc)
    assert pieces[0].text == "one two\n"
    assert split_text(text, 6, encoding=enc)[0].text != "one two\n"


def test_special_token_strings_are_text() -> None:
    enc = get_encoding("cl100k_base")
    text = "<|endoftext|>" * 3
    n = own(enc, "<|endoftext|>")  # as text: tiktoken's encode_ordinary, several tokens
    assert n > 1
    assert truncate_text(text, n, encoding=enc).text == text[: brute_prefix(enc, text, n)]


def test_lone_surrogates_are_read_as_tiktoken_reads_them() -> None:
    text = "a\ud800b" * 5
    pieces = split_text(text, 4, encoding="o200k_base")
    assert "".join(p.text for p in pieces) == text


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True, None])
def test_max_tokens_must_be_at_least_one(bad) -> None:
    with pytest.raises(TokencmpError, match="max_tokens"):
        truncate_text("hello", bad)
    with pytest.raises(TokencmpError, match="max_tokens"):
        split_text("hello", bad)


@pytest.mark.parametrize("overlap", [-1, 5, 6])
def test_overlap_must_be_below_max_tokens(overlap) -> None:
    with pytest.raises(TokencmpError, match="overlap"):
        split_text("hello world", 5, overlap=overlap)


def test_a_character_longer_than_n_tokens_is_an_error() -> None:
    enc = get_encoding("cl100k_base")
    char = "\U0002000b"  # a rare CJK Extension B ideograph: not one token of cl100k (checked here)
    assert char.encode() not in set(enc.token_byte_values())
    with pytest.raises(TokencmpError, match="offset 0"):
        split_text(char, 1, encoding=enc)


def test_not_a_str() -> None:
    with pytest.raises(TokencmpError, match="str"):
        truncate_text(b"hello", 3)  # type: ignore[arg-type]


def test_exported_from_tokencmp() -> None:
    assert tokencmp.truncate_text is truncate_text and tokencmp.split_text is split_text
    assert {"Truncation", "Piece", "truncate_text", "split_text"} <= set(tokencmp.__all__)


def test_streaming_holds_a_bounded_amount(tmp_path) -> None:
    """Splitting 20 MB read in blocks allocates a few blocks' worth at most, not the file."""
    import tracemalloc

    from tokencmp.text.stream import read_pieces

    line = "Words of prose, with numbers 1234 and a line end.\n"
    path = tmp_path / "big.txt"
    path.write_text(line * (20_000_000 // len(line)), encoding="utf-8")
    enc = get_encoding("o200k_base")
    cut.MIN_UNIT = 64
    tracemalloc.start()
    try:
        total = sum(p.tokens for p in split_pieces(read_pieces(path), 2000, enc))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == tokencmp.count_file(path, encoding=enc)  # each piece alone; the whole adds up
    assert peak < 12_000_000, peak  # the file is 20 MB; a block is 512 KB
