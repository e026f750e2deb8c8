"""Image input tokens from an image's size: OpenAI's tile and patch methods.

Each vision model names its rule in the catalog (``ModelInfo.vision``, a key
of ``image_rules``); the rule holds the numbers, this module the arithmetic.

**Tile method** (gpt-4o, gpt-4.1, gpt-5, o1/o3, ...): ``low`` costs the base
tokens. ``high`` fits the image in a 2048 px square, shrinks it so the short
side is at most 768 px (never enlarging it), and adds the tile tokens for each
512 px tile::

    >>> image_tokens(1024, 1024, model="gpt-4o", detail="high")  # 768x768: 4 tiles
    765

**Patch method** (gpt-4.1-mini, o4-mini, gpt-5-mini, gpt-5.4, ...): count
32 px patches; over the detail level's patch budget or longest-side limit,
shrink the image so that it fits, then multiply by the model's multiplier::

    >>> estimate_image(1800, 2400, model="o4-mini", detail="high").resized
    (1056, 1408)

Rounding: resized sides are rounded to the nearest pixel, halves to even. The
docs do not say; billed counts do: gpt-4.1 billed 2049x513 as 8 tiles
(2048x512.75 -> 513) and 2050x513 as 4 (2048x512.4995 -> 512), and
gpt-image-1 billed 1024x1025 as one tile (512x512.5 -> 512).

:func:`estimate_image` says whether its count is exact; a count is an estimate
when the rule is a gap or disputed, ``auto`` has no documented meaning for the
model, the detail level's sizing is derived, or the multiplier is disputed or
its product needs rounding. The notes say which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Literal

from ..catalog import ImageSizing, ModelInfo, PatchRule, TileRule, get_catalog, resolve_model
from ..decimals import EXACT, plain_text
from ..errors import ImageSizeUnknownError, InvalidRequestError, UnsupportedModelError
from ..result import Result
from .headers import check_dimensions

DETAILS = ("low", "high", "auto", "original")
FIDELITIES = ("low", "high")
_ROUNDING = {"floor": ROUND_FLOOR, "nearest": ROUND_HALF_EVEN, "ceil": ROUND_CEILING}
#: How many vision models an "this model takes no images" error names (the catalog's newest first).
_VISION_MODELS_SHOWN = 6


@dataclass(frozen=True, kw_only=True)
class ImageEstimate(Result):
    """The tokens one image costs on one model, and how they were worked out.

    ``detail`` is the level actually counted (``auto`` resolved); ``resized``
    is the size the rule scales the image to (``None`` for tile ``low``);
    ``tiles`` or ``patches`` is the unit count before base tokens or the
    multiplier. ``exact`` is False for an estimate, and ``notes`` say why.
    :meth:`~tokencmp.result.Result.to_dict` gives it as JSON-ready data:

    >>> estimate_image(512, 512, model="gpt-4o", detail="high").to_dict()["resized"]
    [512, 512]
    """

    tokens: int
    exact: bool
    width: int
    height: int
    model: str
    detail: str
    method: Literal["tile", "patch"]
    rule: str
    resized: tuple[int, int] | None = None
    tiles: int | None = None
    patches: int | None = None
    notes: tuple[str, ...] = ()
    low: int = -1
    high: int = -1
    """The range the API's count falls in (both ``tokens`` when exact; -1: made without them)."""

    def __post_init__(self) -> None:
        if self.low < 0:
            object.__setattr__(self, "low", self.tokens)
        if self.high < 0:
            object.__setattr__(self, "high", self.tokens)


def image_tokens(
    width: int,
    height: int,
    *,
    model: str | ModelInfo,
    detail: str | None = "auto",
    input_fidelity: str | None = None,
) -> int:
    """Input tokens for one ``width`` x ``height`` image on ``model``.

    ``detail`` is ``"low"``, ``"high"``, ``"auto"`` (also ``None``, as when the
    request omits it) or ``"original"`` (gpt-5.4 and newer).
    ``input_fidelity="high"`` adds gpt-image-1's high input fidelity tokens.
    Use :func:`estimate_image` to learn whether the count is exact.

    >>> image_tokens(2048, 4096, model="gpt-4o", detail="high")  # 768x1536: 6 tiles
    1105
    >>> image_tokens(4096, 8192, model="gpt-4o", detail="low")
    85
    """
    return estimate_image(
        width, height, model=model, detail=detail, input_fidelity=input_fidelity
    ).tokens


