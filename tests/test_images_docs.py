"""The examples in docs/images.md and in the images modules' docstrings run and print what they show.

Their figures and sources (tests/test_images_rules.py's docstring gives the pages): 765 / 85 and
1056x1408 = 1452 patches (DOC: OpenAI's images and vision guide), 2049x513 vs 2050x513 (COMMUNITY:
OpenAI forum thread 1281361), 6563 = 323 + 6240 (DERIVED: 65 + 2 x 129 tiles plus the guide's
non-square high-fidelity extra), the 1445 tile bound (DERIVED: 85 + 8 x 170).
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
