"""The ledger on disk: written as JSON or CSV, read back from either or from a SQLite store.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "calls.csv"
    >>> _ = write_ledger([], path)
    >>> path.read_text().split(",")[:3], read_ledger(path)
    (['time', 'endpoint', 'model'], ())

The format is told by the file's suffix: ``.json`` (a list of records, amounts as strings),
``.csv`` (a header of the field names, one row per record), or ``.sqlite`` / ``.sqlite3`` /
``.db``, a budget store whose ledger table is read as it is (read only: nothing recovered).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Literal

from ..errors import InvalidRequestError
from .ledger import LedgerRecord
from .stores import SQLiteStore


def ledger_text(records: Iterable[LedgerRecord], fmt: Literal["json", "csv"]) -> str:
    """``records`` as a JSON list or as CSV with a header row."""
    rows = [r.to_dict() for r in records]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(LedgerRecord)], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_ledger(records: Iterable[LedgerRecord], path: str | Path,
                 fmt: Literal["json", "csv"] | None = None) -> Path:
    """Write ``records`` to ``path``, as JSON or CSV (by ``fmt``, else the file's suffix)."""
    target = Path(path)
    kind = fmt or _format_of(target)
    target.write_text(ledger_text(records, kind), encoding="utf-8")
    return target


def read_ledger(path: str | Path) -> tuple[LedgerRecord, ...]:
    """The records of a ledger file: a JSON or CSV export, or a SQLite budget store itself.

    Which one is told by the suffix (``.json``, ``.csv``; ``.sqlite``, ``.sqlite3``, ``.db``).
    A file that is not a ledger raises :class:`~tokencmp.errors.InvalidRequestError` naming it.
    """
    source = Path(path)
    if source.suffix.lower() in (".sqlite", ".sqlite3", ".db"):
        return SQLiteStore.read_records(source)
    kind = _format_of(source)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as e:
        raise InvalidRequestError(str(source), f"cannot read the ledger: {e.strerror or e}.") from None
    except UnicodeDecodeError as e:
        raise InvalidRequestError(str(source), f"not UTF-8 text (byte {e.start}).") from None
    if kind == "csv":
        try:
            rows = list(csv.DictReader(io.StringIO(text)))
        except csv.Error as e:
            raise InvalidRequestError(str(source), f"not CSV ({e}).") from None
        return tuple(LedgerRecord.from_dict(row, f"{source}:{i + 2}") for i, row in enumerate(rows))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidRequestError(str(source), f"not JSON ({e.msg}, line {e.lineno}).") from None
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise InvalidRequestError(str(source), "expected a JSON list of ledger records.")
    return tuple(LedgerRecord.from_dict(row, f"{source}[{i}]") for i, row in enumerate(data))


def _format_of(path: Path) -> Literal["json", "csv"]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    raise InvalidRequestError(str(path), "a ledger file ends in .json or .csv, or is a .sqlite budget store.")
