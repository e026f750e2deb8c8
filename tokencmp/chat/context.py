"""The state one count carries: model, format constants, encoding, options and notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

import tiktoken

from ..catalog import Catalog, ChatFormat, ChatRule, ModelInfo, get_catalog, resolve_model
from ..encodings import get_encoding
from ..errors import UnsupportedModelError
from ..images.parts import ImagePartCount, SizeLookup
from ..text import short_counter

_NAME_TOKENS: dict[tuple[tiktoken.Encoding, str], int] = {}
"""Tokens of a role name per encoding: a handful of fixed strings, counted once per process."""
_COUNTERS: dict[tiktoken.Encoding, Callable[[str], int]] = {}
_MODELS: dict[str, tuple[Catalog, ModelInfo, ChatFormat, tiktoken.Encoding, frozenset[ChatRule]]] = {}
"""A chat model's entry, format and encoding by the name asked for, while the catalog stays the same."""


class Context:
    """What every rendering rule needs, and the notes it leaves.

    ``estimate(note)`` records a rule that is not API-verified for this
    model; the count is exact only if no rule did. ``tokens`` counts a text as
    content (special-token strings count as text). (A plain class with slots: one is
    made per count.)
    """

    __slots__ = (
        "enc",
        "exact",
        "fmt",
        "image_parts",
        "image_sizes",
        "info",
        "notes",
        "strict_images",
        "tokens",
        "verified_rules",
    )

    def __init__(
        self,
        info: ModelInfo,
        fmt: ChatFormat,
        enc: tiktoken.Encoding,
        *,
        image_sizes: SizeLookup | None = None,
        strict_images: bool = False,
        verified_rules: frozenset[ChatRule] | None = None,
    ) -> None:
        self.info = info
        self.fmt = fmt
        self.enc = enc
        counter = _COUNTERS.get(enc)
        if counter is None:
            counter = _COUNTERS[enc] = short_counter(enc)
        self.tokens: Callable[[str], int] = counter
        self.image_sizes = image_sizes
        self.strict_images = strict_images
        self.notes: list[str] = []
        self.exact = True
        self.image_parts: list[ImagePartCount] = []
        if verified_rules is None:
            verified_rules = frozenset(r for r in get_args(ChatRule) if fmt.is_verified(r, info))
        self.verified_rules = verified_rules  # the rules of fmt checked against the API for info

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
            fmt = catalog.chat_formats[info.chat_format]
            rules = frozenset(r for r in get_args(ChatRule) if fmt.is_verified(r, info))
            known = catalog, info, fmt, get_encoding(info.encoding), rules
            if type(name) is str:  # resolve_model refuses every other kind of name
                _MODELS[name] = known
        _, info, fmt, enc, rules = known
        return cls(info, fmt, enc, image_sizes=image_sizes, strict_images=strict_images, verified_rules=rules)

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
        """Whether ``rule`` was checked against the API for this model."""
        return rule in self.verified_rules
