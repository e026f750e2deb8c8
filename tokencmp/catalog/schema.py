"""The model catalog: what tokencmp knows about each model, and name resolution.

The facts live in ``tokencmp/data/catalog.json`` (encodings, limits, prices,
counting constants), each entry with its sources and the date it was checked.
This module owns that file: the pydantic schema that validates it, user
overrides (``TOKENCMP_CATALOG`` or :func:`load_catalog`), and
:func:`resolve_model`, which turns whatever name a user types into a
:class:`ModelInfo`::

    >>> import tokencmp
    >>> tokencmp.resolve_model("openai/GPT-4o").encoding
    'o200k_base'
    >>> tokencmp.resolve_model("gpt-4o-2024-08-06").assumed_from
    'gpt-4o'

A name is resolved by an exact entry or alias first; otherwise by a rule
(fine-tune, dated snapshot, ``-latest`` suffix, a longer name of a known
model, tiktoken's prefixes), and then ``assumed_from`` names the entry the
answer was taken from. Prices and limits are carried over only where the rule
keeps the model the same (a dated snapshot, a ``-latest`` alias); a name known
only by its prefix gets an encoding and counting formats, never a guessed
price. Unknown names raise :class:`~tokencmp.errors.UnknownModelError`; there
is no silent fallback to some encoding.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import threading
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import CatalogError, UnknownModelError

CATALOG_ENV = "TOKENCMP_CATALOG"
DEFAULT_MODEL = "gpt-4o"

Tier = Literal["standard", "batch", "flex", "priority"]
TIERS: tuple[Tier, ...] = ("standard", "batch", "flex", "priority")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a figure comes from."""

    title: str
    url: str
    copy_: str = Field(alias="copy")
    date: str


class Prices(_Strict):
    """USD per 1M tokens; ``None`` where the source lists no price. Never negative."""

    input: Decimal | None = Field(default=None, ge=0)
    cached_input: Decimal | None = Field(default=None, ge=0)
    cache_write: Decimal | None = Field(default=None, ge=0)
    output: Decimal | None = Field(default=None, ge=0)


class LongContext(_Strict):
    """Prices that apply to the whole request once its input exceeds a threshold."""

    above_input_tokens: int = Field(gt=0)
    standard: Prices


class ModelInfo(_Strict):
    """One model as tokencmp knows it.

    ``input_limit`` is the most prompt tokens the API accepts: the separate
    input limit where the model has one (the gpt-5 family: 272,000 of a
    400,000 context), else the context window.
    """

    name: str
    kind: Literal[
        "chat", "completion", "edit", "embedding", "realtime", "audio", "transcription", "image", "base"
    ] = "chat"
    encoding: str
    aliases: tuple[str, ...] = ()
    context_window: int | None = Field(default=None, gt=0)
    max_input_tokens: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    chat_format: str | None = None
    vision: str | None = None
    prices: dict[Tier, Prices] = {}
    long_context: LongContext | None = None
    audio_prices: Prices | None = None
    status: Literal["active", "legacy", "shut_down"] = "active"
    shutdown_date: date | None = None
    sources: dict[str, str] = {}
    checked: date
    notes: tuple[str, ...] = ()
    assumed_from: str | None = None

    @property
    def input_limit(self) -> int | None:
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        return self.context_window


class PrefixRule(_Strict):
    """A name prefix from tiktoken's table, for names that have no entry."""

    prefix: str
    encoding: str
    formats_from: str
    source: str


class CookbookToolConstants(_Strict):
    """The cookbook's tool formula constants (section 7 of "How to count tokens with tiktoken")."""

    func_init: int
    prop_init: int
    prop_key: int
    enum_init: int
    enum_item: int
    func_end: int


class NamespaceConstants(_Strict):
    """hmarr/openai-chat-tokens' constants around the TypeScript-namespace rendering."""

    definitions_overhead: int
    system_adjust: int
    first_system_newline: bool
    function_message_adjust: int
    function_call_message: int
    function_call_none: int
    function_call_named: int


class ToolChoiceConstants(_Strict):
    """Tokens added by ``tool_choice`` (a named choice adds the name's tokens as well)."""

    none: int
    auto: int
    required: int
    named: int


class ToolCallConstants(_Strict):
    """Tokens for assistant ``tool_calls`` (besides name and arguments) and a tool message's id."""

    per_tool_call: int
    tool_call_id: int


class HarmonyTemplates(_Strict):
    """The harmony rendering of each piece; ``<|...|>`` markers are single special tokens."""

    message: str
    developer: str
    instructions: str
    tools: str
    section_separator: str
    assistant: str
    tool_call: str
    tool_result: str
    reply_priming: str


ChatRule = Literal["messages", "cookbook_tools", "legacy_functions"]


