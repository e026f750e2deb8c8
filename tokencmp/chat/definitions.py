"""How the ChatML renderer charges tool definitions, ``tool_choice`` and a response format.

The definitions are the TypeScript-namespace rendering (:mod:`.namespace`), charged
as the format's :class:`~tokencmp.catalog.schema.ToolLayout` for the model and API
says (set by the format's ``overrides``, fitted to recorded API calls; docs/chat.md,
"Tool definitions"), else with hmarr's constants and marked an estimate. Legacy
``functions`` keep hmarr's rule. Each estimated rule is named (``namespace_tools``,
``responses_tools``, ``tool_schema``, ``schema_refs``, ``tool_choice``,
``response_format``) so that its bounds apply.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..catalog.schema import ToolLayout
from .content import response_format_text
from .context import Context
from .layout import RESPONSE_FORMAT, TOOLS, Layout
from .namespace import UNCHECKED, render_namespace
from .request import SYSTEM_ROLES, ChatRequest, ToolChoice


def legacy_note(ctx: Context, rule: str) -> None:
    if not ctx.verified("legacy_functions"):
        ctx.estimate(
            f"legacy functions: {rule} (hmarr/openai-chat-tokens' rule, checked against the API on "
            "gpt-3.5-turbo-0613 only)",
            rule="legacy_functions",
        )


API_NAMES = {"chat": "Chat Completions", "responses": "the Responses API"}


def layout_tools(req: ChatRequest, ctx: Context, out: Layout, layout: ToolLayout | None) -> None:
    ns = ctx.fmt.namespace
    has_system = any(m.role in SYSTEM_ROLES for m in req.messages)
    out.tools_method, out.functions = "namespace", len(req.tools)
    if req.legacy_functions:
        legacy_note(ctx, f"definitions rendered as a TypeScript namespace + {ns.definitions_overhead}")
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
        if layout.instructions_only:  # only the Responses instructions are the system message here
            has_system = any(m.path == "instructions" for m in req.messages)
        if has_system and not layout.system_checked:
            ctx.estimate(
                f"tools: with a system message, {ctx.info.name} on {api} is counted with the "
                f"+{layout.system_overhead} recorded calls of its family do not all bear out",
                rule=rule,
            )
        elif not ctx.verified(rule):  # type: ignore[arg-type]  # one of the two rules just above
            ctx.estimate(
                "tools: the namespace rendering with the constants fitted to recorded calls of other "
                f"models of its family on {api}; none of {ctx.info.name}",
                rule=rule,
            )
        out.add(TOOLS, "overhead", layout.system_overhead if has_system else layout.definitions_overhead)
        if len(req.tools) > 1 and layout.extra_function:
            out.add(TOOLS, "overhead", layout.extra_function * (len(req.tools) - 1))
        bare = sum(1 for f in req.tools if not f.description and not (f.parameters or {}).get("properties"))
        if bare and layout.bare_function:
            out.add(TOOLS, "overhead", layout.bare_function * bare)
        if not has_system and layout.described_properties and "described" in features:
            out.add(TOOLS, "overhead", layout.described_properties)
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
            legacy_note(ctx, f"function_call 'none': +{ns.function_call_none}")
            out.add(TOOLS, "tool_choice", ns.function_call_none)
            return
        legacy_note(ctx, f"named function_call: +{ns.function_call_named} + tokens(name)")
        out.add(TOOLS, "tool_choice", ns.function_call_named)
        out.add(TOOLS, "tool_choice", choice.name or "")
        return
    tc = ctx.fmt.tool_choice
    checked = layout is not None and ctx.verified("tool_choice")
    source = "fitted to recorded calls of its family" if layout is not None else "litellm"
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


def layout_response_format(req: ChatRequest, ctx: Context, out: Layout, layout: ToolLayout | None) -> None:
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
