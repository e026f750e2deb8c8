"""The public pieces the command line counts and reads through: an Encoding passed to
count_tokens, choose_encoding, normalization_form and the tokencmp.text.read module.

Expected counts are tiktoken's own (encode_ordinary on the same encoding); the fuzz tests
at the end hold these entry points to tests/fuzz.py's `sound` like every other public name.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
import tiktoken
from hypothesis import given
from hypothesis import strategies as st

import tokencmp
from tokencmp.errors import InvalidTextError, TokencmpError
from tokencmp.text import read
from tokencmp.text.stream import read_pieces

from .fuzz import Refused, any_model, hostile_text, json_scalar, json_value, profile, sound


def test_count_tokens_takes_an_encoding_in_hand() -> None:
    text = "Counting many files with one Encoding. 日本語も。"
    for name in ("o200k_base", "cl100k_base"):
        enc = tokencmp.get_encoding(name)
        expected = len(enc.encode_ordinary(text))
        assert tokencmp.count_tokens(text, encoding=enc) == expected
        assert tokencmp.count_tokens(text, encoding=name) == expected
    with pytest.raises(TokencmpError, match="not both"):
        tokencmp.count_tokens(text, model="gpt-4o", encoding=tokencmp.get_encoding("o200k_base"))


def test_count_file_and_acount_take_an_encoding_in_hand(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "a.txt"
    path.write_text("hello world", encoding="utf-8")
    enc = tokencmp.get_encoding("cl100k_base")
    expected = len(enc.encode_ordinary("hello world"))
    assert tokencmp.count_file(path, encoding=enc) == expected
    assert asyncio.run(tokencmp.acount_file(path, encoding=enc)) == expected
    assert asyncio.run(tokencmp.acount_tokens("hello world", encoding=enc)) == expected


def test_choose_encoding() -> None:
    # The default model is gpt-4o, whose encoding is o200k_base (OpenAI's tiktoken model.py maps
    # "gpt-4o" to o200k_base; the catalog holds the same); gpt-4 uses cl100k_base (same source).
    assert tokencmp.choose_encoding().name == "o200k_base"
    assert tokencmp.choose_encoding(model="gpt-4").name == "cl100k_base"
    assert tokencmp.choose_encoding(encoding="cl100k_base") is tokencmp.get_encoding("cl100k_base")
    enc = tokencmp.get_encoding("o200k_harmony")
    assert tokencmp.choose_encoding(encoding=enc) is enc
    with pytest.raises(TokencmpError, match="not both"):
        tokencmp.choose_encoding("gpt-4o", "o200k_base")


def test_normalization_form_is_public() -> None:
    assert tokencmp.normalization_form("nfkc") == "NFKC"
    with pytest.raises(TokencmpError, match="NFD"):
        tokencmp.normalization_form("NFD")


# --- tokencmp.text.read -------------------------------------------------------------------


def test_read_text_and_decode(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("\ufeffcafé\r\n".encode())
    assert read.read_text(path) == "\ufeffcafé\r\n"  # BOM and CRLF kept as text
    path.write_bytes(b"ab\xc3")  # a character cut short at the end: offset 2
    with pytest.raises(InvalidTextError) as info:
        read.read_text(str(path))
    assert info.value.offset == 2 and info.value.source == str(path)
    assert read.decode_utf8(b"ab\xc3", errors="replace") == "ab\ufffd"


def test_errors_mode_is_checked_once_for_every_reader(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"fine")
    for call in (lambda: read.read_text(path, errors="ignore"),  # type: ignore[arg-type]
                 lambda: read.decode_utf8(b"x", errors="bogus"),  # type: ignore[arg-type]
                 lambda: tokencmp.count_file(path, errors=None),  # type: ignore[arg-type]
                 lambda: list(read_pieces(path, errors="surrogateescape"))):  # type: ignore[arg-type]
        with pytest.raises(InvalidTextError, match="errors must be 'strict' or 'replace'"):
            call()
    assert read.check_errors("strict") == "strict"


def test_unreadable_names_the_path(tmp_path: Path) -> None:
    assert "is a directory" in str(read.unreadable(tmp_path, IsADirectoryError(21, "Is a directory")))
    missing = tmp_path / "x"
    err = read.unreadable(str(missing), PermissionError(13, "Permission denied"))
    assert str(err) == f"Cannot read {missing}: Permission denied." and err.source == str(missing)
    with pytest.raises(InvalidTextError, match="Cannot open"):
        read.open_binary("a\x00b")


class _Stdin:
    def __init__(self, buffer: Any) -> None:
        self.buffer = buffer


def test_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO("héllo \xff".encode("latin-1"))))
    with pytest.raises(InvalidTextError, match=r"<stdin>: invalid UTF-8 at byte offset 1"):
        read.read_stdin()  # b"h\xe9llo \xff": \xe9 starts a sequence that "l" does not continue
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(b"ok")))
    assert read.read_stdin() == "ok"
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(b"\xff")))
    assert read.read_stdin(errors="replace") == "\ufffd"
    closed = io.BytesIO(b"")
    closed.close()
    monkeypatch.setattr(sys, "stdin", _Stdin(closed))
    with pytest.raises(InvalidTextError, match="<stdin>"):
        read.read_stdin_bytes()
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InvalidTextError, match="there is no standard input"):
        read.read_stdin_bytes()


# --- fuzz: the inventory in tests/test_fuzz.py lists these names ---------------------------


@profile(300)
@given(any_model, st.one_of(st.none(), json_scalar, json_value))
def test_choose_encoding_with_any_arguments(model: Any, encoding: Any) -> None:
    got = sound(lambda: tokencmp.choose_encoding(model, encoding))
    assert isinstance(got, (Refused, tiktoken.Encoding))


@profile(300)
@given(st.one_of(hostile_text(), json_value))
def test_normalization_form_with_any_value(value: Any) -> None:
    got = sound(lambda: tokencmp.normalization_form(value))
    assert isinstance(got, Refused) or got in ("none", "NFC", "NFKC")
