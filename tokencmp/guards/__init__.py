"""The spending guard: an OpenAI client under a cap, and the ledger of its calls (docs/guard.md).

One idea per module, in the order a call meets them:

- :mod:`~tokencmp.guards.plan`: the worst case of a request before it is sent, and what it
  cost after (the reservation arithmetic);
- :mod:`~tokencmp.guards.stores`: where the budget lives (this process, or a SQLite file
  shared by processes), the one atomic rule, expiry of a dead process's reservation;
- :mod:`~tokencmp.guards.budget`: reserving and ending a call by its decided outcome;
- :mod:`~tokencmp.guards.streams`: streams settled on the usage they carry;
- :mod:`~tokencmp.guards.client`: :func:`guard`, the wrapper around ``OpenAI`` / ``AsyncOpenAI``;
- :mod:`~tokencmp.guards.ledger`: the ledger's records and :func:`summarize_ledger`;
- :mod:`~tokencmp.guards.files`: the ledger on disk, JSON and CSV, :func:`read_ledger`.

The package is ``guards`` (plural) so that ``tokencmp.guard`` stays the function: a submodule
of that name would take the function's place on the package once imported.
"""

from .budget import Budget, Call
from .client import GuardedClient, guard
from .files import read_ledger, write_ledger
from .ledger import LedgerRecord, LedgerSummary, ModelUsage, summarize_ledger
from .stores import MemoryStore, SQLiteStore

__all__ = [
    "Budget", "Call", "GuardedClient", "LedgerRecord", "LedgerSummary", "MemoryStore", "ModelUsage",
    "SQLiteStore", "guard", "read_ledger", "summarize_ledger", "write_ledger",
]
