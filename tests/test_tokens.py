"""Seeing the tokens: tokencmp.text.view, the tokens/decode/show/truncate/split commands, the rich view.

Expected ids come from tiktoken's README ("hello world" is [15339, 1917] in cl100k_base) and
openai/harmony's tests (o200k_harmony encodes "hello world" as [24912, 2375]); other token
boundaries are checked against tiktoken's own encode_ordinary, the reference implementation, or
by reasoning stated in a comment.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tokencmp import TokencmpError, decode_tokens, get_encoding, token_pieces
from tokencmp.report.terminal import STYLES, diff_line, render, token_line
from tokencmp.text.view import decode_pieces, token_label

from .test_cli import run_cli

SPLIT_CHAR = "\U0002000b"  # a CJK Extension B ideograph, 4 UTF-8 bytes


def test_hello_world_ids_and_pieces() -> None:
    pieces = token_pieces("hello world", encoding="cl100k_base")  # tiktoken's README
    assert [(p.id, p.text, p.start, p.end) for p in pieces] == [
        (15339, "hello", 0, 5),
        (1917, " world", 5, 11),
    ]
    assert [p.id for p in token_pieces("hello world", encoding="o200k_harmony")] == [
        24912,
        2375,
    ]  # openai/harmony
    assert decode_tokens([15339, 1917], encoding="cl100k_base") == "hello world"


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base", "o200k_harmony"])
def test_a_character_split_across_tokens_is_shown_as_bytes(name) -> None:
    enc = get_encoding(name)
    assert SPLIT_CHAR.encode() not in set(enc.token_byte_values())  # so it cannot be one token
    pieces = token_pieces(SPLIT_CHAR, encoding=enc)
    assert len(pieces) > 1 and all(p.text is None for p in pieces)
    assert b"".join(bytes.fromhex(p.bytes) for p in pieces) == SPLIT_CHAR.encode()
    shown = [token_label(p) for p in pieces]
    assert all(s.startswith("<") and s.endswith(">") and "\ufffd" not in s for s in shown)
    # the character belongs to the token where it begins; the others cover no character
    assert (pieces[0].start, pieces[0].end) == (0, 1) and all(p.start == p.end == 1 for p in pieces[1:])


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=40))
def test_pieces_are_tiktokens_tokens_and_tile_the_text(text) -> None:
    enc = get_encoding("o200k_base")
    from tokencmp.text.segment import tiktoken_text

    pieces = token_pieces(text, encoding=enc)
    assert [p.id for p in pieces] == enc.encode_ordinary(tiktoken_text(text))
    assert b"".join(bytes.fromhex(p.bytes) for p in pieces) == tiktoken_text(text).encode()
    assert [p.start for p in pieces[1:]] == [p.end for p in pieces[:-1]]
    assert (pieces[0].start if pieces else 0) == 0 and (pieces[-1].end if pieces else 0) == len(text)
    for p in pieces:
        if p.text is not None:
            assert tiktoken_text(text)[p.start : p.end] == p.text
        assert "\ufffd" not in token_label(p) or "\ufffd" in tiktoken_text(text)


def test_special_token_text_is_text() -> None:
    enc = get_encoding("cl100k_base")
    pieces = token_pieces("<|endoftext|>", encoding=enc)
    assert [p.id for p in pieces] == enc.encode("<|endoftext|>", disallowed_special=())
    assert len(pieces) > 1 and "".join(p.text or "" for p in pieces) == "<|endoftext|>"


def test_decode_errors() -> None:
    with pytest.raises(TokencmpError, match="not in cl100k_base"):
        decode_tokens([10**7], encoding="cl100k_base")
    with pytest.raises(TokencmpError, match="whole numbers"):
        decode_tokens([-1], encoding="cl100k_base")


def test_decode_pieces_of_a_split_character() -> None:
    enc = get_encoding("cl100k_base")
    ids = enc.encode_ordinary(SPLIT_CHAR)
    assert [p.text for p in decode_pieces(ids, encoding=enc)] == [None] * len(ids)


# --- the command line -----------------------------------------------------------------------


def test_tokens_table_json_csv() -> None:
    proc = run_cli("tokens", "-t", "hello world", "-e", "cl100k_base")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[1].split() == ["0", "15339", "0", "5", "'hello'"]
    assert lines[2].split() == ["1", "1917", "5", "11", "'", "world'"]
    assert lines[-1] == "2 tokens (cl100k_base)"
    data = json.loads(run_cli("tokens", "-t", "hello world", "-e", "cl100k_base", "--format", "json").stdout)
    assert data["count"] == 2 and [t["id"] for t in data["tokens"]] == [15339, 1917]
    csv_out = run_cli(
        "tokens", "-", "-e", "cl100k_base", "--format", "csv", stdin="hello world"
    ).stdout.decode()
    assert csv_out.splitlines() == [
        "index,id,start,end,bytes,text",
        "0,15339,0,5,68656c6c6f,hello",
        "1,1917,5,11,20776f726c64, world",
    ]


def test_tokens_shows_bytes_never_replacement_characters() -> None:
    out = run_cli("tokens", "-t", SPLIT_CHAR, "-e", "cl100k_base").stdout.decode()
    assert "\ufffd" not in out and "<f0" in out


def test_tokens_invalid_utf8_follows_the_error_policy(tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \xff")
    proc = run_cli("tokens", str(path))
    assert proc.returncode == 1 and b"invalid UTF-8 at byte offset 3" in proc.stderr
    proc = run_cli("tokens", str(path), "--errors", "replace", "--format", "json")
    assert proc.returncode == 0 and "\ufffd" in "".join(
        t["text"] or "" for t in json.loads(proc.stdout)["tokens"]
    )


def test_decode_command() -> None:
    proc = run_cli("decode", "15339", "1917", "-e", "cl100k_base")
    assert proc.returncode == 0 and proc.stdout == b"hello world"
    assert run_cli("decode", "-e", "cl100k_base", stdin="[15339, 1917]").stdout == b"hello world"
    assert run_cli("decode", "x", "-e", "cl100k_base").returncode == 1


def test_truncate_exit_codes_and_output() -> None:
    # "hello world" is "hello" + " world" in cl100k_base (tiktoken's README)
    cut = run_cli("truncate", "-t", "hello world", "-n", "1", "-e", "cl100k_base")
    assert cut.returncode == 4 and cut.stdout == b"hello"
    whole = run_cli("truncate", "-t", "hello world", "-n", "2", "-e", "cl100k_base")
    assert whole.returncode == 0 and whole.stdout == b"hello world"
    end = run_cli("truncate", "-", "-n", "1", "-e", "cl100k_base", "--from-end", stdin="hello world")
    assert end.returncode == 4 and end.stdout == b" world"


@pytest.mark.parametrize("command", ["truncate", "split"])
@pytest.mark.parametrize("n", ["0", "-3", "x"])
def test_n_of_zero_or_less_is_a_usage_error(command, n) -> None:
    proc = run_cli(command, "-t", "hello", "--max-tokens", n)
    assert proc.returncode == 2 and b"--max-tokens" in proc.stderr


def test_split_jsonl_and_overlap_usage() -> None:
    proc = run_cli("split", "-t", "hello world", "-n", "1", "-e", "cl100k_base", "--format", "jsonl")
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert rows == [
        {"index": 0, "text": "hello", "tokens": 1, "start": 0, "end": 5},
        {"index": 1, "text": " world", "tokens": 1, "start": 5, "end": 11},
    ]
    assert run_cli("split", "-t", "hello", "-n", "2", "--overlap", "2").returncode == 2


# --- the terminal view, recorded ---------------------------------------------------------------


def _console() -> Console:
    return Console(record=True, force_terminal=True, width=60, color_system="truecolor", highlight=False)


def test_token_line_alternates_backgrounds_and_shows_whitespace() -> None:
    # cl100k_base: "hello" then " world" (tiktoken's README), then "\n" and "\t" are whitespace
    line, n = token_line("hello world", get_encoding("cl100k_base"))
    assert n == 2 and line.plain == "hello\u00b7world"
    styles = [str(span.style) for span in line.spans]
    assert styles == [STYLES[0]] * 5 + [STYLES[1]] * 6  # one span per character, by token parity


def test_render_one_line_per_encoding_with_a_footer() -> None:
    console = _console()
    render(console, "hello world", [get_encoding("cl100k_base"), get_encoding("o200k_base")])
    text = console.export_text(clear=False)
    # both encodings cut "hello world" into "hello" and " world" (tiktoken's README; o200k:
    # [24912, 2375], openai/harmony's tests), and the lines are the same characters, aligned
    assert text.splitlines() == [
        "cl100k_base hello\u00b7world",
        "o200k_base  hello\u00b7world",
        "cl100k_base: 2 tokens  \u00b7  o200k_base: 2 tokens",
    ]
    styled = console.export_text(styles=True)
    # rich's standard colours (docs, "Standard Colors"): grey30 is colour 239, dark_blue 18; a
    # background is SGR 48;5;N. "hello" is token 0 (even), " world" token 1 (odd), in each line.
    assert styled.count("\x1b[48;5;239m") == 2 * 5 and styled.count("\x1b[48;5;18m") == 2 * 6
    assert "\x1b[48;5;239mh\x1b[0m" in styled and "\x1b[48;5;18m\u00b7\x1b[0m" in styled


def test_diff_marks_where_boundaries_differ() -> None:
    # "hello world": the same two tokens in both (see above), so no bar. For Hindi, the
    # expected bars are worked out from tiktoken's own token starts in each encoding: one bar
    # before each character where exactly one of the two starts a token.
    encs = [get_encoding("o200k_base"), get_encoding("cl100k_base")]
    text = "hello world"
    assert diff_line(text, encs).plain == "hello\u00b7world"  # same cuts: no bar
    different = "\u0928\u092e\u0938\u094d\u0924\u0947"  # Hindi "namaste": cl100k cuts it finer
    starts = {e.name: {p.start for p in token_pieces(different, encoding=e) if p.start < p.end} for e in encs}
    assert starts["o200k_base"] != starts["cl100k_base"]
    marked = diff_line(different, encs).plain
    assert marked.replace("\u2502", "") == different
    expected_bars = len(starts["o200k_base"] ^ starts["cl100k_base"])
    assert marked.count("\u2502") == expected_bars


def test_show_command_writes_html_and_needs_two_encodings_for_diff(tmp_path) -> None:
    out = tmp_path / "view.html"
    proc = run_cli("show", "-t", "hello world", "-e", "cl100k_base", "--html", str(out), "--width", "60")
    assert proc.returncode == 0, proc.stderr
    assert "hello\u00b7world" in proc.stdout.decode() and out.read_text().startswith("<!DOCTYPE html>")
    assert run_cli("show", "-t", "x", "-e", "cl100k_base", "--diff").returncode == 1
