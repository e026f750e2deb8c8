"""What a chat count returns: the total and where every token of it comes from.

>>> import tokencmp
>>> c = tokencmp.count_messages([{"role": "user", "content": "hello"}], model="gpt-4o")
>>> c.total, c.breakdown.messages[0].overhead, c.breakdown.reply_priming
(8, 4, 3)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from ..images.parts import ImagePartCount


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class MessageCount(_Frozen):
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return self.content + self.overhead + self.name + self.tool_calls + self.images


class ToolsCount(_Frozen):
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return self.definitions + self.overhead + self.tool_choice


class Breakdown(_Frozen):
    """Every part of the prompt: messages, tools, response format, reply priming.

    ``image_parts`` details each image part (its ``path``, size, detail,
    method and tokens); their tokens are already in the messages' ``images``.
    """

    messages: list[MessageCount]
    tools: ToolsCount | None = None
    response_format: int = 0
    reply_priming: int
    image_parts: list[ImagePartCount] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def images(self) -> int:
        return sum(m.images for m in self.messages)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        tools = self.tools.total if self.tools else 0
        return sum(m.total for m in self.messages) + tools + self.response_format + self.reply_priming


class RequestCount(_Frozen):
    """The prompt tokens of one request, as the API would report them in ``usage.prompt_tokens``.

    ``exact`` is true only when every rule applied was checked against the
    API; otherwise ``notes`` names each estimated rule and its source.
    ``max_output_tokens`` is the request's own cap (``max_completion_tokens``,
    ``max_tokens`` or ``max_output_tokens``), if it gives one, per choice;
    ``choices`` is the request's ``n`` (the prompt is billed once, the output
    of every choice).
    """

    total: int
    breakdown: Breakdown
    model: str
    encoding: str
    exact: bool
    notes: list[str]
    max_output_tokens: int | None = None
    choices: int = 1
