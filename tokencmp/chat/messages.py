"""Counting a request in the ChatML formats (every OpenAI chat model but gpt-oss).

The cookbook's formula, per message::

    tokens_per_message + tokens(role) + tokens(content) [+ tokens(name) + tokens_per_name]

and ``reply_priming`` once ("every reply is primed with
<|start|>assistant<|message|>"). The constants per format are in the
catalog's ``chat_formats``. On top of that, by rule:

* definitions (``tools`` or legacy ``functions``): the cookbook formula when
  the format has cookbook constants, the request uses ``tools`` and every
  schema is flat with descriptions; otherwise the TypeScript-namespace
  rendering + ``definitions_overhead`` (9), ``system_adjust`` (-4) when a
  system (or developer) message exists, and a newline added to the first
  system message (hmarr);
* legacy ``function_call``: none +1, named +4 + tokens(name); assistant
  messages with ``function_call`` + tokens(name) + tokens(arguments) + 3;
  ``function`` messages -2 (hmarr);
* ``tool_choice``: none +1, named +7 + tokens(name), auto/required 0 (litellm);
* assistant ``tool_calls``: tokens(name) + tokens(arguments) per call; tool
  messages +3 for ``tool_call_id`` (langchain's stated approximation);
* ``response_format`` json_schema: the harmony "# Response Formats" text.
"""

from __future__ import annotations

import json

from ..errors import InvalidRequestError
from .content import content_tokens
from .context import Context
from .request import ChatRequest, Message, ResponseFormat, ToolChoice
from .result import Breakdown, ToolsCount
from .tools import cookbook_applies, cookbook_tokens, render_namespace

SYSTEM_ROLES = ("system", "developer")


def count_chatml(req: ChatRequest, ctx: Context) -> Breakdown:
    fmt = ctx.fmt
    if not ctx.verified("messages"):
        ctx.estimate(
            f"messages: {fmt.tokens_per_message} per message, +{fmt.tokens_per_name} per name and "
            f"{fmt.reply_priming} reply priming are not published for {ctx.info.name} "
            "(GAP; the formula langchain-openai and litellm use)"
        )
    cookbook = (
        bool(req.tools)
        and not req.legacy_functions
        and fmt.cookbook_tools is not None
        and cookbook_applies(req.tools)
    )
    namespace = bool(req.tools) and not cookbook
    rows = []
    pad_first_system = namespace and fmt.namespace.first_system_newline
    for i, m in enumerate(req.messages):
        pad = pad_first_system and m.role in SYSTEM_ROLES
        pad_first_system = pad_first_system and not pad
        rows.append(_message(i, m, ctx, pad_newline=pad))
    tools = None
    if req.tools:
        has_system = any(m.role in SYSTEM_ROLES for m in req.messages)
        tools = _cookbook_block(req, ctx) if cookbook else _namespace_block(req, ctx, has_system)
    return Breakdown(
        messages=rows,  # validated into MessageCount in one call: much faster than one by one
        tools=tools,
        response_format=response_format_tokens(req.response_format, ctx),
        reply_priming=fmt.reply_priming,
        image_parts=ctx.image_parts,
    )


def _message(index: int, m: Message, ctx: Context, *, pad_newline: bool) -> dict[str, int | str]:
    """One message's :class:`MessageCount` fields."""
    fmt = ctx.fmt
    role = m.role
    content, images = content_tokens(m.content, ctx)
    overhead = fmt.tokens_per_message + ctx.role_tokens(role)
    if pad_newline:
        overhead += _newline_cost(m, ctx)
    name = ctx.tokens(m.name) + fmt.tokens_per_name if m.name else 0
    calls = 0
    if m.function_call is not None:
        _legacy(ctx, "assistant function_call: + tokens(name) + tokens(arguments) + 3")
        calls += ctx.tokens(m.function_call.name) + ctx.tokens(m.function_call.arguments)
        calls += fmt.namespace.function_call_message
    if role == "function":
        _legacy(ctx, "function messages: -2")
        overhead += fmt.namespace.function_message_adjust
    if m.tool_calls:
        ctx.estimate(
            "tool_calls: each assistant tool call counted as tokens(name) + tokens(arguments) "
            "(GAP; langchain-openai's stated approximation; parallel calls are reported to cost more)"
        )
        calls += sum(
            ctx.tokens(c.name) + ctx.tokens(c.arguments) + fmt.tool_calls.per_tool_call for c in m.tool_calls
        )
    if role == "tool":
        ctx.estimate(
            f"tool messages: +{fmt.tool_calls.tool_call_id} for tool_call_id "
            "(GAP; langchain-openai's stated approximation)"
        )
        overhead += fmt.tool_calls.tool_call_id
    return {
        "index": index,
        "path": m.path,
        "role": role,
        "content": content,
        "overhead": overhead,
        "name": name,
        "tool_calls": calls,
        "images": images,
    }


