"""What both renderers lay out alike: a content's text, an image part's tokens, the response format.

A list of text parts costs the sum of its parts' tokens with nothing per part:
what langchain-openai (``libs/partners/openai/langchain_openai/chat_models/base.py``,
``get_num_tokens_from_messages``) and litellm (``litellm/litellm_core_utils/token_counter.py``)
do. OpenAI documents no per-part overhead and no public measurement compares
the two forms (docs/chat.md, "Estimates"), so a list content makes the count an
estimate; a single text part therefore counts the same as the plain string,
but is not marked exact.
"""

from __future__ import annotations

import json

from ..errors import ImageSizeUnknownError, InvalidImageError, InvalidRequestError, UnsupportedModelError
from ..images.parts import image_part_tokens
from ..images.rules import image_rule
from .context import Context
from .layout import REASONING, Layout
from .request import Content, ImagePart, Reasoning, ResponseFormat, TextPart


def content_text(content: Content) -> str:
    """The text of a content, parts joined (images left out).

    >>> content_text((TextPart("a"), ImagePart("https://x/cat.png", None, ""), TextPart("b")))
    'ab'
    """
    if content is None or isinstance(content, str):
        return content or ""
    return "".join(p.text for p in content if isinstance(p, TextPart))


def image_tokens(part: ImagePart, ctx: Context) -> int:
    """Tokens of one image part, by :func:`tokencmp.images.image_part_tokens` plus the patch
    rule's ``part_tokens``; recorded in ``ctx.image_parts`` with the part's JSON path.

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
        ctx.estimate(
            f"{part.path}: {counted.note or 'image tokens are an estimate'}",
            rule="images",
            low=counted.low - counted.tokens,
            high=counted.high - counted.tokens,
        )
    ctx.image_parts.append(counted.model_copy(update={"path": part.path}))
    return counted.tokens + _part_tokens(ctx)


def _part_tokens(ctx: Context) -> int:
    """What the request pays per image part beyond the image's own tokens: the patch rule's
    ``part_tokens`` (recorded calls of gpt-5-mini and gpt-4.1-nano: 2), nothing on tile models."""
    rule = image_rule(ctx.info)[2]
    return rule.part_tokens if rule.method == "patch" else 0


def response_format_text(rf: ResponseFormat, template: str) -> str:
    """The ``json_schema`` response format as harmony renders it in the developer message."""
    try:
        schema = json.dumps(rf.schema, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InvalidRequestError("response_format", f"the schema is not JSON: {e}") from None
    description = f"// {rf.description}\n" if rf.description else ""
    return template.format(name=rf.name, description=description, schema=schema)


def reasoning_items(items: tuple[Reasoning, ...], ctx: Context, out: Layout) -> None:
    """The Responses input's reasoning items: those of earlier turns (before the last user
    message) cost nothing; one of the current turn is estimated from the length of its
    ``encrypted_content`` by the format's ``reasoning_items`` constants; without
    encrypted content (the API would read the stored item by its id) it is not counted."""
    rc = ctx.fmt.reasoning_items
    for item in items:
        if not item.current:
            continue
        if item.encrypted_chars and rc is not None:
            tokens = max(0, round((item.encrypted_chars - rc.base_chars) / rc.chars_per_token))
            ctx.estimate(
                "reasoning items of the current turn: estimated from the length of their encrypted "
                f"content (about 1 token per {rc.chars_per_token} characters beyond {rc.base_chars}); "
                "the reasoning itself is not visible",
                rule="reasoning_items",
            )
            out.add(REASONING, "tokens", tokens)
        else:
            ctx.estimate(
                f"{item.path}: a reasoning item of the current turn without encrypted content that "
                "tokencmp can measure: the API counts the reasoning it refers to, which is not in the "
                "request; not counted",
                rule="reasoning_unseen",
            )
