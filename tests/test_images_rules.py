"""Image tokens from sizes: the tile and patch methods, per model family.

Where each expected number comes from (the catalog's ``sources`` name the same pages):

DOC = OpenAI's images and vision guide, https://developers.openai.com/api/docs/guides/images-vision
(the tile and patch methods, their tables, the "Model sizing behavior" table), as copied in the
docs mirror github.com/piercecohen1/openai-docs, guides/guides/images-vision.md @ de09146
(2026-07-15); the gpt-4o worked examples (765, 1105, 85)
are in the copy @ 3e48887 (2026-02-26). gpt-5.4 / gpt-5.5 detail limits: the latest-model guide,
https://developers.openai.com/api/docs/guides/latest-model (same mirror, guides/guides/latest-model.md).
DERIVED = worked by hand from the documented formula and table constants (arithmetic in the comments).
COMMUNITY = a billed count reported on OpenAI's forum, https://community.openai.com/t/<slug>/<id>:
1262691 (vision-more-than-one-way-to-send-a-request-undocumented-and-different-pricing-realized),
1281361 (vision-pricing-calculator-inaccurate-resizing-rounding-vs-api-costs),
1344040 (gpt-5-mini-image-input-token-calculation-discrepancy-with-official-faq-formula),
1377015 (introducing-gpt-5-4-mini-and-nano-our-most-capable-small-models-yet).
The multipliers of models with none in the docs (1.2) are litellm 1.110.2's
``_PATCH_IMAGE_MULTIPLIERS`` (litellm/litellm_core_utils/token_counter.py in the PyPI wheel).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp import estimate_image, image_tokens, max_image_tokens
from tokencmp.errors import (
    ImageSizeUnknownError,
    InvalidImageError,
    InvalidRequestError,
    UnsupportedModelError,
)

TILE_85 = ["gpt-4o", "gpt-4.1", "gpt-4.5-preview"]
PATCH_1536 = ["gpt-4.1-mini", "gpt-4.1-nano", "o4-mini", "gpt-5-mini", "gpt-5-nano", "gpt-5.4-mini",
              "gpt-5.4-nano", "gpt-5.2"]


# --- DOC examples ------------------------------------------------------------------------


@pytest.mark.parametrize("model", TILE_85)
def test_docs_tile_examples(model: str) -> None:
    # DOC: 1024x1024 high -> 768x768, 4 tiles: 85 + 4*170 = 765
    assert image_tokens(1024, 1024, model=model, detail="high") == 765
    # DOC: 2048x4096 high -> 1024x2048 -> 768x1536, 2x3 = 6 tiles: 85 + 6*170 = 1105
    assert image_tokens(2048, 4096, model=model, detail="high") == 1105
    # DOC: any size at low costs the base: 85
    assert image_tokens(4096, 8192, model=model, detail="low") == 85


@pytest.mark.parametrize("model", PATCH_1536)
def test_docs_patch_examples(model: str) -> None:
    # DOC: 1024x1024 = 32x32 = 1024 patches, within the 1,536 budget, no resize
    small = estimate_image(1024, 1024, model=model, detail="high")
    assert (small.patches, small.resized) == (1024, (1024, 1024))
    # DOC: 1800x2400 = 57x75 = 4275 patches > 1536; shrink 0.603 -> 0.586; 1056x1408 = 33x44 = 1452
    big = estimate_image(1800, 2400, model=model, detail="high")
    assert (big.patches, big.resized) == (1452, (1056, 1408))


# --- one worked case per family ----------------------------------------------------------


@pytest.mark.parametrize(
    "model, base, tile",
    [("gpt-4o-mini", 2833, 5667), ("gpt-5", 70, 140), ("gpt-5-chat-latest", 70, 140), ("o1", 75, 150),
     ("o1-pro", 75, 150), ("o3", 75, 150), ("computer-use-preview", 65, 129)],
)
def test_tile_families_derived(model: str, base: int, tile: int) -> None:
    # DERIVED from the guide's tile table (base, tile): 4 tiles, 6 tiles, base, 1 tile
    assert image_tokens(1024, 1024, model=model, detail="high") == base + 4 * tile
    assert image_tokens(2048, 4096, model=model, detail="high") == base + 6 * tile
    assert image_tokens(4096, 8192, model=model, detail="low") == base
    assert image_tokens(512, 512, model=model, detail="high") == base + tile


def test_tile_family_figures_worked_by_hand() -> None:
    # DERIVED from the guide's tile table: gpt-4o-mini 2833 + 4*5667 = 25501, + 6*5667 = 36835;
    # gpt-5 70 + 4*140 = 630; o3 75 + 6*150 = 975; computer-use-preview 65 + 129 = 194
    assert image_tokens(1024, 1024, model="gpt-4o-mini", detail="high") == 25501
    assert image_tokens(2048, 4096, model="gpt-4o-mini", detail="high") == 36835
    assert image_tokens(1024, 1024, model="gpt-5", detail="high") == 630
    assert image_tokens(2048, 4096, model="o3", detail="high") == 975
    assert image_tokens(512, 512, model="computer-use-preview", detail="high") == 194


def test_gpt_image_1_inputs_use_a_512_short_side_and_fidelity_extras() -> None:
    # DERIVED: 1024x1024 -> short side 512 -> 512x512, 1 tile: 65 + 129 = 194; high fidelity +4160 = 4354
    assert image_tokens(1024, 1024, model="gpt-image-1") == 194
    assert image_tokens(1024, 1024, model="gpt-image-1", input_fidelity="high") == 4354
    # DERIVED: 1024x1536 -> 512x768, 1x2 tiles: 65 + 2*129 = 323; high fidelity (not square) +6240 = 6563
    assert image_tokens(1024, 1536, model="gpt-image-1") == 323
    assert image_tokens(1024, 1536, model="gpt-image-1", input_fidelity="high") == 6563
    assert image_tokens(1024, 1536, model="gpt-image-1", input_fidelity="low") == 323


def test_gpt_image_1_half_pixel_rounds_to_even() -> None:
    # COMMUNITY (1281361): 1024x1025 billed image_tokens=194: 512x512.5 -> 512, one tile (65 + 129)
    assert image_tokens(1024, 1025, model="gpt-image-1") == 194


def test_patch_multipliers_and_rounding() -> None:
    # DOC multiplier: o4-mini 1452 x 1.72 = 2497.44 -> 2497 (rounding undocumented -> estimate)
    e = estimate_image(1800, 2400, model="o4-mini", detail="high")
    assert (e.tokens, e.exact) == (2497, False)
    assert any("2497.44" in n for n in e.notes)
    # COMMUNITY (1281361): gpt-4.1-mini 4000x1474 billed 2488: fit 2048 -> 2048x755 = 64x24 = 1536
    # patches (the budget exactly); 1536 x 1.62 = 2488.32 -> 2488
    assert image_tokens(4000, 1474, model="gpt-4.1-mini", detail="high") == 2488
    # gpt-4.1-nano 1024 x 2.46 = 2519.04 -> 2519
    assert image_tokens(1024, 1024, model="gpt-4.1-nano", detail="high") == 2519
    # a whole product is exact: gpt-4.1-mini 1600x640 = 50x20 = 1000 x 1.62 = 1620
    e = estimate_image(1600, 640, model="gpt-4.1-mini", detail="high")
    assert (e.patches, e.tokens, e.exact) == (1000, 1620, True)


@pytest.mark.parametrize(
    "model, used, docs, tokens",
    [("gpt-5-mini", "1.2", "1.62", 1200), ("gpt-5-nano", "1.5", "2.46", 1500),
     ("gpt-5.4-mini", "1.2", "1.62", 1200), ("gpt-5.4-nano", "1.2", "2.46", 1200)],
)
def test_disputed_multipliers_use_the_measured_value_and_say_so(
    model: str, used: str, docs: str, tokens: int
) -> None:
    # COMMUNITY (1344040, 1377015): billed multipliers differ from the docs table
    rule = tokencmp.get_catalog().image_rules[tokencmp.resolve_model(model).vision]
    assert str(rule.multiplier) == used and str(rule.multiplier_values["docs"]) == docs
    # 1600x640 = 1000 patches: 1000 x multiplier is whole, yet the count is an estimate
    e = estimate_image(1600, 640, model=model, detail="high")
    assert e.tokens == tokens and not e.exact  # 1000 x the measured multiplier
    assert any(docs in n for n in e.notes)


def test_gpt_5_4_and_5_5_budgets() -> None:
    # DERIVED: high, 2500 patches: shrink sqrt(1024*2500/(1800*2400)) = 0.7698; sides 43.30 and 57.73
    # patches -> x 57/57.73 -> 0.7601 -> 1368x1824 = 43x57 = 2451 patches
    e = estimate_image(1800, 2400, model="gpt-5.4", detail="high")
    assert (e.resized, e.patches) == ((1368, 1824), 2451)
    # DERIVED: original (10,000 patches, 6000 px): 57x75 = 4275, no resize; auto = original on gpt-5.5
    e = estimate_image(1800, 2400, model="gpt-5.5")
    assert (e.detail, e.patches, e.resized) == ("original", 4275, (1800, 2400))
    # gpt-5.4: auto means high (DOC)
    assert estimate_image(1800, 2400, model="gpt-5.4").detail == "high"
    # DERIVED: gpt-5.5 low, 512 px limit: 1024x1024 -> 512x512 = 16x16 = 256
    e = estimate_image(1024, 1024, model="gpt-5.5", detail="low")
    assert (e.patches, e.exact) == (256, False)


def test_gpt_5_6_original_keeps_the_size() -> None:
    # DERIVED: 4000x3000 = 125 x 94 (ceil 93.75) = 11750 patches, no budget
    for model in ("gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna"):
        e = estimate_image(4000, 3000, model=model)
        assert (e.detail, e.patches, e.resized) == ("original", 11750, (4000, 3000))
        # 1800x2400 = 57x75 = 4275
        assert estimate_image(1800, 2400, model=model, detail="original").patches == 4275
        assert not e.exact  # the multiplier (1.2, litellm) is not published


# --- rounding and upscaling ----------------------------------------------------------------


def test_community_rounding_gpt_4_1_2049_vs_2050() -> None:
    # COMMUNITY (1281361): 2049x513 billed 1453 = 8 text + 85 + 8*170 (2048x512.75 -> 513: 4x2 tiles);
    # 2050x513 billed 773 = 8 text + 85 + 4*170 (2048x512.4995 -> 512: 4x1 tiles). Flooring gives 773 twice.
    assert image_tokens(2049, 513, model="gpt-4.1", detail="high") == 1453 - 8
    assert image_tokens(2050, 513, model="gpt-4.1", detail="high") == 773 - 8


@pytest.mark.parametrize(
    "model, low, high", [("gpt-4o", 97, 267), ("gpt-4o-mini", 2845, 8512), ("o3", 86, 236)]
)
def test_no_upscaling_128x64_costs_one_tile_more_than_low(model: str, low: int, high: int) -> None:
    # COMMUNITY (1262691): request totals at low and high differ by exactly one tile: 128x64 is not
    # scaled up to a 768 short side (that would be 1536x768 = 6 tiles)
    e = estimate_image(128, 64, model=model, detail="high")
    assert e.resized == (128, 64) and e.tiles == 1
    assert e.tokens - image_tokens(128, 64, model=model, detail="low") == high - low


def test_patch_models_never_enlarge() -> None:
    # 100x50 = ceil(3.125) x ceil(1.5625) = 4x2 = 8 patches
    assert estimate_image(100, 50, model="gpt-5.4-mini", detail="high").patches == 8


# --- detail, gaps, errors -------------------------------------------------------------------


def test_auto_on_tile_models_counts_high_as_an_estimate() -> None:
    e = estimate_image(1024, 1024, model="gpt-4o")
    assert (e.detail, e.tokens, e.exact) == ("high", 765, False)
    assert estimate_image(1024, 1024, model="gpt-4o", detail=None) == e
    assert estimate_image(1024, 1024, model="gpt-4o", detail="high").exact


@pytest.mark.parametrize(
    "model, like", [("gpt-5.1", "gpt-5"), ("gpt-5-pro", "gpt-5"), ("o3-pro", "o3"), ("gpt-4-turbo", "gpt-4o"),
                    ("gpt-5.2-pro", "gpt-5.2"), ("gpt-5.4-pro", "gpt-5.4"), ("gpt-5.5-pro", "gpt-5.5")],
)
def test_gap_models_borrow_a_rule_and_are_estimates(model: str, like: str) -> None:
    for detail in ("low", "high"):
        e = estimate_image(1800, 2400, model=model, detail=detail)
        assert e.tokens == image_tokens(1800, 2400, model=like, detail=detail)
        assert not e.exact and e.notes[0].startswith("Estimate:")


def test_o1_tile_constants_are_disputed() -> None:
    e = estimate_image(1024, 1024, model="o1", detail="high")
    assert (e.tokens, e.exact) == (675, False)  # 75 + 4*150, but measured 22/44 on o1-2024-12-17


def test_detail_errors() -> None:
    with pytest.raises(UnsupportedModelError, match="original"):
        image_tokens(100, 100, model="gpt-4o", detail="original")
    with pytest.raises(InvalidRequestError, match="medium"):
        image_tokens(100, 100, model="gpt-4o", detail="medium")
    with pytest.raises(UnsupportedModelError, match="input_fidelity"):
        image_tokens(100, 100, model="gpt-4o", input_fidelity="high")
    with pytest.raises(InvalidRequestError):
        image_tokens(100, 100, model="gpt-image-1", input_fidelity="max")


@pytest.mark.parametrize("model", ["gpt-3.5-turbo", "text-embedding-3-small", "o3-mini", "gpt-4-0613"])
def test_models_without_vision_are_refused(model: str) -> None:
    with pytest.raises(UnsupportedModelError, match="image"):
        image_tokens(100, 100, model=model)


@pytest.mark.parametrize("size", [(0, 10), (10, -1), (1.5, 10), (True, 10), ("10", 10), (100000, 100000),
                                  (70000, 1), (20000, 20000)])
def test_bad_dimensions(size: tuple) -> None:
    with pytest.raises(InvalidImageError):
        image_tokens(*size, model="gpt-4o")


def test_every_vision_model_counts_at_every_detail_it_accepts() -> None:
    catalog = tokencmp.get_catalog()
    for info in catalog.models.values():
        if info.vision is None:
            continue
        for detail in catalog.image_rules[info.vision].details:
            e = estimate_image(1234, 987, model=info, detail=detail)
            assert e.tokens > 0 and e.rule == info.vision


# --- upper bounds ---------------------------------------------------------------------------


def test_upper_bounds() -> None:
    # tile: at most 768 x 2048 after resizing = 2 x 4 tiles: 85 + 8*170 = 1445
    assert max_image_tokens(model="gpt-4o", detail="high") == 1445
    assert max_image_tokens(model="gpt-4o", detail="low") == 85
    # gpt-image-1: 512 x 2048 = 1 x 4 tiles: 65 + 4*129 = 581; high fidelity adds at most 6240
    assert max_image_tokens(model="gpt-image-1", input_fidelity="high") == 581 + 6240
    # patch: the 1,536 budget x 1.72 = 2641.92 -> 2641
    assert max_image_tokens(model="o4-mini", detail="high") == 2641
    # gpt-5.5 auto = original: 10,000 x 1.2 = 12000
    assert max_image_tokens(model="gpt-5.5") == 12000
    with pytest.raises(ImageSizeUnknownError, match="no upper bound"):
        max_image_tokens(model="gpt-5.6-sol")


BOUNDED = ["gpt-4o", "gpt-4o-mini", "gpt-image-1", "gpt-4.1-mini", "o4-mini", "gpt-5-nano", "gpt-5.4",
           "gpt-5.5"]


@settings(max_examples=150, deadline=None)
@given(w=st.integers(1, 12000), h=st.integers(1, 12000))
def test_no_image_costs_more_than_the_upper_bound(w: int, h: int) -> None:
    for model in BOUNDED:
        rule = tokencmp.get_catalog().image_rules[tokencmp.resolve_model(model).vision]
        for detail in rule.details:
            bound = max_image_tokens(model=model, detail=detail)
            assert image_tokens(w, h, model=model, detail=detail) <= bound
