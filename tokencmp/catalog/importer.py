"""Newer prices between releases: an override file written from an installed genai-prices.

    tokencmp models --import genai-prices > newer.json
    TOKENCMP_CATALOG=newer.json tokencmp cost body.json --model gpt-5.6-sol

:func:`override_from` compares the active catalog with a :class:`~tokencmp.catalog.pricebook.PriceBook`
(read offline from the installed package, :mod:`tokencmp.catalog.pricebook`) and returns the
override that ``TOKENCMP_CATALOG`` or :func:`~tokencmp.catalog.load.load_catalog` accepts:

* an entry whose prices differ (and which is not shut down) gets every price genai-prices gives
  it, tier by tier and field by field (a field genai-prices fills in from the standard tier is not
  one it gives, and is left out), its long-context prices where the schema has a place for
  them, ``sources.prices`` naming the package and version, and a note in place of the bundled
  notes about prices; what genai-prices does not price keeps the bundled figure;
* a model it prices per token that the catalog lacks becomes a new entry when tokencmp can
  count it (its name resolves by a rule, which gives its encoding and counting formats, as the
  note says); the others are listed in :attr:`Import.skipped`, since an entry needs an encoding
  and tokencmp never invents one;
* ``sources`` gains one source, ``genai-prices-<version>``, dated with the newest date on which
  genai-prices says it verified OpenAI's prices; each entry written gets ``checked`` = that date
  (a figure cannot be checked against a source before the source's date, which the catalog's
  schema enforces), or the bundled entry's own ``checked`` when later (its other facts keep their
  sources); the note gives the date genai-prices says it verified that model's prices.

An entry whose prices agree is not written: agreeing means that what tokencmp bills
(:func:`billed`, worked by :mod:`tokencmp.money`) is genai-prices' price, so a tier's long-context
or cached price the catalog derives by its rule (batch and flex above 272K as the tier's prices
times the multipliers) agrees with the same figure listed there. Nothing is fetched: genai-prices'
own updater is never run, so the file holds the prices of the installed version; upgrade it to
refresh.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from ..decimals import plain_text
from ..errors import PriceUnknownError, UnknownModelError
from ..money.cost import Tokens, price
from ..money.usd import MONEY, PER_MILLION
from .files import BUNDLED_FILE, CATALOG_ENV
from .load import active, get_catalog, load_catalog
from .pricebook import FIELDS, PriceBook, PricedModel, read_genai_prices
from .resolve import resolve_model
from .schema import TIERS, Catalog, LongContext, ModelInfo, Prices, Tier

SOURCES = {"genai-prices": read_genai_prices}
"""The packages ``tokencmp models --import`` reads, by name."""


@dataclass(frozen=True)
class Import:
    """An override file's content, and the models that could not go in it (with why)."""

    override: dict[str, Any]
    changed: tuple[str, ...]
    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def catalog_entries(catalog: Catalog, model: PricedModel) -> list[str]:
    """The catalog entries a database's model stands for: those of its exact names; else (a
    model priced by prefix, such as ``computer-use``) those whose names start with its prefix;
    else those its names resolve to by a rule that keeps the entry's prices (a dated snapshot
    such as ``gpt-3.5-turbo-instruct-0914``, a ``-latest`` alias). A fine-tune (``ft:BASE``) is
    billed at prices of its own, not its entry's: :func:`priced_by_rule` gives it. A name
    resolved by any other rule (a family, a prefix of tiktoken's) has no price here: the model
    is missing."""
    names = catalog.names()
    found = [names[n] for n in model.names if n in names]
    if not found:
        found = [key for name, key in names.items() if any(name.startswith(p) for p in model.patterns)]
    if not found and catalog is active():
        for name in model.names:
            info = _resolved(name)
            if (info is not None and info.assumed_from in catalog.models and info.prices
                    and info.prices == catalog.models[info.assumed_from].prices):
                found.append(info.assumed_from)
    return list(dict.fromkeys(found))


