"""Reading files in pieces: the pieces join to the whole text and count exactly as the whole.

The expected values here are tiktoken's own counts of the whole text
(``encode_ordinary``) and Python's own decoding and normalisation of the
whole input: streaming must reproduce them exactly whatever the block size.
"""

from __future__ import annotations

import io
import sys
import unicodedata

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.errors import InvalidTextError, TokencmpError
from tokencmp.text import count_with, segment
from tokencmp.text.stream import BLOCK_SIZE, Normalizer, normalization_form, read_pieces

ENCODINGS = ("o200k_base", "cl100k_base")

# Units chosen to put cut candidates (spaces, newlines) where cuts are NOT safe: inside long
# whitespace runs, CRLF runs, before combining marks and after multi-byte characters.
UNITS = [
    "word", "Wörter", " ", "  ", " " * 40, "\t", "\t \t", "\n", "\n\n", "\r\n", "\r\n" * 12, "\r",
    " \n ", "/", "//", ".", "!\n", "123", "4567", "'s", "é", "e\u0301", "\u0301", "日本語", "한국어",
    "हिन्दी", "\u0915\u094d\u0937", "👍", "👩\u200d💻", "🇯🇵", "\u00a0", "\u3000", "ﬁ", "\u037a", "Ａ", "x",
]
texts = st.lists(st.sampled_from(UNITS), max_size=120).map("".join)


def _whole_counts(text: str) -> dict[str, int]:
    return {name: len(tokencmp.get_encoding(name).encode_ordinary(text)) for name in ENCODINGS}


def _piece_counts(pieces: list[str]) -> dict[str, int]:
    return {name: sum(count_with(tokencmp.get_encoding(name), p) for p in pieces) for name in ENCODINGS}


@settings(max_examples=150, deadline=None)
@given(text=texts, block=st.integers(min_value=1, max_value=48))
def test_pieces_join_to_the_text_and_count_like_the_whole(text: str, block: int) -> None:
    data = text.encode("utf-8")
    pieces = list(read_pieces(io.BytesIO(data), block_size=block))
    assert "".join(pieces) == text
    assert _piece_counts(pieces) == _whole_counts(text)


@settings(max_examples=100, deadline=None)
@given(text=texts, block=st.integers(min_value=1, max_value=48), form=st.sampled_from(["NFC", "NFKC"]))
def test_normalised_pieces_equal_the_normalised_whole(text: str, block: int, form: str) -> None:
    expected = unicodedata.normalize(form, text)
    pieces = list(read_pieces(io.BytesIO(text.encode()), normalize=form, block_size=block))  # type: ignore[arg-type]
    assert "".join(pieces) == expected
    assert _piece_counts(pieces) == _whole_counts(expected)


@settings(max_examples=100, deadline=None)
@given(text=texts, block=st.integers(min_value=1, max_value=48))
def test_compare_file_equals_compare_text_on_the_whole(text: str, block: int) -> None:
    whole = tokencmp.compare_text(text, by_script=True)
    streamed = tokencmp.compare_file(io.BytesIO(text.encode()), by_script=True, block_size=block)
    assert streamed == whole
    assert streamed.tokens == _whole_counts(text)
    assert streamed.graphemes == len(regex.findall(r"\X", text))


@settings(max_examples=150, deadline=None)
@given(text=texts, sizes=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=40))
def test_safe_chunker_cuts_only_at_safe_cuts(text: str, sizes: list[int]) -> None:
    chunker, out, pos = segment.SafeChunker(), [], 0
    for size in sizes:
        out.append(chunker.feed(text[pos : pos + size]))
        pos += size
    out.append(chunker.feed(text[pos:]))
    out.append(chunker.close())
    assert "".join(out) == text
    cut = 0
    for piece in out[:-1]:
        cut += len(piece)
        if piece and cut < len(text):
            assert segment.is_safe_cut(text, cut), (text, cut)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=200), block=st.integers(min_value=1, max_value=16))
def test_invalid_utf8_offset_and_replacement_match_whole_decoding(data: bytes, block: int) -> None:
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as e:
        with pytest.raises(InvalidTextError) as caught:
            list(read_pieces(io.BytesIO(data), block_size=block))
        assert caught.value.offset == e.start
    else:
        assert "".join(read_pieces(io.BytesIO(data), block_size=block)) == expected
    replaced = "".join(read_pieces(io.BytesIO(data), errors="replace", block_size=block))
    assert replaced == data.decode("utf-8", "replace")


def test_invalid_utf8_names_the_file_and_the_offset(tmp_path) -> None:
    # "abc" (3 bytes) + "é" (2 bytes) then 0xFF: the bad byte is at offset 5, in the second block.
    path = tmp_path / "bad.txt"
    path.write_bytes(b"abc\xc3\xa9\xff tail")
    with pytest.raises(InvalidTextError, match=r"bad\.txt: invalid UTF-8 at byte offset 5") as caught:
        list(read_pieces(path, block_size=4))
    assert caught.value.offset == 5


