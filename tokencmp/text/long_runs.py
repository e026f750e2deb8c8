"""Counting what tiktoken cannot: whitespace runs it panics on, long pre-tokens in linear time.

**Pathological whitespace.** tiktoken 0.14 panics (``PanicException``, a
``BaseException``) on whitespace runs of about a million characters, which
its regex engine cannot match within its backtracking limit.
:func:`count_with_long_runs` works out the pre-tokens of each long run from
the pattern's whitespace rules (:func:`_run_pieces`) and counts them with
tiktoken's BPE directly; the text between runs goes to tiktoken as usual.

    >>> from tokencmp import get_encoding
    >>> count_with_long_runs(get_encoding("o200k_base"), " " * 1_000_000)  # 7,812 x 128 + 64 spaces
    7813

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
follows from the pattern alone (see :func:`_count_stretch`).

BPE runs through tiktoken's Rust core (``encode_single_piece``,
``decode_single_token_bytes``), reached through
:func:`tokencmp.encodings.adapter.core`.
"""

from __future__ import annotations

import re
import unicodedata

import tiktoken

from ..encodings import adapter
from ..errors import InvalidTextError
from .segment import WHITESPACE, is_panic, tiktoken_text

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
    core = adapter.core(enc)
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


def _valid_pair(core: adapter.CoreBPE, left: tuple[int, bytes], right: int) -> bool:
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
