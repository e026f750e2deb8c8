"""The one place tokencmp reaches into tiktoken's internals, and the contract it expects of them.

tokencmp uses two things tiktoken does not document:

* the Rust core of an :class:`tiktoken.Encoding` (``enc._core_bpe``): counting a
  short text through ``encode_ordinary`` without the Python wrapper around it
  matters for chat requests of many short messages, and ``encode_single_piece``
  / ``decode_single_token_bytes`` count one pre-token in pieces (see
  :mod:`tokencmp.text.long_runs`);
* the constructor functions of ``tiktoken_ext.openai_public``, which hold each
  encoding's pattern, special tokens and rank-file hash: tokencmp runs copies
  of them with its own rank-file loader, so the definitions stay tiktoken's.

Both are tested by :func:`check_contract` (``tests/test_encodings.py``), which
fails with a message naming what changed when a tiktoken release moves them;
``pyproject.toml`` pins the tiktoken minor version the contract holds for.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Protocol, cast

import tiktoken
from tiktoken_ext import openai_public

from ..errors import EncodingUnavailableError

RankLoader = Callable[..., dict[bytes, int]]
"""``load_tiktoken_bpe(blobpath, expected_hash=None)``: the signature tiktoken's constructors call."""


class CoreBPE(Protocol):
    """The methods of tiktoken's Rust ``CoreBPE`` that tokencmp calls."""

    def encode_ordinary(self, text: str) -> list[int]: ...

    def encode_single_piece(self, piece: bytes) -> list[int]: ...

    def decode_single_token_bytes(self, token: int) -> bytes: ...


_CORE_METHODS = ("encode_ordinary", "encode_single_piece", "decode_single_token_bytes")


def core(enc: tiktoken.Encoding) -> CoreBPE:
    """The Rust core of ``enc``: its methods skip the Python wrapper's per-call checks.

    >>> from tokencmp import get_encoding
    >>> len(core(get_encoding("o200k_base")).encode_ordinary("hello world"))
    2
    """
    return cast(CoreBPE, enc._core_bpe)


def offline_constructors(load_ranks: RankLoader) -> dict[str, Callable[[], dict[str, Any]]]:
    """tiktoken's own constructor functions, with rank files read by ``load_ranks``.

    The functions in ``tiktoken_ext.openai_public`` call ``load_tiktoken_bpe``
    (a module global) for the ranks. Rebinding copies of them to a namespace
    whose ``load_tiktoken_bpe`` is ``load_ranks`` reuses those definitions
    exactly, without patching tiktoken for the rest of the process.
    """
    namespace = dict(vars(openai_public))
    namespace["load_tiktoken_bpe"] = load_ranks
    rebound: dict[str, Callable[[], dict[str, Any]]] = {}
    for enc_name, func in openai_public.ENCODING_CONSTRUCTORS.items():
        copy = types.FunctionType(func.__code__, namespace, func.__name__)
        namespace[func.__name__] = copy
        rebound[enc_name] = copy
    return rebound


def constructor_names() -> list[str]:
    """The encodings tiktoken's ``openai_public`` plugin defines."""
    return sorted(openai_public.ENCODING_CONSTRUCTORS)


def check_contract() -> None:
    """Raise :class:`~tokencmp.errors.EncodingUnavailableError` naming what differs from the contract.

    >>> check_contract()
    """
    problems: list[str] = []
    constructors = getattr(openai_public, "ENCODING_CONSTRUCTORS", None)
    if not isinstance(constructors, dict):
        problems.append("tiktoken_ext.openai_public.ENCODING_CONSTRUCTORS is not a dict")
    else:
        if not hasattr(openai_public, "load_tiktoken_bpe"):
            problems.append("openai_public no longer calls a module-level load_tiktoken_bpe")
        for name, func in constructors.items():
            if not isinstance(func, types.FunctionType):
                problems.append(f"the constructor of {name} is not a plain function")
            elif not _loads_ranks(func, constructors):
                problems.append(f"the constructor of {name} does not call load_tiktoken_bpe")
    enc = tiktoken.Encoding("contract", pat_str=r"\S+|\s+", mergeable_ranks={b"a": 0, b"b": 1, b" ": 2},
                            special_tokens={})
    rust = getattr(enc, "_core_bpe", None)
    if rust is None:
        problems.append("tiktoken.Encoding has no _core_bpe")
    else:
        missing = [m for m in _CORE_METHODS if not callable(getattr(rust, m, None))]
        if missing:
            problems.append(f"tiktoken's CoreBPE has no {', '.join(missing)}")
        else:
            c = core(enc)
            if c.encode_ordinary("ab a") != [0, 1, 2, 0]:
                problems.append("CoreBPE.encode_ordinary no longer returns token ids")
            if c.decode_single_token_bytes(1) != b"b":
                problems.append("CoreBPE.decode_single_token_bytes no longer returns a token's bytes")
    if problems:
        raise EncodingUnavailableError(
            f"tiktoken {tiktoken.__version__} differs from what tokencmp expects of its internals: "
            + "; ".join(problems)
            + ". Install the tiktoken version pyproject.toml pins (tiktoken>=0.14,<0.15)."
        )


def _loads_ranks(func: types.FunctionType, constructors: dict[str, Any]) -> bool:
    """Whether ``func`` reads its ranks through tiktoken's loaders, itself or through another constructor.

    (gpt2 reads GPT-2's own files with ``data_gym_to_mergeable_bpe_ranks``, which downloads:
    tokencmp never builds it offline.)
    """
    names = func.__code__.co_names
    if "load_tiktoken_bpe" in names or "data_gym_to_mergeable_bpe_ranks" in names:
        return True
    others = {f.__name__: f for f in constructors.values() if isinstance(f, types.FunctionType)}
    return any(n in others and n != func.__name__ and _loads_ranks(others[n], {}) for n in names)
