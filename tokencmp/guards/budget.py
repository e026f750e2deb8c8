"""A budget: reserve a call's worst case, then settle it on its usage, release it, or keep it whole.

    >>> budget = Budget.create("0.0002")
    >>> call = budget.open("chat", {"model": "gpt-4o", "max_tokens": 10,
    ...                             "messages": [{"role": "user", "content": "hi"}]})
    >>> budget.reserved, budget.remaining     # 8 x $2.50 + 10 x $10 per 1M held
    (Decimal('0.00012'), Decimal('0.00008'))
    >>> call.settle({"prompt_tokens": 8, "completion_tokens": 5}, request_id="req_1")
    >>> budget.spent, budget.reserved         # 8 x $2.50 + 5 x $10 per 1M
    (Decimal('0.00007'), Decimal('0'))

:meth:`Budget.open` raises :class:`~tokencmp.errors.BudgetExceededError` when the worst case
does not fit what is left (recorded as ``refused``), before the caller sends anything. Each
:class:`Call` then ends exactly once, by one of the decided outcomes (docs/guard.md):

- :meth:`Call.settle`: the response's usage, priced at the tier and model it reports;
- :meth:`Call.release`: the server answered with an error status (no usage: taken as not billed);
- :meth:`Call.at_reservation`: the outcome is unknown (a timeout, a cancellation, a stream
  closed early, any other exception), so the whole reservation is charged.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..catalog import TIER_NAMES, Tier, TierName, canonical_tier
from ..decimals import EXACT
from ..errors import BudgetExceededError, InvalidRequestError
from ..money.usd import format_usd, parse_usd
from .ledger import LedgerRecord, now_iso
from .plan import Endpoint, Plan, plan_call, settle_call
from .stores import MemoryStore, OnExpiry, SQLiteStore, Store


class Budget:
    """A cap in USD and the store that holds what is spent and reserved against it."""

    def __init__(self, store: Store, *, default_tier: Tier = "standard",
                 unpriced: Decimal | None = None) -> None:
        self.store = store
        self.default_tier = default_tier
        self.unpriced = unpriced

    @classmethod
    def create(cls, budget: Decimal | str | int | float, *, store: str | Path | Store | None = None,
               default_tier: TierName = "standard", unpriced: Decimal | str | int | float | None = None,
               expiry: float = 3600.0, on_expiry: OnExpiry = "charge") -> Budget:
        """A budget of ``budget`` USD, in this process (``store=None``) or in a SQLite file."""
        cap = parse_usd(budget, "budget")
        try:
            tier = canonical_tier(default_tier)
        except (ValueError, TypeError):
            raise InvalidRequestError("default_tier", f"expected one of {', '.join(TIER_NAMES)}, "
                                                      f"got {default_tier!r}.") from None
        flat = None
        if unpriced is not None and unpriced != "refuse":
            flat = parse_usd(unpriced, "unpriced")
            if flat <= 0:
                raise InvalidRequestError("unpriced", "an unpriced call is never free: pass an amount > 0, "
                                                      "or leave unpriced unset to refuse such calls.")
        if store is None:
            held: Store = MemoryStore(cap)
        elif isinstance(store, (str, Path)):
            held = SQLiteStore(store, cap, expiry=expiry, on_expiry=on_expiry)
        else:
            held = store
            if held.cap != cap:
                raise InvalidRequestError("budget", f"the store's cap is ${format_usd(held.cap)}, not "
                                                    f"${format_usd(cap)}: pass the same amount.")
        return cls(held, default_tier=tier, unpriced=flat)

    @property
    def cap(self) -> Decimal:
        return self.store.cap

    @property
    def spent(self) -> Decimal:
        """What the settled calls cost."""
        return self.store.totals()[0]

    @property
    def reserved(self) -> Decimal:
        """What the calls in flight hold."""
        return self.store.totals()[1]

    @property
    def remaining(self) -> Decimal:
        """The cap less what is spent and reserved (never below 0)."""
        spent, held = self.store.totals()
        return max(EXACT.subtract(self.cap, EXACT.add(spent, held)), Decimal(0))

    def open(self, endpoint: Endpoint, kwargs: Mapping[str, Any], *, stream: bool = False) -> Call:
        """Plan and reserve one call, or raise :class:`~tokencmp.errors.BudgetExceededError`."""
        plan = plan_call(endpoint, kwargs, default_tier=self.default_tier, unpriced=self.unpriced)
        pending = _record(plan, "at_reservation", stream, cost=plan.cost)
        hold = self.store.reserve(plan.cost, pending)
        if hold is None:
            self.store.append(_record(plan, "refused", stream, note="did not fit what was left"))
            spent, held = self.store.totals()
            left = max(EXACT.subtract(self.cap, EXACT.add(spent, held)), Decimal(0))
            raise BudgetExceededError(
                f"{plan.model}: this call may cost up to ${format_usd(plan.cost)} ({plan.input_tokens:,} "
                f"input tokens at most, up to {plan.output_tokens:,} output tokens, {plan.tier} tier) and "
                f"${format_usd(left)} is left of the ${format_usd(self.cap)} budget "
                f"(${format_usd(spent)} spent, ${format_usd(held)} reserved). Nothing was sent. Lower "
                "max tokens, shorten the prompt, or raise the budget.",
                cost=plan.cost, remaining=left)
        return Call(self.store, plan, hold, stream)


class Call:
    """One reserved call, ended exactly once (a second end is ignored)."""

    def __init__(self, store: Store, plan: Plan, hold: str, stream: bool) -> None:
        self.store = store
        self.plan = plan
        self.hold = hold
        self.stream = stream
        self._lock = threading.Lock()
        self.done = False

    def _end(self) -> bool:
        with self._lock:
            if self.done:
                return False
            self.done = True
            return True

    def settle(self, usage: Any, *, model: object = None, service_tier: object = None,
               request_id: str = "", note: str = "") -> None:
        """Charge the call's real cost, from the response's ``usage``; release the rest."""
        if not self._end():
            return
        try:
            s = settle_call(self.plan, usage, model=model, service_tier=service_tier)
        except Exception as e:  # usage the catalog cannot price: the call ran, so keep it whole
            self._whole(f"usage could not be priced ({e})", request_id)
            return
        record = _record(self.plan, "settled", self.stream, cost=s.cost, request_id=request_id,
                         note="; ".join(n for n in (note, s.note) if n), input_tokens=s.input_tokens,
                         output_tokens=s.output_tokens, cached_tokens=s.cached_tokens,
                         reasoning_tokens=s.reasoning_tokens)
        self.store.finish(self.hold, s.cost, record)

    def at_reservation(self, note: str, *, request_id: str = "") -> None:
        """Charge the whole reservation: the call may have run and its usage is unknown."""
        if self._end():
            self._whole(note, request_id)

    def _whole(self, note: str, request_id: str) -> None:
        self.store.finish(self.hold, self.plan.cost, _record(
            self.plan, "at_reservation", self.stream, cost=self.plan.cost, request_id=request_id, note=note))

    def release(self, note: str, *, request_id: str = "") -> None:
        """Charge nothing: the server refused the call."""
        if self._end():
            self.store.finish(self.hold, Decimal(0), _record(
                self.plan, "released", self.stream, request_id=request_id, note=note))


def _record(plan: Plan, outcome: Any, stream: bool, **values: Any) -> LedgerRecord:
    return LedgerRecord(time=now_iso(), endpoint=plan.endpoint, model=plan.model, tier=plan.tier,
                        outcome=outcome, reserved_input_tokens=plan.input_tokens,
                        reserved_output_tokens=plan.output_tokens, reserved_cost=plan.cost, stream=stream,
                        **values)