def test_ascii_is_never_the_second_character_of_a_canonical_composition() -> None:
    # The fact that makes normalising piece by piece safe (see tokencmp.text.stream): no canonical
    # decomposition of two characters ends in an ASCII character, so an ASCII character never
    # composes with the character before it.
    for cp in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            assert not (len(parts) == 2 and int(parts[1], 16) < 0x80), hex(cp)
    # ... and every ASCII character is its own decomposition, with combining class 0.
    for c in map(chr, range(0x80)):
        assert unicodedata.decomposition(c) == "" and unicodedata.combining(c) == 0


def test_normalizer_holds_back_from_the_last_ascii_character() -> None:
    n = Normalizer("NFC")
    # "Cafe" ends in ASCII "e", which a following U+0301 may still compose with: held back.
    assert n.feed("Cafe") == "Caf"
    assert n.feed("\u0301") == ""  # no ASCII in it: all held
    assert n.feed(" noir") + n.close() == "é noir"


def test_nfkc_may_change_the_characters_a_token_cut_was_chosen_on() -> None:
    # Why token cuts are chosen after normalising: "xy \u037a" has a safe cut before the space
    # (U+037A GREEK YPOGEGRAMMENI is a letter), but NFKC turns U+037A into " \u0345", and the
    # normalised text "xy  \u0345" has no letter after the space, so no cut there.
    assert segment.is_safe_cut("xy \u037a", 2)
    assert unicodedata.normalize("NFKC", "xy \u037a") == "xy  \u0345"
    assert not segment.is_safe_cut("xy  \u0345", 2)


def test_a_file_several_blocks_long_with_long_runs_counts_like_the_whole(tmp_path) -> None:
    unit = "Prose, 12345 and código.\r\n" + "\r\n" * 50 + " " * 3000 + "\tx 日本語のテキスト。👍\n"
    text = unit * (3 * BLOCK_SIZE // len(unit.encode()) + 1)  # three blocks and a bit
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode())
    pieces = list(read_pieces(path))
    assert len(pieces) > 1 and "".join(pieces) == text
    assert _piece_counts(pieces) == _whole_counts(text)
    # Bounded memory: a piece is at most one block plus the stretch held back since the last
    # safe cut, here under len(unit) characters (the 3,000 spaces and the CRLF run hold no cut).
    assert max(map(len, pieces)) <= BLOCK_SIZE + len(unit)


@pytest.mark.parametrize(
    "text",
    [
        "one two " * 2000,  # cuts everywhere: the last one is found in the last 4 KB
        "one two" + " " * 20_000 + "three",  # the last cut is 20,000 characters back
        "x" * 100 + " y" + "\t" * 4094,  # the cut is the first character of the last 4,096
        "x" * 100 + " y" + "\t" * 4095,  # ... and just before them
        "x\n" + "y" * 4095 + "\t" * 70_000,  # a cut behind three windows
        "日本語" * 30_000,  # no cut at all
    ],
)
def test_the_chunker_finds_the_last_safe_cut_of_a_long_text(text: str) -> None:
    # Brute force: every safe cut is a candidate of the search, so the last safe cut is the
    # largest i that is_safe_cut accepts.
    expected = max((i for i in range(len(text)) if segment.is_safe_cut(text, i)), default=None)
    assert segment._last_cut(text) == expected


@settings(max_examples=30, deadline=None)
@given(units=st.lists(st.sampled_from(UNITS), min_size=1, max_size=40), repeat=st.integers(1, 3000))
def test_graphemes_counted_in_stretches_equal_the_whole_count(units: list[str], repeat: int) -> None:
    # compare counts grapheme clusters about 16 K characters at a time, cutting after line feeds.
    from tokencmp.compare.scripts import _count_graphemes

    text = "".join(units) * repeat
    assert _count_graphemes(text) == len(regex.findall(r"\X", text))
    ascii_text = "".join(u for u in units if u.isascii()) * repeat  # the ASCII shortcut
    assert _count_graphemes(ascii_text) == len(regex.findall(r"\X", ascii_text))


def test_progress_reports_bytes_read_of_the_total(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one two three " * 10)  # 140 bytes
    seen: list[tuple[int, int | None]] = []
    list(read_pieces(path, block_size=64, progress=lambda done, total: seen.append((done, total))))
    assert seen == [(64, 140), (128, 140), (140, 140)]


def test_normalization_names() -> None:
    assert [normalization_form(v) for v in (None, "none", "nfc", " NFKC ")] == ["none", "none", "NFC", "NFKC"]
    with pytest.raises(TokencmpError, match="NFD"):
        normalization_form("NFD")


def test_unreadable_sources_are_clear_errors(tmp_path) -> None:
    with pytest.raises(InvalidTextError, match="directory"):
        list(read_pieces(tmp_path))
    with pytest.raises(InvalidTextError, match="Cannot read"):
        list(read_pieces(tmp_path / "missing.txt"))
