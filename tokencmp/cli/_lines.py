"""What the file commands (batch, finetune, usage) share: a progress bar for a file, per-line rows
written as CSV or JSONL, and the problems of the lines on standard error.

    >>> import io
    >>> out = io.StringIO()
    >>> write = PerLine.writer(out, "rows.jsonl")
    >>> write({"line": 1, "valid": True})
    >>> out.getvalue()
    '{"line": 1, "valid": true}\\n'
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ._output import one_line

LARGE = 16 << 20
"""Files from this size get a progress bar (on a terminal)."""
SHOWN = 20
"""Line problems written to standard error in full; the rest are counted (--format json has up to 1,000)."""


def file_size(name: str) -> int:
    if name == "-":
        return 0
    try:
        return os.stat(name).st_size
    except OSError:
        return 0  # the library reports the unreadable file


@contextmanager
def progress_for(name: str) -> Iterator[Callable[[int, int | None], None] | None]:
    from ._progress import ProgressBar

    with ProgressBar.for_stderr(file_size(name), threshold=LARGE) as bar:
        yield bar


class PerLine:
    """``--per-line FILE``: one row per line (and model), CSV or JSONL by the file's extension."""

    @staticmethod
    def writer(out: TextIO, name: str) -> Callable[[dict[str, Any]], None]:
        if name.lower().endswith(".csv"):
            rows = csv.writer(out, lineterminator="\n")
            header: list[str] = []

            def write_csv(row: dict[str, Any]) -> None:
                if not header:
                    header.extend(row)
                    rows.writerow(header)
                rows.writerow(["" if row.get(k) is None else row.get(k) for k in header])

            return write_csv
        if not name.lower().endswith((".jsonl", ".ndjson")):
            from tokencmp import TokencmpError

            raise TokencmpError(f"--per-line {name}: name a .csv or .jsonl file.")

        def write_jsonl(row: dict[str, Any]) -> None:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

        return write_jsonl

    @staticmethod
    @contextmanager
    def open(name: str | None) -> Iterator[Callable[[dict[str, Any]], None] | None]:
        if name is None:
            yield None
            return
        PerLine.writer(sys.stderr, name)  # the extension is checked before the file is created
        with open(name, "w", encoding="utf-8", newline="") as out:
            yield PerLine.writer(out, name)


def report_lines(command: str, data: dict[str, Any], label: str = "") -> None:
    """The first problems of a file's lines, and how many there are of each kind, on stderr."""
    problems = data.get("line_problems") or []
    for p in problems[:SHOWN]:
        what = "warning" if p.get("warning") else "error"
        cid = f" ({p['custom_id']})" if p.get("custom_id") else ""
        message = one_line(p["message"])
        sys.stderr.write(f"tokencmp {command}: {label}line {p['line']}{cid}: {what}: {message}\n")
    total = sum((data.get("problems_by_kind") or {}).values())
    if total > SHOWN:
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(data["problems_by_kind"].items()))
        sys.stderr.write(f"tokencmp {command}: {label}{total:,} line problems in all ({kinds})\n")
