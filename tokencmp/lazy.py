"""Re-exports imported on first use: how ``tokencmp`` and ``tokencmp.catalog`` stay cheap to import.

A package lists ``name -> submodule`` and gets its module ``__getattr__`` and ``__dir__``
(PEP 562): a name is imported from its submodule the first time it is read, then kept in
the package's namespace, so ``import tokencmp`` imports neither tiktoken nor pydantic.

    >>> getattr_, dir_ = exports("tokencmp", {"count_tokens": "text"}, {})
    >>> getattr_("count_tokens")("hello world")
    2
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose public names ``table`` maps to submodules
    (relative to the package); ``namespace`` is the package's ``globals()``."""

    def getattr_(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *table})

    return getattr_, dir_