def priced_by_rule(catalog: Catalog, model: PricedModel) -> list[ModelInfo]:
    """The names of ``model`` that a rule resolves to prices other than its entry's: a
    fine-tune, billed at the catalog's fine-tuned inference prices (``fine_tuning``)."""
    if catalog is not active():
        return []
    infos = []
    for name in model.names:
        info = _resolved(name)
        if (info is not None and info.assumed_from in catalog.models and info.prices
                and info.prices != catalog.models[info.assumed_from].prices):
            infos.append(info)
    return infos


_COST_OF = {"input": "input_cost", "cached_input": "cached_input_cost",
            "cache_write": "cache_write_cost", "output": "output_cost"}


def billed(info: ModelInfo, tier: Tier, field: str, long: bool = False) -> tuple[Decimal | None, bool]:
    """(USD per 1M tokens, derived?): what tokencmp bills for ``field`` (a name of ``FIELDS``) on
    a request at ``tier``, above the long-context threshold when ``long``; ``None`` when it bills
    no such price (a :class:`~tokencmp.errors.PriceUnknownError`).

    The rate is not looked up but billed: :func:`tokencmp.money.cost.price` bills one token of
    ``field`` and the cost is scaled back to 1M tokens, so every rule of the money module applies
    (:mod:`tokencmp.money.rates`: a tier's long-context prices listed, or its prices times the
    multipliers, or priority at the standard long-context prices; :mod:`tokencmp.money.cost`: a
    tier without a cached-input price bills cached tokens at its input rate, a cache write before
    GPT-5.6 is billed as input). ``derived`` says the catalog lists no such price at that place
    (``prices.<tier>`` or ``long_context.<tier>``) and the figure is a rule's.
    """
    lc = info.long_context
    if long and lc is None:
        return None, False
    prompt = lc.above_input_tokens + 1 if long and lc is not None else 1
    tokens = {"input": Tokens(prompt, cached=prompt - 1), "cached_input": Tokens(prompt, cached=1),
              "cache_write": Tokens(prompt, cache_write=1), "output": Tokens(prompt, output=1)}[field]
    try:
        cost = price(info, tokens, tier)
    except PriceUnknownError:
        return None, False
    rate = MONEY.multiply(getattr(cost, _COST_OF[field]), PER_MILLION)  # the cost of 1 token x 1M
    listed: Prices | None = getattr(lc, tier) if long and lc is not None else info.prices.get(tier)
    return rate, listed is None or getattr(listed, field) is None


def import_prices(source: str = "genai-prices", as_of: date | None = None) -> Import:
    """The override of the installed ``source`` over the bundled catalog.

    Over the bundled catalog, not over an override named by ``TOKENCMP_CATALOG``: the file written
    takes that override's place (``TOKENCMP_CATALOG`` names one file), so it must hold every price
    that differs from the bundled one. The user's override is active again afterwards.
    """
    book = SOURCES[source](as_of)
    if not os.environ.get(CATALOG_ENV):
        return override_from(book, get_catalog())
    bundled = Path(str(resources.files("tokencmp").joinpath(BUNDLED_FILE)))
    try:
        return override_from(book, load_catalog(bundled))  # the bundled file merged over itself
    finally:
        load_catalog()


