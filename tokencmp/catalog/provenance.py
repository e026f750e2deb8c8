"""How old the catalog's facts are: each fact, its source and the date that source carries.

Every entry names, per fact (``encoding``, ``prices``, ``limits``, ``status``, ...), the key of
the source it comes from; every source carries its own date (published, or the date of the
copy read); an entry's ``checked`` is the day its figures were compared with those sources.
:func:`stale_facts` lists the facts whose source is older than a number of days, which is
what ``tokencmp models --stale DAYS`` prints::

    >>> from datetime import date, datetime
    >>> facts = stale_facts(365, today=date(2026, 12, 2))
    >>> all(f.age_days > 365 for f in facts)
    True

A source dated only by year or month (``2025``, ``2025-08``) counts from the last day it can
mean, so an age is never overstated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..errors import TokencmpError
from ..result import Result
from .load import get_catalog
from .schema import Catalog


def unsourced(catalog: Catalog | None = None) -> tuple[str, ...]:
    """``model.fact`` for every fact an entry states without naming its source (none, bundled).

    The facts are :meth:`ModelInfo.facts`: encoding, prices, long context, audio prices,
    limits, and status when a model is not active or has a shutdown date. A long-context
    price may rest on the entry's ``prices`` source.
    """
    catalog = get_catalog() if catalog is None else catalog
    return tuple(
        f"{name}.{fact}"
        for name, info in catalog.models.items()
        for fact, stated in info.facts().items()
        if stated and fact not in info.sources
        and not (fact == "long_context" and "prices" in info.sources)
    )


@dataclass(frozen=True, kw_only=True)
class StaleFact(Result):
    """One fact of one entry whose source is older than asked: which, from where, how old."""

    model: str
    fact: str
    source: str
    source_date: str
    age_days: int
    checked: date


def stale_facts(days: int, *, today: date | None = None, catalog: Catalog | None = None,
                active_only: bool = False) -> tuple[StaleFact, ...]:
    """The facts whose source is more than ``days`` days old on ``today``, oldest first.

    Args:
        days: the age, in days, above which a source is stale (0: every dated fact).
        today: the day to measure from (default: the local date today); tests pass a fixed day.
        catalog: the catalog to read (default: the active one, :func:`get_catalog`).
        active_only: only entries of models that are not shut down.
    """
    if type(days) is not int or days < 0:
        raise TokencmpError(f"days must be a whole number of days, 0 or more (got {days!r}).")
    if today is not None and (not isinstance(today, date) or isinstance(today, datetime)):
        raise TokencmpError(f"today must be a datetime.date, such as date(2026, 12, 2) (got {today!r}).")
    if catalog is not None and not isinstance(catalog, Catalog):
        raise TokencmpError("catalog must be a tokencmp.Catalog (from load_catalog or get_catalog).")
    today = date.today() if today is None else today
    catalog = get_catalog() if catalog is None else catalog
    out = []
    for name, info in catalog.models.items():
        if active_only and info.status == "shut_down":
            continue
        for fact, key in info.sources.items():
            source = catalog.sources[key]
            age = (today - source.latest).days
            if age > days:
                out.append(StaleFact(model=name, fact=fact, source=key, source_date=source.date,
                                     age_days=age, checked=info.checked))
    return tuple(sorted(out, key=lambda f: (-f.age_days, f.model, f.fact)))
