"""The examples in docs/files.md run, and print what the page says they print.

Each fenced block of the page is a shell session: ``$ cat NAME`` and the lines after it are a file
the block writes; ``$ tokencmp ...`` and the lines after it are a command and its output (standard
output, then standard error); ``$ echo $?`` and the line after it are the last command's exit code.
The figures themselves are worked by hand in the page's prose (prices of the catalog's sources).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tokencmp.cli import main

from .helpers import ROOT

PAGE = (ROOT / "docs" / "files.md").read_text(encoding="utf-8")
SESSIONS = [b for b in re.findall(r"```\n(.*?)```", PAGE, flags=re.S) if b.startswith("$ ")]


def steps(block: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def test_the_page_has_its_sessions() -> None:
    assert len(SESSIONS) == 3


@pytest.mark.parametrize("block", SESSIONS, ids=["batch", "finetune", "usage"])
def test_session(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = None
    for command, lines in steps(block):
        if command.startswith("cat "):
            (tmp_path / command[4:]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        elif command == "echo $?":
            assert [str(code)] == lines
        else:
            argv = shlex.split(command)
            assert argv[0] == "tokencmp"
            code = main(argv[1:])
            out, err = capsys.readouterr()
            assert (out + err).splitlines() == lines, command
