"""Prices another package publishes, read as data: genai-prices' OpenAI models, exactly, offline.

genai-prices (pydantic/genai-prices, MIT) ships its price database as a Python module,
``genai_prices/data.py``: a list of ``Provider(...)`` calls holding ``ModelInfo(...)``,
``ModelPrice(...)`` and ``Decimal('...')`` values. tokencmp never imports that package
(importing it loads an HTTP client made to fetch newer prices); it finds the installed file
through the package's metadata and reads its syntax tree, taking literals only. Nothing is
executed and nothing touches the network, and every price is the ``Decimal`` of the string
written in the file, so nothing is rounded.

What is read, per OpenAI model: the names it matches exactly (``ClauseEquals``), its context
window, the ``deprecated`` flag, the prices in effect on a given day (the last
``ConditionalPrice`` whose ``StartDateConstraint`` has begun, as genai-prices picks them), and
one :class:`TierPrices` per tier: ``standard`` from the prices themselves, ``batch`` from the
``processing: batch`` variant, ``flex`` and ``priority`` from the ``service_tier`` variants
(``fast``, Fast mode's name since 2026-07-30, when no ``priority`` variant exists). A variant
names only what differs; as in genai-prices, a field it leaves out is the standard one
(``TierPrices.inherited`` says which). A ``TieredPrices`` value is a long-context price: its base
is the tier's price and its one tier the price of the whole request above ``start`` input tokens.

genai-prices 0.2.3's data module has no ``prices_checked`` field (that lives in its YAML
sources); the dates it carries are in ``price_comments`` ("Batch rates verified on 2026-10-14"),
and :attr:`PricedModel.checked` is the newest of those.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import CatalogError, MissingExtraError

FIELDS = ("input", "cached_input", "cache_write", "output")
"""The price fields of a tier, as the catalog names them."""

GENAI_PRICES = "genai-prices"
DATA_FILE = "genai_prices/data.py"
"""Where genai-prices keeps its price database, inside its wheel."""

_GP_KEYS = {"input": "input_mtok", "cached_input": "cache_read_mtok",
            "cache_write": "cache_write_mtok", "output": "output_mtok"}
_TIER_CONTEXTS: dict[str, tuple[dict[str, str], ...]] = {
    "standard": (),
    "batch": ({"processing": "batch"},),
    "flex": ({"service_tier": "flex"},),
    "priority": ({"service_tier": "priority"}, {"service_tier": "fast"}),
}
"""Each catalog tier and the genai-prices request contexts that select it, the first found winning."""
_VERIFIED = re.compile(r"\b(?:verified|checked)\b[^.;]*?(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
"""A date the source says it checked prices on: "Batch rates verified on 2026-10-14"."""


@dataclass(frozen=True)
class TierPrices:
    """One tier's prices, USD per 1M tokens; ``long`` the prices above ``above`` input tokens."""

    prices: Mapping[str, Decimal]
    above: int | None = None
    long: Mapping[str, Decimal] = field(default_factory=dict)
    inherited: frozenset[str] = frozenset()
    """Fields the source leaves out for this tier and takes from the standard tier."""


@dataclass(frozen=True)
class PricedModel:
    """One model as a price database has it."""

    id: str
    names: tuple[str, ...]
    """The names it matches exactly (lower case)."""
    tiers: Mapping[str, TierPrices]
    patterns: tuple[str, ...] = ()
    """Prefixes it matches (``ft:gpt-4o-2024-``): a family priced alike, such as fine-tunes."""
    context_window: int | None = None
    deprecated: bool = False
    checked: date | None = None
    """The newest date the source says it verified this model's prices, if it gives one."""

    @property
    def per_token(self) -> bool:
        """Whether the model has a standard price per token (not only per image, second, ...)."""
        standard = self.tiers.get("standard")
        return standard is not None and any(f in standard.prices for f in ("input", "output"))


@dataclass(frozen=True)
class PriceBook:
    """The OpenAI models of one installed price database, as of one day."""

    package: str
    version: str
    file: str
    """The file read, as a path inside the package's wheel."""
    as_of: date
    models: tuple[PricedModel, ...]

    @property
    def source_key(self) -> str:
        """The key this book's source takes in a catalog's ``sources``: ``genai-prices-0.2.3``."""
        return f"{self.package}-{self.version}"

    @property
    def date(self) -> date | None:
        """The newest verification date any of its models carries."""
        return max((m.checked for m in self.models if m.checked is not None), default=None)


def installed_file(package: str, relative: str, extra: str) -> tuple[str, Path]:
    """(version, path) of the file ``relative`` of the installed distribution ``package``."""
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise MissingExtraError(f"Reading {package}'s prices", extra, package) from None
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise CatalogError(f"{package} {dist.version} has no {relative}: it cannot be read as a price list.")
    return dist.version, path


def read_genai_prices(
    as_of: date | None = None, path: str | Path | None = None, version: str = "unknown"
) -> PriceBook:
    """The OpenAI models of the installed genai-prices, with the prices in effect on ``as_of``.

    ``as_of`` defaults to today; ``path`` reads another copy of ``genai_prices/data.py``, whose
    ``version`` the caller gives.
    """
    day = as_of or date.today()
    if path is None:
        version, file = installed_file(GENAI_PRICES, DATA_FILE, "import")
    else:
        file = Path(path)
    try:
        tree = ast.parse(file.read_text("utf-8"), filename=str(file))
    except (OSError, ValueError, SyntaxError) as e:
        raise CatalogError(f"Cannot read {file} as genai-prices' data module: {e}") from None
    provider = _openai_provider(tree, file)
    models = tuple(_model(m, day) for m in provider.get("models", ()) if isinstance(m, dict))
    return PriceBook(GENAI_PRICES, version, DATA_FILE, day, models)


