"""Name resolution: whatever name a user types, the catalog entry it stands for.

    >>> resolve_model("openai/GPT-4o").encoding
    'o200k_base'
    >>> resolve_model("gpt-4o-2024-08-06").assumed_from
    'gpt-4o'

A name is normalised (:func:`normalize_model_name`), then resolved by an exact
entry or alias first; otherwise by a rule (fine-tune, dated snapshot,
``-latest`` suffix, a longer name of a known model, tiktoken's prefixes), and
then ``assumed_from`` names the entry the answer was taken from. Prices and
limits are carried over only where the rule keeps the model the same (a dated
snapshot, a ``-latest`` alias; a fine-tune keeps its limits but not its
prices); a name known only by its prefix gets an encoding and counting
formats, never a guessed price. A new member of a known family (the catalog's
``families``, tried last) gets the family's encoding and chat format and, so
that it can be checked and ranked, the limits of the entry it is assumed
from, said in its note; never a price. Unknown names raise
:class:`~tokencmp.errors.UnknownModelError` with the closest known names;
there is no silent fallback to some encoding.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..errors import AssumedModelError, UnknownModelError
from .load import get_catalog, remember, remembered
from .schema import Catalog, ModelInfo

_DATED = re.compile(r"^(?P<base>.+?)-(?:\d{4}-\d{2}-\d{2}|\d{4})$")
_LATEST = re.compile(r"^(?P<base>.+?)(?:-chat)?-latest$")
_SEPARATORS = re.compile(r"[-. _]")
_NOT_KNOWN = "; its prices and limits are not known."
_MAX_RULES = 4
"""The most naming rules stacked on one name (``ft:`` + a date + ``-latest`` is three): a
longer chain (``gpt-4o-2024-2024-...``) is not resolved rule after rule."""


def normalize_model_name(name: str) -> str:
    """Lower-case, trim, drop provider prefixes and use OpenAI's spelling.

    >>> normalize_model_name(" Azure/GPT-35-Turbo ")
    'gpt-3.5-turbo'
    """
    out = name.strip().lower()
    if not out.startswith("ft:") and "/" in out:
        out = out.rsplit("/", 1)[1]
    if out.startswith("gpt-35"):
        out = "gpt-3.5" + out[len("gpt-35") :]
    return out


def resolve_model(name: str, *, strict: bool = False) -> ModelInfo:
    """The catalog entry for a model name, found exactly or by a stated rule.

    With ``strict=True`` only a catalog entry or alias (after normalising) is
    accepted: a name a rule would resolve raises
    :class:`~tokencmp.errors.AssumedModelError`, which says what it would have
    been assumed from and suggests a known name one keystroke away.

    >>> resolve_model("ft:gpt-4o-mini-2024-07-18:acme::abc123").assumed_from
    'gpt-4o-mini'
    >>> print(resolve_model("gpt-4-o").notes[0])  # doctest: +NORMALIZE_WHITESPACE
    Taken to be a variant of gpt-4, counted as gpt-4-0613 (cl100k_base);
    its prices and limits are not known. Did you mean gpt-4o?
    """
    if not isinstance(name, str):
        raise UnknownModelError(repr(name), ())
    catalog = get_catalog()
    key = normalize_model_name(name)
    info = remembered(key)
    if info is None:
        info = _resolve(catalog, key)
        if info is None:
            raise UnknownModelError(name, _suggest(catalog, key))
        if by_rule(info, catalog):
            info = _with_typos(info, did_you_mean(key, catalog))
        remember(catalog, key, info)
    if strict and by_rule(info, catalog):
        raise AssumedModelError(
            name, assumed_from=info.assumed_from or info.name, encoding=info.encoding, rule=info.notes[0],
            suggestions=did_you_mean(key, catalog),
        )
    return info


def by_rule(info: ModelInfo, catalog: Catalog | None = None) -> bool:
    """Whether ``info`` was resolved by a rule, not found as an entry of ``catalog`` (default: the active).

    An entry is returned as the catalog's own object; every rule returns a copy under the name asked
    for, whose first note states the rule (an entry may carry ``assumed_from`` of its own).

    >>> by_rule(resolve_model("gpt-4o")), by_rule(resolve_model("gpt-4o-2024-08-06"))
    (False, True)
    """
    return (catalog or get_catalog()).models.get(info.name) is not info


def did_you_mean(name: str, catalog: Catalog | None = None) -> tuple[str, ...]:
    """Known names one keystroke from ``name``, or that differ from it only in ``-``, ``.``, ``_`` or spaces.

    One keystroke is one character inserted, deleted or changed, or two
    neighbours swapped (an optimal-string-alignment distance of 1), except a
    change of digits alone: ``gpt-5.7-luna`` is a newer version of ``gpt-5.6-luna``,
    not a typo of it.

    >>> did_you_mean("gpt-4-o"), did_you_mean("gtp-4o"), did_you_mean("gpt4o-mini")
    (('gpt-4o',), ('gpt-4o',), ('gpt-4o-mini',))
    >>> did_you_mean("gpt-5.7-luna"), did_you_mean("o5-mini")
    ((), ())
    """
    key = normalize_model_name(name)
    names = (catalog or get_catalog()).names()
    return tuple(known for known in names if known != key and _one_keystroke(key, known))


def _one_keystroke(a: str, b: str) -> bool:
    if _SEPARATORS.sub("", a) == _SEPARATORS.sub("", b):
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    head, tail = _common(a, b), _common(a[::-1], b[::-1])
    tail = min(tail, len(a) - head, len(b) - head)  # the common ends may not overlap
    x, y = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(x) == len(y) == 2:
        return x == y[::-1]  # two neighbours swapped
    if len(x) + len(y) == 1:
        return not (x + y).isdigit()  # one character more or less, not a digit of a version
    return len(x) == len(y) == 1 and not (x.isdigit() and y.isdigit())


def _common(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    return next((i for i, (p, q) in enumerate(zip(a, b, strict=False)) if p != q), min(len(a), len(b)))


def _with_typos(info: ModelInfo, typos: tuple[str, ...]) -> ModelInfo:
    if not typos or not info.notes:
        return info
    hint = f"Did you mean {' or '.join(typos)}?"
    return info.model_copy(update={"notes": (f"{info.notes[0]} {hint}", *info.notes[1:])})


def _resolve(catalog: Catalog, key: str, depth: int = 0) -> ModelInfo | None:
    """An exact entry or alias, else the first rule that applies; no rule is tried on an entry's name."""
    names = catalog.names()
    if key in names:  # an entry always wins: gpt-5.1-chat-latest with its own entry is never "-latest"
        return catalog.models[names[key]]
    if depth >= _MAX_RULES:
        return None
    if key.startswith("ft:"):
        base = _resolve(catalog, key[3:].split(":", 1)[0], depth + 1)
        if base is not None:
            return _fine_tuned(base, key)
    for pattern, why in ((_DATED, "a dated snapshot"), (_LATEST, "a -latest alias")):
        match = pattern.match(key)
        if match:
            base = _resolve(catalog, match["base"], depth + 1)
            if base is not None:
                exact = base.assumed_from is None
                return _assumed(
                    base, key, keep_prices=exact,
                    note=f"Taken to be {why} of {match['base']}, counted as {_as(base)}"
                    + (", with the same limits and prices." if exact else _NOT_KNOWN),
                )
    family = max((n for n in names if key.startswith(n + "-")), key=len, default=None)
    if family is not None:
        base = catalog.models[names[family]]
        return _assumed(
            base, key, keep_prices=False,
            note=f"Taken to be a variant of {family}, counted as {_as(base)}{_NOT_KNOWN}",
        )
    for rule in catalog.prefix_rules:
        if key.startswith(rule.prefix):
            template = catalog.models[rule.formats_from]
            return _assumed(
                template.model_copy(update={"encoding": rule.encoding}), key, keep_prices=False,
                note=f"Known only by tiktoken's prefix {rule.prefix!r}: counted as {template.name} "
                f"({rule.encoding}){_NOT_KNOWN}",
            )
    for new in catalog.families:  # after tiktoken's prefixes, so a family never changes their answer
        if new.matches(key):
            like = catalog.models[new.like]
            return like.model_copy(update={
                "name": key, "aliases": (), "assumed_from": like.name, "encoding": new.encoding,
                "chat_format": new.chat_format, "vision": new.vision, "status": "active",
                "shutdown_date": None, "prices": {}, "long_context": None, "audio_prices": None,
                "sources": {"encoding": new.source, "limits": like.sources.get("limits", new.source)},
                "checked": new.checked,
                "notes": (
                    f"Taken to be a new model of the {new.name} family (the catalog's families): counted as "
                    f"{like.name} ({new.encoding}), with {like.name}'s limits assumed; its prices and image "
                    "rule are not known.",
                    new.why,
                ),
            })
    return None


