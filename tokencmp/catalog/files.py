"""Where the catalog comes from: the bundled file, and the variable naming a user's override.

Both the validating loader (:mod:`tokencmp.catalog.load`) and the pydantic-free lookup
(:mod:`tokencmp.catalog.lookup`) read these, so they live apart from both.

    >>> CATALOG_ENV
    'TOKENCMP_CATALOG'
"""

from __future__ import annotations

CATALOG_ENV = "TOKENCMP_CATALOG"
"""The environment variable naming a user's catalog override file."""

BUNDLED_FILE = "data/catalog.json"
"""The bundled catalog, relative to the ``tokencmp`` package folder."""
