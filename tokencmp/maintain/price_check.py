"""Compare the catalog's OpenAI prices with genai-prices (and litellm, when installed).

    python -m tokencmp.maintain.price_check                  # the bundled catalog
    python -m tokencmp.maintain.price_check --catalog mine.json --format json
    python -m tokencmp.maintain.price_check --write-allowlist draft.json

Every price an installed price database gives for an OpenAI model is compared with the
catalog entry of the same name (an exact name or alias, never a naming rule), tier by tier
(``standard``, ``batch``, ``flex``, ``priority``) and field by field (``input``,
``cached_input``, ``cache_write``, ``output``, and the long-context ``long_context.<field>``
and ``long_context.above_input_tokens``). The catalog's side is what tokencmp bills
(:func:`tokencmp.catalog.importer.billed`, worked by :mod:`tokencmp.money`): where the catalog
lists no price at a place and its rule gives one (a tier's long-context price as the tier's
price times the multipliers, cached input at the input rate), the rule's figure is compared, so
an agreement by rule is no disagreement, and a disagreement in such a figure is marked
``(derived)``. A disagreement is a price the database gives that the catalog does not bill or
bills at another amount; a model it prices per token that has no entry here is
``missing``. Prices only the catalog has are counted apart (``--show-catalog-only`` lists them):
they are not failures, since a database that omits a price says nothing against it.

Each disagreement is looked up in the reviewed allow-list, ``tokencmp/data/price_disagreements.json``,
whose entries name the source, model, tier, field, both values, the reason and the review date. An
entry covers a disagreement only while both values are still the ones reviewed: a changed price
is a new disagreement to review. The exit status is 1 when a disagreement or missing model is not
in the allow-list, else 0 (2 for bad arguments). Entries that no longer match anything are listed
as stale. ``--write-allowlist FILE`` writes every disagreement found as a draft list, keeping the
reasons of the entries that still match and ``TODO`` for the rest (and the entries of a source not
compared in this run as they are); a person writes the reasons.

This is maintainer tooling: the library never imports it (``tests/test_layout.py``), and it reads
the databases' files as data (:mod:`tokencmp.catalog.pricebook`,
:mod:`tokencmp.maintain.litellm_prices`), never importing them, never touching the network.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..catalog import TIERS, Catalog, ModelInfo, load_catalog
from ..catalog.importer import billed, catalog_entries, priced_by_rule
from ..catalog.pricebook import FIELDS, PriceBook, PricedModel, TierPrices, read_genai_prices
from ..cli._output import write_json, write_table
from ..decimals import plain_text
from ..errors import CatalogError, TokencmpError, validation_message
from .litellm_prices import litellm_installed, read_litellm

ALLOWLIST = Path(__file__).resolve().parents[1] / "data" / "price_disagreements.json"
MISSING = "entry"
"""The ``field`` of a finding that says the catalog has no entry for the model."""


class Allowed(BaseModel):
    """One reviewed disagreement: what differs, both values, why it is accepted, when reviewed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    model: str
    entry: str | None = None
    tier: str | None = None
    field: str
    catalog: str | None = None
    theirs: str | None = None
    derived: bool = False
    """The catalog's value is one its rule bills, not one it lists (for the reviewer; not matched)."""
    reason: str = Field(min_length=10)
    reviewed: date

    @field_validator("reason")
    @classmethod
    def _reviewed(cls, reason: str) -> str:
        if reason.strip().upper().startswith("TODO"):
            raise ValueError("a reason must be written by the reviewer, not left TODO")
        return reason


class AllowList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str
    entries: tuple[Allowed, ...]


@dataclass(frozen=True)
class Finding:
    """A price a database gives that the catalog lacks or holds at another amount (or, with
    ``field == "entry"``, a model it prices that the catalog has no entry for)."""

    source: str
    model: str
    entry: str | None
    tier: str | None
    field: str
    catalog: str | None
    theirs: str | None
    inherited: bool = False
    """The database gives this tier no such price of its own and takes the standard one."""
    derived: bool = False
    """The catalog lists no such price: the figure is the one its rule bills (a tier's long-context
    price from the multipliers, cached input at the input rate, ...)."""

    def matches(self, allowed: Allowed) -> bool:
        return (allowed.source, allowed.model, allowed.tier, allowed.field) == (
            self.source, self.model, self.tier, self.field
        ) and (_norm(allowed.catalog), _norm(allowed.theirs)) == (self.catalog, self.theirs)

    def row(self, allowed: bool) -> dict[str, Any]:
        theirs = self.theirs if not self.inherited or self.theirs is None else f"{self.theirs} (standard)"
        ours = self.catalog if not self.derived or self.catalog is None else f"{self.catalog} (derived)"
        return {"source": self.source, "model": self.model, "entry": self.entry, "tier": self.tier,
                "field": self.field, "catalog": ours, "theirs": theirs, "allowed": allowed}


