"""Cutting text to a token budget: the longest prefix (or suffix) of at most N tokens; pieces of at most N.

    >>> truncate_text("hello world, how are you?", 2, encoding="cl100k_base").text
    'hello world'
    >>> [p.text for p in split_text("hello world", 1, encoding="cl100k_base")]
    ['hello', ' world']

("hello world" is ``[15339, 1917]`` in cl100k_base, tiktoken's README; the comma after it is a
pre-token of its own under cl100k's pattern, so any longer prefix is at least 3 tokens.)

**What "the longest prefix of at most N tokens" means.** A BPE count is not
monotone in the length of a prefix: ``count(T[:k+1])`` can be smaller than
``count(T[:k])`` (one more character can merge two tokens into one). So the
truncation is defined by the prefix's own count, with no assumption of
monotony: ``truncate(T, N) = T[:k*]`` where ``k*`` is the *largest* character
index ``k`` in ``0..len(T)`` with ``count(T[:k]) <= N``. ``k*`` always exists
(``count("") = 0``). The suffix (``from_end``) is the mirror: the smallest
``k`` with ``count(T[k:]) <= N``.

**How it is found, and why that is the maximum.** Call a character index
``j`` *safe* when :func:`tokencmp.text.segment.is_safe_cut` holds for it. That
rule reads only ``T[j-2:j+2]``, so ``j`` is safe in every substring that holds
those characters, and there ``count(S) = count(S[:j]) + count(S[j:])``. Hence:

1. For a safe ``j`` and any ``k >= j + 2``: ``count(T[:k]) = count(T[:j]) +
   count(T[j:k]) >= count(T[:j]) + 1``. So once ``count(T[:j]) >= N`` at a
   safe ``j``, no ``k >= j + 2`` qualifies: ``k* <= j + 1``.
2. For the last safe ``j' < j`` (or the start), ``count(T[:j']) < N``, so
   ``k* >= j'``.
3. Between them, every token covers at most ``B`` bytes (the longest token of
   the encoding), so ``count(T[j':k]) >= bytes(T[j':k]) / B``: indices whose
   stretch from ``j'`` holds more than ``(N - count(T[:j'])) * B`` bytes fail.
4. Every remaining ``k`` is tried, from the largest down, by its own count
   (``count(T[:j']) + count(T[j':k])``, exact by the rule above); the first
   that fits is ``k*``, else ``k* = j'``.

The counts at safe indices come from counting the text once in *units*
between safe cuts (:func:`tokencmp.text.segment.cut_points`), with the
optional accelerated engine where it applies, and the tokens of the one unit
where the budget runs out. Each step is exact, so the result is the maximum
as defined; ``tests/test_cut.py`` checks it against brute force (every ``k``)
on arbitrary text for every bundled encoding.

**Split.** :func:`split_text` takes the longest prefix, then the longest
prefix of what is left, and so on: every piece counts at most N on its own
and the pieces concatenate to the input. ``at="lines"`` (``"sentences"``)
ends a piece instead at the last line (sentence) end inside that longest
prefix whose own count is at most N, when there is one. ``overlap=K`` starts
each next piece where the last ``min(K, m - 1)`` tokens of the previous piece
(``m`` tokens, its own tokenisation) begin, moved back to a character
boundary; should that next piece not reach past the previous one's end, it
starts at that end instead. A character that alone needs more than N tokens
(up to 4 for a 4-byte character) cannot be put in any piece: an
:class:`~tokencmp.errors.TokencmpError` names its offset (N >= 4 never hits it).

Streaming: the ``*_pieces`` functions take text in pieces that join at safe
cuts (:func:`tokencmp.text.stream.read_pieces`) and hold only the unit being
cut, the current piece and one block: bounded memory for any input size
(the suffix keeps the last N tokens' worth of text).

Why over 400 lines: the prefix, suffix and split searches share the unit
scanner and its proofs; apart they would repeat the scanner's invariants.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import accumulate
from typing import Literal

import tiktoken

from ..errors import TokencmpError
from ..result import Result
from . import engine, segment
from .count import THREADS, batch_counter, choose_encoding, count_with

SplitAt = Literal["lines", "sentences"]
SPLIT_AT: tuple[SplitAt, ...] = ("lines", "sentences")

_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u2026]+[\"'\u201d\u2019)\]]*[ \t\u3000]*|\n")
_LINE_END = re.compile(r"\n")

MIN_UNIT = 64
"""Units are at least this many characters (tests lower it to cross units often)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Truncation(Result):
    """What :func:`truncate_text` kept: ``text`` of ``tokens`` tokens (its own count), from ``start`` to
    ``end`` (character offsets in the input); ``cut`` says whether anything was left out."""

    text: str
    tokens: int
    start: int
    end: int
    characters: int
    cut: bool
    max_tokens: int
    from_end: bool
    encoding: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Piece(Result):
    """One piece of :func:`split_text`: ``text`` (``input[start:end]``) and its own token count."""

    index: int
    text: str
    tokens: int
    start: int
    end: int


