"""Image parts of a request: sizes from data URLs or the caller, upper bounds when unknown."""

from __future__ import annotations

import base64
import dataclasses
import io
import json

import pytest
from PIL import Image

import tokencmp
from tokencmp.cli import main
from tokencmp.errors import (
    CatalogError,
    ImageSizeUnknownError,
    InvalidImageError,
    UnsupportedModelError,
)
from tokencmp.images import image_part_tokens

GPT_4O = tokencmp.resolve_model("gpt-4o")
REMOTE = "https://example.com/photo.jpg"


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "PNG")
    return out.getvalue()


def png_url(width: int, height: int) -> str:
    return "data:image/png;base64," + base64.b64encode(png(width, height)).decode()


def test_data_url_part_is_counted_from_its_header() -> None:
    # DOC: 1024x1024 high on gpt-4o = 765
    part = image_part_tokens(png_url(1024, 1024), detail="high", model=GPT_4O)
    assert (part.tokens, part.exact, part.width, part.height) == (765, True, 1024, 1024)
    assert (part.detail, part.method, part.size_from, part.note) == ("high", "tile", "data-url", None)


def test_a_part_is_a_frozen_result_with_one_json_form() -> None:
    # DOC: 1024x1024 high on gpt-4o = 765
    part = image_part_tokens(png_url(1024, 1024), detail="high", model=GPT_4O)
    assert part.to_dict() == {"tokens": 765, "exact": True, "width": 1024, "height": 1024, "detail": "high",
                              "method": "tile", "rule": "tile:gpt-4o", "size_from": "data-url", "note": None,
                              "path": None, "low": 765, "high": 765}  # exact: both bounds are the count
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.tokens = 1  # type: ignore[misc]
    # the request counter sets the path with model_copy, kept from the pydantic model
    moved = part.model_copy(update={"path": "messages[0].content[1]"})
    assert moved.path == "messages[0].content[1]" and moved.tokens == 765 and part.path is None
    estimate = tokencmp.estimate_image(1024, 1024, model="gpt-4o", detail="high")
    assert estimate.to_dict()["resized"] == [768, 768] and estimate.notes == ()


def test_omitted_detail_is_auto_and_resolved() -> None:
    part = image_part_tokens(png_url(1024, 1024), detail=None, model=GPT_4O)
    assert (part.detail, part.tokens, part.exact) == ("high", 765, False)
    assert "auto" in (part.note or "")


def test_sizes_mapping_and_callback() -> None:
    # DOC: 2048x4096 high = 1105
    part = image_part_tokens(REMOTE, detail="high", model=GPT_4O, sizes={REMOTE: (2048, 4096)})
    assert (part.tokens, part.exact, part.size_from) == (1105, True, "sizes")
    part = image_part_tokens(REMOTE, detail="high", model=GPT_4O, sizes=lambda url: (2048, 4096))
    assert part.tokens == 1105
    # the caller's size wins over a data URL's header
    part = image_part_tokens(png_url(10, 10), detail="high", model="gpt-4o",
                             sizes=lambda url: (1024, 1024))
    assert (part.tokens, part.width) == (765, 1024)


def test_unknown_size_counts_the_upper_bound_and_says_so() -> None:
    # tile bound: 768x2048 = 2x4 tiles: 85 + 8*170 = 1445
    part = image_part_tokens(REMOTE, detail="high", model=GPT_4O)
    assert (part.tokens, part.exact, part.width, part.size_from) == (1445, False, None, "unknown")
    assert "unknown" in part.note and "image_sizes=" in part.note
    # a callback that does not know the URL leaves it unknown, but a tile model's low detail is a
    # flat 85 whatever the size (the guide: 4096x8192 at low = 85), so it is exact, even strict
    part = image_part_tokens(REMOTE, detail="low", model=GPT_4O, sizes=lambda url: None, strict=True)
    assert (part.tokens, part.exact, part.size_from) == (85, True, "unknown")
    # patch bound: 1,536 patches x 1.62 = 2488.32 -> 2488 on gpt-4.1-mini (auto = high)
    part = image_part_tokens(REMOTE, detail=None, model=tokencmp.resolve_model("gpt-4.1-mini"))
    assert (part.tokens, part.detail, part.method) == (2488, "high", "patch")


def test_strict_raises_for_unknown_size() -> None:
    with pytest.raises(ImageSizeUnknownError, match="never fetches"):
        image_part_tokens(REMOTE, detail="high", model=GPT_4O, strict=True)
    # strict does not affect images whose size is known
    assert image_part_tokens(png_url(4, 4), detail="low", model=GPT_4O, strict=True).exact


def test_gpt_5_6_original_with_unknown_size_has_no_bound() -> None:
    with pytest.raises(ImageSizeUnknownError, match="no upper bound"):
        image_part_tokens(REMOTE, detail=None, model=tokencmp.resolve_model("gpt-5.6-sol"))
    part = image_part_tokens(REMOTE, detail="high", model=tokencmp.resolve_model("gpt-5.6-sol"))
    assert part.tokens == 3000  # 2,500 patches x 1.2


@pytest.mark.parametrize("size", [(0, 5), (5,), "1024x1024", (1.0, 2.0), (100000, 100000)])
def test_bad_supplied_sizes(size: object) -> None:
    with pytest.raises(InvalidImageError):
        image_part_tokens(REMOTE, detail="high", model=GPT_4O, sizes={REMOTE: size})  # type: ignore[dict-item]


