"""The encodings by name: each tiktoken ``Encoding`` built once, from verified rank files, and kept.

    >>> enc = get_encoding("o200k_base")
    >>> enc.encode_ordinary("hello world")
    [24912, 2375]
    >>> "cl100k_base" in list_encodings()
    True

An encoding of tiktoken's ``openai_public`` plugin is built with tiktoken's
own pattern and special tokens (its constructor functions, run through
:func:`tokencmp.encodings.adapter.offline_constructors`) and ranks read by
:func:`tokencmp.encodings.load.load_ranks`; any other name goes to
``tiktoken.get_encoding`` (other plugins), and an unknown one is an
:class:`~tokencmp.errors.UnknownEncodingError` listing the known names.

Nothing here changes process-wide state (``os.environ``, tiktoken's registry
or cache settings). Each encoding is built once, on first use, under a
per-name lock, so concurrent first calls share one load.

An encoding built here pickles as a small handle, its name and a content
hash (:class:`HandledEncoding`), not as its rank table: a worker process
(Dask, Ray, Spark, ``multiprocessing``) that unpickles it calls
:func:`from_handle`, which builds the encoding once per process from the
bundled data and the rank cache, and refuses one whose content differs::

    >>> import pickle
    >>> len(pickle.dumps(enc)) < 200
    True
    >>> pickle.loads(pickle.dumps(enc)) is enc
    True
"""

from __future__ import annotations

import functools
import hashlib
import threading
from typing import Any

import tiktoken

from ..errors import (
    EncodingIntegrityError,
    EncodingUnavailableError,
    TokencmpError,
    UnknownEncodingError,
)
from . import adapter
from . import load as _load

_cache: dict[str, tiktoken.Encoding] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken ``Encoding`` called ``name``, loaded once and cached.

    >>> get_encoding("cl100k_base").name
    'cl100k_base'
    """
    if not isinstance(name, str) or not name:
        raise UnknownEncodingError(f"Encoding names are non-empty strings, not {name!r}.")
    enc = _cache.get(name)
    if enc is not None:
        return enc
    with _locks_guard:
        lock = _locks.setdefault(name, threading.Lock())
    with lock:
        enc = _cache.get(name)
        if enc is None:
            enc = _build(name)
            _cache[name] = enc
    return enc


def list_encodings() -> list[str]:
    """Names of the encodings tiktoken defines (not all of them load offline), then the other
    vendors' encodings (each needs its extra: :mod:`tokencmp.encodings.vendors`)."""
    from . import vendor_spec

    return [*adapter.constructor_names(), *vendor_spec.names()]


def register(enc: tiktoken.Encoding) -> tiktoken.Encoding:
    """Keep ``enc`` under its name, so :func:`get_encoding` (and ``compare``) find it: how a local
    tokenizer file (:func:`tokencmp.load_tokenizer`) joins the named encodings."""
    with _locks_guard:
        _cache[enc.name] = enc
    return enc


class HandledEncoding(tiktoken.Encoding):
    """A tiktoken ``Encoding`` that pickles as ``(name, fingerprint)``, rebuilt by :func:`from_handle`.

    ``fingerprint`` is a SHA-256 of what defines the encoding: its name, pattern,
    special tokens and the published SHA-256 of each rank file it was built from
    (:func:`fingerprint`). Any encoding that :func:`get_encoding` returns by name can
    be one (tiktoken's ``Encoding`` otherwise pickles its whole rank table, about 3 MB).
    """

    def __init__(self, *, fingerprint: str, **params: Any) -> None:
        super().__init__(**params)
        self.fingerprint = fingerprint

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return from_handle, (self.name, self.fingerprint)


def fingerprint(params: dict[str, Any], rank_hashes: list[str]) -> str:
    """The content hash of an encoding built from ``params`` (tiktoken's constructor keywords) and
    rank files with these published SHA-256 hashes."""
    specials = sorted(params.get("special_tokens", {}).items())
    text = "\0".join([params["name"], params["pat_str"], repr(specials), *rank_hashes])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def from_handle(name: str, expected: str) -> tiktoken.Encoding:
    """The encoding a pickled :class:`HandledEncoding` names, built in this process (once) and
    checked against the fingerprint it was pickled with."""
    enc = get_encoding(name)
    got = getattr(enc, "fingerprint", None)
    if got != expected:
        raise EncodingIntegrityError(
            f"The encoding {name!r} sent to this process has the content hash {expected[:16]}, but "
            f"here it is built as {str(got)[:16]}: install the same tokencmp version (and "
            "TOKENCMP_ENCODINGS_DIR files) where the work is sent as where it is sent from."
        )
    return enc


def handled(enc: tiktoken.Encoding, source_sha256: str) -> tiktoken.Encoding:
    """``enc``, an encoding that :func:`get_encoding` builds by name elsewhere (a vendor's, from a
    file with this SHA-256), given the same small pickle as a :class:`HandledEncoding`."""
    fp = hashlib.sha256(f"{enc.name}\0{source_sha256}".encode()).hexdigest()
    enc.fingerprint = fp  # type: ignore[attr-defined]
    setattr(enc, "__reduce_ex__", functools.partial(_reduce_handle, enc.name, fp))  # noqa: B010
    return enc


def _reduce_handle(name: str, fp: str, protocol: object = None) -> tuple[Any, tuple[str, str]]:
    return from_handle, (name, fp)


def _build(name: str) -> tiktoken.Encoding:
    if name not in adapter.constructor_names():
        from . import vendor_spec  # only when the name is not one of tiktoken's (pydantic)

        if name in vendor_spec.data().aliases:  # the same object as its target's
            return get_encoding(vendor_spec.data().aliases[name])
        if name in vendor_spec.names():
            from .vendors import get_vendor_encoding

            return handled(get_vendor_encoding(name), vendor_spec.spec(name).sha256)
        return _from_tiktoken_plugins(name)
    for use_cache in (True, False):
        hashes: list[str] = []

        def load(blobpath: str, expected_hash: str | None = None, *, use: bool = use_cache,
                 seen: list[str] = hashes) -> Any:
            seen.append(str(expected_hash))
            return _load.load_ranks(blobpath, expected_hash, use_cache=use)

        constructors = adapter.offline_constructors(load)
        try:
            params = constructors[name]()
        except TokencmpError:
            raise
        except Exception as e:  # tiktoken's loader (gpt2's data-gym files): network or cache
            raise _load.unavailable(name, e) from None
        try:
            return HandledEncoding(fingerprint=fingerprint(params, hashes), **params)
        except BaseException as e:  # BaseException: tiktoken's Rust side may panic
            # Ranks that tiktoken cannot take can only come from a cache entry that is not a rank
            # table but carries a matching checksum (written by hand): build again from the
            # verified file, which also replaces the entry. A verified file never gets here.
            if not use_cache or isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
    raise AssertionError("unreachable")


def _from_tiktoken_plugins(name: str) -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(name)
    except ValueError:
        from .vendors import no_offline_tokenizer

        why = no_offline_tokenizer(name)
        if why is not None:
            raise EncodingUnavailableError(why) from None
        known = ", ".join(list_encodings())
        raise UnknownEncodingError(f"Unknown encoding {name!r}. Known encodings: {known}.") from None
    except Exception as e:  # tiktoken's loader: network, cache or plugin failures
        raise _load.unavailable(name, e) from None
