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

Why one module of just over 400 lines: it is one idea, the schema of one file, read top to
bottom in the order of the file's sections; the chat formats (:mod:`.chat_schema`), the image
rules (:mod:`.image_schema`) and the naming rules (:mod:`.name_schema`) have modules of their
own, re-exported here. Most of what is left is the price and provenance fields with the
docstrings that say where each figure comes from, and the checks that tie the sections
together (names, sources, provenance dates).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, model_validator

# The chat-format classes, re-exported (their own module: the largest section of the file).
from .chat_schema import Api as Api
from .chat_schema import ChatFormat as ChatFormat
from .chat_schema import ChatRule as ChatRule
from .chat_schema import ChatTemplate as ChatTemplate
from .chat_schema import CookbookToolConstants as CookbookToolConstants
from .chat_schema import FormatOverride as FormatOverride
from .chat_schema import HarmonyTemplates as HarmonyTemplates
from .chat_schema import NamespaceConstants as NamespaceConstants
from .chat_schema import ReasoningConstants as ReasoningConstants
from .chat_schema import RuleBound as RuleBound
from .chat_schema import ToolCallConstants as ToolCallConstants
from .chat_schema import ToolChoiceConstants as ToolChoiceConstants
from .chat_schema import ToolLayout as ToolLayout

# The image rules and the naming rules, re-exported (a module each, as the file's sections).
from .image_schema import ImageLimits as ImageLimits
from .image_schema import ImageRule as ImageRule
from .image_schema import ImageSizing as ImageSizing
from .image_schema import PatchRule as PatchRule
from .image_schema import TileRule as TileRule
from .name_schema import ModelFamily as ModelFamily
from .name_schema import PrefixRule as PrefixRule
from .name_schema import check_families
from .strict import STRICT

Tier = Literal["standard", "batch", "flex", "priority"]
TIERS: tuple[Tier, ...] = get_args(Tier)
"""The processing tiers a price can be given for, in the pricing page's order (canonical names)."""

TierName = Literal["standard", "batch", "flex", "priority", "fast"]
TIER_NAMES: tuple[TierName, ...] = get_args(TierName)
"""Every tier name accepted where a tier is taken (the CLI's choices): :data:`TIERS` and ``fast``.

OpenAI renamed the priority tier "Fast mode" on 2026-07-30 (openai.com/api-fast-mode); both
names are accepted and mean one tier, kept as ``priority`` internally (results, catalog keys).
"""

TIER_ALIASES: dict[str, Tier] = {"fast": "priority"}


def canonical_tier(name: str) -> Tier:
    """The canonical name of a tier name (``fast`` is ``priority``); ``ValueError`` for no tier.

        >>> canonical_tier("fast"), canonical_tier("batch")
        ('priority', 'batch')
    """
    tier = TIER_ALIASES.get(name, name)
    if tier not in TIERS:
        raise ValueError(f"No tier {name!r}: the tiers are {', '.join(TIER_NAMES)} (fast is priority).")
    return tier


def _canonical_tier_keys(value: Any) -> Any:
    """A ``prices``-like mapping with ``fast`` keys renamed ``priority`` (both given: an error)."""
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    for key, item in value.items():
        tier = TIER_ALIASES.get(key, key) if isinstance(key, str) else key
        if tier in out:
            raise ValueError(f"tier {tier!r} given twice (fast and priority are one tier)")
        out[tier] = item
    return out


Day = date
"""A calendar day (``datetime.date``; the name ``date`` is a field of :class:`Source`)."""


class _Strict(BaseModel):
    model_config = STRICT





class Source(_Strict):
    """Where a figure comes from, and the date that source carries.

    ``date`` is the date the source itself carries: its publication date, or the date of the
    copy that was read (a mirror's commit, a wheel's release); ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` where the source is no more precise. It is never the date someone read it:
    that is an entry's ``checked``.
    """

    title: str
    url: str
    copy_: str = Field(alias="copy")
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    @property
    def earliest(self) -> Day:
        """The first day ``date`` can mean (``2025`` is 2025-01-01)."""
        return _date_bound(self.date, last=False)

    @property
    def latest(self) -> Day:
        """The last day ``date`` can mean (``2025`` is 2025-12-31): a source is at least this old."""
        return _date_bound(self.date, last=True)


def _date_bound(text: str, *, last: bool) -> date:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 1:
        return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)
    year, month = parts
    if not last:
        return date(year, month, 1)
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


class Prices(_Strict):
    """USD per 1M tokens; ``None`` where the source lists no price. Never negative."""

    input: Decimal | None = Field(default=None, ge=0)
    cached_input: Decimal | None = Field(default=None, ge=0)
    cache_write: Decimal | None = Field(default=None, ge=0)
    output: Decimal | None = Field(default=None, ge=0)