def estimate_image(
    width: int,
    height: int,
    *,
    model: str | ModelInfo,
    detail: str | None = "auto",
    input_fidelity: str | None = None,
) -> ImageEstimate:
    """Like :func:`image_tokens`, with the working: resized size, tiles or patches, exactness.

    >>> e = estimate_image(1024, 1024, model="gpt-5-mini", detail="high")
    >>> e.patches, e.tokens, e.exact   # 1024 patches x 1.2 (measured; docs say 1.62)
    (1024, 1228, False)
    """
    info, key, rule = image_rule(model)
    width, height = check_dimensions(width, height)
    counted, notes = _resolve_detail(info, rule, detail)
    fidelity = _check_fidelity(info, rule, input_fidelity)
    exact = rule.exact and (detail not in (None, "auto") or rule.auto_documented)
    if rule.estimate_note:
        notes.insert(0, rule.estimate_note)
    # An undocumented 'auto' is counted as high, an upper bound: the API may choose low instead.
    auto_low = detail in (None, "auto") and not rule.auto_documented and counted != "low"
    if isinstance(rule, TileRule):
        tokens, tiles, resized = _tile_tokens(rule, width, height, counted)
        if fidelity == "high" and rule.fidelity_extra:
            tokens += rule.fidelity_extra["square" if width == height else "non_square"]
        return ImageEstimate(
            tokens=tokens, exact=exact, width=width, height=height, model=info.name, detail=counted,
            method="tile", rule=key, resized=resized, tiles=tiles, notes=tuple(notes),
            low=min(tokens, rule.base_tokens) if auto_low else tokens,
        )
    sizing = rule.sizing[counted]
    resized, patches = _patch_count(rule.patch_size, sizing, width, height)
    tokens, product_exact = _multiply(rule, patches, notes)
    if not sizing.exact and sizing.note:
        notes.append(sizing.note)
    low, high = _product_bounds(rule, patches)
    if auto_low and "low" in rule.sizing:
        low = min(low, estimate_image(width, height, model=info, detail="low").low)
    return ImageEstimate(
        tokens=tokens, exact=exact and sizing.exact and product_exact, width=width, height=height,
        model=info.name, detail=counted, method="patch", rule=key, resized=resized, patches=patches,
        notes=tuple(notes), low=min(low, tokens), high=max(high, tokens),
    )


def max_image_tokens(
    *, model: str | ModelInfo, detail: str | None = "auto", input_fidelity: str | None = None
) -> int:
    """The most one image of any size can cost on ``model`` at ``detail``.

    The bound for an image whose size is unknown. A detail level with no size
    limit (GPT-5.6 ``original``, which ``auto`` means there) has no bound and
    raises :class:`~tokencmp.errors.ImageSizeUnknownError`.

    >>> max_image_tokens(model="gpt-4o", detail="high")  # 768x2048: 2 x 4 tiles
    1445
    """
    info, _key, rule = image_rule(model)
    counted, _notes = _resolve_detail(info, rule, detail)
    fidelity = _check_fidelity(info, rule, input_fidelity)
    if isinstance(rule, TileRule):
        if counted == "low":
            tokens = rule.base_tokens
        else:
            short = min(rule.short_side, rule.fit_box)
            tiles = math.ceil(short / rule.tile_size) * math.ceil(rule.fit_box / rule.tile_size)
            tokens = rule.base_tokens + tiles * rule.tile_tokens
        if fidelity == "high" and rule.fidelity_extra:
            tokens += max(rule.fidelity_extra.values())
        return tokens
    sizing = rule.sizing[counted]
    bounds = []
    if sizing.patches is not None:
        bounds.append(sizing.patches)
    if sizing.max_dimension is not None:
        bounds.append(math.ceil(sizing.max_dimension / rule.patch_size) ** 2)
    if not bounds:
        raise ImageSizeUnknownError(
            f"{info.name} at detail {counted!r} keeps images at their own size, so an image of unknown "
            "size has no upper bound: pass its size, or use detail 'high'."
        )
    return _multiply(rule, min(bounds), [])[0]


def image_rule(model: str | ModelInfo) -> tuple[ModelInfo, str, TileRule | PatchRule]:
    """The model, its ``image_rules`` key and the rule; UnsupportedModelError if it takes no images."""
    info = model if isinstance(model, ModelInfo) else resolve_model(model)
    if info.vision is None:
        raise UnsupportedModelError(
            f"{info.name} does not take image input. Vision models include {_vision_models()} "
            "(see `tokencmp models`)."
        )
    rules = get_catalog().image_rules
    if info.vision not in rules:
        raise UnsupportedModelError(
            f"{info.name}: the catalog has no image rule {info.vision!r}; add it to image_rules."
        )
    return info, info.vision, rules[info.vision]


def _vision_models() -> str:
    """Some of the catalog's active models that have an image rule, for an error message.

    >>> _vision_models().startswith("gpt-")
    True
    """
    catalog = get_catalog()
    models = catalog.models.values()
    names = [m.name for m in models if m.vision in catalog.image_rules and m.status == "active"]
    shown = ", ".join(names[:_VISION_MODELS_SHOWN])
    rest = len(names) - _VISION_MODELS_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