@dataclass(frozen=True)
class PriceComparison:
    """One database against the catalog."""

    book: PriceBook
    findings: tuple[Finding, ...]
    catalog_only: tuple[Finding, ...]
    compared: int
    not_per_token: tuple[str, ...]


def _text(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    return plain_text(value) if isinstance(value, Decimal) else str(value)


def _norm(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return plain_text(Decimal(value))
    except InvalidOperation:
        return value


def compare(catalog: Catalog, book: PriceBook) -> PriceComparison:
    """Every disagreement between ``book`` and ``catalog``, and every model the catalog lacks."""
    findings: list[Finding] = []
    only: list[Finding] = []
    compared = 0
    for model in book.models:
        if not model.per_token:
            continue
        entries = catalog_entries(catalog, model)
        fine_tunes = priced_by_rule(catalog, model)
        if fine_tunes:
            compared += 1
            for info in fine_tunes:
                for finding in _compare_entry(book.package, model, info):
                    (findings if finding.theirs is not None else only).append(finding)
            continue
        if not entries:
            if model.names and not model.deprecated:
                findings.append(Finding(book.package, model.id, None, None, MISSING, None, "priced"))
            continue
        compared += 1
        for entry in entries:
            for finding in _compare_entry(book.package, model, catalog.models[entry]):
                (findings if finding.theirs is not None else only).append(finding)
    skipped = tuple(m.id for m in book.models if not m.per_token)
    return PriceComparison(book, tuple(findings), tuple(only), compared, skipped)


def _compare_entry(source: str, model: PricedModel, info: ModelInfo) -> Iterator[Finding]:
    """The prices of ``model`` against what the catalog bills for ``info``, tier by tier, below
    and above the long-context threshold (:func:`~tokencmp.catalog.importer.billed`)."""
    for tier in TIERS:
        theirs = model.tiers.get(tier, TierPrices({}))
        for long, given, prefix in ((False, theirs.prices, ""), (True, theirs.long, "long_context.")):
            for f in FIELDS:
                mine, derived = billed(info, tier, f, long)
                other = given.get(f)
                if mine == other or (derived and other is None):  # a rule's figure alone is no finding
                    continue
                yield Finding(source, model.id, info.name, tier, prefix + f, _text(mine), _text(other),
                              f in theirs.inherited, derived)
        lc = info.long_context
        ours_long = lc is not None and any(billed(info, tier, f, True)[0] is not None for f in FIELDS)
        above = lc.above_input_tokens if lc is not None and ours_long else None
        theirs_above = theirs.above if theirs.long else None
        derived = lc is not None and getattr(lc, tier) is None
        if above != theirs_above and not (derived and theirs_above is None):
            yield Finding(source, model.id, info.name, tier, "long_context.above_input_tokens",
                          _text(above), _text(theirs_above), False, derived and above is not None)


# --- the allow-list ------------------------------------------------------------------------


def read_allowlist(path: Path = ALLOWLIST) -> AllowList:
    """The reviewed allow-list, validated."""
    try:
        return AllowList.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError) as e:
        if isinstance(e, ValidationError):
            raise CatalogError(validation_message(f"allow-list {path}", e)) from None
        raise CatalogError(f"Cannot read the allow-list {path}: {e}") from None


def allowed_by(finding: Finding, allow: AllowList) -> Allowed | None:
    return next((a for a in allow.entries if finding.matches(a)), None)


def stale(comparisons: Sequence[PriceComparison], allow: AllowList) -> list[Allowed]:
    """Entries of the allow-list, for a source compared here, that match no finding."""
    sources = {c.book.package for c in comparisons}
    findings = [f for c in comparisons for f in c.findings]
    return [a for a in allow.entries if a.source in sources and not any(f.matches(a) for f in findings)]


def draft_allowlist(comparisons: Sequence[PriceComparison], allow: AllowList, today: date) -> dict[str, Any]:
    """Every finding as an allow-list entry: the reviewed reason kept where one still matches. The
    entries of a source not compared here (litellm, when not installed) are kept as they are."""
    compared = {c.book.package for c in comparisons}
    entries: list[dict[str, Any]] = []
    for c in comparisons:
        for f in c.findings:
            kept = allowed_by(f, allow)
            entries.append({
                "source": f.source, "model": f.model, "entry": f.entry, "tier": f.tier, "field": f.field,
                "catalog": f.catalog, "theirs": f.theirs, **({"derived": True} if f.derived else {}),
                "reason": kept.reason if kept else "TODO: why this disagreement is accepted",
                "reviewed": (kept.reviewed if kept else today).isoformat(),
            })
    for a in allow.entries:
        if a.source not in compared:
            kept_entry = a.model_dump(mode="json")
            if not kept_entry["derived"]:
                del kept_entry["derived"]
            entries.append(kept_entry)
    return {"about": allow.about, "entries": entries}


# --- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tokencmp.maintain.price_check",
        description="Compare the catalog's OpenAI prices with the installed genai-prices (and litellm's "
        "bundled price map when litellm is installed): every disagreement by model, tier and field, "
        "every model they price per token that the catalog lacks, and which are in the reviewed "
        "allow-list. Exit 1 when one is not in the allow-list.",
    )
    parser.add_argument("--catalog", metavar="FILE", help="an override file merged over the bundled catalog")
    parser.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="compare the prices in effect on this day (default: today)")
    parser.add_argument("--allowlist", type=Path, default=ALLOWLIST, metavar="FILE",
                        help="the reviewed allow-list (default: tokencmp/data/price_disagreements.json)")
    parser.add_argument("--litellm", metavar="FILE", help="a copy of litellm's price map to compare too")
    parser.add_argument("--no-litellm", action="store_true",
                        help="do not compare litellm even when installed")
    parser.add_argument("--show-catalog-only", action="store_true",
                        help="also list the prices only the catalog has")
    parser.add_argument("--write-allowlist", metavar="FILE", type=Path,
                        help="write every disagreement found as a draft allow-list for review")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    return parser


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog)
    allow = read_allowlist(args.allowlist)
    books = [read_genai_prices(args.as_of)]
    if args.litellm:
        books.append(read_litellm(args.litellm))
    elif not args.no_litellm and litellm_installed():
        books.append(read_litellm())
    comparisons = [compare(catalog, book) for book in books]
    if args.write_allowlist:
        draft = draft_allowlist(comparisons, allow, date.today())
        args.write_allowlist.write_text(json.dumps(draft, indent=2, ensure_ascii=False) + "\n", "utf-8")
    failing = sum(allowed_by(f, allow) is None for c in comparisons for f in c.findings)
    old = stale(comparisons, allow)
    if args.format == "json":
        write_json({
            "sources": [_summary(c, allow) for c in comparisons],
            "findings": [f.row(allowed_by(f, allow) is not None) for c in comparisons for f in c.findings],
            "catalog_only": [f.row(False) for c in comparisons for f in c.catalog_only],
            "stale_allowlist_entries": [a.model_dump(mode="json") for a in old],
            "not_allowed": failing,
        })
    else:
        _print(comparisons, allow, old, args.show_catalog_only)
    return 1 if failing else 0