def check_max_tokens(value: object, name: str = "max_tokens") -> int:
    """``value`` if it is a whole number of at least 1, else :class:`TokencmpError`.

    >>> check_max_tokens(0)
    Traceback (most recent call last):
        ...
    tokencmp.errors.TokencmpError: max_tokens must be a whole number of at least 1, not 0.
    """
    if type(value) is not int or value < 1:
        raise TokencmpError(f"{name} must be a whole number of at least 1, not {value!r}.")
    return value


def _check_text(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise TokencmpError(f"{what} takes a str, not {type(text).__name__}; decode bytes first.")
    return text


# --- the public functions -----------------------------------------------------------------


def truncate_text(
    text: str,
    max_tokens: int,
    *,
    from_end: bool = False,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
) -> Truncation:
    """The longest prefix (``from_end``: suffix) of ``text`` whose own count is at most ``max_tokens``.

    >>> t = truncate_text("hello world", 1, encoding="cl100k_base")   # [15339, 1917]: tiktoken's README
    >>> t.text, t.tokens, t.cut
    ('hello', 1, True)
    """
    _check_text(text, "truncate_text")
    n = check_max_tokens(max_tokens)
    enc = choose_encoding(model, encoding)
    blocks = segment.split(text, segment.CHUNK) if text else []
    kept = "".join(truncate_pieces(blocks, n, enc, from_end=from_end))
    start = len(text) - len(kept) if from_end else 0
    return Truncation(
        text=kept,
        tokens=count_with(enc, kept),
        start=start,
        end=start + len(kept),
        characters=len(kept),
        cut=len(kept) < len(text),
        max_tokens=n,
        from_end=from_end,
        encoding=enc.name,
    )


def split_text(
    text: str,
    max_tokens: int,
    *,
    overlap: int = 0,
    at: SplitAt | None = None,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
) -> tuple[Piece, ...]:
    """``text`` in consecutive pieces of at most ``max_tokens`` tokens each (see the module's docs)."""
    _check_text(text, "split_text")
    enc = choose_encoding(model, encoding)
    blocks = segment.split(text, segment.CHUNK) if text else []
    return tuple(split_pieces(blocks, max_tokens, enc, overlap=overlap, at=at))


def truncate_pieces(
    blocks: Iterable[str], max_tokens: int, enc: tiktoken.Encoding, *, from_end: bool = False
) -> Iterator[str]:
    """The kept text of a text given in safe pieces, in pieces (joined: :func:`truncate_text`'s text).

    The prefix is written as it is found: memory holds one unit and one block.
    """
    n = check_max_tokens(max_tokens)
    scanner = _Scanner(iter(blocks), enc, n)
    if from_end:
        yield scanner.suffix(n)
        return
    k, _ = yield from scanner.search(0, n, emit=True)
    yield scanner.text(scanner.emit_pos, k)


def split_pieces(
    blocks: Iterable[str],
    max_tokens: int,
    enc: tiktoken.Encoding,
    *,
    overlap: int = 0,
    at: SplitAt | None = None,
) -> Iterator[Piece]:
    """:func:`split_text` for a text given in safe pieces, one :class:`Piece` at a time."""
    n = check_max_tokens(max_tokens)
    if type(overlap) is not int or not 0 <= overlap < n:
        raise TokencmpError(
            f"overlap must be a whole number from 0 to max_tokens - 1 ({n - 1}), not {overlap!r}."
        )
    if at is not None and at not in SPLIT_AT:
        raise TokencmpError(f"at must be 'lines' or 'sentences', not {at!r}.")
    scanner = _Scanner(iter(blocks), enc, n)
    start, index, last_end = 0, 0, 0
    while True:
        end, tokens = scanner.longest(start, n)
        if end <= last_end and start < last_end:  # the overlap left no room: start at the last end
            start = last_end
            end, tokens = scanner.longest(start, n)
        if end == start:
            if scanner.at_end(start):
                return
            char = scanner.text(start, start + 1)
            raise TokencmpError(
                f"The character {char!r} at offset {start} alone is {count_with(enc, char)} tokens, "
                f"more than max_tokens={n}: no piece can hold it. Use max_tokens of 4 or more."
            )
        if at is not None and not scanner.at_end(end):
            end, tokens = _prefer(scanner, enc, start, end, tokens, n, at)
        piece = scanner.text(start, end)
        yield Piece(index=index, text=piece, tokens=tokens, start=start, end=end)
        index += 1
        last_end = end
        if scanner.at_end(end):
            return
        start = end - _overlap_chars(enc, piece, overlap) if overlap else end
        scanner.forget(start)


def _prefer(
    scanner: _Scanner, enc: tiktoken.Encoding, start: int, end: int, tokens: int, n: int, at: SplitAt
) -> tuple[int, int]:
    """The last line (sentence) end in ``(start, end]`` whose prefix counts at most ``n``, else ``end``."""
    text = scanner.text(start, end)
    ends = [m.end() for m in (_LINE_END if at == "lines" else _SENTENCE_END).finditer(text)]
    for e in reversed(ends):
        if 0 < e < len(text):
            c = count_with(enc, text[:e])
            if c <= n:
                return start + e, c
    return end, tokens


def _overlap_chars(enc: tiktoken.Encoding, piece: str, k: int) -> int:
    """Characters at the end of ``piece`` covered by its last ``min(k, m - 1)`` tokens, rounded out."""
    tokens = encode(enc, piece)
    keep = min(k, len(tokens) - 1)
    if keep <= 0:
        return 0
    data = segment.tiktoken_text(piece).encode("utf-8")
    tail_bytes = sum(len(adapter_bytes(enc, t)) for t in tokens[-keep:])
    head = data[: len(data) - tail_bytes]
    # characters whose bytes start before the boundary belong to the head, rounded back out
    head_chars = len(head.decode("utf-8", "ignore"))
    return len(piece) - head_chars


# --- tokens and bytes ----------------------------------------------------------------------


def encode(enc: tiktoken.Encoding, text: str) -> list[int]:
    """Token ids of ``text`` as ordinary text (lone surrogates as U+FFFD, as tiktoken reads them).

    tiktoken panics on a whitespace run of about a million characters: that is a
    :class:`TokencmpError` here (counting it is exact, listing its tokens is not offered).
    """
    try:
        return enc.encode_ordinary(segment.tiktoken_text(text))
    except BaseException as e:
        if not segment.is_panic(e):
            raise
    raise TokencmpError(
        "tiktoken cannot list the tokens of this text (a whitespace run of about a million "
        "characters with no other character in it); count it with tokencmp count instead."
    )


def adapter_bytes(enc: tiktoken.Encoding, token: int) -> bytes:
    return enc.decode_single_token_bytes(token)


@functools.cache
def longest_token(enc: tiktoken.Encoding) -> int:
    """``B``: the most bytes one ordinary token of ``enc`` covers.

    >>> from tokencmp import get_encoding
    >>> longest_token(get_encoding("cl100k_base")) >= 1
    True
    """
    return max(len(b) for b in enc.token_byte_values())


def _utf8_offsets(text: str) -> list[int]:
    """Byte offset of each character index (``len(text) + 1`` entries) of ``text`` (no surrogates)."""
    if text.isascii():
        return list(range(len(text) + 1))
    return [0, *accumulate(len(c.encode("utf-8")) for c in text)]


# --- the unit scanner ------------------------------------------------------------------------


class _Scanner:
    """The text (given in safe blocks) as units between safe cuts, each with its count.

    ``bounds[i]`` is a safe index of the text (or its end) and ``cum[i]`` is
    ``count(text[:bounds[i]])`` minus a constant (only differences are used).
    The text from ``buf_start`` on is held in ``buf``.
    """

    def __init__(self, blocks: Iterator[str], enc: tiktoken.Encoding, n: int) -> None:
        self.blocks = blocks
        self.enc = enc
        self.unit = max(MIN_UNIT, min(segment.CHUNK, n // 8))
        self.bounds: deque[int] = deque([0])
        self.cum: deque[int] = deque([0])
        self.buf = ""
        self.buf_start = 0
        self.done = False
        self.count_units = _unit_counter(enc)
        self.emit_pos = 0

    # text held
    @property
    def end(self) -> int:
        return self.buf_start + len(self.buf)

    def text(self, a: int, b: int) -> str:
        return self.buf[a - self.buf_start : b - self.buf_start]

    def at_end(self, i: int) -> bool:
        while not self.done and i + 2 > self.end:
            self._pull()
        return self.done and i >= self.end

    def _pull(self) -> None:
        for block in self.blocks:
            if not block:
                continue
            base = self.end
            cuts = _unit_cuts(block, self.unit)
            units = [block[a:b] for a, b in zip([0, *cuts], [*cuts, len(block)], strict=True)]
            counts = self.count_units(units)
            self.buf += block
            total = self.cum[-1]
            for b, c in zip([*cuts, len(block)], counts, strict=True):
                total += c
                self.bounds.append(base + b)
                self.cum.append(total)
            return
        self.done = True

    def forget(self, pos: int) -> None:
        """Drop units and held text more than one unit before ``pos`` (never needed again)."""
        while len(self.bounds) > 2 and self.bounds[1] <= pos - 2 and self.bounds[2] <= pos:
            self.bounds.popleft()
            self.cum.popleft()
        self._trim(min(self.bounds[0], pos))

    def _trim(self, keep: int) -> None:
        if keep - self.buf_start > len(self.buf) // 2:
            self.buf = self.buf[keep - self.buf_start :]
            self.buf_start = keep

    def _emit_to(self, pos: int) -> str:
        out = self.text(self.emit_pos, pos)
        self.emit_pos = pos
        self._trim(pos)
        return out

    def _bound_index(self, pos: int) -> int:
        """Index of the first bound at or after ``pos`` (pulling blocks as needed), or len(bounds)."""
        while True:
            i = bisect.bisect_left(self.bounds, pos)
            if i < len(self.bounds) or self.done:
                return i
            self._pull()

    def _bound_at(self, i: int) -> int | None:
        while i >= len(self.bounds) and not self.done:
            self._pull()
        return self.bounds[i] if i < len(self.bounds) else None

    # the prefix search
    def longest(self, a: int, n: int) -> tuple[int, int]:
        """``(k*, count(text[a:k*]))``: the longest prefix of ``text[a:]`` of at most ``n`` tokens."""
        search = self.search(a, n)
        while True:
            try:
                next(search)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def search(self, a: int, n: int, *, emit: bool = False) -> Generator[str, None, tuple[int, int]]:
        """:meth:`longest`, yielding (with ``emit``) the text from ``a`` on that it has passed."""
        i = self._bound_index(a + 2)
        if i == len(self.bounds):  # the text ends less than 2 characters after a
            return self._window(a, a, self.end, 0, n, final=True, before=(a, 0))
        u = self.bounds[i]
        head = count_with(self.enc, self.text(a, u))
        if head >= n:
            return self._window(a, a, u, 0, n, final=self._final(u), before=(a, 0))
        pp, fpp, prev, f = a, 0, u, head
        while True:
            b = self._bound_at(i + 1)
            if b is None:  # prev is the end of the text: all of it fits
                return prev, f
            i += 1
            fb = f + self.cum[i] - self.cum[i - 1]
            if fb >= n:
                return self._window(a, prev, b, f, n, final=self._final(b), before=(pp, fpp))
            if emit and prev > self.emit_pos:
                yield self._emit_to(prev)
            pp, fpp, prev, f = prev, f, b, fb

    def _final(self, b: int) -> bool:
        self.at_end(b)  # pulls the 2 characters after b when there are any
        return self.done and b >= self.end

    def _window(
        self, a: int, w0: int, b: int, base: int, n: int, *, final: bool, before: tuple[int, int]
    ) -> tuple[int, int]:
        """Steps 1-4 in ``text[w0:b+2]``: ``w0`` is ``a`` or a safe index with ``count(text[a:w0]) =
        base < n``; the budget runs out by ``b`` (a safe index, or the end when ``final``);
        ``before`` is ``a`` or a safe index at least 2 before ``w0``, with its count from ``a``."""
        enc = self.enc
        w = self.text(w0, b if final else min(b + 2, self.end))
        data = segment.tiktoken_text(w).encode("utf-8")
        tokens = encode(enc, w)
        # step 1: j, the first safe index whose prefix counts n or more: the first at or after
        # the end of the (n - base)-th token (safe indices fall between tokens)
        if n - base <= len(tokens):
            end = len(enc.decode_bytes(tokens[: n - base]))
            whole = data[:end].decode("utf-8", "ignore")
            first = len(whole) + (len(whole.encode("utf-8")) < end)  # the first index at or past it
            j = _next_safe(w, first) if first <= len(w) - 2 else None
            if j is None:
                j = len(w)
        else:
            j = len(w)
        # step 2: j', the last safe index before j (or the window's start), and its count
        jp = _last_safe(w, j)
        fjp = base + _tokens_before(enc, tokens, len(segment.tiktoken_text(w[:jp]).encode("utf-8")))
        # step 3: no index past `upper` can fit (the byte bound)
        byte_jp = len(data) - len(segment.tiktoken_text(w[jp:]).encode("utf-8"))
        upper = min(j + 1, len(w), max(jp + 1, _chars_in(data, byte_jp + (n - fjp) * longest_token(enc))))
        # step 4: every index left, largest first
        for k in range(upper, jp, -1):
            if k >= jp + 2:
                c = fjp + count_with(enc, w[jp:k])
            elif w0 == a:
                c = count_with(enc, w[:k])
            else:  # k = jp + 1: count from an earlier safe index, or from `before`
                if jp >= 1:  # s: the last safe index before jp, or the window's start (k >= 2)
                    s = _last_safe(w, jp)
                    c = base + _tokens_before(enc, tokens, len(segment.tiktoken_text(w[:s]).encode("utf-8")))
                    c += count_with(enc, w[s:k])
                else:
                    pp, fpp = before
                    c = fpp + count_with(enc, self.text(pp, w0 + k))
            if c <= n:
                return w0 + k, c
        return w0 + jp, fjp

    # the suffix search
    def suffix(self, n: int) -> str:
        """The longest suffix of at most ``n`` tokens, keeping only the last units that can hold it."""
        while not self.done:
            self._pull()
            # drop the first unit while the text from the third bound on still counts n or more
            while len(self.bounds) > 3 and self.cum[-1] - self.cum[2] >= n:
                self.bounds.popleft()
                self.cum.popleft()
            self._trim(self.bounds[0])
        w = self.text(self.bounds[0], self.end)
        return w[_suffix_start(self.enc, w, n) :]


def _suffix_start(enc: tiktoken.Encoding, w: str, n: int) -> int:
    """The smallest ``k`` with ``count(w[k:]) <= n``: ``w`` ends the text, and starts at its start or
    at a safe index at least 2 before the last safe index whose suffix counts ``n`` or more."""
    total = count_with(enc, w)
    if total <= n:
        return 0
    t = segment.tiktoken_text(w)
    offsets = _utf8_offsets(t)
    token_ends = list(accumulate(len(enc.decode_single_token_bytes(x)) for x in encode(enc, t)))
    safe = [0, *_safe_indices(w), len(w)]

    def g_at(i: int) -> int:  # count(w[i:]) at a safe i: the tokens after it
        return len(token_ends) - bisect.bisect_right(token_ends, offsets[i])

    j = next((i for i in reversed(safe) if g_at(i) >= n), 0)
    after = [i for i in safe if i > j]
    jn = after[0]
    gjn = g_at(jn)
    lower = max(j - 1, 0)
    limit = offsets[jn] - (n - gjn) * longest_token(enc)
    while lower < jn and offsets[lower] < limit:
        lower += 1
    for k in range(lower, jn):
        c = count_with(enc, w[k:jn]) + gjn if k <= jn - 2 else count_with(enc, w[k:])
        if c <= n:
            return k
    return jn


def _safe_indices(text: str) -> Iterator[int]:
    """Every safe index of ``text``, in order."""
    return segment.cut_points(text, 1) if len(text) > 3 else iter(())


def _next_safe(text: str, i: int) -> int | None:
    """The first safe index of ``text`` at or after ``i``."""
    return segment._next_cut(text, i)


def _last_safe(text: str, j: int) -> int:
    """The last safe index of ``text`` before ``j`` (0 when there is none)."""
    found = segment._last_cut(text[: j + 1]) if j >= 3 else None
    return found if found is not None and found < j else 0


def _chars_in(data: bytes, nbytes: int) -> int:
    """How many whole characters the first ``nbytes`` bytes of UTF-8 ``data`` hold."""
    return len(data[:nbytes].decode("utf-8", "ignore"))


def _tokens_before(enc: tiktoken.Encoding, tokens: list[int], nbytes: int) -> int:
    """How many of ``tokens`` end at or before byte ``nbytes`` (a token boundary)."""
    lo, hi = 0, len(tokens)
    while lo < hi:  # the largest m whose bytes fit in nbytes
        mid = (lo + hi + 1) // 2
        if len(enc.decode_bytes(tokens[:mid])) <= nbytes:
            lo = mid
        else:
            hi = mid - 1
    return lo


_RULE_A = re.compile(r"(?<![" + re.escape(segment.WHITESPACE) + r"]) (?=[^\W\d_])")


def _unit_cuts(text: str, size: int) -> list[int]:
    """Safe cuts of ``text`` about ``size`` characters apart: a space before a word (found in C)
    where there is one, any safe cut (:mod:`tokencmp.text.segment`) where not."""
    cuts: list[int] = []
    i, n = size, len(text)
    while i < n - 1:
        m = _RULE_A.search(text, i)
        j = (
            m.start()
            if m is not None and segment.is_safe_cut(text, m.start())
            else segment._next_cut(text, i)
        )
        if j is None:
            break
        cuts.append(j)
        i = j + size
    return cuts


def _unit_counter(enc: tiktoken.Encoding) -> Callable[[list[str]], list[int]]:
    """Counts of many units at once: the accelerated engine's batch where it applies, else tiktoken
    on :data:`~tokencmp.text.count.THREADS` threads (it releases the GIL while it encodes)."""
    slow = _threaded(batch_counter(enc))
    if engine.counter(enc.name) is None:  # not installed, turned off, or not this encoding
        return slow
    batch = engine._engine()
    if batch is None:
        return slow

    def count(units: list[str]) -> list[int]:
        if any(engine.guarded(u) for u in units):
            return slow(units)
        try:
            return batch(units, enc.name, threads=THREADS)
        except BaseException as e:  # lone surrogates or a panic: tiktoken's way, as the engine does
            if not (isinstance(e, Exception) or segment.is_panic(e)):
                raise
            return slow(units)

    return count


def _threaded(count_all: Callable[[list[str]], list[int]]) -> Callable[[list[str]], list[int]]:
    """``count_all`` on the units of a block split between :data:`THREADS` threads (one pool per
    block: no thread outlives the call, as in :func:`tokencmp.text.count.count_with`)."""

    def count(units: list[str]) -> list[int]:
        if THREADS == 1 or len(units) < 2 * THREADS:
            return count_all(units)
        step = -(-len(units) // THREADS)
        parts = [units[i : i + step] for i in range(0, len(units), step)]
        with ThreadPoolExecutor(len(parts), thread_name_prefix="tokencmp") as pool:
            return [c for counts in pool.map(count_all, parts) for c in counts]

    return count
