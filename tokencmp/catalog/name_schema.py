"""The shape of the catalog's naming rules: tiktoken's prefixes and the families of tomorrow's models.

Re-exported from :mod:`.schema`, whose :class:`~tokencmp.catalog.schema.Catalog` holds them
(``prefix_rules``, ``families``); :func:`check_families` ties a family to the other sections.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, model_validator

from .strict import STRICT

if TYPE_CHECKING:
    from .schema import Catalog


class _Strict(BaseModel):
    model_config = STRICT


class PrefixRule(_Strict):
    """A name prefix from tiktoken's table, for names that have no entry."""

    prefix: str
    encoding: str
    formats_from: str
    source: str


class ModelFamily(_Strict):
    """A naming rule for tomorrow's models: a name no entry, alias or tiktoken prefix resolves.

    ``pattern`` is a regular expression that the whole normalised name must match
    (``re.fullmatch``); such a name is counted with ``encoding``, ``chat_format``
    and ``vision`` (``None``: its images are not counted), takes its kind and its
    limits from the entry ``like`` (which ``assumed_from`` then names, and its note
    says the limits are assumed), and has no price.
    ``examples`` are names the pattern must match (checked when the file loads);
    ``source`` (a key of ``sources``) and ``why`` say what the assumption rests on.
    """

    name: str
    pattern: str
    like: str
    encoding: str
    chat_format: str | None = None
    vision: str | None = None
    examples: tuple[str, ...] = Field(min_length=1)
    source: str
    why: str
    checked: date

    @model_validator(mode="after")
    def _check_pattern(self) -> ModelFamily:
        try:
            compiled = re.compile(self.pattern)
        except re.error as e:
            raise ValueError(f"pattern {self.pattern!r} is not a regular expression: {e}") from None
        missed = [name for name in self.examples if compiled.fullmatch(name) is None]
        if missed:
            raise ValueError(f"pattern {self.pattern!r} does not match its examples {', '.join(missed)}")
        return self

    def matches(self, name: str) -> bool:
        """Whether the normalised ``name`` is a name of this family."""
        return _compiled(self.pattern).fullmatch(name) is not None


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def check_families(catalog: Catalog) -> None:
    """Every family names a model entry, a chat format, an image rule and a source that exist."""
    for i, family in enumerate(catalog.families):
        where = f"families[{i}] ({family.name})"
        if family.like not in catalog.models:
            raise ValueError(f"{where}.like: unknown model {family.like!r}")
        if family.chat_format is not None and family.chat_format not in catalog.chat_formats:
            raise ValueError(f"{where}.chat_format: unknown chat format {family.chat_format!r}")
        if family.vision is not None and family.vision not in catalog.image_rules:
            raise ValueError(f"{where}.vision: no image_rules entry {family.vision!r}")
        if family.source not in catalog.sources:
            raise ValueError(f"{where}.source: unknown source {family.source!r}")