def _as(base: ModelInfo) -> str:
    """``gpt-4o (o200k_base)``: the entry a rule took the name from, and its encoding."""
    return f"{base.assumed_from or base.name} ({base.encoding})"


def _fine_tuned(base: ModelInfo, key: str) -> ModelInfo:
    """A fine-tune of ``base``: its limits (a fine-tune keeps its base model's), and the inference
    prices of fine-tuned models where the base has them (``fine_tuning.prices``), else none."""
    ft = base.fine_tuning
    note = (f"Fine-tuned model: counted as {_as(base)}, with its context window and output limit (a "
            "fine-tune keeps its base model's)")
    if ft is None:
        return _assumed(base, key, keep_prices=False, keep_limits=True,
                        note=note + "; fine-tuned inference has its own prices, which the catalog does not "
                        "hold for this base.")
    info = _assumed(base, key, keep_prices=False, keep_limits=True,
                    note=note + f", at the inference prices of fine-tuned {ft.snapshot}.")
    source = base.sources.get("fine_tuning")
    return info.model_copy(update={
        "prices": dict(ft.prices),
        "sources": {**info.sources, **({"prices": source} if source else {})},
    })


def _assumed(
    base: ModelInfo, name: str, *, keep_prices: bool, note: str, keep_limits: bool | None = None
) -> ModelInfo:
    """``base`` under another name; prices (and, unless ``keep_limits``, limits) dropped when not kept."""
    update: dict[str, Any] = {
        "name": name,
        "aliases": (),
        "assumed_from": base.assumed_from or base.name,
        "notes": (note, *base.notes),
    }
    if not keep_prices:
        update.update(prices={}, long_context=None, audio_prices=None)
    if not (keep_prices if keep_limits is None else keep_limits):
        update.update(context_window=None, max_input_tokens=None, max_output_tokens=None)
    return base.model_copy(update=update)


def _suggest(catalog: Catalog, key: str) -> list[str]:
    return difflib.get_close_matches(key, list(catalog.names()), n=5, cutoff=0.6)
