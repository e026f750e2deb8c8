"""Issue 16 through the command line: image sizes and whole files, money from Python, the everyday jobs.

Each run is ``tokencmp.cli.main`` in this process (stdout and stderr captured), as a user would
type it.
"""

from __future__ import annotations

import io
import json

import pytest

from tokencmp.cli import main


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- point 8: image sizes, --detail, whole files -------------------------------------------------


def test_image_takes_a_size_on_the_command_line(capsys) -> None:
    code, out, _ = cli(capsys, "image", "1920x1080", "-m", "gpt-4o", "-d", "high", "--format", "json")
    assert code == 0
    [image] = json.loads(out)["images"]
    # OpenAI vision guide, "Calculating costs" (tile method): 1920x1080 fits 2048x2048; the shortest
    # side scaled to 768 gives 1365x768, ceil(1365/512) x ceil(768/512) = 3 x 2 = 6 tiles;
    # 85 + 170 x 6 = 1105 tokens.
    assert (image["name"], image["width"], image["height"]) == ("1920x1080", 1920, 1080)
    assert image["counts"][0]["tokens"] == 1105
    code, out, _ = cli(capsys, "image", "1920X1080", "-m", "gpt-4o", "-d", "low", "--format", "json")
    # low detail: 85 tokens flat (same guide)
    assert json.loads(out)["images"][0]["counts"][0]["tokens"] == 85


def test_a_size_of_zero_is_an_error(capsys) -> None:
    code, out, err = cli(capsys, "image", "0x10")
    assert code == 1 and out == "" and "0x10" in err and "at least 1 pixel" in err


def test_detail_a_model_does_not_take_is_refused_with_the_levels_it_takes(capsys) -> None:
    code, out, err = cli(capsys, "image", "800x600", "-m", "gpt-4o", "-d", "original")
    assert code == 1 and out == ""
    assert err == ("tokencmp image: error: gpt-4o does not accept detail 'original'; "
                   "it takes low, high, auto.\n")


def test_detail_counted_like_another_level_says_so_once(capsys) -> None:
    # On the patch models low is counted like high (catalog image_rules, community measurements):
    # the table must not pass that by silently.
    code, out, err = cli(capsys, "image", "800x600", "1024x1024", "-m", "o4-mini", "-d", "low")
    assert code == 0 and out.count("o4-mini") == 2
    like_high = [line for line in err.splitlines() if "'low' is counted like 'high'" in line]
    assert like_high and len(like_high) == 1 and like_high[0].startswith("tokencmp image: note: o4-mini: ")


def test_a_truncated_image_file_is_an_error(capsys, tmp_path) -> None:
    pil = pytest.importorskip("PIL.Image")
    whole = tmp_path / "whole.png"
    pil.new("RGB", (1920, 1080)).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:100])  # the header (and size) intact, the rest gone
    code, out, err = cli(capsys, "image", str(whole), str(cut), "-m", "gpt-4o", "--format", "json")
    assert code == 1
    assert [i["name"] for i in json.loads(out)["images"]] == [str(whole)]
    assert err == f"tokencmp image: error: {cut} is truncated: a PNG ends with its IEND chunk.\n"
    for fmt, ext in (("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")):
        path = tmp_path / f"a.{ext}"
        pil.new("RGB", (64, 64), "red").save(path, fmt)
        assert cli(capsys, "image", str(path), "--format", "json")[0] == 0, fmt
        path.write_bytes(path.read_bytes()[:-2])
        code, _, err = cli(capsys, "image", str(path), "--format", "json")
        assert code == 1 and "is truncated" in err, fmt


def test_a_truncated_image_on_standard_input_is_an_error(capsys, monkeypatch) -> None:
    gif = b"GIF89a\x02\x00\x01\x00" + bytes(8)  # a 2x1 GIF header without the trailer (GIF89a section 27)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gif)))
    code, _, err = cli(capsys, "image", "-")
    assert code == 1 and "truncated" in err
