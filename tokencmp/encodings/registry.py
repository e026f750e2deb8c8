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
"""

from __future__ import annotations

import functools
import threading

import tiktoken

from ..errors import EncodingUnavailableError, TokencmpError, UnknownEncodingError
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


def _build(name: str) -> tiktoken.Encoding:
    if name not in adapter.constructor_names():
        from . import vendor_spec  # only when the name is not one of tiktoken's (pydantic)

        if name in vendor_spec.data().aliases:  # the same object as its target's
            return get_encoding(vendor_spec.data().aliases[name])
        if name in vendor_spec.names():
            from .vendors import get_vendor_encoding

            return get_vendor_encoding(name)
        return _from_tiktoken_plugins(name)
    for use_cache in (True, False):
        constructors = adapter.offline_constructors(functools.partial(_load.load_ranks, use_cache=use_cache))
        try:
            params = constructors[name]()
        except TokencmpError:
            raise
        except Exception as e:  # tiktoken's loader (gpt2's data-gym files): network or cache
            raise _load.unavailable(name, e) from None
        try:
            return tiktoken.Encoding(**params)
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
