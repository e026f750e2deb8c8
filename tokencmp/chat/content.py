"""Message content: a string, or a list of parts (text, refusal, image).

A list of text parts costs the sum of its parts' tokens with nothing per part:
what langchain-openai and litellm do. OpenAI documents no per-part overhead
and no public measurement compares the two forms (reference section 1.4), so a
list content makes the count an estimate; a single text part therefore counts
the same as the plain string, but is not marked exact.
"""

from __future__ import annotations

from ..errors import ImageSizeUnknownError, InvalidImageError, UnsupportedModelError
from ..images.parts import image_part_tokens
from .context import Context
from .request import Content, ImagePart, TextPart

PARTS_NOTE = (
    "content parts: a list content is counted as the sum of its text parts with no per-part "
    "overhead (GAP; langchain-openai and litellm do the same, unmeasured)"
)


def content_tokens(content: Content, ctx: Context) -> tuple[int, int]:
    """``(text tokens, image tokens)`` of a message's content."""
    if content is None or isinstance(content, str):
        return ctx.tokens(content or ""), 0
    ctx.estimate(PARTS_NOTE)
    text = images = 0
    for part in content:
        if isinstance(part, TextPart):
            text += ctx.tokens(part.text)
        else:
            images += _image_part(part, ctx)
    return text, images


def content_text(content: Content) -> str:
    """The text of a content, parts joined (images left out)."""
    if content is None or isinstance(content, str):
        return content or ""
    return "".join(p.text for p in content if isinstance(p, TextPart))


def _image_part(part: ImagePart, ctx: Context) -> int:
    """Tokens of one image part, by :func:`tokencmp.images.image_part_tokens`.

    An image's own error (a broken data URL, an unknown size with
    ``strict_images=True``, a model that takes no images) is raised as the same
    error class with the part's JSON path in front, so the user sees where it is.
    """
    try:
        counted = image_part_tokens(
            part.url, detail=part.detail, model=ctx.info, sizes=ctx.image_sizes, strict=ctx.strict_images
        )
    except (InvalidImageError, ImageSizeUnknownError, UnsupportedModelError) as e:
        raise type(e)(f"{part.path}: {e}") from None
    if not counted.exact:
        ctx.estimate(f"{part.path}: {counted.note or 'image tokens are an estimate'}")
    ctx.image_parts.append(counted.model_copy(update={"path": part.path}))
    return counted.tokens