class ChatFormat(_Strict):
    """How a family of models formats a chat request, and which of its rules are API-verified.

    ``response_format`` renders a ``json_schema`` response format (``{description}`` is
    ``// text\\n`` or empty). ``verified`` maps a rule to the models it was checked on against the API
    (``"*"``: every model of the format); every other rule is an estimate.
    """

    about: str
    tokens_per_message: int
    tokens_per_name: int
    reply_priming: int
    cookbook_tools: CookbookToolConstants | None = None
    namespace: NamespaceConstants
    tool_choice: ToolChoiceConstants
    tool_calls: ToolCallConstants
    response_format: str
    harmony: HarmonyTemplates | None = None
    verified: dict[ChatRule, tuple[str, ...]] = {}
    sources: dict[str, str]
    checked: date
    notes: tuple[str, ...] = ()

    def is_verified(self, rule: ChatRule, model: ModelInfo) -> bool:
        """Whether ``rule`` was checked against the API for ``model`` (or its base entry)."""
        models = self.verified.get(rule, ())
        return "*" in models or (model.assumed_from or model.name) in models
class ImageSizing(_Strict):
    """How one ``detail`` level of a patch model shrinks an image before counting patches.

    ``None`` means no such limit. ``exact`` is False where the sizing is derived or
    borrowed rather than published (``note`` says which).
    """

    patches: int | None = Field(default=None, gt=0)
    max_dimension: int | None = Field(default=None, gt=0)
    exact: bool = True
    note: str | None = None


class _ImageRuleBase(_Strict):
    """What every image-token rule states: accepted ``detail`` values, exactness, provenance.

    ``auto`` is the detail level that ``"auto"`` (and an omitted detail) is counted
    as; ``auto_documented`` says whether OpenAI documents that, and ``auto_note``
    explains the choice when it does not. ``exact`` is False for a rule whose
    constants are disputed or borrowed, with the reason in ``estimate_note``;
    ``gap`` marks a model OpenAI's tables do not place, counted with the rule
    named in ``like`` (whose fields it inherits).
    """

    details: tuple[str, ...]
    auto: str
    auto_documented: bool = False
    auto_note: str | None = None
    exact: bool = True
    estimate_note: str | None = None
    gap: bool = False
    like: str | None = None
    sources: tuple[str, ...]
    checked: date
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_notes(self) -> _ImageRuleBase:
        if "auto" not in self.details or self.auto not in self.details or self.auto == "auto":
            raise ValueError("'auto' must be a detail value and resolve to another one")
        if not self.auto_documented and not self.auto_note:
            raise ValueError("auto_note must say how 'auto' is counted when it is not documented")
        if (not self.exact or self.gap) and not self.estimate_note:
            raise ValueError("estimate_note must say why a gap or inexact rule is an estimate")
        if self.gap and (self.exact or self.like is None):
            raise ValueError("a gap rule is never exact and names the rule it is counted 'like'")
        return self


class TileRule(_ImageRuleBase):
    """The tile method: fit in ``fit_box``, shrink the short side to ``short_side``, count tiles.

    ``fidelity_extra`` (gpt-image-1 only) holds the tokens high input fidelity
    adds, for a ``square`` image and otherwise (``non_square``).
    """

    method: Literal["tile"]
    base_tokens: int = Field(ge=0)
    tile_tokens: int = Field(gt=0)
    tile_size: int = Field(gt=0)
    fit_box: int = Field(gt=0)
    short_side: int = Field(gt=0)
    fidelity_extra: dict[Literal["square", "non_square"], int] | None = None


class PatchRule(_ImageRuleBase):
    """The patch method: ``patch_size`` px patches under a per-detail budget, times a multiplier.

    ``sizing`` maps each detail level (other than ``auto``) to its limits. ``multiplier_values`` records
    every published or measured multiplier by where it comes from; ``multiplier``
    is the one used, and ``multiplier_exact`` is False where they disagree or
    none is published (``multiplier_note`` says which was chosen and why).
    ``multiplier_rounding`` turns the product into tokens.
    """

    method: Literal["patch"]
    patch_size: int = Field(gt=0)
    sizing: dict[str, ImageSizing]
    multiplier: Decimal = Field(gt=0)
    multiplier_exact: bool = True
    multiplier_note: str | None = None
    multiplier_values: dict[str, Decimal] = {}
    multiplier_rounding: Literal["floor", "nearest", "ceil"]

    @model_validator(mode="after")
    def _check_sizing(self) -> PatchRule:
        if not self.multiplier_exact and not self.multiplier_note:
            raise ValueError("multiplier_note must explain a multiplier that is not exact")
        missing = [d for d in self.details if d != "auto" and d not in self.sizing]
        if missing:
            raise ValueError(f"no sizing for detail {', '.join(missing)}")
        return self


ImageRule = Annotated[TileRule | PatchRule, Field(discriminator="method")]


class ImageLimits(_Strict):
    """The largest image tokencmp accepts; bigger headers are treated as invalid."""

    max_side: int = Field(gt=0)
    max_pixels: int = Field(gt=0)
    source: str
    checked: date
    note: str = ""


