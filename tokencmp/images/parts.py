"""The tokens of one image part of a request, from its URL, without fetching anything.

:func:`image_part_tokens` is what request counting calls for a Chat
Completions ``image_url`` part or a Responses ``input_image`` part. The size
comes from the caller (``sizes``: a mapping or a callback), else from the
header of a ``data:`` URL. A remote URL of unknown size is counted at the most
the model can charge for one image at that detail, marked ``exact=False``;
``strict=True`` raises :class:`~tokencmp.errors.ImageSizeUnknownError` instead.
A tile model's ``low`` detail costs the same at any size, so it needs none::

    >>> from tokencmp import resolve_model
    >>> part = image_part_tokens("https://example.com/cat.png", detail="high",
    ...                          model=resolve_model("gpt-4o"))
    >>> part.tokens, part.exact
    (1445, False)
    >>> image_part_tokens("https://example.com/cat.png", detail="low", model=resolve_model("gpt-4o")).exact
    True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..catalog import ModelInfo, PatchRule, TileRule
from ..errors import ImageSizeUnknownError, InvalidImageError
from ..result import Result
from .headers import check_dimensions, image_size, short_repr
from .rules import ImageEstimate, estimate_image, image_rule, max_image_tokens

Size = tuple[int, int]
SizeLookup = Mapping[str, Size] | Callable[[str], Size | None]
"""Sizes the caller knows: a mapping url -> (width, height), or a callable returning one or None."""
SizeFrom = Literal["sizes", "data-url", "unknown"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImagePartCount(Result):
    """Tokens of one image part.

    ``width``/``height`` are ``None`` when the size is unknown (then ``tokens``
    is the model's upper bound and ``exact`` is False). ``detail`` is the level
    counted (``auto`` resolved); ``size_from`` says where the size came from;
    ``note`` explains anything estimated; ``path`` is the part's JSON path
    when it was counted inside a request (``messages[1].content[0]``).

    >>> from tokencmp import resolve_model
    >>> part = image_part_tokens("https://example.com/a.png", detail="low", model=resolve_model("gpt-4o"))
    >>> part.to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'tokens': 85, 'exact': True, 'width': None, 'height': None, 'detail': 'low', 'method': 'tile',
     'rule': 'tile:gpt-4o', 'size_from': 'unknown', 'note': None, 'path': None, 'low': 85, 'high': 85}
    """

    tokens: int
    exact: bool
    width: int | None
    height: int | None
    detail: str
    method: Literal["tile", "patch"]
    rule: str
    size_from: SizeFrom
    note: str | None = None
    path: str | None = None
    low: int = -1
    high: int = -1
    """The range the API's count falls in: ``tokens`` both when exact; for an image of unknown
    size, the smallest count any image could be up to the upper bound counted."""

    def __post_init__(self) -> None:
        if self.low < 0:
            object.__setattr__(self, "low", self.tokens)
        if self.high < 0:
            object.__setattr__(self, "high", self.tokens)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> ImagePartCount:
        """A copy with the fields in ``update`` changed: kept from when this was a pydantic model.

        New code uses :func:`dataclasses.replace`; the request counter sets ``path`` this way.
        """
        return dataclasses.replace(self, **(update or {}))


def image_part_tokens(
    url: str,
    *,
    detail: str | None,
    model: str | ModelInfo,
    sizes: SizeLookup | None = None,
    strict: bool = False,
    input_fidelity: str | None = None,
) -> ImagePartCount:
    """Tokens of an image part whose image is at ``url`` (``detail=None``: omitted, i.e. ``auto``).

    Raises :class:`~tokencmp.errors.UnsupportedModelError` for a model that
    takes no images, :class:`~tokencmp.errors.InvalidImageError` for a data URL
    or supplied size that is not a valid image.
    """
    if not isinstance(url, str):
        raise InvalidImageError(f"An image URL must be a string, not {type(url).__name__}.")
    info, key, rule = image_rule(model)  # a model without images fails before any size is read
    size, size_from = _find_size(url, sizes)
    if size is None:
        return _unknown(url, detail, info, key, rule, strict=strict, input_fidelity=input_fidelity)
    estimate = estimate_image(*size, model=info, detail=detail, input_fidelity=input_fidelity)
    return _counted(estimate, size_from)


def _counted(estimate: ImageEstimate, size_from: SizeFrom, *, sized: bool = True) -> ImagePartCount:
    """An :class:`ImagePartCount` from an estimate (without its size when ``sized`` is False)."""
    return ImagePartCount(
        tokens=estimate.tokens, exact=estimate.exact, width=estimate.width if sized else None,
        height=estimate.height if sized else None, detail=estimate.detail, method=estimate.method,
        rule=estimate.rule, size_from=size_from, note=" ".join(estimate.notes) or None,
        low=estimate.low, high=estimate.high,
    )


def _find_size(url: str, sizes: SizeLookup | None) -> tuple[Size | None, SizeFrom]:
    if sizes is not None:
        given = sizes.get(url) if isinstance(sizes, Mapping) else sizes(url)
        if given is not None:
            if not isinstance(given, (tuple, list)) or len(given) != 2:
                raise InvalidImageError(
                    f"The size given for {short_repr(url)} must be (width, height), not {given!r}."
                )
            return check_dimensions(given[0], given[1], f"the size given for {short_repr(url)}"), "sizes"
    if url[:16].lstrip().lower().startswith("data:"):
        return image_size(url), "data-url"
    return None, "unknown"


def _unknown(
    url: str,
    detail: str | None,
    model: ModelInfo,
    key: str,
    rule: TileRule | PatchRule,
    *,
    strict: bool,
    input_fidelity: str | None,
) -> ImagePartCount:
    where = short_repr(url)
    counted = rule.auto if detail in (None, "auto") else detail
    if counted == "low" and rule.method == "tile" and input_fidelity in (None, "low"):
        # A tile model's low detail is its flat base whatever the size (the guide: 4096x8192 at
        # low is 85 on gpt-4o), so the size is not needed; any size gives the same estimate.
        flat = estimate_image(1, 1, model=model, detail=counted, input_fidelity=input_fidelity)
        return _counted(flat, "unknown", sized=False)
    if strict:
        raise ImageSizeUnknownError(
            f"The size of {where} is unknown and tokencmp never fetches URLs: give its size "
            "(image_sizes={url: (width, height)} in Python, --image-size URL=WxH on the command "
            "line) or use a data URL."
        )
    tokens = max_image_tokens(model=model, detail=detail, input_fidelity=input_fidelity)
    smallest = estimate_image(1, 1, model=model, detail=detail, input_fidelity=input_fidelity)
    return ImagePartCount(
        tokens=tokens, exact=False, width=None, height=None, detail=counted, method=rule.method,
        rule=key, size_from="unknown", low=min(smallest.low, tokens), high=tokens,
        note=f"Size of {where} unknown (never fetched): counted at the most {model.name} charges for "
        f"one image at detail {counted!r}. Give its size (image_sizes=, --image-size) for an exact count.",
    )
