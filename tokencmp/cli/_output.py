"""Output formats shared by the subcommands: aligned tables, JSON, CSV, Markdown.

Every subcommand builds its result as plain data (a JSON-ready payload and
a list of rows); this module only renders it. Results are written as their
``to_dict()`` (the convention of every public result: amounts of money as
decimal strings such as ``"0.0000175"``), so the table, CSV and JSON show an
amount the same way; a column of numbers (or such decimal strings) is
right-aligned in a table. A table fits the terminal (:mod:`tokencmp.cli._table`);
amounts in the columns a command names are rounded there for people
(:func:`money_text`), never in JSON or CSV.
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
    """An aligned plain-text table; numeric columns are right-aligned; fitted to a terminal
    (:mod:`tokencmp.cli._table`)."""
    from ._table import fit, width_of

    out = out or sys.stdout
    headers = headers or {}
    titles = [headers.get(c, c) for c in columns]
    texts = [[cell(row.get(c)) for c in columns] for row in rows]
    right = [all(numeric(row.get(c)) for row in rows if row.get(c) is not None) for c in columns]
    for line in fit(texts, titles, right, width_of(out)):
        out.write(line + "\n")


def money_text(value: Any) -> Any:
    """An amount (a decimal string) rounded for people: cents from $1, else 3 significant digits.

    Only tables and Markdown show it so; JSON and CSV keep every digit::

        >>> money_text("0.00083125"), money_text("3.8416"), money_text("0.0000175"), money_text("0")
        ('0.000831', '3.84', '0.0000175', '0')
        >>> money_text(None), money_text("1234.5")
        (None, '1,234.50')
    """
    if not isinstance(value, str) or NUMBER.fullmatch(value) is None:
        return value
    from decimal import ROUND_HALF_UP, Decimal

    amount = Decimal(value)
    if amount == 0:
        return "0"
    if abs(amount) >= 1:
        return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    digits = 3 - amount.adjusted() - 1  # places after the point for 3 significant digits
    rounded = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format(rounded.normalize(), "f")


def add_view_options(parser: argparse.ArgumentParser, sort: Sequence[str] = ()) -> None:
    """``--wide`` (every column in a table) and, given the names, ``--sort COLUMN``."""
    parser.add_argument("--wide", action="store_true",
                        help="show every column in the table (CSV and JSON always have them)")
    if sort:
        parser.add_argument("--sort", choices=list(sort), metavar="COLUMN",
                            help=f"sort the rows by COLUMN: {', '.join(sort)}")


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
    *,
    extra: Sequence[str] = (),
    wide: bool = False,
    money: Sequence[str] = (),
) -> None:
    """Write ``payload`` as JSON, or ``rows`` as a table, CSV or Markdown.

    ``extra`` columns are in CSV and Markdown always, in a table only when ``wide``; the amounts
    of the ``money`` columns are rounded for display (:func:`money_text`) in a table or Markdown.
    """
    if fmt == "json":
        write_json(payload)
        return
    if fmt == "csv":
        write_csv(rows, [c for c in columns if c] if not extra else _all(columns, extra))
        return
    shown = [c for c in columns if wide or fmt != "table" or c not in extra]
    if money:
        rows = [{**row, **{c: money_text(row.get(c)) for c in money if c in row}} for row in rows]
    if fmt == "markdown":
        write_markdown(rows, shown, headers=headers)
    else:
        write_table(rows, shown, headers=headers)


def _all(columns: Sequence[str], extra: Sequence[str]) -> list[str]:
    return list(columns) + [c for c in extra if c not in columns]
