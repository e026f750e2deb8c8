"""Guarded streams: the SDK's ``Stream`` / ``AsyncStream``, settled on the usage they carry.

A Chat Completions stream reports usage only when asked (``stream_options={"include_usage":
True}``), in one last chunk whose ``choices`` is empty; the guard asks for it when the caller
did not, and then keeps that chunk from the caller, who sees the stream they asked for. A
Responses stream carries the usage in its final event (``response.completed``, or
``response.incomplete`` / ``response.failed``), so nothing is added.

The call is settled the moment the usage arrives (a server that sends usage so far on every
chunk is settled on the last one, at the end of the stream). A stream that ends without it, is closed
(or garbage-collected) before it, or raises is charged at its reservation, with a note in the
ledger saying which.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any

from .budget import Call

FINAL_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


def request_id(result: Any) -> str:
    """The server's ``x-request-id`` of a response or stream (else the response's ``id``)."""
    response = getattr(result, "response", None)
    headers = getattr(response, "headers", None)
    rid = headers.get("x-request-id") if headers is not None and hasattr(headers, "get") else None
    rid = rid or getattr(result, "_request_id", None) or getattr(result, "id", None)
    return rid if isinstance(rid, str) else ""


class _Watch:
    """What both stream wrappers share: spotting the usage, ending the call once."""

    def __init__(self, stream: Any, call: Call, *, hide_usage: bool) -> None:
        self._stream = stream
        self._call = call
        self._hide_usage = hide_usage
        self._last: Any = None  # the last chunk that carried usage (some servers send it on every chunk)

    def _seen(self, item: Any) -> bool:
        """Settle on ``item`` if it carries the usage; whether the caller should not see it."""
        if self._call.plan.endpoint == "chat":
            if getattr(item, "usage", None) is None:
                return False
            self._last = item
            if getattr(item, "choices", None):  # usage so far, on a content chunk: wait for the end
                return False
            self._settle_chat(item)
            return self._hide_usage
        if getattr(item, "type", None) in FINAL_EVENTS:
            response = getattr(item, "response", None)
            usage = getattr(response, "usage", None)
            rid = request_id(self._stream) or request_id(response)
            if usage is None:
                self._call.at_reservation(f"{item.type} without usage", request_id=rid)
            else:
                self._call.settle(usage, model=getattr(response, "model", None),
                                  service_tier=getattr(response, "service_tier", None), request_id=rid)
        return False

    def _settle_chat(self, item: Any) -> None:
        self._call.settle(item.usage, model=getattr(item, "model", None),
                          service_tier=getattr(item, "service_tier", None),
                          request_id=request_id(self._stream) or request_id(item))

    def _ended(self, note: str) -> None:
        if not self._call.done:
            self._call.at_reservation(note, request_id=request_id(self._stream))

    def _complete(self) -> None:
        """The stream ran to its end: settle on the last usage it carried, if any."""
        if self._last is not None and not self._call.done:
            self._settle_chat(self._last)
        self._ended("stream ended without usage")

    def _raised(self, error: BaseException) -> None:
        self._ended(f"the stream raised {type(error).__name__}: outcome unknown")

    def __getattr__(self, name: str) -> Any:  # the SDK stream's own attributes (``response``, ...)
        if name in ("_stream", "_call", "_hide_usage"):  # not set: __init__ did not finish
            raise AttributeError(name)
        return getattr(self._stream, name)

    def __del__(self) -> None:  # a stream dropped unread: its reservation is not held forever
        try:
            if not self._call.done:
                self._call.at_reservation("stream dropped before its usage arrived")
        except Exception:
            pass


class GuardedStream(_Watch):
    """A guarded ``openai.Stream``: iterate it, use it as a context manager, ``close()`` it."""

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        while True:
            try:
                item = next(self._stream)
            except StopIteration:
                self._complete()
                raise
            except BaseException as e:
                self._raised(e)
                raise
            if not self._seen(item):
                return item

    def close(self) -> None:
        self._ended("stream closed before its usage arrived")
        self._stream.close()

    def __enter__(self) -> GuardedStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class GuardedAsyncStream(_Watch):
    """A guarded ``openai.AsyncStream``: ``async for``, ``async with``, ``await close()``."""

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        while True:
            try:
                item = await self._stream.__anext__()
            except StopAsyncIteration:
                self._complete()
                raise
            except BaseException as e:
                self._raised(e)
                raise
            if not self._seen(item):
                return item

    async def close(self) -> None:
        self._ended("stream closed before its usage arrived")
        await self._stream.close()

    async def aclose(self) -> None:
        await self.close()

    async def __aenter__(self) -> GuardedAsyncStream:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()
