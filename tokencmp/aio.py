"""Async counting: the work runs on a worker thread, off the event loop.

A large count takes a while (tiktoken counts about 10-30 MB/s); in an async
server it must not stall the loop. These coroutines run the same exact
counters in :func:`asyncio.to_thread` (the loop's default executor), so the
loop keeps serving while tiktoken encodes (it releases the GIL)::

    >>> import asyncio, tokencmp
    >>> asyncio.run(tokencmp.acount_tokens("hello world"))
    2
    >>> body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]}
    >>> asyncio.run(tokencmp.acount_request(body)).total
    8

Counts equal the synchronous functions' exactly; errors are the same
:class:`~tokencmp.errors.TokencmpError` subclasses, raised in the awaiting task.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Any

from .text import THREADS, Errors, count_file, count_tokens

if TYPE_CHECKING:
    import tiktoken

    from .chat import RequestCount
    from .images.parts import SizeLookup


async def acount_tokens(
    text: str,
    *,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
    allow_special: bool = False,
    threads: int = THREADS,
    strict_model: bool = False,
) -> int:
    """:func:`tokencmp.count_tokens`, awaited off the event loop.

    >>> import asyncio
    >>> asyncio.run(acount_tokens("hello world", encoding="cl100k_base"))
    2
    """
    return await asyncio.to_thread(
        count_tokens, text, model=model, encoding=encoding, allow_special=allow_special, threads=threads,
        strict_model=strict_model,
    )


async def acount_file(
    path: str | os.PathLike[str],
    *,
    model: str | None = None,
    encoding: str | tiktoken.Encoding | None = None,
    allow_special: bool = False,
    errors: Errors = "strict",
    threads: int = THREADS,
    strict_model: bool = False,
) -> int:
    """:func:`tokencmp.count_file`, awaited off the event loop (reading included)."""
    return await asyncio.to_thread(
        count_file, path, model=model, encoding=encoding, allow_special=allow_special, errors=errors,
        threads=threads, strict_model=strict_model,
    )


async def acount_request(
    request: Any,
    *,
    model: str | None = None,
    image_sizes: SizeLookup | None = None,
    strict_images: bool = False,
    strict_model: bool = False,
) -> RequestCount:
    """:func:`tokencmp.count_request`, awaited off the event loop (validation included).

    An ``image_sizes`` callable runs on the worker thread too.
    """
    from .chat import count_request  # pydantic and the catalog: only for callers that count requests

    return await asyncio.to_thread(
        count_request, request, model=model, image_sizes=image_sizes, strict_images=strict_images,
        strict_model=strict_model,
    )
