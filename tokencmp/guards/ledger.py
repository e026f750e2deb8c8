"""The ledger: one record per guarded call, written as JSON or CSV, read back and summed.

    >>> r = LedgerRecord(time="2026-12-02T03:00:00Z", endpoint="chat", model="gpt-4o", tier="standard",
    ...                  outcome="settled", reserved_input_tokens=8, reserved_output_tokens=10,
    ...                  reserved_cost=Decimal("0.00012"), input_tokens=8, output_tokens=5,
    ...                  cost=Decimal("0.00007"), request_id="req_1")
    >>> s = summarize_ledger([r, r])
    >>> s.calls, s.cost, s.by_model[0].output_tokens
    (2, Decimal('0.00014'), 10)

Every call the guard sees leaves one record, whatever happened to it (``outcome``):

- ``settled``: the call finished and was billed on the ``usage`` it returned;
- ``at_reservation``: the outcome is unknown (a timeout, a cancellation, a stream closed
  before its usage arrived, a call that raised something other than an HTTP error status),
  so it is billed at its whole reservation, the most it could have cost;
- ``released``: the server answered with an error status, which OpenAI does not bill;
- ``refused``: the reservation did not fit what was left; nothing was sent;
- ``expired``: a reservation whose process never settled it (it died), recovered after the
  store's expiry and billed as the store's ``on_expiry`` says (see :mod:`.stores`).

On disk (:mod:`.files`), the same fields in JSON (a list of objects, amounts as strings) and
CSV (one row each, the header the field names), so a spreadsheet and a program read the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Literal

from ..decimals import EXACT
from ..errors import InvalidRequestError, token_count
from ..money.usd import parse_usd
from ..result import Result

Outcome = Literal["settled", "at_reservation", "released", "refused", "expired"]
OUTCOMES: tuple[str, ...] = ("settled", "at_reservation", "released", "refused", "expired")


@dataclass(frozen=True, kw_only=True)
class LedgerRecord(Result):
    """One guarded call: what was reserved for it, what it used, what it cost.

    ``time`` is when the call ended (UTC, ISO 8601). ``reserved_*`` is the worst case held
    before it was sent; ``input_tokens`` .. ``reasoning_tokens`` are the response's usage
    (0 when there was none); ``cost`` is what the budget was charged (0 for refused and
    released calls). ``request_id`` is the server's ``x-request-id`` (else the response's
    ``id``); ``note`` says why a call was not settled on its usage.
    """

    time: str
    endpoint: str
    model: str
    tier: str
    outcome: Outcome
    reserved_input_tokens: int
    reserved_output_tokens: int
    reserved_cost: Decimal
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost: Decimal = Decimal(0)
    request_id: str = ""
    stream: bool = False
    note: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "ledger") -> LedgerRecord:
        """A record from its :meth:`to_dict` form (or a CSV row of strings); one clear error
        naming the field for anything else."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if raw is None:
                continue  # absent: the field's default, or the missing-field error below
            path = f"{where}.{f.name}"
            if f.name in ("reserved_cost", "cost"):
                values[f.name] = parse_usd(raw, path)
            elif f.name == "stream":
                if not isinstance(raw, bool) and str(raw).lower() not in ("true", "false"):
                    raise InvalidRequestError(path, f"expected true or false, got {raw!r}.")
                values[f.name] = raw if isinstance(raw, bool) else str(raw).lower() == "true"
            elif f.name.endswith("_tokens"):
                count = int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() else raw
                values[f.name] = token_count(count, path)
            elif isinstance(raw, str):
                values[f.name] = raw
            else:
                raise InvalidRequestError(path, f"expected a string, got {raw!r}.")
        if values.get("outcome") not in OUTCOMES:
            raise InvalidRequestError(f"{where}.outcome",
                                      f"expected one of {', '.join(OUTCOMES)}, got {data.get('outcome')!r}.")
        missing = [f.name for f in fields(cls) if f.name not in values
                   and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            raise InvalidRequestError(where, f"not a ledger record: no {', '.join(missing)}.")
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class ModelUsage(Result):
    """The calls of one model in a ledger, summed."""

    model: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost: Decimal


@dataclass(frozen=True, kw_only=True)
class LedgerSummary(Result):
    """A ledger summed: calls by outcome, tokens, cost in all and per model (costliest first)."""

    calls: int
    outcomes: tuple[tuple[str, int], ...]
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    reserved_cost: Decimal
    cost: Decimal
    by_model: tuple[ModelUsage, ...]
    first: str | None
    last: str | None


def summarize_ledger(records: Iterable[LedgerRecord]) -> LedgerSummary:
    """The totals of ``records`` (from :func:`read_ledger` or ``guarded.ledger``)."""
    rows = list(records)
    per: dict[str, list[Any]] = {}
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for r in rows:
        outcomes[r.outcome] += 1
        m = per.setdefault(r.model, [0, 0, 0, Decimal(0)])
        m[0] += 1
        m[1] += r.input_tokens
        m[2] += r.output_tokens
        m[3] = EXACT.add(m[3], r.cost)
    by_model = sorted(
        (ModelUsage(model=k, calls=v[0], input_tokens=v[1], output_tokens=v[2], cost=v[3])
         for k, v in per.items()),
        key=lambda u: (-u.cost, u.model),
    )
    times = sorted(r.time for r in rows)
    return LedgerSummary(
        calls=len(rows),
        outcomes=tuple((k, n) for k, n in outcomes.items() if n),
        input_tokens=sum(r.input_tokens for r in rows),
        output_tokens=sum(r.output_tokens for r in rows),
        cached_tokens=sum(r.cached_tokens for r in rows),
        reasoning_tokens=sum(r.reasoning_tokens for r in rows),
        reserved_cost=_sum(r.reserved_cost for r in rows),
        cost=_sum(r.cost for r in rows),
        by_model=tuple(by_model),
        first=times[0] if times else None,
        last=times[-1] if times else None,
    )


def now_iso() -> str:
    """The time now, UTC, ISO 8601 to the millisecond (a record's ``time``)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    total = Decimal(0)
    for a in amounts:
        total = EXACT.add(total, a)
    return total
