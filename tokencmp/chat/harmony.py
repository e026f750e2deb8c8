"""Counting a request in the harmony format of gpt-oss (encoding ``o200k_harmony``).

Harmony is the one chat format OpenAI has published in full (openai/harmony
``docs/format.md``). Each piece is rendered from the catalog's templates, in
which every ``<|...|>`` marker is one special token and the rest is ordinary
text, so special-token strings inside user content still count as text::

    <|start|>developer<|message|># Instructions\\n\\n{system}\\n\\n# Tools\\n\\n## functions\\n\\n{ns}<|end|>
    <|start|>user<|message|>{content}<|end|>
    <|start|>assistant<|channel|>final<|message|>{content}<|end|>
    <|start|>assistant<|channel|>commentary to=functions.{name} <|constrain|>json<|message|>{args}<|call|>
    <|start|>functions.{name} to=assistant<|channel|>commentary<|message|>{output}<|end|>
    <|start|>assistant

System and developer messages of the request become developer messages
("# Instructions"); the first one also carries the tools and the response
format. The count is always an estimate: a served deployment adds its own
harmony system message (identity, dates, reasoning effort) and may place the
request's system prompt differently.
"""

from __future__ import annotations

import re

from .content import _image_part, content_text
from .context import Context
from .messages import SYSTEM_ROLES, response_format_text
from .request import ChatRequest, ImagePart, Message
from .result import Breakdown, MessageCount, ToolsCount
from .tools import render_namespace

_MARKER = re.compile(r"(<\|[a-z_]+\|>)")
NOTE = (
    "harmony: counted as openai/harmony renders these messages; a served gpt-oss deployment adds "
    "its own system message (identity, dates, reasoning effort) that is not counted (estimate)"
)


def render_tokens(template: str, ctx: Context, **fields: str) -> int:
    """Tokens of ``template`` with ``fields`` filled in as text; each ``<|marker|>`` is one token."""
    total = 0
    for piece in _MARKER.split(template):
        if _MARKER.fullmatch(piece):
            total += 1
        elif piece:
            total += ctx.tokens(piece.format(**fields))
    return total


def count_harmony(req: ChatRequest, ctx: Context) -> Breakdown:
    h = ctx.fmt.harmony
    assert h is not None
    ctx.estimate(NOTE)
    sep = h.section_separator
    tools_text = h.tools.format(namespace=render_namespace(req.tools, defaults=True)) if req.tools else ""
    rf = req.response_format
    rf_text = response_format_text(rf, ctx.fmt.response_format) if rf and rf.type == "json_schema" else ""
    if rf is not None and rf.type == "json_object":
        ctx.estimate("response_format: json_object has no harmony rendering; counted as 0")

    def developer(*sections: str) -> int:
        return render_tokens(h.developer, ctx, content=sep.join(s for s in sections if s))

    rows: list[MessageCount] = []
    tools_tokens = rf_tokens = 0
    names: dict[str, str] = {}
    first_system = next((i for i, m in enumerate(req.messages) if m.role in SYSTEM_ROLES), None)
    if first_system is None and (tools_text or rf_text):  # a developer message of its own
        tools_tokens = developer(tools_text)
        rf_tokens = developer(tools_text, rf_text) - tools_tokens
    for i, m in enumerate(req.messages):
        images = _images(m, ctx)
        text = content_text(m.content)
        content = ctx.tokens(text)
        calls = 0
        if m.role in SYSTEM_ROLES:
            instructions = h.instructions.format(content=text)
            total = developer(instructions)
            if i == first_system:
                tools_tokens = developer(instructions, tools_text) - total
                rf_tokens = developer(instructions, tools_text, rf_text) - total - tools_tokens
        elif m.role == "assistant":
            total = 0
            if text or not (m.tool_calls or m.function_call):
                total = render_tokens(h.assistant, ctx, content=text)
            for call in (*m.tool_calls, *([m.function_call] if m.function_call else [])):
                calls += render_tokens(h.tool_call, ctx, name=call.name, arguments=call.arguments)
                if call.id:
                    names[call.id] = call.name
        elif m.role in ("tool", "function"):
            name = m.name if m.role == "function" else names.get(m.tool_call_id or "", m.name)
            if not name:
                ctx.estimate("harmony: a tool message whose call id matches no earlier tool call has no name")
            total = render_tokens(h.tool_result, ctx, name=name or "", content=text)
        else:
            total = render_tokens(h.message, ctx, role=m.role, content=text)
        if m.name and m.role != "function":
            ctx.estimate("harmony: message names have no place in the harmony format; not counted")
        rows.append(
            MessageCount(
                index=i,
                path=m.path,
                role=m.role,
                content=content,
                overhead=total - content,
                tool_calls=calls,
                images=images,
            )
        )
    tools = None
    if req.tools:
        tools = ToolsCount(
            method="harmony",
            functions=len(req.tools),
            definitions=ctx.tokens(tools_text),
            overhead=tools_tokens - ctx.tokens(tools_text),
        )
        if req.tool_choice is not None and req.tool_choice.mode != "auto":
            ctx.estimate("tool_choice: harmony has no rendering for it; counted as 0")
    return Breakdown(
        messages=rows,
        tools=tools,
        response_format=rf_tokens,
        reply_priming=render_tokens(h.reply_priming, ctx),
        image_parts=ctx.image_parts,
    )


def _images(m: Message, ctx: Context) -> int:
    if not isinstance(m.content, tuple):
        return 0
    ctx.estimate("content parts: text parts of a list content are joined for harmony (estimate)")
    return sum(_image_part(p, ctx) for p in m.content if isinstance(p, ImagePart))
