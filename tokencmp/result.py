"""The one shape of every result tokencmp returns.

Every public result (a count, an estimate, a budget report, a comparison) is a
frozen dataclass deriving from :class:`Result`: immutable, compared by value,
holding tuples rather than lists, and turned into JSON-ready data by one
method, :meth:`Result.to_dict`, which the command line's ``json`` and ``csv``
output use as they are.

    >>> from dataclasses import dataclass
    >>> from decimal import Decimal
    >>> @dataclass(frozen=True, kw_only=True)
    ... class Price(Result):
    ...     model: str
    ...     cost_min: Decimal
    ...     cost_max: Decimal | None
    >>> Price(model="gpt-4o", cost_min=Decimal("0.0025"), cost_max=None).to_dict()
    {'model': 'gpt-4o', 'cost_min': '0.0025', 'cost_max': None}

Why dataclasses and not pydantic models: results are built on hot paths (one
per message of a request, one per file of a folder), where a dataclass costs a
plain object construction and a validating model costs far more; and results
are built by tokencmp from values it has already checked, so validating them
again would check nothing. Pydantic stays where it earns its keep: validating
what comes from outside (the catalog files, a corpus manifest).

Conventions every result follows (docs/api.md#results):

* a bound is ``<what>_min`` / ``<what>_max`` (``cost_min``, ``output_tokens_max``);
  a figure that is known exactly has no suffix;
* money is a :class:`decimal.Decimal` of USD, written in JSON as a string in
  plain notation without trailing zeros (``"0.0000175"``), so no digit is lost;
  ``None`` means unknown, never zero;
* ``exact`` says whether a count is what the API bills, ``notes`` why not.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from .decimals import plain_text


@dataclasses.dataclass(frozen=True)
class Result:
    """Base of every public result: ``to_dict()`` and ``to_json()``.

    A subclass lists in ``_dict_exclude`` the fields that are not part of its
    data (a cache, a private handle), and may add computed values by
    overriding :meth:`to_dict`.
    """

    _dict_exclude: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: Decimals as strings, tuples as lists, nested results as dicts."""
        return {
            f.name: plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if not f.name.startswith("_") and f.name not in self._dict_exclude
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as a JSON string (UTF-8 text kept as it is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data, by the rules of :meth:`Result.to_dict`."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        return [plain(v) for v in value]
    dump = getattr(value, "model_dump", None)  # a catalog entry (pydantic) inside a result
    if callable(dump):
        return dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON-ready data")
