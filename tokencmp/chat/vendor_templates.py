"""Chat requests on other vendors' models: the vendor's own chat template, as its chat encoder
lays a dialog out, read from the catalog's ``chat_templates``.

Two layouts, each the rule of one vendor's encoder (the pieces and joins are data,
:class:`~tokencmp.catalog.chat_schema.ChatTemplate`):

* ``headers`` (llama-models' ``ChatFormat.encode_dialog_prompt``, Llama 3 and 4): the
  ``begin`` pieces, each message's ``message`` pieces (``{role}`` its role's name,
  ``{content}`` its text), then ``reply_priming``, the assistant header the reply follows.
* ``inst`` (mistral-common's ``encode_chat_completion``, tokenizer version 3): runs of
  messages of one role merged (texts joined by ``join``, empty ones skipped); the system
  messages joined into one system prompt, put before the last user message's content;
  ``user`` pieces around a user run, ``assistant`` pieces after an assistant run (its
  trailing spaces stripped); an empty user message first when the first run is not a
  user's; the requests mistral-common's validator rejects are refused.

A special token of the template counts one token; every other piece is text, tokenized on
its own as the encoder does (special-token strings in a message count as text). Text the
encoder tokenizes as one string (a merged run, the system prompt and the last user
message) is laid out as :class:`~tokencmp.chat.layout.Joined` pieces, so the total is the
encoder's.

Only plain system, user and assistant messages with string content are counted: tools,
tool calls and results, images, names, response formats and the Responses API are refused
with :class:`~tokencmp.errors.UnsupportedModelError` (text only: ``tokencmp.count_tokens``).
(The example needs the ``llama`` extra, so it is not run as a doctest.)

    >>> import tokencmp
    >>> c = tokencmp.count_messages([{"role": "user", "content": "hi"}], model="llama-3.1-8b-instruct")
    >>> c.total, c.exact  # doctest: +SKIP
    (11, True)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import tiktoken

from ..catalog import ModelInfo, get_catalog, resolve_model
from ..catalog.chat_schema import ChatTemplate
from ..encodings import get_encoding
from ..errors import UnsupportedModelError
from ..images.parts import ImagePartCount
from ..text.count import batch_counter
from .layout import PRIMING, Joined, Layout
from .request import ChatRequest, Message

_TEMPLATES: dict[str, tuple[object, tuple[ModelInfo, ChatTemplate] | None]] = {}
"""By the model name asked for: the catalog it was read from and the model's template (None:
not a template model)."""


class TemplateContext:
    """What a count on a template model carries: the model, its encoding, its notes (a
    template count is exact: nothing is estimated)."""

    __slots__ = ("count_all", "enc", "exact", "high", "image_parts", "info", "low", "notes", "template")

    def __init__(self, info: ModelInfo, template: ChatTemplate) -> None:
        self.info = info
        self.template = template
        self.enc: tiktoken.Encoding = get_encoding(info.encoding)
        self.count_all: Callable[[Sequence[str]], list[int]] = batch_counter(self.enc)
        self.exact = True
        self.notes: list[str] = []
        self.low = self.high = 0
        self.image_parts: list[ImagePartCount] = []


def template_for(name: str) -> tuple[ModelInfo, ChatTemplate] | None:
    """The model ``name`` and its chat template, if its ``chat_format`` names one of the
    catalog's ``chat_templates``; None for every other model (and an unknown name: the
    OpenAI path says what is wrong with it)."""
    catalog = get_catalog()
    known = _TEMPLATES.get(name) if type(name) is str else None
    if known is not None and known[0] is catalog:
        return known[1]
    try:
        info = resolve_model(name)
    except Exception:  # the OpenAI path raises the error of its own, with its advice
        return None
    found = catalog.chat_templates.get(info.chat_format or "")
    out = None if found is None else (info, found)
    if type(name) is str:
        _TEMPLATES[name] = (catalog, out)
    return out


def render_template(
    req: ChatRequest, info: ModelInfo, template: ChatTemplate
) -> tuple[Layout, TemplateContext]:
    """``req`` laid out with ``template`` for ``info``, and the context of its count."""
    ctx = TemplateContext(info, template)
    _refuse_unsupported(req, info, template)
    layout = Layout()
    if template.layout == "headers":
        _headers(req.messages, ctx, layout)
    else:
        _inst(req.messages, ctx, layout)
    return layout, ctx


def _refuse(info: ModelInfo, what: str) -> UnsupportedModelError:
    return UnsupportedModelError(
        f"{what} on {info.name} are not counted: its chat template ({info.chat_format}) is counted "
        "for plain system, user and assistant messages with string content only, the layout checked "
        "against the vendor's own chat encoder. Count the text with "
        f"tokencmp.count_tokens(text, model={info.name!r}) instead (text only)."
    )


def _refuse_unsupported(req: ChatRequest, info: ModelInfo, template: ChatTemplate) -> None:
    if req.api != "chat":
        raise _refuse(info, "Responses API requests")
    if req.tools or req.tool_choice is not None:
        raise _refuse(info, "tools (and tool_choice)")
    if req.response_format is not None and req.response_format.type != "text":
        raise _refuse(info, "response formats")
    if req.reasoning:
        raise _refuse(info, "reasoning items")
    for m in req.messages:
        if m.role not in template.roles:
            raise _refuse(info, f"{m.role} messages ({m.path})")
        if m.tool_calls or m.function_call is not None:
            raise _refuse(info, f"tool calls ({m.path})")
        if m.name:
            raise _refuse(info, f"message names ({m.path}.name)")
        if not isinstance(m.content, str):
            raise _refuse(info, f"list or null contents ({m.path}.content)")


def _pieces(pieces: Sequence[str], owner: int | str, ctx: TemplateContext, out: Layout,
            role: str = "", content: Sequence[tuple[int, str, str]] = ()) -> None:
    """Lay out ``pieces``: a special token as 1 overhead token, ``{role}`` and fixed text as
    overhead text, ``{content}`` as ``content`` (``(owner, field, text)`` parts, the later
    ones :class:`Joined` to the first)."""
    special = ctx.template.special_tokens
    for piece in pieces:
        if piece in special:
            out.add(owner, "overhead", 1)
        elif piece == "{content}":
            for k, (who, field, text) in enumerate(content):
                out.add(who, field, Joined(text) if k else text)
        else:
            out.add(owner, "overhead", ctx.template.roles[role] if piece == "{role}" else piece)


def _headers(messages: Sequence[Message], ctx: TemplateContext, out: Layout) -> None:
    """llama-models' ``encode_dialog_prompt``: begin, each message, the assistant header."""
    template = ctx.template
    _pieces(template.begin, 0 if messages else PRIMING, ctx, out)  # the first message's overhead
    for i, m in enumerate(messages):
        _pieces(template.message, i, ctx, out, role=m.role, content=((i, "content", str(m.content)),))
    _pieces(template.reply_priming, PRIMING, ctx, out)


