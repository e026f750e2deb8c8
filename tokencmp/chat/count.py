"""The public entry points: count a whole request, or a list of messages.

>>> import tokencmp
>>> body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}],
...         "max_completion_tokens": 100, "temperature": 0}
>>> c = tokencmp.count_request(body)
>>> c.total, c.exact, c.max_output_tokens
(8, True, 100)
>>> tokencmp.count_request(body, model="gpt-5-chat-latest").exact  # no recorded call measures it
False
"""

from __future__ import annotations

from typing import Any

from ..catalog import resolve_model
from ..errors import InvalidRequestError
from ..images.parts import SizeLookup
from .chatml import render_chatml
from .context import Context
from .harmony import render_harmony
from .parse import parse_request
from .result import RequestCount
from .vendor_templates import render_template, template_for


def count_request(
    request: Any,
    *,
    model: str | None = None,
    image_sizes: SizeLookup | None = None,
    strict_images: bool = False,
    strict_model: bool = False,
) -> RequestCount:
    """The ``prompt_tokens`` a Chat Completions (or Responses) request will use, with a breakdown.

    Args:
        request: the body as sent (``curl -d``), the keyword arguments of
            ``client.chat.completions.create`` / ``client.responses.create``,
            SDK TypedDicts or pydantic objects.
        model: counts for this model instead of the body's ``model``.
        image_sizes: image sizes the caller knows: a mapping ``url -> (width,
            height)`` or a callable returning one or None. tokencmp never fetches
            a URL; a ``data:`` URL's size is read from its header.
        strict_images: raise :class:`~tokencmp.errors.ImageSizeUnknownError`
            for an image of unknown size instead of counting the model's upper
            bound for one image (marked as an estimate).
        strict_model: accept only a model the catalog holds (an entry or alias):
            a name a rule would resolve (a snapshot, a variant, a new family member)
            raises :class:`~tokencmp.errors.AssumedModelError`.

    Raises :class:`~tokencmp.errors.InvalidRequestError` (with the JSON path)
    for a malformed body, :class:`~tokencmp.errors.UnknownModelError` for an
    unknown model and :class:`~tokencmp.errors.UnsupportedModelError` for a
    model that does not chat (an embedding model, say).

    The path is one way: parse the body into the one normalised request
    (:func:`~tokencmp.chat.parse.parse_request`), lay it out with the
    model's renderer (:func:`~tokencmp.chat.chatml.render_chatml` or
    :func:`~tokencmp.chat.harmony.render_harmony`) as labelled segments,
    count the segments; the breakdown is their sum by label.
    """
    req = parse_request(request)
    name = model if model is not None else req.model
    if name is None:
        raise InvalidRequestError("model", "missing; put the model in the body or pass model=")
    if strict_model:
        resolve_model(name, strict=True)  # the check; Context resolves it again, from the cache
    template = template_for(name)
    if template is not None:  # another vendor's model: its own chat template
        layout, tctx = render_template(req, *template)
        return RequestCount.of(layout, layout.text_counts(tctx.count_all), req, tctx)
    ctx = Context.for_model(name, image_sizes=image_sizes, strict_images=strict_images, api=req.api)
    for note, rule in req.notes:
        ctx.estimate(note, rule=rule)
    layout = (render_harmony if ctx.fmt.harmony is not None else render_chatml)(req, ctx)
    info = ctx.info
    if info.assumed_from is not None:
        ctx.notes.extend(f"model: {n}" for n in info.notes[:1])
    return RequestCount.of(layout, layout.text_counts(ctx.count_all), req, ctx)


def count_messages(
    messages: Any,
    *,
    model: str,
    tools: Any = None,
    tool_choice: Any = None,
    functions: Any = None,
    function_call: Any = None,
    image_sizes: SizeLookup | None = None,
    strict_images: bool = False,
    strict_model: bool = False,
) -> RequestCount:
    """:func:`count_request` for loose parts of a Chat Completions request.

    >>> import tokencmp
    >>> tokencmp.count_messages([{"role": "user", "content": "hello world"}], model="gpt-3.5-turbo").total
    9
    """
    body: dict[str, Any] = {"model": model, "messages": messages}
    extra = {
        "tools": tools,
        "tool_choice": tool_choice,
        "functions": functions,
        "function_call": function_call,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return count_request(
        body, image_sizes=image_sizes, strict_images=strict_images, strict_model=strict_model
    )