class LongContext(_Strict):
    """Prices that apply to the whole request once its input exceeds a threshold.

    ``standard`` holds the long-context prices of the standard tier. Long context stacks with
    the other tiers (OpenAI's model pages: "Batch costs 50% of Standard rates", at the same
    context length): a tier's long-context prices are its entry here when the source lists
    them (``batch``, ``flex``, ``priority``), else that tier's own prices times ``multipliers``
    (2x input and cache, 1.5x output on the GPT-5.6 and GPT-6 model pages) when the source
    states the rule. ``priority_at_standard`` records the older rule of the GPT-5.4 guide:
    priority requests above the threshold are processed, and billed, at the standard
    long-context rates.
    """

    above_input_tokens: int = Field(gt=0)
    standard: Prices
    batch: Prices | None = None
    flex: Prices | None = None
    priority: Prices | None = None
    multipliers: Prices | None = None
    priority_at_standard: bool = False

    @model_validator(mode="before")
    @classmethod
    def _fast_is_priority(cls, data: Any) -> Any:
        return _canonical_tier_keys(data)


class FineTuning(_Strict):
    """Fine-tuning a model: its training price, and the inference prices of its fine-tunes.

    ``training`` is USD per 1M training tokens (supervised and preference fine-tuning bill the
    training file's tokens times the epochs); ``training_per_hour`` USD per hour of training
    (reinforcement fine-tuning, billed by time, not tokens). ``prices`` are what a fine-tuned
    model (``ft:<snapshot>:...``) costs per 1M tokens, per tier; ``snapshot`` is the fine-tunable
    snapshot the pricing page names.
    """

    snapshot: str
    training: Decimal | None = Field(default=None, ge=0)
    training_per_hour: Decimal | None = Field(default=None, ge=0)
    prices: dict[Tier, Prices]
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_training_price(self) -> FineTuning:
        if (self.training is None) == (self.training_per_hour is None):
            raise ValueError("give exactly one of training (per 1M tokens) and training_per_hour")
        return self


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
    vendor: str = "openai"
    """Whose model this is: ``openai`` unless the entry says otherwise (``meta``, ``qwen``,
    ``mistral``, ``deepseek``: counted with that vendor's encoding, :mod:`tokencmp.encodings.vendors`)."""
    aliases: tuple[str, ...] = ()
    context_window: int | None = Field(default=None, gt=0)
    max_input_tokens: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    chat_format: str | None = None
    vision: str | None = None
    prices: dict[Tier, Prices] = {}
    long_context: LongContext | None = None
    audio_prices: Prices | None = None
    fine_tuning: FineTuning | None = None
    status: Literal["active", "legacy", "shut_down"] = "active"
    shutdown_date: date | None = None
    sources: dict[str, str] = {}
    checked: date
    notes: tuple[str, ...] = ()
    assumed_from: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _fast_is_priority(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("prices"), dict):
            data = {**data, "prices": _canonical_tier_keys(data["prices"])}
        return data

    def facts(self) -> dict[str, bool]:
        """Which facts this entry states, by the key its ``sources`` names them with.

        ``encoding`` always; ``prices``, ``long_context``, ``audio_prices``, ``fine_tuning`` and
        ``limits`` when given; ``status`` when the model is not active or has a shutdown date.
        """
        return {
            "encoding": True,
            "prices": bool(self.prices),
            "long_context": self.long_context is not None,
            "audio_prices": self.audio_prices is not None,
            "fine_tuning": self.fine_tuning is not None,
            "limits": any(v is not None for v in (self.context_window, self.max_input_tokens,
                                                  self.max_output_tokens)),
            "status": self.status != "active" or self.shutdown_date is not None,
        }

    @property
    def input_limit(self) -> int | None:
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        return self.context_window


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
    chat_templates: dict[str, ChatTemplate] = {}
    prefix_rules: tuple[PrefixRule, ...] = ()
    families: tuple[ModelFamily, ...] = ()
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
            self._check_provenance(key, info)
            known = info.chat_format in self.chat_formats or info.chat_format in self.chat_templates
            if info.chat_format is not None and not known:
                raise ValueError(f"models.{key}.chat_format: unknown chat format {info.chat_format!r}")
        sourced: list[tuple[str, dict[str, str]]] = [
            *((k, f.sources) for k, f in self.chat_formats.items()),
            *((k, t.sources) for k, t in self.chat_templates.items()),
        ]
        for key, fmt_sources in sourced:
            for what, source in fmt_sources.items():
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

    @model_validator(mode="after")
    def _check_family_references(self) -> Catalog:
        check_families(self)
        return self

    def _check_provenance(self, key: str, info: ModelInfo) -> None:
        """No entry was checked before the date of a source it names.

        ``checked`` is the day the figures were compared with their sources, so it cannot be
        earlier than the date a source carries (a copy cannot be compared before it exists).
        That each fact names a source at all is :func:`tokencmp.catalog.provenance.unsourced`,
        required of the bundled file by its tests, not of a user's override.
        """
        for fact, source_key in info.sources.items():
            source = self.sources[source_key]
            if info.checked < source.earliest:
                raise ValueError(
                    f"models.{key}.checked: {info.checked} is before {source.date}, the date of "
                    f"sources.{source_key} ({fact}); checked is when the figures were compared with it"
                )

    def cost_models(self) -> tuple[str, ...]:
        """The models ``tokencmp cost`` prices when none is named.

        ``defaults.cost_models`` when the file names them; else every chat model that is
        active, with a standard input and output price and a known input limit (``cost``
        checks that the request fits), in the file's order.

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
            and info.input_limit is not None
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
