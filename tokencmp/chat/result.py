"""What a chat count returns: the total and where every token of it comes from.

>>> import tokencmp
>>> c = tokencmp.count_messages([{"role": "user", "content": "hello"}], model="gpt-4o")
>>> c.total, c.breakdown.messages[0].overhead, c.breakdown.reply_priming
(8, 4, 3)
>>> c.breakdown.messages[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
{'index': 0, 'path': 'messages[0]', 'role': 'user', 'content': 1, 'overhead': 4, 'name': 0,
 'tool_calls': 0, 'images': 0, 'total': 5}

The breakdown is the sum of the renderer's labelled segments
(:mod:`tokencmp.chat.layout`), added up by owner and field when it is first
read: a count that is only asked for its total builds no row per message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from ..images.parts import ImagePartCount
from ..result import Result, plain
from .layout import MESSAGE_FIELDS, PRIMING, REASONING, RESPONSE_FORMAT, TOOLS, TOOLS_FIELDS, Layout
from .request import Message

if TYPE_CHECKING:
    from .context import Context
    from .request import ChatRequest
    from .vendor_templates import TemplateContext

_new = object.__new__


class _PydanticName:
    """``model_dump()``: :meth:`~tokencmp.result.Result.to_dict` under the name it had when
    these results were pydantic models; kept for one release."""

    __slots__ = ()

    def model_dump(self, **_: Any) -> dict[str, Any]:
        to_dict: Callable[[], dict[str, Any]] = getattr(self, "to_dict")  # noqa: B009
        return to_dict()


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageCount(Result, _PydanticName):
    """One message's tokens.

    ``overhead`` is the formatting around the content: tokens per message, the
    role, and the format's adjustments for that message (a tool message's id,
    a function message's discount, the newline added to the first system
    message when functions are present). ``path`` is the message's place in
    the request body, e.g. ``messages[2]`` or ``input[0]``.
    """

    index: int
    path: str
    role: str
    content: int
    overhead: int
    name: int = 0
    tool_calls: int = 0
    images: int = 0

    @property
    def total(self) -> int:
        return self.content + self.overhead + self.name + self.tool_calls + self.images

    def to_dict(self) -> dict[str, Any]:
        return {**Result.to_dict(self), "total": self.total}


@dataclass(frozen=True, kw_only=True, slots=True)
class ToolsCount(Result, _PydanticName):
    """The tool (function) definitions and ``tool_choice``.

    ``method`` says which rule counted the definitions: ``cookbook`` (the
    OpenAI cookbook's formula for flat schemas), ``namespace`` (the
    TypeScript-namespace rendering) or ``harmony`` (gpt-oss).
    """

    method: Literal["cookbook", "namespace", "harmony"]
    functions: int
    definitions: int
    overhead: int
    tool_choice: int = 0

    @property
    def total(self) -> int:
        return self.definitions + self.overhead + self.tool_choice

    def to_dict(self) -> dict[str, Any]:
        return {**Result.to_dict(self), "total": self.total}


@dataclass(frozen=True, kw_only=True)
class Breakdown(Result, _PydanticName):
    """Every part of the prompt: messages, tools, response format, reply priming.

    ``image_parts`` details each image part (its ``path``, size, detail,
    method and tokens); their tokens are already in the messages' ``images``.
    The other parts are read off the layout's counted segments on first use.
    """

    image_parts: tuple[ImagePartCount, ...] = ()
    total: int
    _layout: Layout = field(repr=False)
    _text_counts: list[int] = field(repr=False)
    _messages: Sequence[Message] = field(repr=False)

    @cached_property
    def _counts(self) -> list[int]:
        """The tokens of each segment of the layout."""
        return self._layout.merge(self._text_counts)

    @cached_property
    def messages(self) -> tuple[MessageCount, ...]:
        """One row per message of the request: its segments summed by field."""
        rows = [[0] * len(MESSAGE_FIELDS) for _ in self._messages]
        column = {name: i for i, name in enumerate(MESSAGE_FIELDS)}
        layout = self._layout
        for owner, fld, n in zip(layout.owners, layout.fields, self._counts, strict=True):
            if type(owner) is int:
                rows[owner][column[fld]] += n
        return tuple(
            MessageCount(index=i, path=m.path, role=m.role, **dict(zip(MESSAGE_FIELDS, row, strict=True)))
            for i, (m, row) in enumerate(zip(self._messages, rows, strict=True))
        )

    @cached_property
    def tools(self) -> ToolsCount | None:
        """The tool definitions and ``tool_choice`` (``None`` without tools)."""
        if self._layout.tools_method is None:
            return None
        sums = dict.fromkeys(TOOLS_FIELDS, 0)
        for owner, fld, n in zip(self._layout.owners, self._layout.fields, self._counts, strict=True):
            if owner == TOOLS:
                sums[fld] += n
        method: Any = self._layout.tools_method  # one of ToolsCount's methods: the renderers set it
        return ToolsCount(method=method, functions=self._layout.functions, **sums)

    @cached_property
    def response_format(self) -> int:
        """Tokens of the ``response_format`` (0 without one)."""
        return self._owned(RESPONSE_FORMAT)

    @cached_property
    def reply_priming(self) -> int:
        """Tokens that prime the reply (``<|start|>assistant...``)."""
        return self._owned(PRIMING)

    @cached_property
    def reasoning(self) -> int:
        """Tokens estimated for the Responses input's reasoning items of the current turn (0 without)."""
        return self._owned(REASONING)

    @property
    def images(self) -> int:
        """Tokens of every image part (already in the messages' ``images``)."""
        return sum(m.images for m in self.messages)

    def _owned(self, owner: str) -> int:
        return sum(n for o, n in zip(self._layout.owners, self._counts, strict=True) if o == owner)

    def to_dict(self) -> dict[str, Any]:
        tools = self.tools
        return {
            "messages": [m.to_dict() for m in self.messages],
            "tools": None if tools is None else tools.to_dict(),
            "response_format": self.response_format,
            "reply_priming": self.reply_priming,
            "reasoning": self.reasoning,
            "image_parts": plain(self.image_parts),
            "images": self.images,
            "total": self.total,
        }


