"""The state one count carries: model, format constants, encoding, options and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

import tiktoken

from ..catalog import ChatFormat, ChatRule, ModelInfo
from ..images.parts import ImagePartCount, SizeLookup
from ..text import short_counter

_NAME_TOKENS: dict[tuple[tiktoken.Encoding, str], int] = {}
"""Tokens of a role name per encoding: a handful of fixed strings, counted once per process."""


@dataclass
class Context:
    """What every counting rule needs, and the notes it leaves.

    ``estimate(note)`` records a rule that is not API-verified for this
    model; the count is exact only if no rule did.
    """

    info: ModelInfo
    fmt: ChatFormat
    enc: tiktoken.Encoding
    image_sizes: SizeLookup | None = None
    strict_images: bool = False
    notes: list[str] = field(default_factory=list)
    exact: bool = True
    image_parts: list[ImagePartCount] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._count = short_counter(self.enc)

    def tokens(self, text: str) -> int:
        """Tokens of ``text`` as content: special-token strings count as text."""
        return self._count(text) if text else 0

    def role_tokens(self, role: str) -> int:
        """:meth:`tokens` of a role name (one of the few valid roles), cached."""
        key = (self.enc, role)
        count = _NAME_TOKENS.get(key)
        if count is None:
            count = _NAME_TOKENS[key] = self.tokens(role)
        return count

    def estimate(self, note: str) -> None:
        self.exact = False
        if note not in self.notes:
            self.notes.append(note)

    def verified(self, rule: ChatRule) -> bool:
        return self.fmt.is_verified(rule, self.info)
