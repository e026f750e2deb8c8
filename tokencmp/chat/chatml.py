"""The ChatML renderer: how every OpenAI chat model but gpt-oss lays out a request.

The cookbook's formula, per message::

    tokens_per_message + tokens(role) + tokens(content) [+ tokens(name) + tokens_per_name]

and ``reply_priming`` once ("every reply is primed with
<|start|>assistant<|message|>"). The constants per format are in the
catalog's ``chat_formats``. On top of that, by rule:

* definitions (``tools`` or legacy ``functions``): the TypeScript-namespace
  rendering, charged as the format's tool layout for the model and API says
  (:class:`~tokencmp.catalog.schema.ToolLayout`, fitted to recorded API
  calls: an overhead without or with a system message, per extra function,
  per function with neither description nor parameters, the block gpt-5
  models add on Chat); without a layout, hmarr's + ``definitions_overhead``
  (9), ``system_adjust`` (-4) when a system (or developer) message exists,
  and a newline added to the first system message;
* legacy ``function_call``: none +1, named +4 + tokens(name); assistant
  messages with ``function_call`` + tokens(name) + tokens(arguments) + 3;
  ``function`` messages -2 (hmarr);
* ``tool_choice``: the layout's constants (0 for every choice on the models
  recorded), else none +1, named +7 + tokens(name), auto/required 0 (litellm);
* assistant ``tool_calls``: tokens(name) + tokens(arguments) per call; tool
  messages +3 for ``tool_call_id`` (langchain's stated approximation);
* ``response_format``: json_schema as the harmony "# Response Formats" text
  with the compact schema less its ``required`` and ``additionalProperties``
  keys, + the layout's overhead (alone, with a system message, with tools);
  json_object the layout's ``json_object``.

Each rule adds segments to the :class:`~tokencmp.chat.layout.Layout`; the
renderer tokenizes nothing (a role is a fixed string whose tokens are known
per encoding):

    >>> from tokencmp.chat.parse import parse_request
    >>> from tokencmp.chat.context import Context
    >>> ctx = Context.for_model("gpt-4o")
    >>> render_chatml(parse_request({"messages": [{"role": "user", "content": "hi"}]}), ctx).segments
    [(0, 'overhead', 4), (0, 'content', 'hi'), ('reply_priming', 'tokens', 3)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..catalog.schema import ToolLayout
from .content import image_tokens, response_format_text
from .context import Context
from .layout import PRIMING, RESPONSE_FORMAT, TOOLS, Joined, Layout
from .namespace import UNCHECKED, render_namespace
from .request import (
    PLAIN_ROLES,
    SYSTEM_ROLES,
    ChatRequest,
    ImagePart,
    Message,
    PlainMessages,
    ToolChoice,
)

PARTS_NOTE = (
    "content parts: a list content is counted as the sum of its text parts with no per-part "
    "overhead (GAP; langchain-openai and litellm do the same, unmeasured)"
)


def render_chatml(req: ChatRequest, ctx: Context) -> Layout:
    """``req`` laid out in the ChatML format ``ctx.fmt``: messages, tools, response format, priming.

    (The server puts tools and response format in the system message; each is
    tokenized on its own, so their place changes no count, and the segments
    come in the order of the breakdown and of its notes.)
    """
    fmt = ctx.fmt
    if not ctx.verified("messages"):
        ctx.estimate(
            f"messages: {fmt.tokens_per_message} per message, +{fmt.tokens_per_name} per name and "
            f"{fmt.reply_priming} reply priming are not published for {ctx.info.name} "
            "(GAP; the formula langchain-openai and litellm use)"
        )
    tools = req.tools
    layout = (
        fmt.tool_layout(req.api, ctx.info)
        if fmt.tool_layouts and (tools or req.response_format is not None) and not req.legacy_functions
        else None
    )
    newline = fmt.namespace.first_system_newline if layout is None else layout.first_system_newline
    pad = bool(tools) and newline
    messages = req.messages
    # A plain message (a plain role and a string content, nothing else) is two segments: its
    # overhead and its content. Runs of them are laid out in one step (a request of plain
    # messages as a whole); every other message by _message, which applies each rule.
    if type(messages) is PlainMessages and not pad:
        out = Layout.of_messages(list(map(ctx.overheads.__getitem__, messages.roles)), messages.contents)
    else:
        out = Layout()
        _messages(messages, ctx, out, pad=pad)
    if tools:
        _namespace_tools(req, ctx, out, layout)
    if req.response_format is not None:
        _response_format(req, ctx, out, layout)
    out.add(PRIMING, "tokens", fmt.reply_priming)
    return out


def _messages(messages: Sequence[Message], ctx: Context, out: Layout, *, pad: bool) -> None:
    """Every message's segments: runs of plain messages in one step, each other by :func:`_message`.
    ``pad``: add a newline to the first system message (hmarr)."""
    overheads = ctx.overheads
    heads = [  # a plain message's overhead, None for any other
        overheads[m[0]]
        if type(m[1]) is str and m[3] is None and not m[4] and m[5] is None and m[0] in PLAIN_ROLES
        else None
        for m in messages
    ]
    start = 0  # the first message of the run not laid out yet
    for i, m in enumerate(messages):
        newline = pad and m.role in SYSTEM_ROLES
        if heads[i] is not None and not newline:
            continue
        if start < i:
            out.add_messages(start, heads[start:i], [m[1] for m in messages[start:i]])  # type: ignore[arg-type, misc]
        _message(i, m, ctx, out, newline=newline)
        pad = pad and not newline
        start = i + 1
    if start < len(messages):
        out.add_messages(start, heads[start:], [m[1] for m in messages[start:]])  # type: ignore[arg-type, misc]


def _message(i: int, m: Message, ctx: Context, out: Layout, *, newline: bool) -> None:
    """Message ``i``'s segments, every rule of the format applied."""
    fmt = ctx.fmt
    out.add(i, "overhead", ctx.overheads[m.role])
    if isinstance(m.content, tuple):
        ctx.estimate(PARTS_NOTE)
        for part in m.content:
            if isinstance(part, ImagePart):
                out.add(i, "images", image_tokens(part, ctx))
            else:
                out.add(i, "content", part.text)
        if newline:
            out.add(i, "overhead", "\n")  # list content: the newline on its own (already an estimate)
    else:
        out.add(i, "content", m.content or "")
        if newline:
            out.add(i, "overhead", Joined("\n"))  # what the newline adds to the text
    if m.name:
        out.add(i, "name", m.name)
        out.add(i, "name", fmt.tokens_per_name)
    if m.function_call is not None:
        _legacy(ctx, "assistant function_call: + tokens(name) + tokens(arguments) + 3")
        out.add(i, "tool_calls", m.function_call.name)
        out.add(i, "tool_calls", m.function_call.arguments)
        out.add(i, "tool_calls", fmt.namespace.function_call_message)
    if m.role == "function":
        _legacy(ctx, "function messages: -2")
        out.add(i, "overhead", fmt.namespace.function_message_adjust)
    if m.tool_calls:
        ctx.estimate(
            "tool_calls: each assistant tool call counted as tokens(name) + tokens(arguments) "
            "(GAP; langchain-openai's stated approximation; parallel calls are reported to cost more)"
        )
        for call in m.tool_calls:
            out.add(i, "tool_calls", call.name)
            out.add(i, "tool_calls", call.arguments)
            out.add(i, "tool_calls", fmt.tool_calls.per_tool_call)
    if m.role == "tool":
        ctx.estimate(
            f"tool messages: +{fmt.tool_calls.tool_call_id} for tool_call_id "
            "(GAP; langchain-openai's stated approximation)"
        )
        out.add(i, "overhead", fmt.tool_calls.tool_call_id)


