"""The state one count carries: model, format constants, encoding, options and notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, get_args

import tiktoken

from ..catalog import Catalog, ChatFormat, ChatRule, ModelInfo, get_catalog, resolve_model
from ..catalog.schema import Api
from ..encodings import get_encoding
from ..errors import UnsupportedModelError
from ..images.parts import ImagePartCount, SizeLookup
from ..text.count import batch_counter, short_counter
from .request import ROLES


class _Model(NamedTuple):
    """What a count for one chat model needs that stays the same from count to count."""

    catalog: Catalog
    info: ModelInfo
    fmt: ChatFormat
    enc: tiktoken.Encoding
    verified_rules: frozenset[ChatRule]
    tokens: Callable[[str], int]
    count_all: Callable[[Sequence[str]], list[int]]
    overheads: dict[str, int]


_MODELS: dict[str, dict[str, _Model]] = {"chat": {}, "responses": {}}
"""Per API, a chat model's entry, format and encoding by the name asked for, while the catalog
stays the same."""


class Context:
    """What every rendering rule needs, and the notes it leaves.

    ``estimate(note, rule=...)`` records a rule that is not API-verified for this
    model; the count is exact only if no rule did. ``low`` and ``high`` are how
    far below and above the count the API's may lie: the sum of the spreads of
    the estimated rules applied (each once), from the format's ``bounds``. ``tokens`` counts a text as
    content (special-token strings count as text), ``count_all`` a list of
    texts. ``overheads`` maps each role to ``tokens_per_message`` + the tokens
    of the role's name: a message's overhead before any rule for its other fields
    (the ChatML formats). (A plain class with slots: one is made per count.)
    """

    __slots__ = (
        "count_all",
        "enc",
        "exact",
        "fmt",
        "high",
        "image_parts",
        "image_sizes",
        "info",
        "low",
        "notes",
        "overheads",
        "rules",
        "strict_images",
        "tokens",
        "verified_rules",
    )

    def __init__(
        self, model: _Model, image_sizes: SizeLookup | None = None, strict_images: bool = False
    ) -> None:
        _, self.info, self.fmt, self.enc, self.verified_rules, self.tokens, self.count_all, self.overheads = (
            model
        )
        self.image_sizes = image_sizes
        self.strict_images = strict_images
        self.notes: list[str] = []
        self.exact = True
        self.low = self.high = 0
        self.rules: set[str] = set()
        self.image_parts: list[ImagePartCount] = []

    @classmethod
    def for_model(
        cls,
        name: str,
        *,
        image_sizes: SizeLookup | None = None,
        strict_images: bool = False,
        api: Api = "chat",
    ) -> Context:
        """The context of a count for the model ``name`` (which must be a chat model) on ``api``:
        the model's format with its family's and the API's overrides."""
        catalog = get_catalog()
        models = _MODELS[api]
        known = models.get(name) if type(name) is str else None
        if known is None or known.catalog is not catalog:
            known = _model(name, catalog, api)
            if type(name) is str:  # resolve_model refuses every other kind of name
                models[name] = known
        return cls(known, image_sizes, strict_images)

    def estimate(self, note: str, *, rule: str = "default", low: int = 0, high: int = 0) -> None:
        """Mark the count as an estimate, with ``note`` saying why in plain words.

        ``rule`` names the estimated rule: its spread (the format's ``bounds[rule]``,
        else ``bounds["default"]``) is added to the count's bounds once per rule,
        however often it is applied. ``low`` / ``high`` add a spread of the caller's
        own (an image of unknown size, say) every time.
        """
        if note not in self.notes:
            self.notes.append(note)
        self.exact = False
        self.low += low
        self.high += high
        if rule not in self.rules:
            self.rules.add(rule)
            bounds = self.fmt.bounds
            bound = bounds.get(rule) or bounds.get("default")
            if bound is not None:
                self.low += bound.low
                self.high += bound.high

    def verified(self, rule: ChatRule) -> bool:
        """Whether ``rule`` was checked against the API for this model."""
        return rule in self.verified_rules


def _model(name: str, catalog: Catalog, api: Api) -> _Model:
    info = resolve_model(name)
    if info.chat_format is None:
        if info.kind == "chat" and info.vendor != "openai":  # a vendor whose template tokencmp cannot verify
            raise UnsupportedModelError(
                f"Chat requests for {info.name} are not counted (text only): no chat template of "
                f"{info.vendor}'s ships in a package with a chat encoder to verify a count against. "
                "Count its text with "
                f"tokencmp.count_tokens(text, model={info.name!r})."
            )
        if info.kind == "chat":  # an entry of the user's, most likely: say what it lacks
            raise UnsupportedModelError(
                f"{info.name} has no chat_format in the catalog, so its requests cannot be counted: "
                f"add \"chat_format\" (one of {', '.join(catalog.chat_formats)}) to its entry, or count "
                "its text with tokencmp.count_tokens."
            )
        raise UnsupportedModelError(
            f"{info.name} is {'an' if info.kind[:1] in 'aeiou' else 'a'} {info.kind} model, not a "
            "chat model; count its text with "
            "tokencmp.count_tokens instead."
        )
    if info.chat_format not in catalog.chat_formats:  # a vendor template: count_request lays it out
        raise UnsupportedModelError(
            f"{info.name}'s chat format {info.chat_format!r} is another vendor's template, not an OpenAI "
            "format: count its requests with tokencmp.count_request (tokencmp.chat.vendor_templates)."
        )
    fmt = catalog.chat_formats[info.chat_format].for_model(info, api)
    enc = get_encoding(info.encoding)
    rules = frozenset(r for r in get_args(ChatRule) if fmt.is_verified(r, info))
    tokens = short_counter(enc)
    overheads = {role: fmt.tokens_per_message + (tokens(role) if fmt.role_tokens else 0) for role in ROLES}
    overheads["assistant"] += fmt.assistant_message
    return _Model(catalog, info, fmt, enc, rules, tokens, batch_counter(enc), overheads)
