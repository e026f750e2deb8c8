"""Every error tokencmp raises.

All of them derive from :class:`TokencmpError`, so one ``except`` clause is
enough to protect a caller from anything tokencmp can go wrong on::

    >>> import tokencmp
    >>> try:
    ...     tokencmp.resolve_model("gtp-4o")
    ... except tokencmp.TokencmpError as e:
    ...     print(type(e).__name__)
    UnknownModelError

Each message says what was wrong and what to do about it. Subclasses that
carry useful values (a JSON path, byte offset, numbers) expose them as
attributes as well, so programs need not parse messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

    from pydantic import ValidationError


class TokencmpError(Exception):
    """Base class of every error raised by tokencmp."""


class UnknownModelError(TokencmpError, KeyError):
    """A model name that the catalog cannot resolve.

    Also a :class:`KeyError`, so code written against ``tiktoken`` that
    catches ``KeyError`` keeps working.
    """

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f" Closest known names: {', '.join(self.suggestions)}." if self.suggestions else ""
        super().__init__(
            f"Unknown model {name!r}.{hint} Count text with an encoding instead (encoding=, or "
            "--encoding in the count and compare commands), or add the model with "
            "tokencmp.load_catalog() / TOKENCMP_CATALOG."
        )

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class AssumedModelError(UnknownModelError):
    """A name that is not a catalog entry, refused because strict model names were asked for.

    Raised by ``resolve_model(name, strict=True)``, the ``strict_model=True`` of the counting
    functions and the command line's ``--strict-models``, where without them the name would resolve
    by a rule (a dated snapshot, a variant, tiktoken's prefix, a new family member): ``assumed_from``
    is the entry it would be counted as, ``encoding`` that encoding, ``rule`` the rule's note, and
    ``suggestions`` the known names one keystroke away. An :class:`UnknownModelError`, so code that
    catches unknown names catches it too.
    """

    def __init__(
        self, name: str, *, assumed_from: str, encoding: str, rule: str, suggestions: Sequence[str] = ()
    ) -> None:
        self.name = name
        self.assumed_from = assumed_from
        self.encoding = encoding
        self.rule = rule
        self.suggestions = list(suggestions)
        KeyError.__init__(
            self,
            f"Model {name!r} is not in the catalog, and strict model names are on: {rule} Use a name "
            "the catalog holds (tokencmp models), or add this one with tokencmp.load_catalog() / "
            "TOKENCMP_CATALOG.",
        )

class UnknownEncodingError(TokencmpError, ValueError):
    """An encoding name that neither tokencmp nor tiktoken knows."""


class EncodingUnavailableError(TokencmpError):
    """A known encoding whose rank file cannot be obtained (offline, no cache)."""


class EncodingIntegrityError(TokencmpError):
    """A rank file whose SHA-256 does not match the published hash."""


class InvalidTextError(TokencmpError, ValueError):
    """Input that is not valid text (for example bytes that are not UTF-8)."""

    def __init__(self, message: str, *, offset: int | None = None, source: str | None = None):
        self.offset = offset
        self.source = source
        super().__init__(message)


class CorpusError(TokencmpError, ValueError):
    """A corpus folder or manifest that cannot be used (missing, empty, invalid, no reference language)."""


class CatalogError(TokencmpError, ValueError):
    """A catalog file (bundled or user override) that fails validation."""


class InvalidRequestError(TokencmpError, ValueError):
    """A request body or message list of the wrong shape.

    ``path`` is the JSON path of the offending value, e.g. ``messages[2].content[1].type``.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        where = path or "request"
        super().__init__(f"{where}: {problem}")


class UnsupportedModelError(TokencmpError, ValueError):
    """A known model that cannot do what was asked (e.g. chat counting on an embedding model)."""


class InvalidImageError(TokencmpError, ValueError):
    """Image bytes, a data URL or dimensions that cannot be read or are not valid."""


class ImageSizeUnknownError(TokencmpError):
    """An image whose size cannot be known without fetching it (only with strict=True)."""


class PriceUnknownError(TokencmpError):
    """A model (or tier) with no price in the catalog."""


class ContextOverflowError(TokencmpError):
    """A request that does not fit the model's input limit or context window."""

    def __init__(self, message: str, *, prompt_tokens: int, limit: int) -> None:
        self.prompt_tokens = prompt_tokens
        self.limit = limit
        super().__init__(message)


class BudgetExceededError(TokencmpError):
    """A request whose cost range exceeds the caller's budget.

    ``cost`` is the most the request may cost and ``remaining`` what was left of the budget,
    when the guard (:func:`tokencmp.guard`) refused it; ``None`` otherwise.
    """

    def __init__(self, message: str, *, cost: Decimal | None = None, remaining: Decimal | None = None):
        self.cost = cost
        self.remaining = remaining
        super().__init__(message)


class MissingExtraError(TokencmpError, ImportError):
    """An optional feature whose extra is not installed."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {module!r}: pip install 'tokencmp[{extra}]'"
        )


class ClusterError(TokencmpError):
    """Work sent to a cluster (a Dask scheduler) that it could not do: the scheduler cannot be
    reached, or a part of the input was lost with its workers. The message names the part, so a
    total is never reported without it."""


class SpeedTestError(TokencmpError):
    """An endpoint that failed while measuring streaming speed.

    ``status`` is the HTTP status when the server answered with one, and
    ``retry_after`` the seconds its ``Retry-After`` header asked to wait.
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


# --- the checks every entry point shares ---------------------------------------------------


def token_count(value: object, path: str, *, optional: bool = False) -> int:
    """``value`` as a count of tokens (an ``int`` >= 0, never a ``bool``), else one clear error.

    ``path`` names the argument or the JSON path of the value in the message. With
    ``optional=True`` a ``None`` counts as 0 (a field the API leaves out or sends as null).

        >>> token_count(12, "max_tokens")
        12
        >>> token_count(-1, "max_tokens")
        Traceback (most recent call last):
        ...
        tokencmp.errors.InvalidRequestError: max_tokens: expected a token count (an integer >= 0), got -1.
    """
    if value is None and optional:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(path, f"expected a token count (an integer >= 0), got {value!r}.")
    return value


def validation_message(where: str, error: ValidationError) -> str:
    """One line for a pydantic ``ValidationError``: where, the first problem and how many more."""
    first = error.errors()[0]
    loc = ".".join(str(part) for part in first["loc"])
    count = error.error_count()
    more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
    return f"{where}: {loc}: {first['msg']}{more}"