def test_bad_data_url_and_non_vision_model() -> None:
    with pytest.raises(InvalidImageError):
        image_part_tokens("data:image/png;base64,@@@@", detail="high", model=GPT_4O)
    with pytest.raises(UnsupportedModelError):
        image_part_tokens(REMOTE, detail="high", model=tokencmp.resolve_model("gpt-3.5-turbo"))
    with pytest.raises(InvalidImageError):
        image_part_tokens(None, detail="high", model=GPT_4O)  # type: ignore[arg-type]


# --- catalog ----------------------------------------------------------------------------------

BRIEF_KEYS = {
    "tile:gpt-4o", "tile:gpt-4o-mini", "tile:gpt-5", "tile:gpt-5.1", "tile:gpt-5-pro", "tile:o1",
    "tile:o1-pro", "tile:o3", "tile:o3-pro", "tile:computer-use-preview", "tile:gpt-4.1", "tile:gpt-4.5",
    "tile:gpt-4-turbo",
    "tile:gpt-image-1", "patch:gpt-4.1-mini", "patch:gpt-4.1-nano", "patch:o4-mini", "patch:gpt-5-mini",
    "patch:gpt-5-nano", "patch:gpt-5.4-mini", "patch:gpt-5.4-nano", "patch:gpt-5.2", "patch:gpt-5.2-pro",
    "patch:gpt-5.4", "patch:gpt-5.4-pro", "patch:gpt-5.5", "patch:gpt-5.5-pro", "patch:gpt-5.6",
}


def test_image_rules_cover_exactly_the_vision_keys() -> None:
    catalog = tokencmp.get_catalog()
    used = {info.vision for info in catalog.models.values() if info.vision}
    assert used == set(catalog.image_rules) == BRIEF_KEYS


def test_a_vision_key_without_a_rule_is_a_catalog_error(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    override = tmp_path / "mine.json"
    override.write_text(json.dumps({"models": {"gpt-4o": {"vision": "tile:nope"}}}))
    try:
        with pytest.raises(CatalogError, match="no image_rules entry 'tile:nope'"):
            tokencmp.load_catalog(override)
    finally:
        tokencmp.load_catalog()


@pytest.mark.parametrize(
    "rules, message",
    [
        ({"tile:gpt-4o": {"exact": False}}, "estimate_note"),
        ({"tile:gpt-4o": {"auto_note": None}}, "auto_note"),
        ({"tile:gpt-4o": {"sources": ["nowhere"]}}, "unknown source 'nowhere'"),
        ({"tile:gpt-5.1": {"like": "tile:o3-pro"}}, "must name a rule that has no 'like'"),
        ({"patch:o4-mini": {"multiplier_exact": False}}, "multiplier_note"),
        ({"patch:gpt-5.4": {"details": ["low", "high", "original", "auto", "ultra"]}}, "no sizing for"),
    ],
)
def test_image_rule_schema_rejects_unexplained_or_broken_rules(tmp_path, monkeypatch, rules, message) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    override = tmp_path / "mine.json"
    override.write_text(json.dumps({"image_rules": rules}))
    try:
        with pytest.raises(CatalogError, match=message):
            tokencmp.load_catalog(override)
    finally:
        tokencmp.load_catalog()


def test_an_override_can_change_an_image_constant(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    override = tmp_path / "mine.json"
    override.write_text(json.dumps({"image_rules": {"tile:gpt-4o": {"tile_tokens": 100}}}))
    try:
        tokencmp.load_catalog(override)
        assert tokencmp.image_tokens(1024, 1024, model="gpt-4o", detail="high") == 85 + 4 * 100
    finally:
        tokencmp.load_catalog()


# --- command line -----------------------------------------------------------------------------


def test_cli_image_json(tmp_path, capsys) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png(1800, 2400))
    assert main(["image", str(path), "-m", "gpt-4o", "-m", "o4-mini", "--detail", "high",
                 "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (image,) = out["images"]
    assert (image["width"], image["height"]) == (1800, 2400)
    by_model = {c["model"]: c for c in image["counts"]}
    # gpt-4o: 1800x2400 -> 1536x2048 -> 768x1024 = 2x2 tiles: 85 + 4*170 = 765
    assert by_model["gpt-4o"]["tokens"] == 765 and by_model["gpt-4o"]["exact"] is True
    # o4-mini: DOC 1452 patches x 1.72 = 2497.44 -> 2497
    assert by_model["o4-mini"]["tokens"] == 2497 and by_model["o4-mini"]["resized"] == [1056, 1408]


def test_cli_image_table_csv_and_errors(tmp_path, capsys) -> None:
    path = tmp_path / "b.png"
    path.write_bytes(png(128, 64))
    assert main(["image", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "width", "height", "model", "detail", "method", "tokens", "exact"]
    assert lines[2].split()[3:] == ["gpt-4o", "high", "tile", "255", "no"]
    assert main(["image", str(path), "--format", "csv", "-m", "gpt-5-mini", "-d", "low"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(",gpt-5-mini,low,patch,9,False")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    assert main(["image", str(bad)]) == 1
    assert "not a PNG, JPEG, GIF or WebP" in capsys.readouterr().err
    assert main(["image", str(path), "-m", "text-embedding-3-small"]) == 1
