"""A prompt as the server lays it out: a sequence of labelled segments, and their count.

A renderer (:mod:`.chatml`, :mod:`.harmony`) turns the normalised request into
a :class:`Layout`. Each segment is ``(owner, field, piece)``:

* ``owner`` is what the tokens belong to: a message's index, or
  :data:`TOOLS`, :data:`RESPONSE_FORMAT`, :data:`PRIMING`, :data:`REASONING`;
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

TOOLS = "tools"
RESPONSE_FORMAT = "response_format"
PRIMING = "reply_priming"
REASONING = "reasoning"

MESSAGE_FIELDS = ("content", "overhead", "name", "tool_calls", "images")
TOOLS_FIELDS = ("definitions", "overhead", "tool_choice")

Owner = int | str


class Joined(str):
    """Text tokenized together with the text segment before it: it counts what it adds."""

    __slots__ = ()


Piece = str | int
Segment = tuple[Owner, str, Piece]
_OVERHEAD_CONTENT = ("overhead", "content")


_TWICE = tuple(i for i in range(256) for _ in (0, 1))
"""0, 0, 1, 1, 2, 2, ...: the owners of a run of messages laid out as two segments each."""


@dataclass(slots=True, eq=False)
class Layout:
    """The segments of one prompt, in order, held as three columns (owners, fields, pieces:
    the counting pass reads only the pieces). ``tools_method`` names the rule that laid
    out the tool definitions (``cookbook``, ``namespace``, ``harmony``), ``None`` without tools.
    Kept as the segments are added: ``texts``, the text pieces in order (but :class:`Joined`
    ones), ``fixed``, the sum of the fixed token counts, and ``joined``, whether any text is
    :class:`Joined`.

    A layout made by :meth:`of_messages` keeps its leading run of messages as the two
    columns it was given (overheads, contents) and writes out their segments only when
    they are read (the breakdown, :attr:`segments`): a count reads only ``texts`` and
    ``fixed``, and most requests are such a run and the reply priming."""

    _owners: list[Owner] = field(default_factory=list)
    _fields: list[str] = field(default_factory=list)
    _pieces: list[Piece] = field(default_factory=list)
    tools_method: str | None = None
    functions: int = 0
    texts: list[str] = field(default_factory=list)
    fixed: int = 0
    joined: bool = False
    _run: tuple[Sequence[int], Sequence[str]] | None = None
    """The leading run of messages 0, 1, ... (their overheads and contents), not yet in the columns."""

    def add(self, owner: Owner, field: str, piece: Piece) -> None:
        """Append a segment (``piece`` of text, :class:`Joined` text or a fixed token count)."""
        kind = type(piece)
        if kind is int:
            self.fixed += piece  # type: ignore[operator]
        elif kind is Joined:
            self.joined = True
        else:
            self.texts.append(piece)  # type: ignore[arg-type]
        self._owners.append(owner)
        self._fields.append(field)
        self._pieces.append(piece)

    @classmethod
    def of_messages(cls, overheads: Sequence[int], contents: Sequence[str]) -> Layout:
        """A layout that starts with messages ``0, 1, ...`` as two segments each: its
        ``overhead`` (fixed tokens), then its ``content`` (text). (A request of plain
        messages in one step: :meth:`add_messages` from an empty layout.)

        >>> Layout.of_messages([4], ["hi"]) == Layout().add_messages(0, [4], ["hi"])
        True
        """
        return cls(texts=list(contents), fixed=sum(overheads), _run=(overheads, contents))

    @property
    def owners(self) -> list[Owner]:
        """What each segment belongs to: a message's index, or :data:`TOOLS`, ..."""
        if self._run is None:
            return self._owners
        n = len(self._run[1])
        return [*(_TWICE[: 2 * n] if n <= 128 else (i // 2 for i in range(2 * n))), *self._owners]

    @property
    def fields(self) -> list[str]:
        """The column of the breakdown each segment goes to."""
        if self._run is None:
            return self._fields
        return [*_OVERHEAD_CONTENT * len(self._run[1]), *self._fields]

    @property
    def pieces(self) -> list[Piece]:
        """Each segment's text, :class:`Joined` text or fixed token count."""
        if self._run is None:
            return self._pieces
        overheads, contents = self._run
        run: list[Piece] = [0] * (2 * len(contents))
        run[::2] = overheads
        run[1::2] = contents
        return [*run, *self._pieces]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layout):
            return NotImplemented
        return (self.segments, self.tools_method, self.functions, self.texts, self.fixed, self.joined) == (
            other.segments, other.tools_method, other.functions, other.texts, other.fixed, other.joined
        )

    __hash__ = None  # type: ignore[assignment]

    def add_messages(self, start: int, overheads: Sequence[int], contents: Sequence[str]) -> Layout:
        """Messages ``start``, ``start + 1``, ... laid out as two segments each: its
        ``overhead`` (fixed tokens), then its ``content`` (text); the run of plain messages
        of a request in one step. Returns the layout.

        >>> layout = Layout().add_messages(0, [4, 4], ["hi", "hello"])
        >>> layout.segments, layout.fixed
        ([(0, 'overhead', 4), (0, 'content', 'hi'), (1, 'overhead', 4), (1, 'content', 'hello')], 8)
        """
        n = len(contents)
        pieces: list[Piece] = [0] * (2 * n)
        pieces[::2] = overheads
        pieces[1::2] = contents
        end = start + n
        owners = _TWICE[2 * start : 2 * end] if end <= 256 else [i // 2 for i in range(2 * start, 2 * end)]
        self._owners.extend(owners)
        self._fields.extend(_OVERHEAD_CONTENT * n)
        self._pieces.extend(pieces)
        self.texts.extend(contents)
        self.fixed += sum(overheads)
        return self

    @property
    def segments(self) -> list[Segment]:
        """The segments as ``(owner, field, piece)``."""
        return list(zip(self.owners, self.fields, self.pieces, strict=True))

    def count(self, tokens: Callable[[str], int]) -> list[int]:
        """The tokens of each segment, ``tokens`` counting a text."""
        return self.merge(self.text_counts(lambda texts: [tokens(t) for t in texts]))

    def text_counts(self, count_all: Callable[[list[str]], list[int]]) -> list[int]:
        """The tokens of each text segment, in order, ``count_all`` counting a list of texts
        (in one call). Their sum plus :attr:`fixed` is the prompt's total."""
        if not self.joined:
            return count_all(self.texts)
        # Each Joined text counts what it adds to the text before it: count the text as it grows.
        grown: list[str] = []
        joined: list[bool] = []
        run = ""  # the text since the last fixed tokens
        for piece in self.pieces:
            if isinstance(piece, int):
                run = ""
                continue
            is_joined = type(piece) is Joined and run != ""
            run = run + piece if is_joined else str(piece)
            grown.append(run)
            joined.append(is_joined)
        counts = count_all(grown)
        return [n - counts[k - 1] if j else n for k, (n, j) in enumerate(zip(counts, joined, strict=True))]

    def merge(self, text_counts: list[int]) -> list[int]:
        """The tokens of each segment, given :meth:`text_counts`."""
        texts = iter(text_counts)
        return [p if type(p) is int else next(texts) for p in self.pieces]
