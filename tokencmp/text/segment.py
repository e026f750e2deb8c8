"""Where text can be cut without changing how tiktoken counts it.

tiktoken splits text into pre-tokens with a regular expression, then runs BPE
inside each pre-token. Counting pieces of a text separately gives the same
total as counting the whole only when every cut falls on a pre-token boundary
that the regular expression finds the same way with or without the text
beyond the cut. This module finds such cuts, for two uses:

* **chunking** (streaming large files, counting on several threads): the
  cuts of :func:`cut_points`;
* **pathological whitespace**: tiktoken 0.14 panics (``PanicException``, a
  ``BaseException``) on whitespace runs of about a million characters, which
  its regex engine cannot match within its backtracking limit.
  :func:`count_with_long_runs` works out the pre-tokens of each long run by
  the rules below and counts them with tiktoken's BPE directly.

Why a cut is safe (for every OpenAI pattern: ``o200k``, ``cl100k``, ``r50k``/
``p50k``/``gpt2``). The patterns have no look-behind; their only look-ahead is
``(?!\\S)`` after whitespace, and cl100k/r50k's ``\\s++$``. A cut at ``i`` is
safe when (1) no pre-token of the whole text spans ``i`` and (2) the pre-token
ending at ``i`` is matched the same way when the text ends at ``i``.

* Rule A, ``X␠L``: ``text[i]`` is a space, ``text[i-1]`` is not whitespace and
  ``text[i+1]`` is a letter. No alternative continues a pre-token from a
  non-space character into a space (letter runs, digit runs and contractions
  contain no whitespace; punctuation runs only absorb ``\\r``, ``\\n`` and
  ``/`` after them), so a pre-token starts at ``i`` (the space joins the word
  as its one-character prefix). The look-ahead ``(?!\\S)`` sees a space or the
  end of text: both pass. Letter tests use ``str.isalpha`` (the ``\\p{L}``
  categories).
* Rule B, ``X\\nY``: ``text[i-1]`` is ``\\n``, ``text[i-2]`` and ``text[i]`` are
  not whitespace and ``text[i]`` is not ``/``. The newline either ends a
  punctuation pre-token (o200k, cl100k), or is its own pre-token
  (``\\s*[\\r\\n]+`` / ``\\s*[\\r\\n]`` / r50k's ``\\s``), and ``\\s++$`` at the
  cut matches that same single newline.

* Rule C, ``L P L``: ``text[i-1]`` and ``text[i+1]`` are letters and
  ``text[i]`` is punctuation or a symbol (Unicode category P or S) other than
  the apostrophe. The letter run before it ends at ``i`` (letter runs hold
  only letters and marks; the contraction suffixes need ``'``), and at ``i``
  every pattern starts a pre-token the same way with or without the text
  before: o200k and cl100k take the mark as the one-character prefix of the
  next word (``[^\r\n\\p{L}\\p{N}]?`` then letters), r50k as a punctuation run
  that the letter after it ends. This is what gives Chinese and Japanese
  prose without spaces its cuts: ``。`` and ``、`` between characters.

A text with none of these (a CJK run with no line break or punctuation) has
no cut: such a run is one pre-token anyway, since o200k and cl100k match
whole runs of letters as one piece.

All three rules look at ``text[i-2:i+2]`` only, so a prefix of a text decides a
cut at ``i`` exactly as the whole text does once it holds ``text[i+1]``
(:func:`is_safe_cut` refuses ``i >= len(text) - 1``). That is what lets
:class:`SafeChunker` cut a text that arrives in pieces (a file read in
blocks) without ever seeing the whole of it.

**Long pre-tokens in linear time.** tiktoken's BPE on one pre-token grows
faster than its length (1 MB of one letter takes 20 times as long as 100 KB).
:func:`bpe_count` counts a long pre-token in pieces instead, exactly, using
the properties of BPE set out (with proofs) in the README of GitHub's ``bpe``
crate (github.com/github/rust-gems, ``crates/bpe``): call a token sequence
*valid* when BPE re-encodes its bytes to that same sequence; then (II) every
prefix of a valid sequence is valid, and (IIIa) a valid sequence followed by a
token that forms a valid pair with its last token is valid; and (I) each text
has exactly one valid sequence, its BPE encoding. So encoding a long piece
segment by segment and checking that the two tokens meeting at each joint
re-encode to themselves gives a valid sequence, which is therefore tiktoken's
own encoding; a joint that fails the check is moved back a token and the
segment re-encoded. The pre-tokens counted this way are whitespace runs
(above) and, in stretches with no safe cut, runs of one repeated letter, of
caseless letters (CJK, Thai, ...) and of punctuation: pre-tokens whose extent
follows from the pattern alone (see :func:`count_with_long_runs`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import tiktoken

from ..errors import InvalidTextError

# Unicode White_Space, the set that \s matches in tiktoken's (Rust) regex engine.
# Python's str.isspace() differs (it also accepts U+001C..U+001F).
WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS = frozenset(WHITESPACE)
_WS_CLASS = "[" + re.escape(WHITESPACE) + "]"

LONG_RUN = 10_000
"""Whitespace runs at least this long are counted by :func:`count_with_long_runs`
(tiktoken panics only near a million; well below that its regex is still fast)."""

BPE_SEGMENT = 1 << 10
"""Bytes per segment when :func:`bpe_count` splits a long pre-token (longer than
twice this, it is split; every segment is far longer than any token, 128 bytes)."""

MAX_TOKEN_BYTES = 128
"""The longest token in OpenAI's vocabularies, in bytes (a test checks the bundled ones).
Segments must be longer, so tiktoken's whole-piece shortcut never applies to one."""

