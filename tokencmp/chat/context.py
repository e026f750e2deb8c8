"""The state one count carries: model, format constants, encoding, options and notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tiktoken

from ..catalog import Catalog, ChatFormat, ChatRule, ModelInfo, get_catalog, resolve_model
from ..encodings import get_encoding
from ..errors import UnsupportedModelError
from ..images.parts import ImagePartCount, SizeLookup
from ..text import short_counter

_NAME_TOKENS: dict[tuple[tiktoken.Encoding, str], int] = {}
"""Tokens of a role name per encoding: a handful of fixed strings, counted once per process."""
_COUNTERS: dict[tiktoken.Encoding, Callable[[str], int]] = {}
_MODELS: dict[str, tuple[Catalog, ModelInfo, ChatFormat, tiktoken.Encoding]] = {}
"""A chat model's entry, format and encoding by the name asked for, while the catalog stays the same."""


@dataclass
class Context:
    """What every rendering rule needs, and the notes it leaves.

    ``estimate(note)`` records a rule that is not API-verified for this
    model; the count is exact only if no rule did. ``tokens`` counts a text as
    content (special-token strings count as text).
    """

    info: ModelInfo
    fmt: ChatFormat
    enc: tiktoken.Encoding
    image_sizes: SizeLookup | None = None
    strict_images: bool = False
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    image_parts: list[ImagePartCount] = field(default_factory=list)
    tokens: Callable[[str], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        counter = _COUNTERS.get(self.enc)
        if counter is None:
            counter = _COUNTERS[self.enc] = short_counter(self.enc)
        self.tokens = counter

    @classmethod
    def for_model(
        cls, name: str, *, image_sizes: SizeLookup | None = None, strict_images: bool = False
    ) -> Context:
        """The context of a count for the model ``name`` (which must be a chat model)."""
        catalog = get_catalog()
        known = _MODELS.get(name) if type(name) is str else None
        if known is None or known[0] is not catalog:
            info = resolve_model(name)
            if info.chat_format is None:
                raise UnsupportedModelError(
                    f"{info.name} is {'an' if info.kind[:1] in 'aeiou' else 'a'} {info.kind} model, not a "
                    "chat model; count its text with "
                    "tokencmp.count_tokens instead."
                )
            known = catalog, info, catalog.chat_formats[info.chat_format], get_encoding(info.encoding)
            if type(name) is str:  # resolve_model refuses every other kind of name
                _MODELS[name] = known
        _, info, fmt, enc = known
        return cls(info=info, fmt=fmt, enc=enc, image_sizes=image_sizes, strict_images=strict_images)

    def role_tokens(self, role: str) -> int:
        """:attr:`tokens` of a role name (one of the few valid roles), cached."""
        key = (self.enc, role)
        count = _NAME_TOKENS.get(key)
        if count is None:
            count = _NAME_TOKENS[key] = self.tokens(role)
        return count

    def estimate(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)
        self.exact = False

    def verified(self, rule: ChatRule) -> bool:
        return self.fmt.is_verified(rule, self.info)
