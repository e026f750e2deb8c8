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
from types import ModuleType
from typing import Any, Protocol, TypeVar, cast

import tiktoken
from tiktoken_ext import openai_public

from ..errors import EncodingUnavailableError
from .load import OFFLINE_ENCODINGS

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


def offline_constructors(
    load_ranks: RankLoader, plugin: ModuleType = openai_public
) -> dict[str, Callable[[], dict[str, Any]]]:
    """tiktoken's own constructor functions, with rank files read by ``load_ranks``.

    The functions in ``tiktoken_ext.openai_public`` call ``load_tiktoken_bpe``
    (a module global) for the ranks. Rebinding copies of them to a namespace
    whose ``load_tiktoken_bpe`` is ``load_ranks`` reuses those definitions
    exactly, without patching tiktoken for the rest of the process::

        >>> calls = []
        >>> def load(path, expected_hash=None):
        ...     calls.append(path)
        ...     return {}
        >>> params = offline_constructors(load)["cl100k_base"]()
        >>> calls, sorted(params)
        (['https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken'], \
['mergeable_ranks', 'name', 'pat_str', 'special_tokens'])
    """
    namespace = dict(vars(plugin))
    namespace["load_tiktoken_bpe"] = load_ranks
    rebound: dict[str, Callable[[], dict[str, Any]]] = {}
    for enc_name, func in plugin.ENCODING_CONSTRUCTORS.items():
        copy = types.FunctionType(func.__code__, namespace, func.__name__)
        namespace[func.__name__] = copy
        rebound[enc_name] = copy
    return rebound


def constructor_names() -> list[str]:
    """The encodings tiktoken's ``openai_public`` plugin defines.

    >>> constructor_names()[:3]
    ['cl100k_base', 'gpt2', 'o200k_base']
    """
    return sorted(openai_public.ENCODING_CONSTRUCTORS)


def wrap_core(enc: tiktoken.Encoding, wrap: Callable[[Any], Any]) -> Any:
    """Replace ``enc``'s core by ``wrap(core)`` (Qwen's NFC before BPE: :mod:`tokencmp.encodings.vendors`);
    returns the original core."""
    original = enc._core_bpe
    enc._core_bpe = wrap(original)
    return original


E = TypeVar("E", bound=tiktoken.Encoding)


def shell(cls: type[E], name: str, core: Any, special_tokens: dict[str, int], max_token_value: int) -> E:
    """An ``Encoding`` of class ``cls`` whose core is ``core`` (not tiktoken's), built without
    tiktoken's constructor, which needs BPE ranks: a ``tokenizer.json`` counted by Hugging Face
    ``tokenizers`` (:class:`tokencmp.encodings.vendors.TokenizersEncoding`). Only what tokencmp calls
    works: ``encode_ordinary``, ``encode`` and the core's methods."""
    enc = object.__new__(cls)
    enc.name = name
    enc._pat_str = ""
    enc._mergeable_ranks = {}
    enc._special_tokens = special_tokens
    enc.max_token_value = max_token_value
    enc._core_bpe = core
    return enc


_PARAMS = ("name", "pat_str", "mergeable_ranks", "special_tokens")
"""What a constructor returns: the keyword arguments of ``tiktoken.Encoding``."""


def check_contract(
    plugin: ModuleType = openai_public, encoding: type[tiktoken.Encoding] = tiktoken.Encoding
) -> None:
    """Raise :class:`~tokencmp.errors.EncodingUnavailableError` naming what differs from the contract.

    ``plugin`` and ``encoding`` default to the installed ``tiktoken_ext.openai_public`` and
    ``tiktoken.Encoding`` (tests pass stand-ins that break the contract on purpose).

    >>> check_contract()
    """
    problems = [*_plugin_problems(plugin), *_core_problems(encoding)]
    if problems:
        raise EncodingUnavailableError(
            f"tiktoken {tiktoken.__version__} differs from what tokencmp expects of its internals: "
            + "; ".join(problems)
            + ". Install the tiktoken version pyproject.toml pins (tiktoken>=0.14,<0.15)."
        )


