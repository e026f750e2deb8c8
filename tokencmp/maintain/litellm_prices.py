"""litellm's bundled price map, read as data: its OpenAI models as a :class:`PriceBook`.

litellm (BerriAI/litellm, MIT) ships ``litellm/model_prices_and_context_window_backup.json``.
It is never imported here (importing litellm fetches a newer map from GitHub unless told not
to); the installed file is found through the package's metadata, or a copy is named. Amounts
are USD per token written as JSON numbers; they are parsed as ``Decimal`` (never ``float``) and
multiplied by 1,000,000 exactly, so ``2.5e-06`` is ``2.5`` per 1M tokens.

Keys read for each entry whose ``litellm_provider`` is ``openai`` and whose name has no ``/``
(the ``quality/size/model`` image entries): ``input_cost_per_token``,
``cache_read_input_token_cost``, ``cache_creation_input_token_cost``, ``output_cost_per_token``;
with ``_batches``, ``_flex`` or ``_priority`` for those tiers, and ``_above_272k_tokens`` (any
``_above_NNNk_tokens``) before the tier for long-context prices. The 12-hour cache-retention
keys (``_above_12hr``) and the ``_ultrafast`` tier have no place in the catalog and are left out.
Unlike genai-prices, a tier litellm does not price in full is not filled in from the standard
tier: only the keys it writes are read.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..catalog.pricebook import PriceBook, PricedModel, TierPrices, installed_file
from ..decimals import EXACT
from ..errors import CatalogError, MissingExtraError

LITELLM = "litellm"
DATA_FILE = "litellm/model_prices_and_context_window_backup.json"

_FIELDS = {"input_cost_per_token": "input", "cache_read_input_token_cost": "cached_input",
           "cache_creation_input_token_cost": "cache_write", "output_cost_per_token": "output"}
_SUFFIXES = {"": "standard", "_batches": "batch", "_flex": "flex", "_priority": "priority"}
_KEY = re.compile(
    r"^(?P<field>" + "|".join(_FIELDS) + r")(?:_above_(?P<above>\d+)k_tokens)?(?P<tier>"
    + "|".join(s for s in _SUFFIXES if s) + r")?$"
)
MILLION = Decimal(1_000_000)


def litellm_installed() -> bool:
    """Whether litellm is installed (its map is then compared as well)."""
    try:
        installed_file(LITELLM, DATA_FILE, "litellm")
    except (MissingExtraError, CatalogError):  # not installed, or installed without its map
        return False
    return True


def read_litellm(path: str | Path | None = None, version: str | None = None) -> PriceBook:
    """The OpenAI models of litellm's price map: the installed one, or the copy at ``path``."""
    if path is None:
        try:
            version, file = installed_file(LITELLM, DATA_FILE, "litellm")
        except MissingExtraError:
            raise CatalogError("litellm is not installed: pip install litellm, or name a copy of its "
                               "price map (--litellm FILE).") from None
    else:
        file = Path(path)
    try:
        data = json.loads(file.read_text("utf-8"), parse_float=Decimal, parse_int=Decimal)
    except (OSError, ValueError) as e:
        raise CatalogError(f"Cannot read litellm's price map {file}: {e}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"litellm's price map {file} is not a JSON object.")
    models = tuple(
        _model(name, entry) for name, entry in data.items()
        if isinstance(entry, dict) and entry.get("litellm_provider") == "openai" and "/" not in name
    )
    return PriceBook(LITELLM, version or "unknown", DATA_FILE, date.today(), models)


def _model(name: str, entry: dict[str, Any]) -> PricedModel:
    tiers: dict[str, dict[str, Any]] = {}
    for key, value in entry.items():
        match = _KEY.match(key)
        if match is None or not isinstance(value, Decimal):
            continue
        tier = tiers.setdefault(_SUFFIXES[match["tier"] or ""], {"prices": {}, "long": {}, "above": None})
        per_million = EXACT.multiply(value, MILLION)
        if match["above"]:
            tier["long"][_FIELDS[match["field"]]] = per_million
            tier["above"] = int(match["above"]) * 1000
        else:
            tier["prices"][_FIELDS[match["field"]]] = per_million
    return PricedModel(
        id=name.lower(), names=(name.lower(),),
        tiers={t: TierPrices(v["prices"], v["above"], v["long"]) for t, v in tiers.items()},
        deprecated=bool(entry.get("deprecation_date"))
        and str(entry["deprecation_date"]) <= date.today().isoformat(),
    )
