"""The harmony renderer: how gpt-oss (encoding ``o200k_harmony``) lays out a request.

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
format, as text joined to the instructions (tokenized with them). Without a
system message they make a developer message of their own. The count is
always an estimate: a served deployment adds its own harmony system message
(identity, dates, reasoning effort) and may place the request's system
prompt differently.

    >>> from tokencmp.chat.parse import parse_request
    >>> from tokencmp.chat.context import Context
    >>> ctx = Context.for_model("gpt-oss-20b")
    >>> # <|start|>user<|message|>hi<|end|>: marker, role, marker, content, marker
    >>> layout = render_harmony(parse_request({"messages": [{"role": "user", "content": "hi"}]}), ctx)
    >>> layout.segments[:5]  # doctest: +NORMALIZE_WHITESPACE
    [(0, 'overhead', 1), (0, 'overhead', 'user'), (0, 'overhead', 1), (0, 'content', 'hi'),
     (0, 'overhead', 1)]
"""

from __future__ import annotations

import re

from .content import content_text, image_tokens, response_format_text
from .context import Context
from .layout import PRIMING, RESPONSE_FORMAT, TOOLS, Joined, Layout, Owner
from .namespace import render_namespace
from .request import SYSTEM_ROLES, ChatRequest, ImagePart, Message

_MARKER = re.compile(r"(<\|[a-z_]+\|>)")
NOTE = (
    "harmony: counted as openai/harmony renders these messages; a served gpt-oss deployment adds "
    "its own system message (identity, dates, reasoning effort) that is not counted (estimate)"
)


def render_template(out: Layout, owner: Owner, field: str, template: str, **fields: str) -> None:
    """``template`` with ``fields`` filled in: each ``<|marker|>`` one token, the rest text.
    The ``{content}`` piece goes to the ``content`` field, every other piece to ``field``."""
    for piece in _MARKER.split(template):
        if _MARKER.fullmatch(piece):
            out.add(owner, field, 1)
        elif piece:
            out.add(owner, "content" if piece == "{content}" else field, piece.format(**fields))


def render_harmony(req: ChatRequest, ctx: Context) -> Layout:
    """``req`` laid out in harmony: messages (the first system one with tools and response
    format), or a developer message of their own first, then the reply priming."""
    h = ctx.fmt.harmony
    assert h is not None
    ctx.estimate(NOTE, rule="harmony_system")
    out = Layout()
    sep = h.section_separator
    tools_text = h.tools.format(namespace=render_namespace(req.tools, defaults=True)) if req.tools else ""
    rf = req.response_format
    rf_text = response_format_text(rf, ctx.fmt.response_format) if rf and rf.type == "json_schema" else ""
    if rf is not None and rf.type == "json_object":
        ctx.estimate("response_format: json_object has no harmony rendering; counted as 0")
    if req.tools:
        out.tools_method, out.functions = "harmony", len(req.tools)

    def tools_and_format(joined: bool) -> None:
        """The "# Tools" and "# Response Formats" sections, after the instructions (joined) or alone."""
        if tools_text:
            if joined:
                out.add(TOOLS, "overhead", Joined(sep))
            out.add(TOOLS, "definitions", Joined(tools_text) if joined else tools_text)
            joined = True
        if rf_text:
            if joined:
                out.add(RESPONSE_FORMAT, "tokens", Joined(sep))
            out.add(RESPONSE_FORMAT, "tokens", Joined(rf_text) if joined else rf_text)

    first_system = next((i for i, m in enumerate(req.messages) if m.role in SYSTEM_ROLES), None)
    if first_system is None and (tools_text or rf_text):  # a developer message of its own
        head, _, tail = h.developer.partition("{content}")
        wrapper = TOOLS if tools_text else RESPONSE_FORMAT
        render_template(out, wrapper, "overhead" if tools_text else "tokens", head)
        tools_and_format(joined=False)
        render_template(out, wrapper, "overhead" if tools_text else "tokens", tail)
    names: dict[str, str] = {}  # tool call id -> function name, for the tool messages
    for i, m in enumerate(req.messages):
        _images(i, m, ctx, out)
        text = content_text(m.content)
        if m.role in SYSTEM_ROLES:
            head, _, tail = h.developer.partition("{content}")
            before, _, after = h.instructions.partition("{content}")
            render_template(out, i, "overhead", head)
            out.add(i, "overhead", before)
            out.add(i, "content", Joined(text))
            if after:
                out.add(i, "overhead", Joined(after))
            if i == first_system:
                tools_and_format(joined=True)
            render_template(out, i, "overhead", tail)
        elif m.role == "assistant":
            if text or not (m.tool_calls or m.function_call):
                render_template(out, i, "overhead", h.assistant, content=text)
            for call in (*m.tool_calls, *([m.function_call] if m.function_call else [])):
                render_template(out, i, "tool_calls", h.tool_call, name=call.name, arguments=call.arguments)
                if call.id:
                    names[call.id] = call.name
        elif m.role in ("tool", "function"):
            name = m.name if m.role == "function" else names.get(m.tool_call_id or "", m.name)
            if not name:
                ctx.estimate(
                    "harmony: a tool message whose call id matches no earlier tool call has no name",
                    rule="harmony_tool_name",
                )
            render_template(out, i, "overhead", h.tool_result, name=name or "", content=text)
        else:
            render_template(out, i, "overhead", h.message, role=m.role, content=text)
        if m.name and m.role != "function":
            ctx.estimate(
                "harmony: message names have no place in the harmony format; not counted",
                rule="harmony_names",
                high=ctx.tokens(m.name) + 1,
            )
    if req.tools and req.tool_choice is not None and req.tool_choice.mode != "auto":
        ctx.estimate("tool_choice: harmony has no rendering for it; counted as 0")
    render_template(out, PRIMING, "tokens", h.reply_priming)
    return out


def _images(i: int, m: Message, ctx: Context, out: Layout) -> None:
    if not isinstance(m.content, tuple):
        return
    ctx.estimate("content parts: text parts of a list content are joined for harmony", rule="content_parts")
    for part in m.content:
        if isinstance(part, ImagePart):
            out.add(i, "images", image_tokens(part, ctx))
