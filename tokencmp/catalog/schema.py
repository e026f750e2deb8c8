"""The shape of ``tokencmp/data/catalog.json``: pydantic models that validate every fact in it.

The facts (encodings, limits, prices, counting constants, defaults) come from
outside the code, each with its sources and the date a person checked it, and
are validated once, when the file loads (:mod:`tokencmp.catalog.load`): a bad
entry is refused with the entry and field named, never a wrong count later.
They are pydantic models, not :class:`tokencmp.result.Result` dataclasses,
because they are validated input, not results tokencmp computes. Every model
is frozen and refuses unknown fields, so a typo in an override file is an error::

    >>> Prices.model_validate({"input": "2.5", "output": "10"}).input
    Decimal('2.5')

Why one module of over 400 lines (over 500): it is one idea, the schema of one
file, read top to bottom in the order of the file's sections (the chat formats,
with their families, per-API overrides and bounds, are the largest); most of its
lines are field declarations with the docstring that says where each figure
comes from. Split, a reader would chase one file's shape through several.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

Tier = Literal["standard", "batch", "flex", "priority"]
TIERS: tuple[Tier, ...] = get_args(Tier)
"""The processing tiers a price can be given for, in the pricing page's order (the CLI's choices)."""


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
    """The cookbook's tool formula constants.

    From openai/openai-cookbook ``examples/How_to_count_tokens_with_tiktoken.ipynb``, section 7
    ("Counting tokens for chat completions with tool calls").
    """

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
    result_name: bool = False
    """A tool result also costs the tokens of the name of the call it answers."""
    stored_call_id: int = 0
    """Responses: what a ``function_call`` item that carries its stored item ``id`` adds."""


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


ChatRule = Literal[
    "messages",
    "cookbook_tools",
    "legacy_functions",
    "responses_messages",
    "tool_history",
    "content_parts",
    "names",
]
Api = Literal["chat", "responses"]


class RuleBound(_Strict):
    """How far the API's count was seen from an estimated rule's: observed minus counted.

    A count that applies the rule (once, however often it is applied in one request) gets
    ``low``..``high`` added to its bounds. ``calls`` is how many recorded API calls the
    spread was measured on and ``evidence`` says which (sources and dates).
    """

    low: int
    high: int
    calls: int = 0
    evidence: str

    @model_validator(mode="after")
    def _spread(self) -> RuleBound:
        if not self.low <= 0 <= self.high:
            raise ValueError(f"a rule's bounds must satisfy low <= 0 <= high, not {self.low}..{self.high}")
        return self


class ReasoningConstants(_Strict):
    """How a Responses reasoning item of the current turn is estimated from what the request
    shows of it: ``(len(encrypted_content) - base_chars) / chars_per_token`` tokens."""

    base_chars: int = Field(ge=0)
    chars_per_token: Decimal = Field(gt=0)
    evidence: str


class FormatOverride(_Strict):
    """Constants of a format that differ for some of its models or for one API.

    ``set`` holds :class:`ChatFormat` fields with their values for these models
    (an object field, such as ``tool_calls`` or ``verified``, is merged key by key);
    ``calls`` is how many recorded API calls support it and ``evidence`` which.
    """

    set: dict[str, Any] = {}
    calls: int = 0
    evidence: str


class FormatFamily(FormatOverride):
    """Models of a format, by name prefix, whose constants differ (the reasoning models'
    reply priming, say). ``apis`` overrides further per API."""

    prefixes: tuple[str, ...] = Field(min_length=1)
    excludes: tuple[str, ...] = ()
    apis: dict[Api, FormatOverride] = {}

    def matches(self, name: str) -> bool:
        """Whether the model ``name`` belongs to the family."""
        return name.startswith(self.prefixes) and not name.startswith(self.excludes or ("\0",))


class ChatFormat(_Strict):
    """How a family of models formats a chat request, and which of its rules are API-verified.

    ``response_format`` renders a ``json_schema`` response format (``{description}`` is
    ``// text\\n`` or empty). ``verified`` maps a rule to the models it was checked on against the API
    (``"*"``: every model of the format); every other rule is an estimate.
    ``bounds`` gives an estimated rule's spread by the name the renderer applies it under
    (:meth:`tokencmp.chat.context.Context.estimate`); ``"default"`` is the spread of an
    estimated rule with no entry of its own.
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
    role_tokens: bool = True
    assistant_message: int = 0
    reasoning_items: ReasoningConstants | None = None
    verified: dict[ChatRule, tuple[str, ...]] = {}
    bounds: dict[str, RuleBound] = {}
    families: dict[str, FormatFamily] = {}
    apis: dict[Api, FormatOverride] = {}
    sources: dict[str, str]
    checked: date
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _override_fields(self) -> ChatFormat:
        named = [(f"apis.{a}", o) for a, o in self.apis.items()]
        for key, fam in self.families.items():
            named.append((f"families.{key}", fam))
            named += [(f"families.{key}.apis.{a}", o) for a, o in fam.apis.items()]
        for where, layer in named:
            for field in layer.set:
                if field not in _OVERRIDABLE:
                    raise ValueError(f"{where}.set.{field}: not a chat format field that can be overridden")
        return self

    def is_verified(self, rule: ChatRule, model: ModelInfo) -> bool:
        """Whether ``rule`` was checked against the API for ``model`` (or its base entry);
        an entry ending in ``*`` names the models whose name starts with the rest."""
        models = self.verified.get(rule, ())
        name = model.assumed_from or model.name
        return "*" in models or name in models or any(
            m.endswith("*") and name.startswith(m[:-1]) for m in models
        )

    def family(self, model: ModelInfo) -> tuple[str, FormatFamily] | None:
        """The first of ``families`` the model belongs to (by the name asked for, then its base)."""
        for key, fam in self.families.items():
            if fam.excludes and model.name.startswith(fam.excludes):
                continue  # excluded by the name asked for, whatever its base
            base = model.assumed_from
            if fam.matches(model.name) or (base is not None and fam.matches(base)):
                return key, fam
        return None

    def for_model(self, model: ModelInfo, api: Api = "chat") -> ChatFormat:
        """The format as it applies to ``model`` on ``api``: the API's overrides, then the
        model's family's, then the family's for the API (no families or apis left)."""
        layers = [self.apis.get(api)]
        found = self.family(model)
        if found is not None:
            layers += [found[1], found[1].apis.get(api)]
        sets = [layer.set for layer in layers if layer is not None and layer.set]
        if not sets and not self.families and not self.apis:
            return self
        data = self.model_dump(by_alias=True)
        data["families"], data["apis"] = {}, {}
        for values in sets:
            for key, value in values.items():
                old = data.get(key)
                data[key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
        return ChatFormat.model_validate(data)


_OVERRIDABLE = frozenset(ChatFormat.model_fields) - {
    "about", "families", "apis", "sources", "checked", "harmony"
}


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
    rounding_slack: int = Field(default=0, ge=0)
    """How far above the rounded-up product of patches and multiplier the API was recorded."""

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


DefaultsItem = Literal["model", "encodings", "cost_models"]


class Defaults(_Strict):
    """What tokencmp uses when the caller names nothing: facts that change, so data, not code.

    ``model`` is the model counted when neither a model nor an encoding is
    given; ``encodings`` the encodings ``compare`` shows; ``cost_models`` the
    models ``tokencmp cost`` prices, when a file names them: without it they follow the
    rule of :meth:`Catalog.cost_models` (a new priced model joins them with no edit here).
    ``why`` says why each was chosen and ``sources`` which source (a key of the
    catalog's ``sources``) the choice rests on.
    """

    model: str
    encodings: tuple[str, ...] = Field(min_length=1)
    cost_models: tuple[str, ...] | None = Field(default=None, min_length=1)
    why: dict[DefaultsItem, str]
    sources: dict[DefaultsItem, str]
    checked: date


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
    defaults: Defaults

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
        named = (("model", (self.defaults.model,)), ("cost_models", self.defaults.cost_models or ()))
        for what, models in named:
            for model in models:
                if model not in names:
                    raise ValueError(f"defaults.{what}: no model entry or alias {model!r}")
        for item, source in self.defaults.sources.items():
            if source not in self.sources:
                raise ValueError(f"defaults.sources.{item}: unknown source {source!r}")
        return self

    def cost_models(self) -> tuple[str, ...]:
        """The models ``tokencmp cost`` prices when none is named.

        ``defaults.cost_models`` when the file names them; else every chat model that is
        active, with a standard input and output price, in the file's order.

            >>> from tokencmp import get_catalog
            >>> "gpt-4o" in get_catalog().cost_models()
            True
        """
        if self.defaults.cost_models is not None:
            return self.defaults.cost_models
        return tuple(
            name for name, info in self.models.items()
            if info.kind == "chat" and info.status == "active" and "standard" in info.prices
            and info.prices["standard"].input is not None and info.prices["standard"].output is not None
        )

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
