"""Read a Responses API body into the normalised request, in the Chat Completions shape.

``instructions`` becomes a developer message at the front; ``input`` (a
string, or a list of items) becomes messages: message items keep their role
(``input_text`` / ``output_text`` parts are text, ``input_image`` parts are
images), ``function_call`` items become assistant tool calls (consecutive
calls share one assistant message, as parallel calls do in Chat), and
``function_call_output`` items become tool messages. Flat function tools,
``tool_choice``, ``text.format`` and ``max_output_tokens`` map one to one.

Reasoning items are kept as :class:`~tokencmp.chat.request.Reasoning`: where
they sit (after the last user message: the current turn, which the API
counts) and what of them is visible (the length of ``encrypted_content``, the
summary's text). Empty ``instructions`` make no message. OpenAI documents no
per-item overhead for the Responses API; the rules are fitted to recorded
calls (docs/chat.md), and ``POST /v1/responses/input_tokens`` returns the
exact figure.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequestError
from .fields import image_detail, parse_function, parse_tool_choice, read_format
from .jsonpath import join, kind, obj, opt_count, opt_list, opt_str, req_str
from .request import (
    ChatRequest,
    Content,
    FunctionDef,
    ImagePart,
    Message,
    Part,
    Reasoning,
    TextPart,
    ToolCall,
)

PRO_NOTE = (
    "reasoning mode 'pro': the usage aggregates the input of the work pro mode runs (OpenAI's "
    "GPT-5.6 guide), which the request does not show: 1,531 more on the one recorded call; not counted"
)
ALL_TURNS_NOTE = (
    "reasoning.context 'all_turns': earlier turns' reasoning items are counted as the current "
    "turn's are (OpenAI's reasoning guide: persisted reasoning is rendered); no recorded call measures it"
)
CONTEXT_NOTE = (
    "context_management: the API may compact the input before counting it; 4 recorded calls with "
    "compaction were within -4..+1 of this count"
)
ROLES = ("user", "system", "developer", "assistant")
TEXT_PARTS = {"input_text": "text", "output_text": "text", "text": "text", "refusal": "refusal"}


def parse_responses(body: dict[str, Any]) -> ChatRequest:
    """A Responses body (plain data) as a :class:`~tokencmp.chat.request.ChatRequest`.

    >>> req = parse_responses({"model": "gpt-4o", "instructions": "Be brief.", "input": "hi"})
    >>> [(m.role, m.content, m.path) for m in req.messages]
    [('developer', 'Be brief.', 'instructions'), ('user', 'hi', 'input')]
    """
    notes: list[tuple[str, str]] = []  # (note, the name of its rule)
    if body.get("context_management") is not None:
        notes.append((CONTEXT_NOTE, "context_management"))
    options = body.get("reasoning")
    options = options if isinstance(options, dict) else {}
    if options.get("mode") == "pro":
        notes.append((PRO_NOTE, "reasoning_pro"))
    all_turns = options.get("context") == "all_turns"
    messages: list[Message] = []
    reasoning: list[Reasoning] = []
    instructions = opt_str(body, "instructions", "")
    if instructions:
        messages.append(Message(role="developer", content=instructions, path="instructions"))
    items = body.get("input")
    if isinstance(items, str):
        messages.append(Message(role="user", content=items, path="input"))
    elif isinstance(items, list):
        for i, item in enumerate(items):
            _item(item, f"input[{i}]", messages, reasoning)
    elif items is not None:
        raise InvalidRequestError("input", f"must be a string or an array of input items, not {kind(items)}")
    if not messages:
        raise InvalidRequestError("input", "is empty; give input (a string or items) or instructions")
    text = body.get("text")
    fmt = None
    if text is not None and obj(text, "text").get("format") is not None:
        fmt = read_format(obj(text["format"], "text.format"), "text.format", nested=False)
    return ChatRequest(
        model=opt_str(body, "model", ""),
        messages=tuple(messages),
        tools=(tools := _tools(body)),
        tool_choice=parse_tool_choice(body, "tool_choice", tools),
        response_format=fmt,
        max_output_tokens=opt_count(body, "max_output_tokens", ""),
        api="responses",
        reasoning=_current_turn(reasoning, messages, all_turns, notes),
        notes=tuple(notes),
    )


def _current_turn(
    reasoning: list[Reasoning], messages: list[Message], all_turns: bool, notes: list[tuple[str, str]]
) -> tuple[Reasoning, ...]:
    """The reasoning items, each marked whether it follows the last user message (every one,
    with ``reasoning.context`` ``all_turns``, noted)."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    if all_turns and any(r.before <= last_user for r in reasoning):
        notes.append((ALL_TURNS_NOTE, "reasoning_all_turns"))
        last_user = -1
    return tuple(r._replace(current=r.before > last_user) for r in reasoning)


