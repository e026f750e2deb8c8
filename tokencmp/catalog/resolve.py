"""Name resolution: whatever name a user types, the catalog entry it stands for.

    >>> resolve_model("openai/GPT-4o").encoding
    'o200k_base'
    >>> resolve_model("gpt-4o-2024-08-06").assumed_from
    'gpt-4o'

A name is normalised (:func:`normalize_model_name`), then resolved by an exact
entry or alias first; otherwise by a rule (fine-tune, dated snapshot,
``-latest`` suffix, a longer name of a known model, tiktoken's prefixes), and
then ``assumed_from`` names the entry the answer was taken from. Prices and
limits are carried over only where the rule keeps the model the same (a dated
snapshot, a ``-latest`` alias; a fine-tune keeps its limits but not its
prices); a name known only by its prefix gets an encoding and counting
formats, never a guessed price. Unknown names raise
:class:`~tokencmp.errors.UnknownModelError` with the closest known names;
there is no silent fallback to some encoding.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..errors import UnknownModelError
from .load import get_catalog, remember, remembered
from .schema import Catalog, ModelInfo

_DATED = re.compile(r"^(?P<base>.+?)-(?:\d{4}-\d{2}-\d{2}|\d{4})$")
_LATEST = re.compile(r"^(?P<base>.+?)(?:-chat)?-latest$")
_MAX_RULES = 4
"""The most naming rules stacked on one name (``ft:`` + a date + ``-latest`` is three): a
longer chain (``gpt-4o-2024-2024-...``) is not resolved rule after rule."""


def normalize_model_name(name: str) -> str:
    """Lower-case, trim, drop provider prefixes and use OpenAI's spelling.

    >>> normalize_model_name(" Azure/GPT-35-Turbo ")
    'gpt-3.5-turbo'
    """
    out = name.strip().lower()
    if not out.startswith("ft:") and "/" in out:
        out = out.rsplit("/", 1)[1]
    if out.startswith("gpt-35"):
        out = "gpt-3.5" + out[len("gpt-35") :]
    return out


def resolve_model(name: str) -> ModelInfo:
    """The catalog entry for a model name, found exactly or by a stated rule.

    >>> resolve_model("ft:gpt-4o-mini-2024-07-18:acme::abc123").assumed_from
    'gpt-4o-mini'
    """
    if not isinstance(name, str):
        raise UnknownModelError(repr(name), ())
    catalog = get_catalog()
    key = normalize_model_name(name)
    hit = remembered(key)
    if hit is not None:
        return hit
    info = _resolve(catalog, key)
    if info is None:
        raise UnknownModelError(name, _suggest(catalog, key))
    remember(catalog, key, info)
    return info


def _resolve(catalog: Catalog, key: str, depth: int = 0) -> ModelInfo | None:
    names = catalog.names()
    if key in names:
        return catalog.models[names[key]]
    if depth >= _MAX_RULES:
        return None
    if key.startswith("ft:"):
        base = _resolve(catalog, key[3:].split(":", 1)[0], depth + 1)
        if base is not None:
            return _assumed(
                base, key, keep_prices=False, keep_limits=True,
                note=f"Fine-tuned model: counted as {base.assumed_from or base.name}, with its "
                "context window and output limit (a fine-tune keeps its base model's); "
                "fine-tuned inference has its own prices, which the catalog does not hold.",
            )
    for pattern, why in ((_DATED, "a dated snapshot"), (_LATEST, "a -latest alias")):
        match = pattern.match(key)
        if match:
            base = _resolve(catalog, match["base"], depth + 1)
            if base is not None:
                return _assumed(
                    base, key, keep_prices=base.assumed_from is None,
                    note=f"Taken to be {why} of {base.assumed_from or base.name}, "
                    "with the same encoding, limits and prices.",
                )
    family = max((n for n in names if key.startswith(n + "-")), key=len, default=None)
    if family is not None:
        return _assumed(
            catalog.models[names[family]], key, keep_prices=False,
            note=f"Counted as a variant of {names[family]}; its prices and limits are not known.",
        )
    for rule in catalog.prefix_rules:
        if key.startswith(rule.prefix):
            template = catalog.models[rule.formats_from]
            return _assumed(
                template.model_copy(update={"encoding": rule.encoding}), key, keep_prices=False,
                note=f"Known only by tiktoken's prefix {rule.prefix!r}: encoding {rule.encoding}, "
                f"counting formats of {template.name}; prices and limits are not known.",
            )
    return None


def _assumed(
    base: ModelInfo, name: str, *, keep_prices: bool, note: str, keep_limits: bool | None = None
) -> ModelInfo:
    """``base`` under another name; prices (and, unless ``keep_limits``, limits) dropped when not kept."""
    update: dict[str, Any] = {
        "name": name,
        "aliases": (),
        "assumed_from": base.assumed_from or base.name,
        "notes": (note, *base.notes),
    }
    if not keep_prices:
        update.update(prices={}, long_context=None, audio_prices=None)
    if not (keep_prices if keep_limits is None else keep_limits):
        update.update(context_window=None, max_input_tokens=None, max_output_tokens=None)
    return base.model_copy(update=update)


def _suggest(catalog: Catalog, key: str) -> list[str]:
    return difflib.get_close_matches(key, list(catalog.names()), n=5, cutoff=0.6)
