"""The command line is a user of the public API: it imports nothing a user could not.

Issue 13 asks for it, so that the CLI cannot depend on an internal that the library is free
to rename. The modules it may import (docs/cli.md, "What the command line imports"):

* ``tokencmp`` itself (the names in ``tokencmp.__all__``);
* ``tokencmp.text.read``, the documented file-reading module (docs/text.md);
* ``tokencmp.catalog.lookup``, the documented pydantic-free default model (docs/catalog.md),
  so that ``tokencmp count`` stays free of pydantic (tests/test_rank_cache.py);
* ``tokencmp.speed``, the documented speed package (docs/api.md, "Streaming speed");
* ``tokencmp.catalog.importer``, the documented override writer of ``tokencmp models --import``
  (docs/catalog.md, "Refreshing the catalog");
* ``tokencmp.report.html``, ``.terminal`` and ``.compare``, the documented token views
  (docs/tokens.md) that ``show`` and ``compare --html`` draw;
* its own modules, ``tokencmp.cli.*``.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import tokencmp
from tokencmp.cli._args import Tiers

from .helpers import ROOT, run_python

CLI = ROOT / "tokencmp" / "cli"
ALLOWED = {"tokencmp", "tokencmp.text.read", "tokencmp.catalog.lookup", "tokencmp.speed",
           "tokencmp.catalog.importer", "tokencmp.report.html", "tokencmp.report.terminal",
           "tokencmp.report.compare"}
"""The public API, the documented file-reading module, the pydantic-free default-model lookup (a
short count never imports pydantic) and the speed tool's package (docs/api.md, Streaming speed)."""


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every import of a ``tokencmp`` module in ``path``: (line, module, names); a relative
    import is resolved against ``tokencmp.cli`` (``from ..money import x`` is tokencmp.money)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["tokencmp", "cli"][: 3 - node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, ()) for a in node.names)
    return [i for i in found if i[1] == "tokencmp" or i[1].startswith("tokencmp.")]


def _allowed(module: str) -> bool:
    return module in ALLOWED or module.startswith("tokencmp.cli.") or module == "tokencmp.cli"


FILES = sorted(CLI.glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_cli_imports_only_public_modules(path: Path) -> None:
    internal = [f"{path.name}:{line}: {module}" for line, module, _ in _imports(path) if not _allowed(module)]
    assert not internal


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_what_the_cli_takes_from_tokencmp_is_exported(path: Path) -> None:
    for line, module, names in _imports(path):
        if module == "tokencmp":
            missing = [n for n in names if n not in tokencmp.__all__ and n != "__version__"]
            assert not missing, f"{path.name}:{line}"
        elif module in ALLOWED:
            public = importlib.import_module(module)
            assert all(hasattr(public, n) for n in names), f"{path.name}:{line}"


def test_the_check_sees_a_deep_import(tmp_path: Path) -> None:
    # the check itself: internal imports inside a function are found
    probe = tmp_path / "probe.py"
    probe.write_text("def run():\n    from tokencmp.money.cost import estimate_cost\n"
                     "    import tokencmp.chat\n    from tokencmp import count_tokens\n"
                     "    from . import _args\n", "utf-8")
    assert [m for _, m, _ in _imports(probe) if not _allowed(m)] == ["tokencmp.money.cost", "tokencmp.chat"]


# --- the defaults come from the catalog --------------------------------------------------------


def test_tier_choices_are_the_catalogs_tiers() -> None:
    # the four tiers and "fast", OpenAI's name for priority since 2026-07-30 (openai.com/api-fast-mode)
    assert tuple(Tiers()) == tokencmp.TIER_NAMES == (*tokencmp.TIERS, "fast") and Tiers()[0] == "standard"


def test_building_the_parser_imports_no_pydantic() -> None:
    code = (
        "import sys\n"
        "from tokencmp.cli import build_parser\n"
        "build_parser()\n"
        "print(int('pydantic' in sys.modules))\n"
    )
    assert run_python(code) == 0


def test_compares_default_encodings_are_the_catalogs() -> None:
    from tokencmp.compare import DEFAULT_ENCODINGS

    # GPT-4o's encoding and GPT-4's (openai/tiktoken, tiktoken/model.py: "gpt-4o" -> o200k_base,
    # "gpt-4" -> cl100k_base), as the bundled catalog's defaults section says.
    assert DEFAULT_ENCODINGS == tokencmp.get_catalog().defaults.encodings == ("o200k_base", "cl100k_base")
    # the entry points read the catalog at call time: the default compares the same encodings
    assert tuple(tokencmp.compare_text("hi").tokens) == tokencmp.get_catalog().defaults.encodings
