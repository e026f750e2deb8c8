"""Limits: how many prompt tokens fit, and how much output a request can produce.

    >>> from tokencmp.catalog import resolve_model
    >>> gpt_4o = resolve_model("gpt-4o")        # 128,000 context, 16,384 max output
    >>> output_tokens_max(gpt_4o, 120_000)      # the context leaves 8,000
    8000
    >>> output_tokens_max(gpt_4o, 1_000, 500)   # the request's own cap
    500
    >>> prompt_limit(gpt_4o, 1_000)             # 128,000 less 1,000 reserved for the answer
    127000

The rules, with every number from the catalog:

- The prompt must fit the model's *input limit*, which is lower than the
  context window where the API enforces one (the gpt-5 family accepts at most
  272,000 input tokens of its 400,000 context).
- The prompt plus the output reserved for the answer must fit the context
  window.
- The most output is the request's own cap, never more than the model's
  maximum output or what the context window leaves after the prompt. An
  embedding model produces none.
"""

from __future__ import annotations

from ..catalog import ModelInfo


def output_tokens_max(info: ModelInfo, prompt: int, allowed: int | None = None) -> int | None:
    """The most output tokens one completion of a ``prompt``-token request can produce.

    ``allowed`` is the request's own cap (its max tokens), if any. ``None``
    when neither the request nor the catalog bounds the output.
    """
    if info.kind == "embedding":
        return 0
    bound = allowed
    if info.max_output_tokens is not None:
        bound = info.max_output_tokens if bound is None else min(bound, info.max_output_tokens)
    if info.context_window is not None:
        left = max(info.context_window - prompt, 0)
        bound = left if bound is None else min(bound, left)
    return bound


def output_headroom(info: ModelInfo, prompt: int) -> int:
    """The most output the model can still produce after ``prompt`` (0 over the input limit)."""
    if info.input_limit is not None and prompt > info.input_limit:
        return 0
    return output_tokens_max(info, prompt) or 0


def prompt_limit(info: ModelInfo, reserved: int) -> int | None:
    """The most prompt tokens that fit: the input limit, and the context window less ``reserved``."""
    limits = [info.input_limit] if info.input_limit is not None else []
    if info.context_window is not None:
        limits.append(max(info.context_window - reserved, 0))
    return min(limits, default=None)