def _newline_cost(m: Message, ctx: Context) -> int:
    """What hmarr's trailing "\\n" on the first system message adds when functions are present."""
    if m.content is None or isinstance(m.content, str):
        text = m.content or ""
        return ctx.tokens(text + "\n") - ctx.tokens(text)
    return ctx.tokens("\n")  # list content: the newline on its own (already an estimate)


def _legacy(ctx: Context, rule: str) -> None:
    if not ctx.verified("legacy_functions"):
        ctx.estimate(
            f"legacy functions: {rule} (hmarr/openai-chat-tokens; API-checked only on gpt-3.5-turbo-0613)"
        )


def _cookbook_block(req: ChatRequest, ctx: Context) -> ToolsCount:
    assert ctx.fmt.cookbook_tools is not None
    if not ctx.verified("cookbook_tools"):
        ctx.estimate(f"tools: the cookbook's tool formula is not verified for {ctx.info.name}")
    definitions, func_end = cookbook_tokens(req.tools, ctx.fmt.cookbook_tools, ctx.tokens)
    return ToolsCount(
        method="cookbook",
        functions=len(req.tools),
        definitions=definitions,
        overhead=func_end,
        tool_choice=_tool_choice(req.tool_choice, ctx, legacy=False),
    )


def _namespace_block(req: ChatRequest, ctx: Context, has_system: bool) -> ToolsCount:
    ns = ctx.fmt.namespace
    if req.legacy_functions:
        _legacy(ctx, f"definitions rendered as a TypeScript namespace + {ns.definitions_overhead}")
    else:
        why = (
            "schemas the cookbook formula cannot count (nested, without descriptions, non-string enums)"
            if ctx.fmt.cookbook_tools is not None
            else f"no published tool constants for {ctx.info.name}"
        )
        ctx.estimate(
            f"tools: rendered as a TypeScript namespace + {ns.definitions_overhead}, "
            f"{ns.system_adjust} with a system message, newline after the first system message "
            f"(hmarr's legacy-functions rule applied to tools: {why})"
        )
    overhead = ns.definitions_overhead + (ns.system_adjust if has_system else 0)
    return ToolsCount(
        method="namespace",
        functions=len(req.tools),
        definitions=ctx.tokens(render_namespace(req.tools)),
        overhead=overhead,
        tool_choice=_tool_choice(req.tool_choice, ctx, legacy=req.legacy_functions),
    )


def _tool_choice(choice: ToolChoice | None, ctx: Context, *, legacy: bool) -> int:
    if choice is None or choice.mode == "auto":
        return 0
    if legacy:
        ns = ctx.fmt.namespace
        if choice.mode == "none":
            _legacy(ctx, f"function_call 'none': +{ns.function_call_none}")
            return ns.function_call_none
        _legacy(ctx, f"named function_call: +{ns.function_call_named} + tokens(name)")
        return ns.function_call_named + ctx.tokens(choice.name or "")
    tc = ctx.fmt.tool_choice
    cost = {"none": tc.none, "required": tc.required}.get(choice.mode)
    if cost is None:
        ctx.estimate(f"tool_choice: a named function counted as +{tc.named} + tokens(name) (GAP; litellm)")
        return tc.named + ctx.tokens(choice.name or "")
    ctx.estimate(f"tool_choice: {choice.mode!r} counted as +{cost} (GAP; litellm)")
    return cost


def response_format_text(rf: ResponseFormat, template: str) -> str:
    """The ``json_schema`` response format as harmony renders it in the developer message."""
    try:
        schema = json.dumps(rf.schema, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InvalidRequestError("response_format", f"the schema is not JSON: {e}") from None
    description = f"// {rf.description}\n" if rf.description else ""
    return template.format(name=rf.name, description=description, schema=schema)


def response_format_tokens(rf: ResponseFormat | None, ctx: Context) -> int:
    if rf is None or rf.type == "text":
        return 0
    if rf.type == "json_object":
        ctx.estimate("response_format: json_object counted as 0 tokens (GAP; no published figure)")
        return 0
    ctx.estimate(
        "response_format: json_schema counted as the harmony '# Response Formats' text with the "
        "compact schema (GAP; OpenAI says the schema is a prefix of the system message, no constants)"
    )
    return ctx.tokens(response_format_text(rf, ctx.fmt.response_format))
