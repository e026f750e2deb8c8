"""Every example in every docstring of the package runs and prints what it shows.

Walking the package (rather than listing modules) means a module moved or added is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tokencmp


def _modules() -> list[str]:
    names = ["tokencmp"]
    for info in pkgutil.walk_packages(tokencmp.__path__, "tokencmp."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
