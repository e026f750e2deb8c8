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
* ``tool_choice``: the tool layout's constants (0 for every choice on the
  models recorded), else none +1, named +7 + tokens(name), auto/required 0
  (litellm);
* assistant ``tool_calls``: tokens(name) + tokens(arguments) per call (+
  ``stored_call_id`` for a Responses item that carries its stored id); a tool
  message + ``tool_call_id`` and, with ``result_name``, the tokens of the name
  of the call it answers (fitted to recorded calls: +5 on Chat, +3 on Responses);
* ``response_format``: json_schema as the harmony "# Response Formats" text
  with the compact schema less its ``required`` and ``additionalProperties``
  keys, + the layout's overhead (alone, with a system message, with tools);
  json_object the layout's ``json_object``;
* a Responses input's reasoning items (:func:`~tokencmp.chat.content.reasoning_items`).

The format's ``overrides`` set other constants for some models on one API or
both (``ChatFormat.for_model``: the reasoning models' 2-token priming, the
search models' content-only count, the tool layouts). Each rule not verified
for the model and API is an estimate named by its rule, whose spread the
format's ``bounds`` give.

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

from .content import image_tokens, reasoning_items
from .context import Context
from .definitions import layout_response_format, layout_tools, legacy_note
from .layout import PRIMING, Joined, Layout
from .request import (
    PLAIN_ROLES,
    SYSTEM_ROLES,
    ChatRequest,
    ImagePart,
    Message,
    PlainMessages,
)

PARTS_NOTE = (
    "content parts: a list content counted as the sum of its parts with nothing per part, as "
    "recorded calls of gpt-4o, gpt-4.1 and gpt-5 show; not measured on this model"
)


def render_chatml(req: ChatRequest, ctx: Context) -> Layout:
    """``req`` laid out in the ChatML format ``ctx.fmt``: messages, tools, response format, priming.

    (The server puts tools and response format in the system message; each is
    tokenized on its own, so their place changes no count, and the segments
    come in the order of the breakdown and of its notes.)
    """
    fmt = ctx.fmt
    responses = req.api == "responses"
    if not ctx.verified("responses_messages" if responses else "messages"):
        _messages_estimate(ctx, responses)
    tools = req.tools
    layout = None if req.legacy_functions else fmt.tool_layout
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
        layout_tools(req, ctx, out, layout)
    if req.response_format is not None:
        layout_response_format(req, ctx, out, layout)
    if req.reasoning:
        reasoning_items(req.reasoning, ctx, out)
    out.add(PRIMING, "tokens", fmt.reply_priming)
    return out


def _messages_estimate(ctx: Context, responses: bool) -> None:
    fmt = ctx.fmt
    if responses:
        ctx.estimate(
            "Responses input: instructions and items counted as messages of "
            f"{fmt.tokens_per_message} tokens each + {fmt.reply_priming} reply priming, a rule not "
            f"measured on {ctx.info.name}",
            rule="responses_messages",
        )
    else:
        ctx.estimate(
            f"messages: {fmt.tokens_per_message} per message, +{fmt.tokens_per_name} per name and "
            f"{fmt.reply_priming} reply priming, a rule not measured on {ctx.info.name} "
            "(the formula langchain-openai and litellm use)",
            rule="messages",
        )


def _call_names(messages: Sequence[Message]) -> dict[str, str]:
    """Each tool call's id and its function's name, for the tool messages that answer them."""
    return {call.id: call.name for m in messages for call in m.tool_calls if call.id}


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
    names: dict[str, str] | None = None
    for i, m in enumerate(messages):
        newline = pad and m.role in SYSTEM_ROLES
        if heads[i] is not None and not newline:
            continue
        if start < i:
            out.add_messages(start, heads[start:i], [m[1] for m in messages[start:i]])  # type: ignore[arg-type, misc]
        if m.role == "tool" and names is None:
            names = _call_names(messages)
        _message(i, m, ctx, out, newline=newline, names=names)
        pad = pad and not newline
        start = i + 1
    if start < len(messages):
        out.add_messages(start, heads[start:], [m[1] for m in messages[start:]])  # type: ignore[arg-type, misc]


def _message(
    i: int, m: Message, ctx: Context, out: Layout, *, newline: bool, names: dict[str, str] | None = None
) -> None:
    """Message ``i``'s segments, every rule of the format applied (``names``: each tool call's
    id and name, for a tool message)."""
    fmt = ctx.fmt
    out.add(i, "overhead", ctx.overheads[m.role])
    if isinstance(m.content, tuple):
        if not ctx.verified("content_parts"):
            ctx.estimate(PARTS_NOTE, rule="content_parts")
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
    tc = fmt.tool_calls
    if m.name and not (m.role == "tool" and tc.result_name):  # a result's name: its call's, below
        if not ctx.verified("names"):
            ctx.estimate(
                f"names: +{fmt.tokens_per_name} per message name besides its tokens, the cookbook's "
                f"constant, which no recorded call measures on {ctx.info.name}",
                rule="names",
            )
        out.add(i, "name", m.name)
        out.add(i, "name", fmt.tokens_per_name)
    if m.function_call is not None:
        legacy_note(ctx, "assistant function_call: + tokens(name) + tokens(arguments) + 3")
        out.add(i, "tool_calls", m.function_call.name)
        out.add(i, "tool_calls", m.function_call.arguments)
        out.add(i, "tool_calls", fmt.namespace.function_call_message)
    if m.role == "function":
        legacy_note(ctx, "function messages: -2")
        out.add(i, "overhead", fmt.namespace.function_message_adjust)
    if m.tool_calls:
        _tool_history(ctx)
        if len(m.tool_calls) > 1:
            ctx.estimate(
                "parallel tool calls: several calls in one assistant message are counted as single "
                "calls are; no recorded call measures them",
                rule="parallel_tool_calls",
            )
        for call in m.tool_calls:
            out.add(i, "tool_calls", call.name)
            out.add(i, "tool_calls", call.arguments)
            out.add(i, "tool_calls", tc.per_tool_call)
            if call.item_id is not None and tc.stored_call_id:
                ctx.estimate(
                    f"function_call items with their stored item id: +{tc.stored_call_id} each, seen on one "
                    "source's recordings only",
                    rule="stored_call_id",
                )
                out.add(i, "tool_calls", tc.stored_call_id)
    if m.role == "tool":
        _tool_history(ctx)
        out.add(i, "overhead", tc.tool_call_id)
        if tc.result_name:
            # the API counts the name of the call a result answers, once: a name the message
            # carries itself (litellm sends one) is not counted again
            name = (names or {}).get(m.tool_call_id or "") or m.name
            if m.name:
                ctx.estimate(
                    "a tool message's own name is taken to be its call's name, counted once (1 recorded "
                    "call, of the independent set); not counted again",
                    rule="tool_result_name",
                    high=ctx.tokens(m.name) + fmt.tokens_per_name,
                )
            if name is None:
                ctx.estimate(
                    "a tool message answers no tool call of the request: its call's name, which the "
                    "API counts, is unknown",
                    rule="tool_history",
                )
            else:
                out.add(i, "overhead", name)


def _tool_history(ctx: Context) -> None:
    if not ctx.verified("tool_history"):
        tc = ctx.fmt.tool_calls
        name = " + tokens(the call's name)" if tc.result_name else ""
        ctx.estimate(
            f"tool-call history: a call counted as tokens(name) + tokens(arguments), a tool result as "
            f"+{tc.tool_call_id}{name}, a rule not measured on {ctx.info.name}",
            rule="tool_history",
        )