def _legacy(ctx: Context, rule: str) -> None:
    if not ctx.verified("legacy_functions"):
        ctx.estimate(
            f"legacy functions: {rule} (hmarr/openai-chat-tokens; API-checked only on gpt-3.5-turbo-0613)"
        )


API_NAMES = {"chat": "Chat Completions", "responses": "the Responses API"}


def _namespace_tools(req: ChatRequest, ctx: Context, out: Layout, layout: ToolLayout | None) -> None:
    ns = ctx.fmt.namespace
    has_system = any(m.role in SYSTEM_ROLES for m in req.messages)
    out.tools_method, out.functions = "namespace", len(req.tools)
    if req.legacy_functions:
        _legacy(ctx, f"definitions rendered as a TypeScript namespace + {ns.definitions_overhead}")
        out.add(TOOLS, "definitions", render_namespace(req.tools))
        out.add(TOOLS, "overhead", ns.definitions_overhead)
        if has_system:
            out.add(TOOLS, "overhead", ns.system_adjust)
        _tool_choice(req.tool_choice, ctx, out, None, legacy=True)
        return
    features: set[str] = set()
    out.add(
        TOOLS,
        "definitions",
        render_namespace(req.tools, titles=layout is not None and layout.titles, features=features),
    )
    rule = "namespace_tools" if req.api == "chat" else "responses_tools"
    api = API_NAMES[req.api]
    if layout is None:
        ctx.estimate(
            f"tools: no recorded calls of {ctx.info.name} on {api} with tools; counted with hmarr's "
            f"constants for gpt-3.5-turbo-0613 (+{ns.definitions_overhead}, {ns.system_adjust} with "
            "a system message, a newline after the first system message)",
            rule=rule,
        )
        out.add(TOOLS, "overhead", ns.definitions_overhead)
        if has_system:
            out.add(TOOLS, "overhead", ns.system_adjust)
    else:
        if has_system and not layout.system_checked:
            ctx.estimate(
                f"tools: with a system message, {ctx.info.name} on {api} is counted with the "
                f"+{layout.system_overhead} recorded calls of its family do not all bear out",
                rule=rule,
            )
        elif not ctx.verified(rule):  # type: ignore[arg-type]  # one of the two rules just above
            ctx.estimate(
                f"tools: the namespace rendering with the constants fitted to {layout.calls} recorded "
                f"calls of other models of its family on {api}; none of {ctx.info.name}",
                rule=rule,
            )
        out.add(TOOLS, "overhead", layout.system_overhead if has_system else layout.definitions_overhead)
        if len(req.tools) > 1 and layout.extra_function:
            out.add(TOOLS, "overhead", layout.extra_function * (len(req.tools) - 1))
        bare = sum(1 for f in req.tools if not f.description and not (f.parameters or {}).get("properties"))
        if bare and layout.bare_function:
            out.add(TOOLS, "overhead", layout.bare_function * bare)
        if layout.tools_block:
            out.add(TOOLS, "overhead", layout.tools_block)
    if "ref" in features:
        ctx.estimate(
            "tools: a $ref in a schema is counted as the schema it points to; on the recorded "
            "schemas with one the API counted up to 16 tokens more",
            rule="schema_refs",
        )
        features.discard("ref")
    if layout is not None:
        features.difference_update(layout.checked_features)
    if features:
        words = ", ".join(UNCHECKED[f] for f in UNCHECKED if f in features)
        ctx.estimate(
            f"tools: the rendering of {words} is not checked against recorded API calls", rule="tool_schema"
        )
    _tool_choice(req.tool_choice, ctx, out, layout, legacy=False)


