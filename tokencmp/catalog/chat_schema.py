"""The shape of a catalog's ``chat_formats``: how each family of models formats a chat request.

Re-exported from :mod:`.schema`, whose :class:`~tokencmp.catalog.schema.Catalog` holds
them. A format carries the constants of the ChatML (or harmony) rendering, the
recorded-call fits (``tool_layout``, ``tool_calls``, ``reasoning_items``), which rules are
verified for which models, the bounds of the rules that are not, and its
``overrides``: one list of "for these models on this API, these constants", resolved by
:meth:`ChatFormat.for_model`::

    >>> o = FormatOverride(models=("o3",), api="chat", set={"reply_priming": 2},
    ...                    evidence="recorded calls")
    >>> o.models, o.api
    (('o3',), 'chat')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, model_validator

from .strict import STRICT

if TYPE_CHECKING:
    from .schema import ModelInfo


class _Strict(BaseModel):
    model_config = STRICT


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


class ToolLayout(_Strict):
    """How the API charges the namespace rendering of tool definitions (and a response
    format), fitted to recorded API calls; a format's :class:`FormatOverride` sets it for the
    models and API the calls were recorded on. Without one, tools are counted with the
    format's ``namespace`` constants (hmarr's) and marked an estimate.

    Without a system message the definitions cost their rendering +
    ``definitions_overhead``; with one, + ``system_overhead`` (and a newline added to the
    first system message when ``first_system_newline``); ``system_checked`` is false where
    recorded calls do not bear ``system_overhead`` out (the count is then an estimate);
    ``instructions_only``: on Responses only the ``instructions`` count as that system message,
    not a system or developer input item (reasoning models). Each
    function after the first adds ``extra_function``, each with neither description nor
    parameters ``bare_function``; ``described_properties`` is added once when the definitions
    stand alone (no system message) and a property has a description; ``tools_block`` is
    what the API adds whenever tools are present (gpt-5 models on Chat). ``titles`` renders
    the schemas' titles;
    ``checked_features`` are the schema features (:data:`tokencmp.chat.namespace.UNCHECKED`)
    whose rendering a recorded call or a published figure has checked for these models.
    ``json_object`` is what ``{"type": "json_object"}`` adds; a json_schema format costs the
    format's ``response_format`` text (the schema without ``required`` and
    ``additionalProperties``) + ``format_overhead`` alone, + ``format_system_overhead`` with a
    system message (borne out by recorded calls where ``format_system_checked``), +
    ``format_tools_overhead`` with tools.
    """

    definitions_overhead: int
    system_overhead: int
    system_checked: bool = True
    instructions_only: bool = False
    first_system_newline: bool = False
    extra_function: int = 0
    bare_function: int = 0
    described_properties: int = 0
    tools_block: int = 0
    titles: bool = False
    checked_features: tuple[str, ...] = ()
    json_object: int = 0
    format_overhead: int = 0
    format_system_overhead: int = 0
    format_system_checked: bool = False
    format_tools_overhead: int = 0


class ToolChoiceConstants(_Strict):
    """Tokens added by ``tool_choice`` (a named choice adds the name's tokens as well, when
    ``named_adds_name``); ``allowed`` is what an ``allowed_tools`` choice adds."""

    none: int
    auto: int
    required: int
    named: int
    named_adds_name: bool = True
    allowed: int = 0


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
    "namespace_tools",
    "responses_tools",
    "tool_choice",
    "response_format",
    "responses_messages",
    "tool_history",
    "content_parts",
    "names",
]
"""The rules a format's ``verified`` can name (each checked against the API for some models)."""

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
    """Constants of a format that differ for some of its models, on one API or both: the one
    way the catalog says "for these models on this API, these constants".

    A format's ``overrides`` map a short name to each (an override file adds its own, or
    changes one by its name). ``models`` are name prefixes (``"*"``: every model of the
    format), matched against the name asked for and then its base entry (``assumed_from``);
    a name that starts with one of ``excludes`` is left out whatever its base. ``api`` limits
    the override to one API (``None``: both). ``set`` holds :class:`ChatFormat` fields with
    their values (an object field, such as ``tool_calls``, ``tool_layout``, ``verified`` or
    ``bounds``, is merged key by key). Every override that matches applies, in the order of
    the format's mapping, so a later, narrower one refines an earlier one (an override file's
    new ones come last). ``calls`` is how many recorded API calls support it and ``evidence``
    which (sources and dates).
    """

    models: tuple[str, ...] = ("*",)
    excludes: tuple[str, ...] = ()
    api: Api | None = None
    set: dict[str, Any] = Field(min_length=1)
    calls: int = 0
    evidence: str

    def matches(self, model: ModelInfo, api: Api) -> bool:
        """Whether the override applies to ``model`` on ``api``."""
        if self.api is not None and self.api != api:
            return False
        if self.excludes and model.name.startswith(self.excludes):
            return False
        if "*" in self.models:
            return True
        base = model.assumed_from
        return model.name.startswith(self.models) or (base is not None and base.startswith(self.models))


