"""Loading the catalog: the bundled file, the user's override merged over it, validated once.

The bundled ``tokencmp/data/catalog.json`` is always read; a user's file
(``TOKENCMP_CATALOG``, or the path given to :func:`load_catalog`) holds only
what it changes and is merged over it, objects key by key. The result is
validated by :class:`~tokencmp.catalog.schema.Catalog` and becomes the
active catalog, which every lookup uses::

    >>> get_catalog().defaults.model
    'gpt-4o'
    >>> get_catalog().models["gpt-4o"].context_window
    128000

The active catalog and the cache of resolved names are guarded by one lock;
loading a catalog replaces the one and clears the other.
"""

from __future__ import annotations

import json
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import CatalogError, validation_message
from .files import BUNDLED_FILE, CATALOG_ENV
from .schema import Catalog, ModelInfo

__all__ = ["CATALOG_ENV", "active", "get_catalog", "list_models", "load_catalog"]

_lock = threading.Lock()
_active: Catalog | None = None
_resolve_cached: dict[str, ModelInfo] = {}
"""Names already resolved against the active catalog (normalised name -> entry)."""


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Load the bundled catalog, merge the user's file over it, and make it active.

    The user file has the bundled file's shape and may hold only what it
    changes: a new model is a full entry; an existing model needs only the
    fields that differ (objects such as ``prices`` merge key by key)::

        {"models": {"gpt-4o": {"prices": {"standard": {"input": "2.00"}}}}}

    A bad file raises :class:`~tokencmp.errors.CatalogError` naming the entry
    and field. With ``path=None`` the file named by ``TOKENCMP_CATALOG`` is
    used when that variable is set.
    """
    global _active
    data = _read_json(None)
    if path is None and os.environ.get(CATALOG_ENV):
        path = os.environ[CATALOG_ENV]
    where = "the bundled catalog"
    if path is not None:
        where = f"catalog override {os.fspath(path)}"
        data = _merge(data, _read_json(Path(path)))
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as e:
        raise CatalogError(validation_message(where, e)) from None
    with _lock:
        _active = catalog
        _resolve_cached.clear()
    return catalog


def get_catalog() -> Catalog:
    """The active catalog, loading it on first use."""
    catalog = active()
    return catalog if catalog is not None else load_catalog()


def active() -> Catalog | None:
    """The active catalog, or ``None`` before the first load."""
    return _active  # one reference read: no lock needed to see a whole catalog


def list_models() -> list[ModelInfo]:
    """Every entry of the active catalog, in file order.

    >>> list_models()[0].status
    'active'
    """
    return list(get_catalog().models.values())


def remembered(key: str) -> ModelInfo | None:
    """The entry ``key`` (a normalised name) resolved to in the active catalog, if known."""
    return _resolve_cached.get(key)


def remember(catalog: Catalog, key: str, info: ModelInfo) -> None:
    """Keep what ``key`` resolved to, unless another catalog became active meanwhile."""
    with _lock:
        if catalog is _active:
            _resolve_cached[key] = info


def _read_json(path: Path | None) -> dict[str, Any]:
    if path is None:
        text = resources.files("tokencmp").joinpath(BUNDLED_FILE).read_text("utf-8")
        where = "the bundled catalog"
    else:
        where = f"catalog file {path}"
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, ValueError) as e:  # ValueError: undecodable bytes, a NUL in the path
            raise CatalogError(f"Cannot read {where}: {e}") from None
    try:
        data = json.loads(text)
    except ValueError as e:  # JSONDecodeError, or an integer too long to convert
        raise CatalogError(f"{where} is not valid JSON: {e}") from None
    except RecursionError:
        raise CatalogError(f"{where} is nested too deeply to be a catalog.") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{where} must hold a JSON object at the top level.")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base``: objects merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
