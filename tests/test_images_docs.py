"""The examples in docs/images.md and in the images modules' docstrings run and print what they show.

Their figures are the reference's: 765 / 85 (DOC), 1056x1408 = 1452 patches (DOC), 2049x513 vs
2050x513 (COMMUNITY), 6563 = 323 + 6240 (DERIVED), the 1445 tile bound (85 + 8 x 170).
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from .helpers import ROOT

MODULES = ["tokencmp.images", "tokencmp.images.headers", "tokencmp.images.rules", "tokencmp.images.parts"]


def test_docs_images_md_examples() -> None:
    result = doctest.testfile(str(ROOT / "docs" / "images.md"), module_relative=False, verbose=False)
    assert result.attempted > 10 and result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.failed == 0
