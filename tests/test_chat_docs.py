"""The examples in docs/chat.md and in the chat modules' docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

from .helpers import ROOT

MODULES = [
    "tokencmp.chat",
    "tokencmp.chat.chatml",
    "tokencmp.chat.completions",
    "tokencmp.chat.content",
    "tokencmp.chat.cookbook",
    "tokencmp.chat.count",
    "tokencmp.chat.fields",
    "tokencmp.chat.harmony",
    "tokencmp.chat.jsonpath",
    "tokencmp.chat.layout",
    "tokencmp.chat.namespace",
    "tokencmp.chat.parse",
    "tokencmp.chat.request",
    "tokencmp.chat.responses",
    "tokencmp.chat.result",
]


def test_docs_chat_examples() -> None:
    result = doctest.testfile(str(ROOT / "docs" / "chat.md"), module_relative=False)
    assert result.failed == 0 and result.attempted > 5


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
