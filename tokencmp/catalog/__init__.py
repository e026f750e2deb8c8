"""The model catalog: what tokencmp knows about each model, and name resolution.

The facts live in ``tokencmp/data/catalog.json`` (encodings, limits, prices,
counting constants, defaults), each entry with its sources and the date it
was checked. One idea per module:

* :mod:`~tokencmp.catalog.schema`: the pydantic models that validate the file
  (:class:`ModelInfo`, :class:`Prices`, :class:`Catalog`, :data:`TIERS`, ...);
* :mod:`~tokencmp.catalog.load`: reading the bundled file and the user's
  override (``TOKENCMP_CATALOG`` or :func:`load_catalog`), the active catalog;
* :mod:`~tokencmp.catalog.resolve`: :func:`resolve_model`, which turns
  whatever name a user types into a :class:`ModelInfo`;
* :mod:`~tokencmp.catalog.lookup`: a model's encoding and the default model
  without importing pydantic, for short counts;
* :mod:`~tokencmp.catalog.provenance`: :func:`stale_facts`, the facts whose
  source is older than a number of days.

    >>> import tokencmp
    >>> tokencmp.resolve_model("openai/GPT-4o").encoding
    'o200k_base'
    >>> tokencmp.get_catalog().defaults.encodings
    ('o200k_base', 'cl100k_base')

Names are imported on first use, so importing :mod:`tokencmp.catalog.lookup`
does not import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("TIERS", "Tier", "TIER_NAMES", "TierName", "TIER_ALIASES", "canonical_tier",
         "Source", "Prices", "LongContext", "FineTuning", "ModelInfo", "PrefixRule", "ModelFamily",
         "CookbookToolConstants", "NamespaceConstants", "ToolChoiceConstants", "ToolCallConstants",
         "ToolLayout",
         "HarmonyTemplates", "ChatRule", "ChatFormat", "ImageSizing", "TileRule", "PatchRule",
         "ImageRule", "ImageLimits", "Defaults", "Catalog", "RuleBound", "FormatOverride",
         "ReasoningConstants", "Api"),
        "schema",
    ),
    **dict.fromkeys(("load_catalog", "get_catalog", "list_models"), "load"),
    **dict.fromkeys(("resolve_model", "normalize_model_name", "did_you_mean"), "resolve"),
    **dict.fromkeys(("encoding_name", "default_model"), "lookup"),
    "CATALOG_ENV": "files",
    **dict.fromkeys(("stale_facts", "StaleFact"), "provenance"),
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from .files import CATALOG_ENV as CATALOG_ENV
    from .load import get_catalog as get_catalog
    from .load import list_models as list_models
    from .load import load_catalog as load_catalog
    from .lookup import default_model as default_model
    from .lookup import encoding_name as encoding_name
    from .provenance import StaleFact as StaleFact
    from .provenance import stale_facts as stale_facts
    from .resolve import did_you_mean as did_you_mean
    from .resolve import normalize_model_name as normalize_model_name
    from .resolve import resolve_model as resolve_model
    from .schema import TIER_ALIASES as TIER_ALIASES
    from .schema import TIER_NAMES as TIER_NAMES
    from .schema import TIERS as TIERS
    from .schema import Api as Api
    from .schema import Catalog as Catalog
    from .schema import ChatFormat as ChatFormat
    from .schema import ChatRule as ChatRule
    from .schema import CookbookToolConstants as CookbookToolConstants
    from .schema import Defaults as Defaults
    from .schema import FineTuning as FineTuning
    from .schema import FormatOverride as FormatOverride
    from .schema import HarmonyTemplates as HarmonyTemplates
    from .schema import ImageLimits as ImageLimits
    from .schema import ImageRule as ImageRule
    from .schema import ImageSizing as ImageSizing
    from .schema import LongContext as LongContext
    from .schema import ModelFamily as ModelFamily
    from .schema import ModelInfo as ModelInfo
    from .schema import NamespaceConstants as NamespaceConstants
    from .schema import PatchRule as PatchRule
    from .schema import PrefixRule as PrefixRule
    from .schema import Prices as Prices
    from .schema import ReasoningConstants as ReasoningConstants
    from .schema import RuleBound as RuleBound
    from .schema import Source as Source
    from .schema import Tier as Tier
    from .schema import TierName as TierName
    from .schema import TileRule as TileRule
    from .schema import ToolCallConstants as ToolCallConstants
    from .schema import ToolChoiceConstants as ToolChoiceConstants
    from .schema import ToolLayout as ToolLayout
    from .schema import canonical_tier as canonical_tier
