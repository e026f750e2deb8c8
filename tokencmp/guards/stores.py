"""Where a budget lives: in this process (a lock), or in a SQLite file that several processes share.

    >>> store = MemoryStore(Decimal("1"))
    >>> hold = store.reserve(Decimal("0.75"))
    >>> store.reserve(Decimal("0.5")) is None      # 0.75 held + 0.5 > 1: refused
    True
    >>> store.totals()                             # (spent, reserved)
    (Decimal('0'), Decimal('0.75'))

The one rule of both stores, applied atomically: a reservation is taken only when what is
spent, plus every reservation still held, plus the new one, is within the cap. Settling
removes the reservation and adds the real cost; releasing removes it and adds nothing.

:class:`SQLiteStore` keeps the cap, the amount spent, the reservations held and the ledger
in one file (stdlib :mod:`sqlite3`, WAL journal). Every change is one ``BEGIN IMMEDIATE``
transaction, which takes the file's write lock before it reads, so two processes can never
both see room for the last reservation. Amounts are stored as decimal text and added as
Decimals: no float ever touches money.

**Expiry.** A process that dies between reserving and settling (SIGKILL, a power cut) leaves
its reservation behind. Each reservation carries an expiry time (``expiry`` seconds after it
was taken, 3600 by default: longer than any call should take, the SDK's own default timeout
is 600 s); the next transaction on the file after that time recovers it, writing an
``expired`` record to the ledger. ``on_expiry`` decides what it costs, because the guard
cannot know whether the dead process's request reached the server:

- ``"charge"`` (the default): the whole reservation is counted as spent, the most the call
  could have cost; the cap is never exceeded, at the risk of counting a call that never ran;
- ``"release"``: the reservation is returned to what is left, as if the call never ran.

A call that outlives its expiry and settles afterwards is still counted once: its settled
cost, and its record, replace what the expiry charged and wrote.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

from ..decimals import EXACT, plain_text
from ..errors import InvalidRequestError
from .ledger import LedgerRecord, now_iso

OnExpiry = Literal["charge", "release"]
ZERO = Decimal(0)


class Store(Protocol):
    """What a budget needs of its store; every method is atomic."""

    @property
    def cap(self) -> Decimal: ...

    def reserve(self, amount: Decimal, pending: LedgerRecord | None = None) -> str | None:
        """Hold ``amount`` and return the hold's id, or ``None`` when it does not fit."""

    def finish(self, hold: str, cost: Decimal, record: LedgerRecord) -> None:
        """Drop the hold, add ``cost`` to what is spent and ``record`` to the ledger."""

    def append(self, record: LedgerRecord) -> None:
        """Add ``record`` to the ledger (a refused call: no hold, no cost)."""

    def totals(self) -> tuple[Decimal, Decimal]:
        """(spent, reserved)."""

    def records(self) -> tuple[LedgerRecord, ...]:
        """The ledger, oldest first."""


def fits(spent: Decimal, held: Decimal, amount: Decimal, cap: Decimal) -> bool:
    """The budget's one rule: what is spent, plus what is held, plus ``amount``, within ``cap``."""
    return EXACT.add(EXACT.add(spent, held), amount) <= cap


class MemoryStore:
    """A budget in this process, shared by its threads and tasks under one lock."""

    def __init__(self, cap: Decimal) -> None:
        self._cap = cap
        self._lock = threading.Lock()
        self._spent = ZERO
        self._held: dict[str, Decimal] = {}
        self._held_total = ZERO
        self._records: list[LedgerRecord] = []

    @property
    def cap(self) -> Decimal:
        return self._cap

    def reserve(self, amount: Decimal, pending: LedgerRecord | None = None) -> str | None:
        with self._lock:
            if not fits(self._spent, self._held_total, amount, self._cap):
                return None
            hold = uuid.uuid4().hex
            self._held[hold] = amount
            self._held_total = EXACT.add(self._held_total, amount)
            return hold

    def finish(self, hold: str, cost: Decimal, record: LedgerRecord) -> None:
        with self._lock:
            amount = self._held.pop(hold)
            self._held_total = EXACT.subtract(self._held_total, amount) if self._held else ZERO
            self._spent = EXACT.add(self._spent, cost)
            self._records.append(record)

    def append(self, record: LedgerRecord) -> None:
        with self._lock:
            self._records.append(record)

    def totals(self) -> tuple[Decimal, Decimal]:
        with self._lock:
            return self._spent, self._held_total

    def records(self) -> tuple[LedgerRecord, ...]:
        with self._lock:
            return tuple(self._records)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, amount TEXT NOT NULL, created REAL NOT NULL,
                                  expires REAL NOT NULL, pid INTEGER NOT NULL, pending TEXT);