class Catalog(_Strict):
    """The whole catalog file, validated."""

    schema_version: Literal[1]
    about: str = ""
    sources: dict[str, Source]
    models: dict[str, ModelInfo]
    chat_formats: dict[str, ChatFormat] = {}
    prefix_rules: tuple[PrefixRule, ...] = ()
    image_rules: dict[str, ImageRule] = {}
    image_limits: ImageLimits | None = None

    @model_validator(mode="before")
    @classmethod
    def _names_from_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("models"), dict):
            data = dict(data)
            data["models"] = {
                key: {**entry, "name": key} if isinstance(entry, dict) else entry
                for key, entry in data["models"].items()
            }
        if isinstance(data, dict) and isinstance(data.get("image_rules"), dict):
            data = dict(data)
            data["image_rules"] = _expand_like(data["image_rules"])
        return data

    @model_validator(mode="after")
    def _check_references(self) -> Catalog:
        names: dict[str, str] = {}
        for key, info in self.models.items():
            for name in (key, *info.aliases):
                if name != name.strip().lower():
                    raise ValueError(f"models.{key}: names must be lower case: {name!r}")
                if name in names:
                    raise ValueError(f"models.{key}: name {name!r} is also used by {names[name]!r}")
                names[name] = key
            for what, source in info.sources.items():
                if source not in self.sources:
                    raise ValueError(f"models.{key}.sources.{what}: unknown source {source!r}")
            if info.chat_format is not None and info.chat_format not in self.chat_formats:
                raise ValueError(f"models.{key}.chat_format: unknown chat format {info.chat_format!r}")
        for key, fmt in self.chat_formats.items():
            for what, source in fmt.sources.items():
                if source not in self.sources:
                    raise ValueError(f"chat_formats.{key}.sources.{what}: unknown source {source!r}")
        for i, rule in enumerate(self.prefix_rules):
            if rule.formats_from not in self.models:
                raise ValueError(f"prefix_rules[{i}].formats_from: unknown model {rule.formats_from!r}")
        for key, info in self.models.items():
            if info.vision is not None and info.vision not in self.image_rules:
                raise ValueError(f"models.{key}.vision: no image_rules entry {info.vision!r}")
        for key, image_rule in self.image_rules.items():
            for source in image_rule.sources:
                if source not in self.sources:
                    raise ValueError(f"image_rules.{key}.sources: unknown source {source!r}")
        if self.image_limits is not None and self.image_limits.source not in self.sources:
            raise ValueError(f"image_limits.source: unknown source {self.image_limits.source!r}")
        return self

    def names(self) -> dict[str, str]:
        """Every name and alias, mapped to its entry's key."""
        out: dict[str, str] = {}
        for key, info in self.models.items():
            out[key] = key
            for alias in info.aliases:
                out[alias] = key
        return out


def _expand_like(rules: dict[str, Any]) -> dict[str, Any]:
    """Fill each image rule that names ``like`` with that rule's fields, its own fields winning."""
    out = {}
    for key, entry in rules.items():
        if isinstance(entry, dict) and entry.get("like") is not None:
            base = rules.get(entry["like"])
            if not isinstance(base, dict) or base.get("like") is not None:
                raise ValueError(
                    f"image_rules.{key}.like: {entry['like']!r} must name a rule that has no 'like' itself"
                )
            entry = {**base, "exact": False, **entry}
        out[key] = entry
    return out


# --- loading ---------------------------------------------------------------------------


def _read_json(path: Path | None) -> dict[str, Any]:
    if path is None:
        text = resources.files("tokencmp").joinpath("data/catalog.json").read_text("utf-8")
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


def _validate(data: dict[str, Any], where: str) -> Catalog:
    try:
        return Catalog.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        more = f" (and {e.error_count() - 1} more problems)" if e.error_count() > 1 else ""
        raise CatalogError(f"{where}: {loc}: {first['msg']}{more}") from None


_lock = threading.Lock()
_active: Catalog | None = None


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
    catalog = _validate(data, where)
    with _lock:
        _active = catalog
        _resolve_cached.clear()
    return catalog


def get_catalog() -> Catalog:
    """The active catalog, loading it on first use."""
    catalog = _active
    if catalog is None:
        with _lock:
            catalog = _active
        if catalog is None:
            catalog = load_catalog()
    return catalog


def list_models() -> list[ModelInfo]:
    """Every entry of the active catalog, in file order."""
    return list(get_catalog().models.values())


# --- name resolution --------------------------------------------------------------------

_DATED = re.compile(r"^(?P<base>.+?)-(?:\d{4}-\d{2}-\d{2}|\d{4})$")
_LATEST = re.compile(r"^(?P<base>.+?)(?:-chat)?-latest$")
_MAX_RULES = 4
"""The most naming rules stacked on one name (``ft:`` + a date + ``-latest`` is three): a
longer chain (``gpt-4o-2024-2024-...``) is not resolved rule after rule."""
_resolve_cached: dict[str, ModelInfo] = {}


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
    hit = _resolve_cached.get(key)
    if hit is not None:
        return hit
    info = _resolve(catalog, key)
    if info is None:
        raise UnknownModelError(name, _suggest(catalog, key))
    with _lock:
        if catalog is _active:
            _resolve_cached[key] = info
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