def _summary(c: PriceComparison, allow: AllowList) -> dict[str, Any]:
    missing = [f for f in c.findings if f.field == MISSING]
    return {
        "package": c.book.package, "version": c.book.version, "file": c.book.file,
        "as_of": c.book.as_of.isoformat(), "models": len(c.book.models), "compared": c.compared,
        "disagreements": len(c.findings) - len(missing), "missing": len(missing),
        "not_allowed": sum(allowed_by(f, allow) is None for f in c.findings),
        "catalog_only": len(c.catalog_only), "not_priced_per_token": list(c.not_per_token),
    }


def _print(
    comparisons: Sequence[PriceComparison], allow: AllowList, old: Sequence[Allowed], show_only: bool
) -> None:
    out = sys.stdout
    for c in comparisons:
        s = _summary(c, allow)
        out.write(
            f"{s['package']} {s['version']} ({s['file']}), OpenAI prices in effect on {s['as_of']}: "
            f"{s['models']} models, {s['compared']} compared with catalog entries, {s['missing']} missing "
            f"from the catalog, {len(c.not_per_token)} not priced per token.\n"
            f"  {s['disagreements']} price disagreements and {s['missing']} missing models: "
            f"{s['not_allowed']} not in the allow-list. {s['catalog_only']} prices only the catalog has.\n"
        )
    findings = [f for c in comparisons for f in c.findings]
    rows = [f.row(allowed_by(f, allow) is not None) for f in findings if f.field != MISSING]
    if rows:
        out.write("\nDisagreements (catalog marked (derived): the figure its rule bills, not one it lists; "
                  "theirs marked (standard): the tier takes the standard price):\n")
        write_table(rows, ["source", "model", "entry", "tier", "field", "catalog", "theirs", "allowed"])
    missing = [f.row(allowed_by(f, allow) is not None) for f in findings if f.field == MISSING]
    if missing:
        out.write("\nPriced per token there, missing from the catalog:\n")
        write_table(missing, ["source", "model", "allowed"])
    if show_only:
        only = [f.row(False) for c in comparisons for f in c.catalog_only]
        out.write("\nPrices only the catalog has:\n")
        write_table(only, ["source", "model", "entry", "tier", "field", "catalog"])
    if old:
        out.write(f"\nStale allow-list entries (they match nothing now; remove them): {len(old)}\n")
        columns = ["source", "model", "tier", "field", "catalog", "theirs"]
        write_table([a.model_dump(mode="json") for a in old], columns)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except TokencmpError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