def _tool_choice(
    choice: ToolChoice | None, ctx: Context, out: Layout, layout: ToolLayout | None, *, legacy: bool
) -> None:
    if choice is None or (choice.mode == "auto" and not choice.allowed):
        return
    if legacy:
        ns = ctx.fmt.namespace
        if choice.mode == "none":
            _legacy(ctx, f"function_call 'none': +{ns.function_call_none}")
            out.add(TOOLS, "tool_choice", ns.function_call_none)
            return
        _legacy(ctx, f"named function_call: +{ns.function_call_named} + tokens(name)")
        out.add(TOOLS, "tool_choice", ns.function_call_named)
        out.add(TOOLS, "tool_choice", choice.name or "")
        return
    tc = layout.tool_choice if layout is not None and layout.tool_choice is not None else ctx.fmt.tool_choice
    checked = layout is not None and layout.tool_choice is not None and ctx.verified("tool_choice")
    source = (
        "fitted to recorded calls of its family" if layout is not None and layout.tool_choice else "litellm"
    )
    if choice.allowed:
        cost = tc.allowed
        what = f"an allowed_tools choice ({choice.mode})"
    elif choice.mode == "named":
        cost = tc.named
        what = "a named function"
        if tc.named_adds_name:
            out.add(TOOLS, "tool_choice", choice.name or "")
            what += " (+ the tokens of its name)"
    else:
        cost = {"none": tc.none, "required": tc.required}[choice.mode]
        what = repr(choice.mode)
    if not checked:
        ctx.estimate(
            f"tool_choice: {what} counted as +{cost} ({source}; not checked for {ctx.info.name})",
            rule="tool_choice",
        )
    out.add(TOOLS, "tool_choice", cost)


def _response_format(req: ChatRequest, ctx: Context, out: Layout, layout: ToolLayout | None) -> None:
    rf = req.response_format
    assert rf is not None
    if rf.type == "text":
        return
    if rf.type == "json_object":
        cost = 0 if layout is None else layout.json_object
        ctx.estimate(
            f"response_format: json_object counted as {cost:+d} (recorded calls of its family; "
            "no published figure)",
            rule="response_format",
        )
        if cost:
            out.add(RESPONSE_FORMAT, "tokens", cost)
        return
    if layout is None:
        ctx.estimate(
            "response_format: json_schema counted as the harmony '# Response Formats' text with the "
            f"compact schema; no recorded calls of {ctx.info.name} with one",
            rule="response_format",
        )
        out.add(RESPONSE_FORMAT, "tokens", response_format_text(rf, ctx.fmt.response_format))
        return
    has_system = any(m.role in SYSTEM_ROLES for m in req.messages)
    if req.tools:
        overhead = layout.format_tools_overhead
    elif has_system:
        overhead = layout.format_system_overhead
    else:
        overhead = layout.format_overhead
    if not ctx.verified("response_format") or (
        has_system and not req.tools and not layout.format_system_checked
    ):
        ctx.estimate(
            "response_format: json_schema counted as the harmony '# Response Formats' text with the "
            f"compact schema (without required and additionalProperties) + {overhead}, fitted to "
            f"recorded calls of other models or layouts; none of {ctx.info.name} like this one",
            rule="response_format",
        )
    shown = replace(rf, schema=_without(rf.schema, FORMAT_DROPPED))
    out.add(RESPONSE_FORMAT, "tokens", response_format_text(shown, ctx.fmt.response_format))
    if overhead:
        out.add(RESPONSE_FORMAT, "tokens", overhead)


FORMAT_DROPPED = frozenset(("required", "additionalProperties"))
"""Keys of a response format's schema the API leaves out of the text it counts (recorded calls)."""


def _without(schema: Any, keys: frozenset[str]) -> Any:
    """``schema`` with ``keys`` removed from every object in it."""
    if isinstance(schema, dict):
        return {k: _without(v, keys) for k, v in schema.items() if k not in keys}
    if isinstance(schema, list):
        return [_without(v, keys) for v in schema]
    return schema
