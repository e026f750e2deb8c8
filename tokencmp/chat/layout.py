"""A prompt as the server lays it out: a sequence of labelled segments, and their count.

A renderer (:mod:`.chatml`, :mod:`.harmony`) turns the normalised request into
a :class:`Layout`. Each segment is ``(owner, field, piece)``:

* ``owner`` is what the tokens belong to: a message's index, or
  :data:`TOOLS`, :data:`RESPONSE_FORMAT`, :data:`PRIMING`;
* ``field`` is the column of the breakdown they go to (a message's
  ``content``, ``overhead``, ``name``, ``tool_calls``, ``images``; the tools'
  ``definitions``, ``overhead``, ``tool_choice``);
* ``piece`` is text to be tokenized on its own (``str``), a fixed number of
  special or format tokens (``int``), or :class:`Joined` text, tokenized
  together with the text before it (no special token between them), which
  counts the tokens it adds to that text.

Counting gives each segment its tokens; the breakdown is their sum by owner
and field::

    >>> layout = Layout()
    >>> layout.add(0, "overhead", 4)
    >>> layout.add(0, "content", "hello")
    >>> layout.add(0, "overhead", Joined("\\n"))
    >>> layout.add(PRIMING, "overhead", 3)
    >>> layout.count(lambda text: len(text.split(" ")) if text.strip() else 1)
    [4, 1, 0, 3]

(``"hello\\n"`` counts 1 with that toy tokenizer, as ``"hello"`` does: the
joined newline adds nothing.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

TOOLS = "tools"
RESPONSE_FORMAT = "response_format"
PRIMING = "reply_priming"

MESSAGE_FIELDS = ("content", "overhead", "name", "tool_calls", "images")
TOOLS_FIELDS = ("definitions", "overhead", "tool_choice")

Owner = int | str


class Joined(str):
    """Text tokenized together with the text segment before it: it counts what it adds."""

    __slots__ = ()


Piece = str | int
Segment = tuple[Owner, str, Piece]


@dataclass(slots=True, eq=True)
class Layout:
    """The segments of one prompt, in order, held as three columns (owners, fields, pieces:
    the counting pass reads only the pieces). ``tools_method`` names the rule that laid
    out the tool definitions (``cookbook``, ``namespace``, ``harmony``), ``None`` without tools."""

    owners: list[Owner] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    tools_method: str | None = None
    functions: int = 0
    joined: bool = False

    def add(self, owner: Owner, field: str, piece: Piece) -> None:
        """Append a segment (``piece`` of text, :class:`Joined` text or a fixed token count)."""
        if type(piece) is Joined:
            self.joined = True
        self.owners.append(owner)
        self.fields.append(field)
        self.pieces.append(piece)

    @property
    def segments(self) -> list[Segment]:
        """The segments as ``(owner, field, piece)``."""
        return list(zip(self.owners, self.fields, self.pieces, strict=True))

    def count(self, tokens: Callable[[str], int]) -> list[int]:
        """The tokens of each segment, ``tokens`` counting a text."""
        if not self.joined:
            return [p if type(p) is int else tokens(p) for p in self.pieces]  # type: ignore[arg-type]
        counts = []
        run, run_tokens = "", 0  # the text since the last fixed tokens, and its tokens
        for piece in self.pieces:
            if type(piece) is int:
                counts.append(piece)
                run, run_tokens = "", 0
                continue
            if type(piece) is Joined:
                run += piece
                n = tokens(run) - run_tokens
            else:
                run, run_tokens = str(piece), 0
                n = tokens(run)
            run_tokens += n
            counts.append(n)
        return counts
