"""Async counting runs off the event loop and counts exactly like the sync API."""

from __future__ import annotations

import asyncio

import pytest

import tokencmp
from tokencmp.errors import InvalidTextError


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


def test_the_loop_keeps_ticking_during_a_large_count() -> None:
    # About 6 MB of CJK: a count that takes a good fraction of a second. Run on the loop, it
    # would block every other task until done (zero ticks); off the loop, a 1 ms ticker runs.
    text = "日本語の文章を数える。東京は晴れ、大阪は雨。\n" * 100_000

    async def main() -> tuple[int, int]:
        ticks = 0
        task = asyncio.create_task(tokencmp.acount_tokens(text))
        while not task.done():
            await asyncio.sleep(0.001)
            ticks += 1
        return await task, ticks

    count, ticks = asyncio.run(main())
    assert count == tokencmp.count_tokens(text)
    assert ticks >= 3