def _plugin_problems(plugin: ModuleType) -> list[str]:
    """How ``plugin`` differs from what :func:`offline_constructors` relies on."""
    where = getattr(plugin, "__name__", "tiktoken_ext.openai_public")
    constructors = getattr(plugin, "ENCODING_CONSTRUCTORS", None)
    if not isinstance(constructors, dict):
        return [f"{where}.ENCODING_CONSTRUCTORS is not a dict"]
    problems = []
    if not hasattr(plugin, "load_tiktoken_bpe"):
        problems.append(f"{where} no longer calls a module-level load_tiktoken_bpe")
    for name, func in constructors.items():
        if not isinstance(func, types.FunctionType):
            problems.append(f"the constructor of {name} is not a plain function")
        elif not _loads_ranks(func, constructors):
            problems.append(f"the constructor of {name} does not call load_tiktoken_bpe")
    if problems:
        return problems
    for name in OFFLINE_ENCODINGS:  # the constructors tokencmp runs with its own loader
        if name not in constructors:
            problems.append(f"{where}.ENCODING_CONSTRUCTORS has no {name}")
        else:
            problems += _run_problems(plugin, name)
    return problems


def _run_problems(plugin: ModuleType, name: str) -> list[str]:
    """How the constructor of ``name``, run with a stand-in rank loader, differs from the contract."""
    calls: list[tuple[object, object]] = []
    ranks = {b"a": 0}

    def load(blobpath: object, expected_hash: object = None) -> dict[bytes, int]:
        calls.append((blobpath, expected_hash))
        return ranks

    try:
        params = offline_constructors(load, plugin)[name]()
    except Exception as e:
        return [f"the constructor of {name} fails with tokencmp's loader ({type(e).__name__}: {e})"]
    problems = []
    if not calls or not all(isinstance(path, str) and isinstance(sha, str) for path, sha in calls):
        problems.append(f"the constructor of {name} does not give load_tiktoken_bpe a file and its hash")
    if not isinstance(params, dict) or sorted(params) != sorted(_PARAMS):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        problems.append(f"the constructor of {name} returns {got}, not the keys {', '.join(_PARAMS)}")
    elif params["mergeable_ranks"] is not ranks:
        problems.append(f"the constructor of {name} does not use the ranks load_tiktoken_bpe returns")
    return problems


def _core_problems(encoding: type[tiktoken.Encoding]) -> list[str]:
    """How ``encoding``'s Rust core differs from :class:`CoreBPE`."""
    try:
        enc = encoding("contract", pat_str=r"\S+|\s+", mergeable_ranks={b"a": 0, b"b": 1, b" ": 2},
                       special_tokens={})
    except Exception as e:
        return [f"tiktoken.Encoding(name, pat_str=, mergeable_ranks=, special_tokens=) fails "
                f"({type(e).__name__}: {e})"]
    rust = getattr(enc, "_core_bpe", None)
    if rust is None:
        return ["tiktoken.Encoding has no _core_bpe"]
    missing = [m for m in _CORE_METHODS if not callable(getattr(rust, m, None))]
    if missing:
        return [f"tiktoken's CoreBPE has no {', '.join(missing)}"]
    problems = []
    c = core(enc)
    if c.encode_ordinary("ab a") != [0, 1, 2, 0]:
        problems.append("CoreBPE.encode_ordinary no longer returns token ids")
    if c.encode_single_piece(b"ab") != [0, 1]:
        problems.append("CoreBPE.encode_single_piece no longer returns a piece's token ids")
    if c.decode_single_token_bytes(1) != b"b":
        problems.append("CoreBPE.decode_single_token_bytes no longer returns a token's bytes")
    return problems


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