def override_from(book: PriceBook, catalog: Catalog) -> Import:
    """The override that brings ``catalog`` to ``book``'s prices (see the module's docstring)."""
    key = book.source_key
    models: dict[str, Any] = {}
    changed: list[str] = []
    added: list[str] = []
    skipped: list[tuple[str, str]] = []
    names = catalog.names()
    for model in book.models:
        if not model.per_token or not model.names or model.deprecated:
            continue
        patch = _prices(model)
        entries = catalog_entries(catalog, model)
        for entry in entries:
            old = catalog.models[entry]
            if entry in models or old.status == "shut_down" or not _differs(patch, old):
                continue
            checked = max(_source_date(book), old.checked).isoformat()
            models[entry] = {**patch, "sources": _price_sources(patch, key), "checked": checked, "notes": [
                f"Prices imported from {book.package} {book.version} ({book.file}, prices in effect on "
                f"{book.as_of.isoformat()}{_verified(model)}); what it does not price keeps the bundled "
                "catalog's figure.",
                *(n for n in old.notes if "price" not in n.lower()),  # notes on the old prices no longer hold
            ]}
            changed.append(entry)
        if entries:
            continue
        info = next((i for i in map(_resolved, model.names) if i is not None), None)
        name = model.id if model.id in model.names else model.names[0]
        if info is None:
            skipped.append((model.id, "tokencmp knows no encoding for it: add an entry with its encoding"))
            continue
        aliases = [n for n in model.names if n != name and n not in names]
        models[name] = _new_entry(model, info, patch, book, aliases)
        added.append(name)
    source = {
        "title": f"{book.package} {book.version}: OpenAI prices ({book.file})",
        "url": f"https://pypi.org/project/{book.package}/{book.version}/",
        "copy": f"installed package {book.package} {book.version}, "
                f"prices in effect on {book.as_of.isoformat()}",
        "date": _source_date(book).isoformat(),
    }
    override = {"sources": {key: source}, "models": models} if models else {}
    return Import(override, tuple(changed), tuple(added), tuple(skipped))


def _source_date(book: PriceBook) -> date:
    """The date the source ``genai-prices-<version>`` carries: its newest verification date."""
    return book.date or book.as_of


def _verified(model: PricedModel) -> str:
    return f", verified there on {model.checked.isoformat()}" if model.checked else ""


def _resolved(name: str) -> ModelInfo | None:
    try:
        return resolve_model(name)
    except UnknownModelError:
        return None


def _prices(model: PricedModel) -> dict[str, Any]:
    """The catalog fields for ``model``'s prices: ``prices`` per tier, ``long_context``."""
    prices: dict[str, dict[str, str]] = {}
    long: dict[str, Any] = {}
    for tier in TIERS:
        given = model.tiers.get(tier)
        if given is None:
            continue
        own = {f: plain_text(given.prices[f]) for f in FIELDS
               if f in given.prices and f not in given.inherited}
        if own:
            prices[tier] = own
        lc = {f: plain_text(given.long[f]) for f in FIELDS if f in given.long and f not in given.inherited}
        if lc and given.above is not None and tier in LongContext.model_fields:
            long.setdefault("above_input_tokens", given.above)
            long[tier] = lc
    out: dict[str, Any] = {"prices": prices}
    if "standard" in long:
        out["long_context"] = long
    return out


def _price_sources(patch: dict[str, Any], key: str) -> dict[str, str]:
    return {"prices": key, **({"long_context": key} if "long_context" in patch else {})}


def _differs(patch: dict[str, Any], info: ModelInfo) -> bool:
    """Whether a price of ``patch`` is not what the catalog bills (:func:`billed`)."""
    if any(billed(info, tier, f)[0] != Decimal(v)
           for tier, fields in patch["prices"].items() for f, v in fields.items()):
        return True
    long = patch.get("long_context")
    if long is None:
        return False
    lc = info.long_context
    if lc is None or lc.above_input_tokens != long["above_input_tokens"]:
        return True
    return any(
        billed(info, tier, f, long=True)[0] != Decimal(v)
        for tier, fields in long.items() if tier != "above_input_tokens" for f, v in fields.items()
    )


def _new_entry(
    model: PricedModel, info: ModelInfo, patch: dict[str, Any], book: PriceBook, aliases: list[str]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": info.kind, "encoding": info.encoding, "chat_format": info.chat_format,
        **({"vision": info.vision} if info.vision else {}),
        **({"aliases": aliases} if aliases else {}),
        **({"context_window": model.context_window} if model.context_window else {}),
        **patch, "status": "active",
        "sources": {**_price_sources(patch, book.source_key),
                    **({"limits": book.source_key} if model.context_window else {})},
        "checked": _source_date(book).isoformat(),
        "notes": [
            f"Imported from {book.package} {book.version}: prices"
            + (" and context window" if model.context_window else "")
            + f"{_verified(model)}. Encoding {info.encoding} and counting formats assumed from "
            f"{info.assumed_from or info.name} (tokencmp's naming rules); output limit not known.",
        ],
    }
    return entry
