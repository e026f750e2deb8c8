"""``tokencmp.guard(client, budget=...)``: the official OpenAI client, under a spending cap.

The guarded client is used like the client. ``chat.completions.create`` / ``parse``,
``responses.create`` / ``parse`` and ``embeddings.create`` (streams included) reserve the
call's worst case first (:mod:`.plan`) and settle it after (:mod:`.budget`); everything else
(``models.list()``, ``files``, ``batches``, ...) is the client's own, unguarded. The SDK's
other doors to the guarded endpoints (``with_raw_response``, ``with_streaming_response``, the
``stream()`` helpers) are refused with an error, so no call slips past the cap unseen.

How a call that fails ends (docs/guard.md, "Decided cases"):

- the server answered with an error status (``openai.APIStatusError``: 4xx, 5xx after the
  SDK's retries): **released**: an error response reports no usage, so the call is taken as
  not run or billed (a decision, not a guarantee OpenAI documents);
- the SDK could not build the request (a ``TypeError`` for an argument it does not take, a
  ``UnicodeEncodeError`` for text with a lone surrogate, which JSON cannot carry): released,
  nothing was sent;
- a timeout, a cancellation (``asyncio.CancelledError``, ``KeyboardInterrupt``), a dropped
  connection or anything else: **charged at the reservation**, because the request may have
  reached the server and been billed; the guard never assumes a call was free.

openai is imported when :func:`guard` is called, never when tokencmp is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..catalog import TierName
from ..errors import InvalidRequestError, MissingExtraError, TokencmpError
from .budget import Budget, Call
from .files import write_ledger
from .ledger import LedgerRecord, LedgerSummary, summarize_ledger
from .plan import Endpoint, not_given
from .stores import OnExpiry, Store
from .streams import GuardedAsyncStream, GuardedStream, request_id

UNGUARDED = frozenset({"with_raw_response", "with_streaming_response", "stream"})


def guard(
    client: Any,
    budget: Decimal | str | int | float,
    *,
    store: str | Path | Store | None = None,
    default_tier: TierName = "standard",
    unpriced: Decimal | str | int | float | None = None,
    expiry: float = 3600.0,
    on_expiry: OnExpiry = "charge",
) -> GuardedClient:
    """``client`` (``openai.OpenAI`` or ``openai.AsyncOpenAI``) under a cap of ``budget`` USD.

    Args:
        client: the SDK client to guard; it is used as it is (its base URL, retries, timeout).
        budget: the cap in USD, a Decimal, a string such as ``"5.00"``, an int or a float (read through
            its shortest repr, as :func:`tokencmp.parse_usd` does).
        store: ``None`` for a budget of this process (its threads and tasks), or the path of a
            SQLite file shared by every process that opens it (the file keeps the cap).
        default_tier: the tier of a request with no ``service_tier`` (or ``auto``/``default``;
            ``fast`` is ``priority``):
            the project's, ``standard`` unless it is set to another in OpenAI's settings.
        unpriced: a call to a model without a price is refused (``None`` or ``"refuse"``)
            unless this names a flat amount (USD) to reserve and charge per call; never free.
        expiry, on_expiry: how long a reservation in a SQLite store may stay unsettled
            before it is recovered, and whether it is then charged or released
            (:mod:`tokencmp.guards.stores`).

    Raises :class:`~tokencmp.errors.BudgetExceededError` from a call whose worst case does
    not fit what is left, before any byte of it is sent.
    """
    try:
        openai = importlib.import_module("openai")
    except ImportError:
        raise MissingExtraError("tokencmp.guard", "openai", "openai") from None
    if isinstance(client, openai.AsyncOpenAI):
        is_async = True
    elif isinstance(client, openai.OpenAI):
        is_async = False
    else:
        raise InvalidRequestError("client", f"expected an openai.OpenAI or openai.AsyncOpenAI client, "
                                            f"not {type(client).__name__}.")
    held = Budget.create(budget, store=store, default_tier=default_tier, unpriced=unpriced,
                         expiry=expiry, on_expiry=on_expiry)
    return GuardedClient(client, held, is_async=is_async, status_error=openai.APIStatusError)


class GuardedClient:
    """An OpenAI client under a budget: the client's API, plus ``spent``, ``remaining``,
    ``reserved`` (Decimals of USD), ``ledger`` and ``export_ledger()``."""

    def __init__(self, client: Any, budget: Budget, *, is_async: bool, status_error: type[Exception]) -> None:
        self._client = client
        self.budget = budget
        self.is_async = is_async
        self._status_error = status_error
        self.chat = _Namespace(client.chat, completions=self._guarded(client.chat.completions, "chat"))
        self.responses = self._guarded(client.responses, "responses")
        self.embeddings = self._guarded(client.embeddings, "embeddings")

    def _guarded(self, raw: Any, endpoint: Endpoint) -> _Resource:
        return _Resource(raw, endpoint, self)

    @property
    def spent(self) -> Decimal:
        """What the settled calls cost (USD)."""
        return self.budget.spent

    @property
    def reserved(self) -> Decimal:
        """What the calls in flight hold (USD)."""
        return self.budget.reserved

    @property
    def remaining(self) -> Decimal:
        """The cap less what is spent and reserved (USD, never below 0)."""
        return self.budget.remaining

    @property
    def cap(self) -> Decimal:
        return self.budget.cap

    @property
    def ledger(self) -> tuple[LedgerRecord, ...]:
        """One record per call, oldest first (with a SQLite store: every process's calls)."""
        return self.budget.store.records()

    def summary(self) -> LedgerSummary:
        """The ledger summed (:func:`tokencmp.summarize_ledger`)."""
        return summarize_ledger(self.ledger)

    def export_ledger(self, path: str | Path, format: Literal["json", "csv"] | None = None) -> Path:
        """Write the ledger to ``path`` as JSON or CSV (by ``format``, else the suffix)."""
        return write_ledger(self.ledger, path, format)

    def with_options(self, **options: Any) -> GuardedClient:
        """``client.with_options(...)``, under the same budget."""
        return GuardedClient(self._client.with_options(**options), self.budget, is_async=self.is_async,
                             status_error=self._status_error)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._client, name)

    def __repr__(self) -> str:
        return f"<guarded {type(self._client).__name__}: spent ${self.spent} of ${self.cap}>"

    # --- one call, sync or async ------------------------------------------------------------

    def _ended_by(self, call: Call, error: BaseException) -> None:
        if isinstance(error, self._status_error):
            status = getattr(error, "status_code", "?")
            call.release(f"HTTP {status} from the server: released (no usage)",
                         request_id=getattr(error, "request_id", "") or "")
        elif isinstance(error, (TypeError, UnicodeEncodeError)):  # raised building the request
            call.release(f"the SDK could not build the request ({type(error).__name__}: {error}): "
                         "nothing was sent")
        else:
            call.at_reservation(f"{type(error).__name__}: the outcome is unknown, charged at the reservation")

    def _settle(self, call: Call, result: Any) -> Any:
        call.settle(getattr(result, "usage", None), model=getattr(result, "model", None),
                    service_tier=getattr(result, "service_tier", None), request_id=request_id(result))
        return result

    def _open(self, endpoint: Endpoint, kwargs: dict[str, Any]) -> tuple[Call, dict[str, Any], bool]:
        """Reserve the call; the arguments to send; whether to hide the usage chunk we asked for."""
        stream = kwargs.get("stream")  # the SDK streams on any true value (its `stream or False`)
        call = self.budget.open(endpoint, kwargs, stream=bool(stream) and not not_given(stream))
        if call.stream and endpoint == "chat":
            return (call, *_with_usage(kwargs))
        return call, kwargs, False

    def _call(self, endpoint: Endpoint, method: Any, kwargs: dict[str, Any]) -> Any:
        if self.is_async:  # reserved when awaited, like the SDK's call
            return self._await(endpoint, method, kwargs)
        call, kwargs, hide = self._open(endpoint, kwargs)
        try:
            result = method(**kwargs)
        except BaseException as e:
            self._ended_by(call, e)
            raise
        if call.stream:
            return GuardedStream(result, call, hide_usage=hide)
        return self._settle(call, result)

    async def _await(self, endpoint: Endpoint, method: Any, kwargs: dict[str, Any]) -> Any:
        call, kwargs, hide = self._open(endpoint, kwargs)
        try:
            result = await method(**kwargs)
        except BaseException as e:
            self._ended_by(call, e)
            raise
        if call.stream:
            return GuardedAsyncStream(result, call, hide_usage=hide)
        return self._settle(call, result)