# --- detail and fidelity ------------------------------------------------------------------


def _resolve_detail(info: ModelInfo, rule: TileRule | PatchRule, detail: str | None) -> tuple[str, list[str]]:
    if detail is None:
        detail = "auto"
    if detail not in DETAILS:
        raise InvalidRequestError("detail", f"must be one of {', '.join(DETAILS)}, not {detail!r}")
    if detail not in rule.details:
        raise UnsupportedModelError(
            f"{info.name} does not accept detail {detail!r}; it takes {', '.join(rule.details)}."
        )
    if detail != "auto":
        return detail, []
    return rule.auto, [] if rule.auto_documented else [rule.auto_note or ""]


def _check_fidelity(info: ModelInfo, rule: TileRule | PatchRule, fidelity: str | None) -> str | None:
    if fidelity is None:
        return None
    if fidelity not in FIDELITIES:
        raise InvalidRequestError("input_fidelity", f"must be 'low' or 'high', not {fidelity!r}")
    if not (isinstance(rule, TileRule) and rule.fidelity_extra):
        raise UnsupportedModelError(f"{info.name} has no input_fidelity setting (gpt-image-1 has).")
    return fidelity


# --- tile method -----------------------------------------------------------------------


def _tile_tokens(
    rule: TileRule, width: int, height: int, detail: str
) -> tuple[int, int, tuple[int, int] | None]:
    if detail == "low":
        return rule.base_tokens, 0, None
    w, h = _scaled(width, height, rule.fit_box / max(width, height))
    w, h = _scaled(w, h, rule.short_side / min(w, h))
    tiles = math.ceil(w / rule.tile_size) * math.ceil(h / rule.tile_size)
    return rule.base_tokens + tiles * rule.tile_tokens, tiles, (w, h)


def _scaled(width: int, height: int, scale: float) -> tuple[int, int]:
    """The size times ``scale``, rounded half to even; never enlarged."""
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


# --- patch method ----------------------------------------------------------------------


def _patch_count(
    patch: int, sizing: ImageSizing, width: int, height: int
) -> tuple[tuple[int, int], int]:
    """Resize to the detail level's limits and count patches (OpenAI's steps A-C)."""
    scale = 1.0
    if sizing.max_dimension is not None:
        scale = min(scale, sizing.max_dimension / max(width, height))
    w, h = _scaled(width, height, scale)
    budget = sizing.patches
    if budget is not None and _patches(w, h, patch) > budget:
        shrink = math.sqrt(patch * patch * budget / (width * height))
        cols, rows = width * shrink / patch, height * shrink / patch
        # Shrink further so that the tighter side is a whole number of patches.
        shrink *= min(_whole(cols) / cols, _whole(rows) / rows)
        w, h = _scaled(width, height, min(scale, shrink))
    count = _patches(w, h, patch)
    return (w, h), count if budget is None else min(count, budget)


def _patches(width: int, height: int, patch: int) -> int:
    return math.ceil(width / patch) * math.ceil(height / patch)


def _whole(units: float) -> int:
    """``floor(units)``, forgiving float error just below a whole number; at least 1."""
    return max(1, math.floor(units + 1e-9))


def _product_bounds(rule: PatchRule, patches: int) -> tuple[int, int]:
    """Patches x multiplier rounded down and up, the rule's ``rounding_slack`` above that (the
    API was recorded above the rounded-up product)."""
    product = EXACT.multiply(Decimal(patches), rule.multiplier)
    low = int(product.to_integral_value(rounding=ROUND_FLOOR, context=EXACT))
    high = int(product.to_integral_value(rounding=ROUND_CEILING, context=EXACT))
    return low, high + (rule.rounding_slack if low != high else 0)


def _multiply(rule: PatchRule, patches: int, notes: list[str]) -> tuple[int, bool]:
    """Patches x multiplier as tokens, and whether that is exact; appends notes."""
    product = EXACT.multiply(Decimal(patches), rule.multiplier)
    tokens = int(product.to_integral_value(rounding=_ROUNDING[rule.multiplier_rounding], context=EXACT))
    if not rule.multiplier_exact and rule.multiplier_note:
        notes.append(rule.multiplier_note)
    whole = product == product.to_integral_value(context=EXACT)
    if not whole:
        way = {"floor": "rounded down", "nearest": "rounded to nearest", "ceil": "rounded up"}
        notes.append(
            f"{patches} patches x {rule.multiplier} = {plain_text(product)}, "
            f"{way[rule.multiplier_rounding]}: OpenAI does not document the rounding."
        )
    return tokens, whole and rule.multiplier_exact
