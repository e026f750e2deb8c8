"""The examples in docs/cost.md run, and print what the page says they print."""

from __future__ import annotations

import contextlib
import io
import re
import sys
import types
from typing import ClassVar

import pytest

from .helpers import ROOT

PAGE = (ROOT / "docs" / "cost.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)


class FakeOpenAI:
    """Stands in for openai.OpenAI: records the request, answers with a fixed usage."""

    requests: ClassVar[list[dict]] = []

    def __init__(self) -> None:
        self.chat = types.SimpleNamespace(completions=types.SimpleNamespace(create=self._create))

    def _create(self, **request: object) -> types.SimpleNamespace:
        FakeOpenAI.requests.append(request)
        message = types.SimpleNamespace(content="Paris.")
        usage = {"prompt_tokens": 30, "completion_tokens": 2}
        return types.SimpleNamespace(choices=[types.SimpleNamespace(message=message)], usage=usage)


def run_block(code: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setitem(sys.modules, "openai", types.SimpleNamespace(OpenAI=FakeOpenAI))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/cost.md", "exec"), {"__name__": "docs_example"})
    return out.getvalue().splitlines()


def test_the_page_has_its_examples() -> None:
    assert len(BLOCKS) == 4


def test_estimates_example(monkeypatch) -> None:
    lines = run_block(BLOCKS[0], monkeypatch)
    # the figures the page states, each worked in its comment from the pricing page
    assert lines[0] == "0.005615"
    # gpt-4o's entry was compared with genai-prices 0.2.3 on 2026-12-02 (cached input per tier)
    assert lines[1] == "https://developers.openai.com/api/docs/pricing 2026-12-02"
    assert lines[2] == "0.005015 0.168855 16384"
    assert lines[3:] == ["0.0225", "1.725"]


def test_preflight_example_checks_before_calling_the_client(monkeypatch) -> None:
    FakeOpenAI.requests = []
    lines = run_block(BLOCKS[1], monkeypatch)
    assert len(FakeOpenAI.requests) == 1 and FakeOpenAI.requests[0]["max_completion_tokens"] == 1000
    # the fake usage: 30 x $2.50 + 2 x $10 per 1M = 95 per 1M
    assert "actual cost: 0.000095" in lines and lines[-1] == "Paris."


def test_trimming_example(monkeypatch) -> None:
    [line] = run_block(BLOCKS[2], monkeypatch)
    assert line.startswith("['system', 'user'] 2 ")


def test_comparison_example(monkeypatch) -> None:
    lines = run_block(BLOCKS[3], monkeypatch)
    assert [line.split()[0] for line in lines[:3]] == ["gpt-4o-mini", "gpt-4o", "gpt-4-0613"]
    assert lines[-1] == "gpt-4o-mini"