@dataclass(frozen=True, kw_only=True)
class RequestCount(Result, _PydanticName):
    """The prompt tokens of one request, as the API would report them in ``usage.prompt_tokens``.

    ``exact`` is true only when every rule applied was checked against the
    API; otherwise ``notes`` names each estimated rule and its source.
    ``low`` and ``high`` bound the API's count: equal to ``total`` when exact,
    else the range the recorded calls show for the estimated rules applied.
    ``output_tokens_max`` is the request's own cap (``max_completion_tokens``,
    ``max_tokens`` or ``max_output_tokens``), if it gives one, per choice;
    ``choices`` is the request's ``n`` (the prompt is billed once, the output
    of every choice).
    """

    total: int
    breakdown: Breakdown
    model: str
    encoding: str
    exact: bool
    notes: tuple[str, ...]
    low: int
    high: int
    output_tokens_max: int | None = None
    choices: int = 1

    @classmethod
    def of(
        cls, layout: Layout, text_counts: list[int], req: ChatRequest, ctx: Context | TemplateContext
    ) -> RequestCount:
        """The count of ``req`` laid out as ``layout``, whose text segments counted
        ``text_counts`` (:meth:`~tokencmp.chat.layout.Layout.text_counts`), with ``ctx``'s
        model, encoding and notes; the total is the layout's fixed tokens plus its texts'.

        The count and its breakdown are made without their frozen ``__init__`` (one
        ``object.__setattr__`` per field): one of each is made per request, and at ten
        short messages a request that cost is a tenth of the count. Only for values the
        counter made itself: nothing is checked or defaulted.
        """
        total = layout.fixed + sum(text_counts)
        breakdown = _new(Breakdown)
        fields = breakdown.__dict__
        fields["image_parts"] = tuple(ctx.image_parts)
        fields["total"] = total
        fields["_layout"] = layout
        fields["_text_counts"] = text_counts
        fields["_messages"] = req.messages
        count = _new(cls)
        fields = count.__dict__
        fields["total"] = total
        fields["breakdown"] = breakdown
        fields["model"] = ctx.info.name
        fields["encoding"] = ctx.enc.name
        fields["exact"] = ctx.exact
        fields["notes"] = tuple(ctx.notes)
        fields["low"] = max(0, total + ctx.low)
        fields["high"] = total + ctx.high
        fields["output_tokens_max"] = req.max_output_tokens
        fields["choices"] = req.choices
        return count

    @property
    def max_output_tokens(self) -> int | None:
        """The old name of :attr:`output_tokens_max` (the API's field name), kept as an alias."""
        return self.output_tokens_max
