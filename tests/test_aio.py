"""Async counting runs off the event loop and counts exactly like the sync API."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

import tokencmp
from tokencmp.errors import InvalidRequestError, InvalidTextError

T = TypeVar("T")


def test_acount_tokens_equals_count_tokens() -> None:
    text = "Async counting gives the same count. 日本語も。"
    for kwargs in ({}, {"model": "gpt-4"}, {"encoding": "cl100k_base"}, {"allow_special": True}):
        assert asyncio.run(tokencmp.acount_tokens(text, **kwargs)) == tokencmp.count_tokens(text, **kwargs)


def test_acount_file(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello world", encoding="utf-8")
    assert asyncio.run(tokencmp.acount_file(path)) == 2  # "hello", " world" (as count_tokens doc)


def test_errors_reach_the_awaiting_task() -> None:
    with pytest.raises(InvalidTextError):
        asyncio.run(tokencmp.acount_tokens(b"bytes"))  # type: ignore[arg-type]


def _with_ticker(work: Coroutine[Any, Any, T]) -> tuple[T, int]:
    """Run ``work`` beside a 1 ms ticker: its result, and how often the ticker ran meanwhile."""

    async def main() -> tuple[T, int]:
        ticks = 0
        task = asyncio.create_task(work)
        while not task.done():
            await asyncio.sleep(0.001)
            ticks += 1
        return await task, ticks

    return asyncio.run(main())


def test_the_loop_keeps_ticking_during_a_large_count() -> None:
    # About 6 MB of CJK: a count that takes a good fraction of a second. Run on the loop, it
    # would block every other task until done (zero ticks); off the loop, a 1 ms ticker runs.
    text = "日本語の文章を数える。東京は晴れ、大阪は雨。\n" * 100_000
    count, ticks = _with_ticker(tokencmp.acount_tokens(text))
    assert count == tokencmp.count_tokens(text)
    assert ticks >= 3


def test_acount_request_equals_count_request() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 5}
    counted = asyncio.run(tokencmp.acount_request(body))
    assert counted == tokencmp.count_request(body)
    assert counted.total == 8  # the cookbook's formula for gpt-4o: 3 + (1 + 1) + 3
    other = asyncio.run(tokencmp.acount_request(body, model="gpt-4"))
    assert other == tokencmp.count_request(body, model="gpt-4")


def test_acount_request_errors_reach_the_awaiting_task() -> None:
    with pytest.raises(InvalidRequestError, match=r"messages\[0\]\.content"):
        body = {"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]}
        asyncio.run(tokencmp.acount_request(body))


def test_the_loop_keeps_ticking_during_a_large_request_count() -> None:
    # 40 messages of about 150 KB of CJK each (about 6 MB): validated and counted on a worker
    # thread, the count leaves the loop free for a 1 ms ticker.
    content = "日本語の文章を数える。東京は晴れ、大阪は雨。\n" * 2_500
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": content}] * 40}
    counted, ticks = _with_ticker(tokencmp.acount_request(body))
    assert counted == tokencmp.count_request(body)
    assert ticks >= 3


def test_docstring_examples() -> None:
    import doctest

    from tokencmp import aio

    assert doctest.testmod(aio).failed == 0