def _inst(messages: Sequence[Message], ctx: TemplateContext, out: Layout) -> None:
    """mistral-common's normalizer and InstructTokenizerV3 (see the module's docstring)."""
    info, template = ctx.info, ctx.template
    _validate_inst(messages, info)
    join = template.join
    runs: list[tuple[str, list[int]]] = []  # each run of one role: the role, its messages
    for i, m in enumerate(messages):
        if runs and runs[-1][0] == m.role:
            runs[-1][1].append(i)
        else:
            runs.append((m.role, [i]))
    system = [i for i in range(len(messages)) if messages[i].role == "system"]
    prompt = _joined(messages, system, join, "content")  # the system prompt (empty ones skipped)
    blocks = [r for r in runs if r[0] != "system"]
    if not blocks or blocks[0][0] != "user":
        blocks.insert(0, ("user", []))  # the empty user message mistral-common puts first
    last_user = max(k for k, b in enumerate(blocks) if b[0] == "user")
    _pieces(template.begin, 0, ctx, out)
    for k, (role, members) in enumerate(blocks):
        parts = _joined(messages, members, join, "content")
        if k == last_user and prompt:
            parts = [*prompt, (prompt[-1][0], "overhead", join), *parts]
        owner = members[0] if members else (system[0] if system else 0)
        if role == "assistant":
            parts = _rstrip(parts)
            _pieces(template.assistant, owner, ctx, out, content=parts)
        else:
            _pieces(template.user, owner, ctx, out, content=parts)


def _joined(
    messages: Sequence[Message], members: list[int], join: str, field: str
) -> list[tuple[int, str, str]]:
    """The texts of ``members`` as mistral-common merges them: empty ones skipped, the rest
    joined by ``join`` (each join laid out as the next message's overhead)."""
    parts: list[tuple[int, str, str]] = []
    for i in members:
        text = messages[i].content
        if not text:
            continue
        if parts:
            parts.append((i, "overhead", join))
        parts.append((i, field, str(text)))
    return parts


def _rstrip(parts: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """``parts`` with the trailing spaces of their joined text stripped (``rstrip(" ")``)."""
    out = list(parts)
    while out:
        who, field, text = out[-1]
        stripped = text.rstrip(" ")
        if stripped:
            out[-1] = (who, field, stripped)
            break
        out.pop()
    return out


def _validate_inst(messages: Sequence[Message], info: ModelInfo) -> None:
    """What mistral-common's validator rejects (its default mode, ``test``), refused with its reason."""

    def bad(why: str) -> UnsupportedModelError:
        return UnsupportedModelError(
            f"{info.name} (mistral-common's chat encoder) rejects this request: {why}. Fix the "
            "messages, or count the text with tokencmp.count_tokens (text only)."
        )

    if not messages:
        raise bad("a request needs at least one message")
    if len(messages) == 1 and messages[0].role not in ("user", "system"):
        raise bad("a lone message must be a user or system message")
    if len(messages) > 1 and messages[-1].role == "assistant":
        raise bad(f"the last message may not be an assistant's ({messages[-1].path})")
    for prev, m in itertools.pairwise(messages):
        if prev.role == "assistant" and m.role == "system":
            raise bad(f"a system message may not follow an assistant message ({m.path})")
    for m in messages:
        if m.role == "assistant" and not m.content:
            raise bad(f"a {m.role} message needs content ({m.path}.content)")