class _Resource:
    """One guarded endpoint: ``create`` and ``parse`` reserve and settle; the rest is the SDK's."""

    def __init__(self, raw: Any, endpoint: Endpoint, owner: GuardedClient) -> None:
        self._raw = raw
        self._endpoint = endpoint
        self._owner = owner

    def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create(**kwargs)``, reserved first and settled after (await it on an async client)."""
        return self._owner._call(self._endpoint, self._raw.create, kwargs)

    def parse(self, **kwargs: Any) -> Any:
        """The SDK's ``parse(**kwargs)`` (structured outputs), guarded like ``create``."""
        if kwargs.get("stream") and not not_given(kwargs["stream"]):
            raise InvalidRequestError("stream", "parse() does not stream; use create(stream=True).")
        return self._owner._call(self._endpoint, self._raw.parse, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name in UNGUARDED:
            raise TokencmpError(
                f"{name} is not guarded: a call through it would bypass the budget. Use "
                "create(stream=True) for a stream, or the unguarded client for this call.")
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)


class _Namespace:
    """``client.chat``: its ``completions`` guarded, anything else the SDK's."""

    def __init__(self, raw: Any, **guarded: _Resource) -> None:
        self._raw = raw
        self.__dict__.update(guarded)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)


def _with_usage(kwargs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``kwargs`` asking for the usage chunk, and whether the caller did not ask for it."""
    options = kwargs.get("stream_options")
    if isinstance(options, Mapping) and options.get("include_usage") is True:
        return kwargs, False
    base = dict(options) if isinstance(options, Mapping) else {}
    return {**kwargs, "stream_options": {**base, "include_usage": True}}, True