# --- the syntax tree, as data ----------------------------------------------------------------


def _openai_provider(tree: ast.Module, file: Path) -> dict[str, Any]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == "Provider":
            ids = [k.value for k in node.keywords if k.arg == "id"]
            if ids and isinstance(ids[0], ast.Constant) and ids[0].value == "openai":
                value = _literal(node)
                assert isinstance(value, dict)
                return value
    raise CatalogError(f"{file} has no Provider(id='openai'): not genai-prices' data module?")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def _literal(node: ast.expr) -> Any:
    """A literal of the data module: constants, lists, dicts, ``Decimal('x')``, dates, and every
    other call as a dict of its keyword arguments under ``"type"``, the called name."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        pairs = zip(node.keys, node.values, strict=True)
        return {_literal(k) if k is not None else None: _literal(v) for k, v in pairs}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        args = [_literal(a) for a in node.args]
        if name == "Decimal" and len(args) == 1 and isinstance(args[0], str):
            return Decimal(args[0])
        if name in ("date", "datetime.date"):
            return date(*args)
        out = {"type": name, **{k.arg: _literal(k.value) for k in node.keywords if k.arg is not None}}
        if args:
            out["args"] = args
        return out
    raise CatalogError(f"genai-prices' data module holds {ast.dump(node)[:80]}, which is not a literal.")


# --- one model ----------------------------------------------------------------------------


def _model(raw: dict[str, Any], day: date) -> PricedModel:
    standard = _prices_on(raw.get("prices"), day)
    tiers: dict[str, TierPrices] = {"standard": _tier(standard)}
    for tier, contexts in _TIER_CONTEXTS.items():
        for context in contexts:
            override = _variant(raw.get("price_variants") or [], context, day)
            if override:
                tiers[tier] = _tier({**standard, **override}, set(standard) - set(override))
                break
    comments = raw.get("price_comments") or ""
    checked = max((date.fromisoformat(d) for d in _VERIFIED.findall(comments)), default=None)
    return PricedModel(
        id=raw["id"], names=tuple(dict.fromkeys(_clauses(raw.get("match"), "ClauseEquals", "equals"))),
        patterns=tuple(_clauses(raw.get("match"), "ClauseStartsWith", "starts_with")),
        tiers=tiers, context_window=raw.get("context_window"),
        deprecated=bool(raw.get("deprecated")), checked=checked,
    )


def _active(constraint: Any, day: date) -> bool:
    if constraint is None:
        return True
    if isinstance(constraint, dict) and constraint.get("type") == "StartDateConstraint":
        return bool(day >= constraint["start_date"])
    return False  # a time-of-day price is not a tier the catalog can hold


def _prices_on(prices: Any, day: date) -> dict[str, Any]:
    """The ``ModelPrice`` fields in effect on ``day``: genai-prices' rule (the last active
    conditional price, else the first)."""
    if isinstance(prices, dict):
        return _fields(prices)
    if not isinstance(prices, list) or not prices:
        return {}
    for conditional in reversed(prices):
        if _active(conditional.get("constraint"), day):
            return _fields(conditional["prices"])
    return _fields(prices[0]["prices"])


def _variant(variants: list[Any], context: dict[str, str], day: date) -> dict[str, Any]:
    """What the variants matching ``context`` override, each field from the first that sets it."""
    out: dict[str, Any] = {}
    for variant in variants:
        if not _active(variant.get("constraint"), day):
            continue
        if all(context.get(k) == v for k, v in (variant.get("when") or {}).items()):
            for key, value in _fields(variant.get("prices") or {}).items():
                out.setdefault(key, value)
    return out


def _fields(price: dict[str, Any]) -> dict[str, Any]:
    return {ours: price[theirs] for ours, theirs in _GP_KEYS.items() if price.get(theirs) is not None}


def _tier(values: dict[str, Any], inherited: set[str] | None = None) -> TierPrices:
    prices: dict[str, Decimal] = {}
    long: dict[str, Decimal] = {}
    above: int | None = None
    for name, value in values.items():
        if isinstance(value, dict) and value.get("type") == "TieredPrices":
            prices[name] = value["base"]
            if value["tiers"]:
                first = min(value["tiers"], key=lambda t: t["start"])
                above = first["start"]
                long[name] = first["price"]
        else:
            prices[name] = value
    return TierPrices(prices, above, long, frozenset(inherited or ()))


def _clauses(match: Any, kind: str, key: str) -> Iterator[str]:
    """The values of the ``kind`` clauses of ``match`` (``ClauseEquals``: the names it accepts
    exactly; ``ClauseStartsWith``: its prefixes), lower case, through ``ClauseOr``."""
    if not isinstance(match, dict):
        return
    if match.get("type") == kind:
        yield str(match[key]).lower()
    for clause in match.get("or_") or ():
        yield from _clauses(clause, kind, key)