CREATE TABLE IF NOT EXISTS recovered (id TEXT PRIMARY KEY, charged TEXT NOT NULL, record INTEGER);
CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
"""


class SQLiteStore:
    """A budget in a SQLite file: several processes (and their threads), one cap.

    The first store to open a file writes its cap; a later one must ask for the same cap
    (a different one raises :class:`~tokencmp.errors.InvalidRequestError`: start a new file
    to change it). ``expiry`` and ``on_expiry``: see the module's docstring.
    """

    def __init__(self, path: str | Path, cap: Decimal, *, expiry: float = 3600.0,
                 on_expiry: OnExpiry = "charge") -> None:
        if on_expiry not in ("charge", "release"):
            raise InvalidRequestError("on_expiry", f"expected 'charge' or 'release', got {on_expiry!r}.")
        if isinstance(expiry, bool) or not isinstance(expiry, (int, float)) or not expiry > 0:
            raise InvalidRequestError("expiry", f"expected seconds > 0, got {expiry!r}.")
        self.path = Path(path)
        self._local = threading.local()
        self.expiry = float(expiry)
        self.on_expiry = on_expiry
        setup = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
        try:
            setup.execute("PRAGMA journal_mode=WAL")  # kept by the file: every later connection uses it
            setup.executescript(_SCHEMA)
        finally:
            setup.close()
        with self._transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'cap'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('cap', ?), ('spent', '0')", (plain_text(cap),))
            elif Decimal(row[0]) != cap:
                raise InvalidRequestError(
                    "budget", f"{self.path} holds a budget of ${row[0]}, not ${plain_text(cap)}; "
                    f"pass budget={row[0]!r}, or use a new store file for a new cap.")
        self._cap = cap

    @property
    def cap(self) -> Decimal:
        return self._cap

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, kept open: closing the last one checkpoints the WAL, which
        would cost a disk sync per transaction. A child process (fork) opens its own."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
            self._local.db, self._local.pid = db, os.getpid()
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")  # the write lock, before anything is read
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _state(self, db: sqlite3.Connection) -> tuple[Decimal, Decimal]:
        """(spent, held) after recovering the expired holds, inside a transaction."""
        now = time.time()
        spent = Decimal(db.execute("SELECT value FROM meta WHERE key = 'spent'").fetchone()[0])
        expired = db.execute("SELECT id, amount, pending, created, expires FROM holds WHERE expires <= ?",
                             (now,)).fetchall()
        for hold, amount, pending, created, expires in expired:
            charged = Decimal(amount) if self.on_expiry == "charge" else ZERO
            spent = EXACT.add(spent, charged)
            db.execute("DELETE FROM holds WHERE id = ?", (hold,))
            seq = None
            if pending:
                record = replace(
                    LedgerRecord.from_dict(json.loads(pending)), outcome="expired", cost=charged,
                    time=now_iso(), note=f"never settled (its process died?): recovered after its "
                    f"{expires - created:g} s expiry and "
                    f"{'charged at its reservation' if charged else 'released'}")
                seq = db.execute("INSERT INTO ledger (record) VALUES (?)", (record.to_json(),)).lastrowid
            db.execute("INSERT INTO recovered VALUES (?, ?, ?)", (hold, plain_text(charged), seq))
        db.execute("UPDATE meta SET value = ? WHERE key = 'spent'", (plain_text(spent),))
        held = ZERO
        for (amount,) in db.execute("SELECT amount FROM holds"):
            held = EXACT.add(held, Decimal(amount))
        return spent, held

    def reserve(self, amount: Decimal, pending: LedgerRecord | None = None) -> str | None:
        with self._transaction() as db:
            spent, held = self._state(db)
            if not fits(spent, held, amount, self._cap):
                return None
            hold = uuid.uuid4().hex
            now = time.time()
            db.execute("INSERT INTO holds VALUES (?, ?, ?, ?, ?, ?)",
                       (hold, plain_text(amount), now, now + self.expiry, os.getpid(),
                        None if pending is None else pending.to_json()))
            return hold

    def finish(self, hold: str, cost: Decimal, record: LedgerRecord) -> None:
        with self._transaction() as db:
            spent, _ = self._state(db)
            if db.execute("DELETE FROM holds WHERE id = ?", (hold,)).rowcount == 0:
                row = db.execute("SELECT charged, record FROM recovered WHERE id = ?", (hold,)).fetchone()
                if row is not None:  # settled after its expiry: this record and cost replace the expiry's
                    spent = EXACT.subtract(spent, Decimal(row[0]))
                    db.execute("DELETE FROM ledger WHERE seq = ?", (row[1],))
                    record = replace(record, note=_join(record.note, "settled after its reservation expired"))
            db.execute("DELETE FROM recovered WHERE id = ?", (hold,))
            db.execute("UPDATE meta SET value = ? WHERE key = 'spent'", (plain_text(EXACT.add(spent, cost)),))
            db.execute("INSERT INTO ledger (record) VALUES (?)", (record.to_json(),))

    def append(self, record: LedgerRecord) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO ledger (record) VALUES (?)", (record.to_json(),))

    def totals(self) -> tuple[Decimal, Decimal]:
        with self._transaction() as db:
            return self._state(db)

    def records(self) -> tuple[LedgerRecord, ...]:
        with self._transaction() as db:
            self._state(db)
        return self.read_records(self.path)

    @staticmethod
    def read_records(path: Path) -> tuple[LedgerRecord, ...]:
        """The ledger of the store file at ``path``, read only (nothing is recovered)."""
        if not path.is_file():
            raise InvalidRequestError(str(path), "no such budget store.")
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60.0)
            try:
                rows = db.execute("SELECT record FROM ledger ORDER BY seq").fetchall()
            finally:
                db.close()
        except sqlite3.DatabaseError as e:
            raise InvalidRequestError(str(path), f"not a tokencmp budget store ({e}).") from None
        records = []
        for i, (text,) in enumerate(rows):
            try:
                data = json.loads(text)
            except (TypeError, ValueError):
                data = None
            if not isinstance(data, dict):
                raise InvalidRequestError(f"{path}[{i}]", "not a ledger record.")
            records.append(LedgerRecord.from_dict(data, f"{path}[{i}]"))
        return tuple(records)


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)
