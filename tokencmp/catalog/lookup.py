"""A model's encoding without pydantic: the short path of a short count.

``tokencmp count --model gpt-4o`` needs one fact from the catalog, the
model's encoding. Validating the catalog means importing pydantic, about a
quarter of such a count's time, so while no catalog is loaded and no override
file is in play, a name that is exactly a model's key in the bundled file is
looked up in the raw JSON::

    >>> encoding_name("gpt-4o")
    'o200k_base'
    >>> encoding_name("azure/gpt-35-turbo")  # not a key: the full resolver decides
    'cl100k_base'

The raw file and the validated catalog agree on every key (a test checks every
entry). Anything the raw file cannot decide (another spelling, an alias, a
rule-resolved name, an override in ``TOKENCMP_CATALOG``, a catalog loaded
with :func:`tokencmp.load_catalog`, a file that cannot be read) goes through
:func:`tokencmp.catalog.resolve.resolve_model`, which validates and raises
the errors. An override file is never read raw: skipping its validation would
let a bad file count silently.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

from .files import BUNDLED_FILE, CATALOG_ENV


def encoding_name(model: str, *, strict: bool = False) -> str:
    """The encoding of ``model``: ``resolve_model(model, strict=strict).encoding``, found cheaply.

    >>> encoding_name("gpt-oss-20b")
    'o200k_harmony'
    """
    entry = _raw_entry(model)
    if entry is not None:
        return str(entry["encoding"])
    from .resolve import resolve_model

    return resolve_model(model, strict=strict).encoding


def is_entry(model: str) -> bool:
    """Whether ``model`` is a catalog entry or alias (after normalising), not a name a rule resolves.

    Raises :class:`~tokencmp.errors.UnknownModelError` for a name nothing resolves.

    >>> is_entry("gpt-4o"), is_entry("gpt-4o-2024-08-06")
    (True, False)
    """
    if _raw_entry(model) is not None:
        return True
    from .resolve import by_rule, resolve_model

    return not by_rule(resolve_model(model))


def _raw_entry(model: object) -> dict[str, Any] | None:
    """The bundled file's entry keyed exactly ``model``, while the raw file decides; else ``None``."""
    if isinstance(model, str) and _raw_file_decides():
        entry = _bundled().get("models", {}).get(model)
        if isinstance(entry, dict) and isinstance(entry.get("encoding"), str):
            return entry
    return None


def default_model() -> str:
    """The model counted when the caller names none: ``get_catalog().defaults.model``, found cheaply.

    >>> default_model()
    'gpt-4o'
    """
    if _raw_file_decides():
        defaults = _bundled().get("defaults")
        if isinstance(defaults, dict) and isinstance(defaults.get("model"), str):
            return str(defaults["model"])
    from .load import get_catalog

    return get_catalog().defaults.model


def _raw_file_decides() -> bool:
    """Whether the bundled file alone is the catalog: no override set and none loaded yet."""
    if os.environ.get(CATALOG_ENV):
        return False
    loaded = sys.modules.get(f"{__package__}.load")  # never imported here: it imports pydantic
    return loaded is None or loaded.active() is None


@functools.cache
def _bundled() -> dict[str, Any]:
    """The bundled catalog's raw JSON, read once; ``{}`` when it cannot be read."""
    try:
        data = json.loads((Path(__file__).parents[1] / BUNDLED_FILE).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}  # the full loader reports what is wrong with the file
    if not isinstance(data, dict) or not isinstance(data.get("models", {}), dict):
        return {}
    return data
