"""The configuration of every catalog schema class: frozen, and refusing unknown fields.

    >>> from pydantic import BaseModel, ValidationError
    >>> class Point(BaseModel):
    ...     model_config = STRICT
    ...     x: int
    >>> try:
    ...     Point.model_validate({"x": 1, "y": 2})
    ... except ValidationError as e:
    ...     print(e.errors()[0]["type"])
    extra_forbidden

Its own module so that :mod:`.schema` and :mod:`.chat_schema` share it without importing
each other (each module's base class sets it, so that linters see a pydantic model).
"""

from __future__ import annotations

from pydantic import ConfigDict

STRICT = ConfigDict(extra="forbid", frozen=True)
"""Frozen, so a loaded fact cannot change; unknown fields refused, so a typo in an override file
is an error."""
