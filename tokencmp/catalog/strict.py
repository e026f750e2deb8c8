"""The base of every catalog schema class: frozen, and refusing unknown fields.

    >>> from pydantic import ValidationError
    >>> class Point(Strict):
    ...     x: int
    >>> try:
    ...     Point.model_validate({"x": 1, "y": 2})
    ... except ValidationError as e:
    ...     print(e.errors()[0]["type"])
    extra_forbidden

Its own module so that :mod:`.schema` and :mod:`.chat_schema` share it without
importing each other.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A catalog schema class: frozen, so a loaded fact cannot change; unknown fields refused,
    so a typo in an override file is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
