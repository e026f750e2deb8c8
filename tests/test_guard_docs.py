"""docs/guard.md: its example, run against the loopback server, prints what the page shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .guard_server import GuardServer
from .helpers import ROOT

pytest.importorskip("openai")

PAGE = (ROOT / "docs" / "guard.md").read_text(encoding="utf-8")


def test_the_example_prints_what_the_page_shows(tmp_path: Path) -> None:
    example = PAGE.split("## Example", 1)[1]
    code = re.search(r"```python\n(.*?)```", example, re.S)
    shown = re.search(r"prints\n\n```text\n(.*?)```", example, re.S)
    assert code and shown
    with GuardServer() as server:  # OpenAI() reads its base URL and key from the environment
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENAI_BASE_URL": server.base_url,
               "OPENAI_API_KEY": "test"}
        run = subprocess.run([sys.executable, "-c", code.group(1)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = [line.rstrip() for line in run.stdout.splitlines()]
    assert lines == [line.rstrip() for line in shown.group(1).splitlines()]
    assert (tmp_path / "calls.csv").is_file()