def _item(value: Any, path: str, messages: list[Message], reasoning: list[Reasoning]) -> None:
    item = obj(value, path, "an input item object")
    itype = opt_str(item, "type", path) or "message"
    if itype == "message":
        role = req_str(item, "role", path, f"; a message item needs a role ({', '.join(ROLES)})")
        if role not in ROLES:
            raise InvalidRequestError(
                join(path, "role"), f"unknown role {role!r}; use one of {', '.join(ROLES)}"
            )
        messages.append(
            Message(role=role, content=_content(item.get("content"), join(path, "content")), path=path)
        )
    elif itype == "function_call":
        call = ToolCall(
            name=req_str(item, "name", path, "; a function_call item needs the function's name"),
            arguments=opt_str(item, "arguments", path) or "",
            id=opt_str(item, "call_id", path),
            item_id=opt_str(item, "id", path),
        )
        last = messages[-1] if messages else None
        if last is not None and last.role == "assistant" and last.tool_calls and last.content is None:
            messages[-1] = Message("assistant", None, last.path, tool_calls=(*last.tool_calls, call))
        else:
            messages.append(Message("assistant", None, path, tool_calls=(call,)))
    elif itype == "function_call_output":
        call_id = req_str(
            item, "call_id", path, "; a function_call_output item answers a call by its call_id"
        )
        output = item.get("output")
        content = output if isinstance(output, str) else _content(output, join(path, "output"))
        messages.append(Message("tool", content, path, tool_call_id=call_id))
    elif itype == "reasoning":
        encrypted = opt_str(item, "encrypted_content", path) or ""
        summary = opt_list(item, "summary", path) or []
        texts = []
        for k, part in enumerate(summary):
            where = f"{path}.summary[{k}]"
            texts.append(opt_str(obj(part, where, "a summary part object"), "text", where) or "")
        reasoning.append(Reasoning(path, len(encrypted), "\n\n".join(texts), len(messages)))
    else:
        raise InvalidRequestError(
            join(path, "type"),
            f"input item type {itype!r} is not supported for counting; use message, function_call "
            "or function_call_output (or count with POST /v1/responses/input_tokens)",
        )


def _content(content: Any, path: str) -> Content:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise InvalidRequestError(path, f"must be a string or an array of content parts, not {kind(content)}")
    return tuple(_part(p, f"{path}[{i}]") for i, p in enumerate(content))


def _part(value: Any, path: str) -> Part:
    part = obj(value, path, "a content part object")
    ptype = req_str(part, "type", path, "; a content part needs a type (input_text, input_image)")
    if ptype in TEXT_PARTS:
        return TextPart(req_str(part, TEXT_PARTS[ptype], path))
    if ptype == "input_image":
        # An uploaded file's id stands in for its URL: its size can be given under that id
        # (image_sizes={"file-abc": (w, h)}), else it counts as an image of unknown size.
        url = opt_str(part, "image_url", path) or opt_str(part, "file_id", path)
        if url is None:
            raise InvalidRequestError(path, "an input_image needs image_url or file_id")
        return ImagePart(url=url, detail=image_detail(part, path), path=path)
    supported = ", ".join([*TEXT_PARTS, "input_image"])
    why = (
        "is not supported for counting"
        if ptype in ("input_file", "input_audio")
        else "is not a valid part type"
    )
    raise InvalidRequestError(join(path, "type"), f"{ptype!r} {why}; use one of {supported}")


def _tools(body: dict[str, Any]) -> tuple[FunctionDef, ...]:
    out = []
    for i, t in enumerate(opt_list(body, "tools", "") or []):
        path = f"tools[{i}]"
        tool = obj(t, path, "a tool object")
        ttype = req_str(tool, "type", path, "; a tool needs a type ('function')")
        if ttype != "function":
            raise InvalidRequestError(
                join(path, "type"),
                f"tool type {ttype!r} is not supported for counting; only function tools are "
                "(count built-in tools with POST /v1/responses/input_tokens)",
            )
        out.append(parse_function(tool, path))
    return tuple(out)
