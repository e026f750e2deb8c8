"""The shape of the catalog's ``image_rules`` and ``image_limits``: how images become tokens.

Re-exported from :mod:`.schema`, whose :class:`~tokencmp.catalog.schema.Catalog` holds them;
its own module so the schema file reads one section at a time (see :mod:`.chat_schema`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from .strict import STRICT


class _Strict(BaseModel):
    model_config = STRICT


class ImageSizing(_Strict):
    """How one ``detail`` level of a patch model shrinks an image before counting patches.

    ``None`` means no such limit. ``exact`` is False where the sizing is derived or
    borrowed rather than published (``note`` says which).
    """

    patches: int | None = Field(default=None, gt=0)
    max_dimension: int | None = Field(default=None, gt=0)
    exact: bool = True
    note: str | None = None


class _ImageRuleBase(_Strict):
    """What every image-token rule states: accepted ``detail`` values, exactness, provenance.

    ``auto`` is the detail level that ``"auto"`` (and an omitted detail) is counted
    as; ``auto_documented`` says whether OpenAI documents that, and ``auto_note``
    explains the choice when it does not. ``exact`` is False for a rule whose
    constants are disputed or borrowed, with the reason in ``estimate_note``;
    ``gap`` marks a model OpenAI's tables do not place, counted with the rule
    named in ``like`` (whose fields it inherits).
    """

    details: tuple[str, ...]
    auto: str
    auto_documented: bool = False
    auto_note: str | None = None
    exact: bool = True
    estimate_note: str | None = None
    gap: bool = False
    like: str | None = None
    sources: tuple[str, ...]
    checked: date
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_notes(self) -> _ImageRuleBase:
        if "auto" not in self.details or self.auto not in self.details or self.auto == "auto":
            raise ValueError("'auto' must be a detail value and resolve to another one")
        if not self.auto_documented and not self.auto_note:
            raise ValueError("auto_note must say how 'auto' is counted when it is not documented")
        if (not self.exact or self.gap) and not self.estimate_note:
            raise ValueError("estimate_note must say why a gap or inexact rule is an estimate")
        if self.gap and (self.exact or self.like is None):
            raise ValueError("a gap rule is never exact and names the rule it is counted 'like'")
        return self


class TileRule(_ImageRuleBase):
    """The tile method: fit in ``fit_box``, shrink the short side to ``short_side``, count tiles.

    ``fidelity_extra`` (gpt-image-1 only) holds the tokens high input fidelity
    adds, for a ``square`` image and otherwise (``non_square``).
    """

    method: Literal["tile"]
    base_tokens: int = Field(ge=0)
    tile_tokens: int = Field(gt=0)
    tile_size: int = Field(gt=0)
    fit_box: int = Field(gt=0)
    short_side: int = Field(gt=0)
    fidelity_extra: dict[Literal["square", "non_square"], int] | None = None


class PatchRule(_ImageRuleBase):
    """The patch method: ``patch_size`` px patches under a per-detail budget, times a multiplier.

    ``sizing`` maps each detail level (other than ``auto``) to its limits. ``multiplier_values`` records
    every published or measured multiplier by where it comes from; ``multiplier``
    is the one used, and ``multiplier_exact`` is False where they disagree or
    none is published (``multiplier_note`` says which was chosen and why).
    ``multiplier_rounding`` turns the product into tokens.
    """

    method: Literal["patch"]
    patch_size: int = Field(gt=0)
    sizing: dict[str, ImageSizing]
    multiplier: Decimal = Field(gt=0)
    multiplier_exact: bool = True
    multiplier_note: str | None = None
    multiplier_values: dict[str, Decimal] = {}
    multiplier_rounding: Literal["floor", "nearest", "ceil"]
    rounding_slack: int = Field(default=0, ge=0)
    """How far above the rounded-up product of patches and multiplier the API was recorded."""
    part_tokens: int = Field(default=0, ge=0)
    """What a request pays per image part beyond the patch product (recorded calls; docs/chat.md)."""

    @model_validator(mode="after")
    def _check_sizing(self) -> PatchRule:
        if not self.multiplier_exact and not self.multiplier_note:
            raise ValueError("multiplier_note must explain a multiplier that is not exact")
        missing = [d for d in self.details if d != "auto" and d not in self.sizing]
        if missing:
            raise ValueError(f"no sizing for detail {', '.join(missing)}")
        return self


ImageRule = Annotated[TileRule | PatchRule, Field(discriminator="method")]


class ImageLimits(_Strict):
    """The largest image tokencmp accepts; bigger headers are treated as invalid."""

    max_side: int = Field(gt=0)
    max_pixels: int = Field(gt=0)
    source: str
    checked: date
    note: str = ""
