"""Output formats shared by the subcommands: aligned tables, JSON, CSV, Markdown.

Every subcommand builds its result as plain data (a JSON-ready payload and
a list of rows); this module only renders it. Results are written as their
``to_dict()`` (the convention of every public result: amounts of money as
decimal strings such as ``"0.0000175"``), so the table, CSV and JSON show an
amount the same way; a column of numbers (or such decimal strings) is
right-aligned in a table.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

Row = Mapping[str, Any]

NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
"""A decimal string, as ``to_dict()`` writes an amount: right-aligned in a table like a number."""


def add_format_option(
    parser: argparse.ArgumentParser, choices: Sequence[str] = ("table", "json", "csv")
) -> None:
    parser.add_argument(
        "--format",
        choices=list(choices),
        default="table",
        help="output format: an aligned table (default), or JSON/CSV for scripts",
    )


def one_line(text: object) -> str:
    """``text`` with newlines and every other unprintable character escaped, for stderr.

    Error messages quote file names, model names and JSON values as given. Escaping keeps each
    message on its one line, and keeps a terminal escape or a bidi override inside a name from
    acting on the terminal::

        >>> one_line("bad\\nname\\x1b[31m")
        'bad\\\\nname\\\\x1b[31m'
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def cell(value: Any) -> str:
    """A value as table or Markdown text: None as empty, a count with thousands separators, one line.

        >>> cell(12345), cell(0.5), cell(True), cell(None), cell("0.0000175")
        ('12,345', '0.500', 'yes', '', '0.0000175')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return one_line(value)  # a file name with a newline would break the table's rows


def approx(total: int, low: int, high: int, exact: bool = False) -> int | str:
    """A count for a table: an exact count as the number, an estimate with its bounds.

        >>> approx(1234, 1228, 1240), approx(1234, 1234, 1234, exact=True)
        ('≈ 1,234 (1,228–1,240)', 1234)
    """
    if exact and low == high == total:
        return total
    return f"≈ {total:,} ({low:,}–{high:,})"


def numeric(value: Any) -> bool:
    """Whether ``value`` is a number, a decimal string (an amount from ``to_dict()``) or an
    estimated count (:func:`approx`)."""
    if isinstance(value, str):
        return NUMBER.fullmatch(value) is not None or value.startswith("≈ ")
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _json_default(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)  # a result (tokencmp.result.Result)
    if callable(to_dict):
        return to_dict()
    if hasattr(value, "isoformat"):  # a date
        return value.isoformat()
    if hasattr(value, "model_dump"):  # a catalog entry (pydantic)
        return value.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def price_facts(estimate: Mapping[str, Any] | None) -> dict[str, Any]:
    """Where a cost's prices come from, in short: ``price_sources`` (their URLs) and ``checked``.

    ``estimate`` is a ``CostEstimate.to_dict()`` (``None``: the cost is unknown).
    """
    if estimate is None:
        return {"price_sources": [], "checked": None}
    return {"price_sources": [s["url"] for s in estimate["sources"]], "checked": estimate["checked"]}


def write_json(payload: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(payload, out, indent=2, ensure_ascii=False, default=_json_default)
    out.write("\n")


def write_table(
    rows: Sequence[Row],
    columns: Sequence[str],
    out: TextIO | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """An aligned plain-text table; numeric columns are right-aligned."""
    out = out or sys.stdout
    headers = headers or {}
    titles = [headers.get(c, c) for c in columns]
    texts = [[cell(row.get(c)) for c in columns] for row in rows]
    right = [all(numeric(row.get(c)) for row in rows if row.get(c) is not None) for c in columns]
    widths = [max([len(t)] + [len(r[i]) for r in texts]) for i, t in enumerate(titles)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    out.write(line(titles) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in texts:
        out.write(line(r) + "\n")


def write_csv(rows: Sequence[Row], columns: Sequence[str], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def write_markdown(
    rows: Sequence[Row],
    columns: Sequence[str],
    out: TextIO | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    out = out or sys.stdout
    headers = headers or {}
    out.write("| " + " | ".join(headers.get(c, c) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(cell(row.get(c)) for c in columns) + " |\n")


def emit(
    fmt: str,
    payload: Any,
    rows: Sequence[Row],
    columns: Sequence[str],
    headers: Mapping[str, str] | None = None,
) -> None:
    """Write ``payload`` as JSON, or ``rows`` as a table, CSV or Markdown."""
    if fmt == "json":
        write_json(payload)
    elif fmt == "csv":
        write_csv(rows, columns)
    elif fmt == "markdown":
        write_markdown(rows, columns, headers=headers)
    else:
        write_table(rows, columns, headers=headers)