_MAX_JOINT_RETRIES = 8

_FAMILIES = {
    "o200k_base": "o200k",
    "o200k_harmony": "o200k",
    "cl100k_base": "cl100k",
    "r50k_base": "r50k",
    "p50k_base": "r50k",
    "p50k_edit": "r50k",
    "gpt2": "r50k",
}


def is_safe_cut(text: str, i: int) -> bool:
    """Whether counting ``text[:i]`` and ``text[i:]`` apart gives the whole text's count.

    >>> is_safe_cut("one two", 3), is_safe_cut("one two", 2), is_safe_cut("日本。語", 2)
    (True, False, True)
    """
    if i <= 1 or i >= len(text) - 1:
        return False
    c = text[i]
    if c == " ":
        return text[i - 1] not in _WS and text[i + 1].isalpha()
    if text[i - 1] == "\n":
        return text[i - 2] not in _WS and c not in _WS and c != "/"
    return (
        c != "'"
        and unicodedata.category(c)[0] in "PS"
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


def cut_points(text: str, size: int) -> Iterator[int]:
    """Safe cuts, about ``size`` characters apart (later where a stretch has none).

    The search for a cut looks forward from each target, so a chunk is never
    shorter than ``size`` except the last.

    >>> list(cut_points("aa bb cc dd ee", 4))
    [5, 11]
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    n = len(text)
    i = size
    while i < n - 1:
        j = _next_cut(text, i)
        if j is None:
            return
        yield j
        i = j + size


# Candidates for a safe cut, found in C: a space before a letter or other alphanumeric
# (rule A; the cut is at the space), a newline before a non-space other than "/" (rule B;
# the cut is after it), a character that is neither a word character nor a space before a
# letter (rule C; the cut is at it). The regex only narrows the search; is_safe_cut decides.
_CANDIDATE = re.compile(r" (?=[^\W\d_])|\n(?![" + re.escape(WHITESPACE) + r"/])|[^\w\s](?=[^\W\d_])")


def _cut_at(match: re.Match[str]) -> int:
    """Where a candidate cuts: after a newline (rule B), else at the matched character."""
    return match.end() if match.group() == "\n" else match.start()


def _next_cut(text: str, start: int) -> int | None:
    for match in _CANDIDATE.finditer(text, start):
        i = _cut_at(match)
        if is_safe_cut(text, i):
            return i
    return None


def split(text: str, size: int) -> list[str]:
    """``text`` in safe pieces of about ``size`` characters (see :func:`cut_points`)."""
    pieces, last = [], 0
    for cut in cut_points(text, size):
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    return pieces


class SafeChunker:
    """Cut a text that arrives in pieces at safe cuts, holding back what follows the last one.

    :meth:`feed` returns everything up to the last safe cut seen so far and
    keeps the rest; :meth:`close` returns what is left. The strings returned
    join to exactly the text fed, and each can be counted on its own. Only
    the held-back tail stays in memory: at most one fed piece plus the
    stretch since the last safe cut (which grows only in text that has no
    cut, such as a huge CJK line with no line break or a huge whitespace run).

    >>> chunker = SafeChunker()
    >>> chunker.feed("one tw"), chunker.feed("o three"), chunker.close()
    ('one', ' two', ' three')
    """

    _CONTEXT = 3
    """Characters of held-back text to look at again: a cut at ``i`` needs
    ``text[i-2:i+2]``, so cuts left undecided at the end of one piece (those
    at ``len - 1`` and ``len``) are decided with the next."""

    def __init__(self) -> None:
        self._held: list[str] = []
        self._tail = ""

    def feed(self, text: str) -> str:
        """Add ``text``; return the text up to the last safe cut (``""`` when there is none)."""
        if not text:
            return ""
        window = self._tail + text
        cut = _last_cut(window)
        if cut is None:
            self._held.append(text)
            self._tail = window[-self._CONTEXT :]
            return ""
        cut -= len(self._tail)  # into text; cut >= 2 > -len(tail), so it may fall inside the tail
        if cut < 0:
            held = "".join(self._held)
            out, rest = held[:cut], held[cut:] + text
        else:
            out, rest = "".join(self._held) + text[:cut], text[cut:]
        self._held = [rest]
        self._tail = rest[-self._CONTEXT :]
        return out

    def close(self) -> str:
        """The held-back text (the last piece); the chunker is empty afterwards."""
        rest = "".join(self._held)
        self._held, self._tail = [], ""
        return rest


def _last_cut(text: str) -> int | None:
    # Look at the last 4 KB first, then at ever larger stretches before it: a fed block
    # usually has a cut near its end, and scanning all of it for candidates would cost
    # as much as a tenth of counting it. A match at p depends only on text[p:], so the
    # matches found from `start` on are exactly those of the whole text from there.
    end, span = len(text), 4096
    while end > 0:
        start = max(0, end - span)
        matches = []
        for match in _CANDIDATE.finditer(text, start):
            if match.start() >= end:
                break
            matches.append(match)
        for match in reversed(matches):
            i = _cut_at(match)
            if is_safe_cut(text, i):
                return i
        end, span = start, span * 4
    return None


def tiktoken_text(text: str) -> str:
    """The text tiktoken actually encodes: lone surrogates become U+FFFD.

    tiktoken does this itself when a string will not encode as UTF-8; code
    that inspects characters to choose cuts must look at the same text.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def count_with_long_runs(enc: tiktoken.Encoding, text: str, *, min_run: int = LONG_RUN) -> int:
    """Count ``text`` exactly, working out pre-tokens of whitespace runs of ``min_run`` or more.

    Each long run's pre-tokens follow from the pattern's whitespace rules (see
    :func:`_run_pieces`) and are counted with tiktoken's BPE alone; the text
    between runs goes through ``encode_ordinary`` as usual. The tests check
    this against ``encode_ordinary`` on generated text with ``min_run`` small.
    """
    family = _FAMILIES.get(enc.name)
    if family is None:
        raise InvalidTextError(
            f"This text has a whitespace run that tiktoken cannot pre-tokenize, and tokencmp "
            f"knows no safe way to count it with the encoding {enc.name!r}. Shorten the run."
        )
    text = tiktoken_text(text)
    total, pos = 0, 0
    for run in re.finditer(f"{_WS_CLASS}{{{min_run},}}", text):
        a, b = run.span()
        before = text[a - 1] if a > 0 else None
        after = text[b] if b < len(text) else None
        pieces, absorbed, resume = _run_pieces(text[a:b], before, after, family)
        if absorbed == b - a:
            continue  # the whole run ends a punctuation pre-token: no cut here
        total += _count_stretch(enc, text[pos:a], text[a : a + absorbed], family, min_run)
        total += sum(bpe_count(enc, p.encode("utf-8")) for p in pieces)
        pos = resume + a
    return total + _count_stretch(enc, text[pos:], "", family, min_run)


def _count_stretch(enc: tiktoken.Encoding, core: str, absorbed: str, family: str, min_run: int) -> int:
    """Count the text between two long whitespace runs (``absorbed``: newlines its end takes).

    The stretch starts a pre-token (a safe cut, the text's start, or after a
    run's pre-tokens) and ends at a whitespace run or the end of the text. These
    stretches are single pre-tokens, counted by :func:`bpe_count`:

    * one repeated letter (or mark, in o200k): every pattern's letter
      alternatives match a run of one letter whole;
    * letters without case, in o200k (``Lo``, ``Lm``, marks: CJK, Thai, ...):
      ``[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+`` takes
      them all; any letters, in cl100k and r50k (``\\p{L}+``);
    * punctuation (``[^\\s\\p{L}\\p{N}]``, not a mark in o200k), with the
      newlines its pattern absorbs.

    Categories come from Python's :mod:`unicodedata`; a character it does not
    know (``Cn``) never qualifies, so a Unicode version newer than Python's
    cannot make a stretch look like one pre-token. Anything else goes to
    ``encode_ordinary``.
    """
    text = core + absorbed
    # Each condition holds for the whole only if it holds for every part, so a sample that
    # fails spares scanning the rest (1 MB of digits, say).
    if len(core) >= min_run and _one_pre_token(core[:4096], family) and _one_pre_token(core, family):
        return bpe_count(enc, text.encode("utf-8"))
    return _ordinary(enc, text)


_CASELESS = frozenset({"Lo", "Lm", "Mn", "Mc", "Me"})


def _one_pre_token(core: str, family: str) -> bool:
    distinct = set(core)
    if not _WS.isdisjoint(distinct):
        return False
    kinds = {unicodedata.category(c) for c in distinct}
    if "Cn" in kinds:
        return False
    if len(distinct) == 1 and next(iter(kinds))[0] in ("LM" if family == "o200k" else "L"):
        return True
    if family == "o200k" and kinds <= _CASELESS:
        return True
    if family != "o200k" and all(k[0] == "L" for k in kinds):
        return True
    return _punctuation(kinds, family)


def _punctuation(kinds: set[str], family: str) -> bool:
    excluded = "LNM" if family == "o200k" else "LN"
    return all(k[0] not in excluded for k in kinds)


def bpe_count(enc: tiktoken.Encoding, piece: bytes, *, segment: int = BPE_SEGMENT) -> int:
    """Tokens in one pre-token: ``len(enc._encode_single_piece(piece))``, in linear time.

    See the module notes for why joining checked segments is exact.

    >>> from tokencmp import get_encoding
    >>> bpe_count(get_encoding("o200k_base"), b"a" * 100_000, segment=512)  # blocks of 8 letters
    12500
    """
    if segment <= MAX_TOKEN_BYTES:
        raise ValueError(f"segment must be longer than the longest token ({MAX_TOKEN_BYTES} bytes)")
    core = enc._core_bpe
    n = len(piece)
    if n <= 2 * segment:
        return len(core.encode_single_piece(piece))
    total, pos = 0, 0
    tail: list[tuple[int, bytes]] = []  # the last committed tokens: (id, bytes)
    while True:
        end = n if n - pos <= 2 * segment else pos + segment
        tokens = core.encode_single_piece(piece[pos:end])
        retries = 0
        while tail and not _valid_pair(core, tail[-1], tokens[0]):
            retries += 1
            if retries > _MAX_JOINT_RETRIES or len(tail) < 2:
                return len(core.encode_single_piece(piece))  # exact, just not linear
            _, dropped = tail.pop()  # a prefix of a valid sequence is valid
            total -= 1
            pos -= len(dropped)
            tokens = core.encode_single_piece(piece[pos:end])
        total += len(tokens)
        if end == n:
            return total
        tail = [*tail, *((t, core.decode_single_token_bytes(t)) for t in tokens[-16:])][-16:]
        pos = end


def _valid_pair(core: Any, left: tuple[int, bytes], right: int) -> bool:
    """Whether BPE encodes the two tokens' bytes as exactly those two tokens."""
    return core.encode_single_piece(left[1] + core.decode_single_token_bytes(right)) == [left[0], right]


def _run_pieces(
    run: str, before: str | None, after: str | None, family: str
) -> tuple[list[str], int, int]:
    """Pre-tokens of a maximal whitespace run, as tiktoken's pattern would make them.

    Returns (pieces, absorbed, resume): the first ``absorbed`` characters
    belong to the pre-token before the run; ``pieces`` are the run's own
    pre-tokens; counting resumes at ``resume`` (relative to the run start),
    where a last whitespace character joins whatever follows.

    * o200k/cl100k: a punctuation pre-token absorbs the newlines that follow
      it (``[\\r\\n/]*`` / ``[\\r\\n]*+``).
    * cl100k/r50k: a run that ends the text is one pre-token (``\\s++$``).
    * o200k/cl100k: ``\\s*[\\r\\n]+`` takes everything up to the run's last
      newline (greedy, then backtracking to a newline).
    * all: ``\\s+(?!\\S)`` takes the rest but the last character when
      something follows, or all of it at the end of the text.
    """
    absorbed = 0
    if family != "r50k" and before is not None and _is_punctuation(before, family):
        while absorbed < len(run) and run[absorbed] in "\r\n":
            absorbed += 1
    p, pieces = absorbed, []
    if after is None and family in ("cl100k", "r50k"):
        return ([run[p:]] if p < len(run) else []), absorbed, len(run)
    if family != "r50k":
        q = max(run.rfind("\n", p), run.rfind("\r", p))
        if q >= 0:
            pieces.append(run[p : q + 1])
            p = q + 1
    if after is None:
        if p < len(run):
            pieces.append(run[p:])
        return pieces, absorbed, len(run)
    if len(run) - p >= 2:
        pieces.append(run[p:-1])
        p = len(run) - 1
    return pieces, absorbed, p


def _is_punctuation(c: str, family: str) -> bool:
    """Whether ``c`` ends a punctuation pre-token: ``[^\\s\\p{L}\\p{N}]``.

    In o200k a combining mark (``\\p{M}``) belongs to the letter classes, so a
    pre-token that ends in one is a word, which absorbs no newlines.
    """
    kinds = "LNM" if family == "o200k" else "LN"
    return c not in _WS and unicodedata.category(c)[0] not in kinds


def _ordinary(enc: tiktoken.Encoding, text: str) -> int:
    try:
        return len(enc.encode_ordinary(text))
    except BaseException as e:
        if not is_panic(e):
            raise
    raise InvalidTextError(
        f"tiktoken could not pre-tokenize a part of this text with {enc.name} "
        f"(its regex engine gave up on a run of {len(text):,} characters)."
    )


def is_panic(e: BaseException) -> bool:
    """A Rust panic surfacing from tiktoken (``pyo3_runtime.PanicException``)."""
    return type(e).__name__ == "PanicException"