class ChatFormat(_Strict):
    """How a family of models formats a chat request, and which of its rules are API-verified.

    ``response_format`` renders a ``json_schema`` response format (``{description}`` is
    ``// text\\n`` or empty). ``verified`` maps a rule to the models it was checked on against the API
    (``"*"``: every model of the format; ``name*``: the models whose name starts with ``name``);
    every other rule is an estimate. ``tool_layout`` is how tools and response formats are
    charged (None: hmarr's ``namespace`` constants, an estimate). ``bounds`` gives an
    estimated rule's spread by the name the renderer applies it under
    (:meth:`tokencmp.chat.context.Context.estimate`); ``"default"`` is the spread of an
    estimated rule with no entry of its own. ``overrides`` change any of these for some
    models on one API or both (:meth:`for_model`).
    """

    about: str
    tokens_per_message: int
    tokens_per_name: int
    reply_priming: int
    cookbook_tools: CookbookToolConstants | None = None
    namespace: NamespaceConstants
    tool_layout: ToolLayout | None = None
    tool_choice: ToolChoiceConstants
    tool_calls: ToolCallConstants
    response_format: str
    harmony: HarmonyTemplates | None = None
    role_tokens: bool = True
    assistant_message: int = 0
    reasoning_items: ReasoningConstants | None = None
    verified: dict[ChatRule, tuple[str, ...]] = {}
    bounds: dict[str, RuleBound] = {}
    overrides: dict[str, FormatOverride] = {}
    sources: dict[str, str]
    checked: date
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _override_fields(self) -> ChatFormat:
        for name, override in self.overrides.items():
            for field in override.set:
                if field not in _OVERRIDABLE:
                    raise ValueError(
                        f"overrides.{name}.set.{field}: not a chat format field that can be overridden"
                    )
        return self

    def is_verified(self, rule: ChatRule, model: ModelInfo) -> bool:
        """Whether ``rule`` was checked against the API for ``model`` (or its base entry);
        an entry ending in ``*`` names the models whose name starts with the rest."""
        models = self.verified.get(rule, ())
        name = model.assumed_from or model.name
        return "*" in models or name in models or any(
            m.endswith("*") and name.startswith(m[:-1]) for m in models
        )

    def for_model(self, model: ModelInfo, api: Api = "chat") -> ChatFormat:
        """The format as it applies to ``model`` on ``api``: every override that matches, in
        order (no overrides left in the result)."""
        sets = [o.set for o in self.overrides.values() if o.matches(model, api)]
        if not self.overrides:
            return self
        data = self.model_dump(by_alias=True)
        data["overrides"] = {}
        for values in sets:
            for key, value in values.items():
                old = data.get(key)
                data[key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
        return ChatFormat.model_validate(data)


_OVERRIDABLE = frozenset(ChatFormat.model_fields) - {"about", "overrides", "sources", "checked", "harmony"}


class ChatTemplate(_Strict):
    """A vendor's chat template, as its own chat encoder lays a dialog out: the catalog's
    ``chat_templates`` (the models of other vendors name one as their ``chat_format``).

    ``layout`` names the rule (:mod:`tokencmp.chat.vendor_templates`): ``headers`` (Llama:
    ``begin``, then ``message`` per message, then ``reply_priming``) or ``inst`` (Mistral:
    ``begin``, ``user`` around each run of user messages, ``assistant`` after each run of
    assistant messages, the system prompt put before the last user message's content).
    A piece is a special token (one of ``special_tokens``: one token), ``{role}`` (the
    role's name in ``roles``, as text), ``{content}`` (the message's text) or fixed text,
    each tokenized on its own, as the vendor's encoder does. ``join`` joins the texts an
    ``inst`` layout merges (system prompts, a run of one role's messages, the system prompt
    and the last user message). ``roles`` maps the request's roles the template takes
    to the template's; any other role is refused.
    """

    about: str
    layout: Literal["headers", "inst"]
    special_tokens: tuple[str, ...] = Field(min_length=1)
    begin: tuple[str, ...] = ()
    message: tuple[str, ...] = ()
    reply_priming: tuple[str, ...] = ()
    user: tuple[str, ...] = ()
    assistant: tuple[str, ...] = ()
    join: str = ""
    roles: dict[str, str] = Field(min_length=1)
    sources: dict[str, str]
    checked: date
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _pieces(self) -> ChatTemplate:
        needs = {"headers": ("message",), "inst": ("user", "assistant")}[self.layout]
        for name in needs:
            pieces = getattr(self, name)
            if "{content}" not in pieces:
                raise ValueError(f"a {self.layout} template's {name} must hold a {{content}} piece")
        return self
