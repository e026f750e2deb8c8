"""The maintainers' refresh path: the catalog against genai-prices (pinned in the test extra).

Expected prices come from genai-prices 0.2.3's wheel, file ``genai_prices/data.py``, provider
``openai`` (quoted where used); the litellm reader is checked on a small map written here, whose
figures are worked by hand. The allow-list is ``tokencmp/data/price_disagreements.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_python
from tokencmp.catalog import load_catalog
from tokencmp.catalog.importer import billed
from tokencmp.catalog.pricebook import PriceBook, PricedModel, TierPrices, read_genai_prices
from tokencmp.maintain.litellm_prices import read_litellm
from tokencmp.maintain.price_check import (
    MISSING,
    AllowList,
    Finding,
    allowed_by,
    compare,
    main,
    read_allowlist,
    stale,
)

PINNED = "0.2.3"
AS_OF = date(2026, 12, 1)
"""The day the allow-list was reviewed for; genai-prices 0.2.3's newest price starts on 2026-10-19."""


@pytest.fixture(scope="module")
def book():
    assert metadata.version("genai-prices") == PINNED, (
        f"these tests read genai-prices {PINNED}: pip install -e '.[test]'"
    )
    return read_genai_prices(AS_OF)


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    load_catalog()


def _model(book, model_id):
    return next(m for m in book.models if m.id == model_id)


# --- reading genai-prices' data -------------------------------------------------------------


def test_prices_are_read_exactly_with_their_history_and_tiers(book) -> None:
    sol = _model(book, "gpt-5.6-sol")
    # data.py, ModelInfo(id='gpt-5.6-sol'): the ConditionalPrice from 2026-08-21 has
    # input_mtok=TieredPrices(base=Decimal('4'), tiers=[Tier(start=272000, price=Decimal('8'))]),
    # cache_read 0.4 (0.8), cache_write 5 (10), output 20 (30).
    std = sol.tiers["standard"]
    assert dict(std.prices) == {"input": Decimal("4"), "cached_input": Decimal("0.4"),
                                "cache_write": Decimal("5"), "output": Decimal("20")}
    assert std.above == 272000
    assert dict(std.long) == {"input": Decimal("8"), "cached_input": Decimal("0.8"),
                              "cache_write": Decimal("10"), "output": Decimal("30")}
    # PriceVariant(when={'service_tier': 'priority'}): input 8; {'processing': 'batch'}: input 2.
    assert sol.tiers["priority"].prices["input"] == Decimal("8")
    assert sol.tiers["batch"].prices["input"] == Decimal("2")
    assert "gpt-5.6" in sol.names  # ClauseEquals(equals='gpt-5.6')
    # Before 2026-08-21 the first ConditionalPrice holds: input 5, output 30.
    before = _model(read_genai_prices(date(2026, 8, 20)), "gpt-5.6-sol").tiers["standard"]
    assert (before.prices["input"], before.prices["output"]) == (Decimal("5"), Decimal("30"))


def test_a_tier_field_left_out_is_the_standard_one_and_says_so(book) -> None:
    gpt4o = _model(book, "gpt-4o")
    # "The Batch table publishes no cached-input rate, so cached input keeps the standard rate":
    # the batch variant has input 1.25 and output 5 only; the standard cache_read is 1.25.
    batch = gpt4o.tiers["batch"]
    assert batch.prices["cached_input"] == Decimal("1.25")
    assert batch.inherited == {"cached_input"}
    assert gpt4o.tiers["priority"].prices["cached_input"] == Decimal("2.125")
    assert gpt4o.checked == date(2026, 10, 14)  # "Batch rates verified on 2026-10-14"
    assert "flex" not in gpt4o.tiers  # no service_tier flex variant for gpt-4o


def test_the_data_is_read_without_importing_genai_prices() -> None:
    # Importing genai_prices loads httpx2, made to fetch newer prices; reading its file must not.
    out = run_python(
        "import json, sys\n"
        "from tokencmp.catalog.pricebook import read_genai_prices\n"
        "book = read_genai_prices()\n"
        "print(json.dumps([len(book.models), sorted(m for m in sys.modules if m.split('.')[0] in "
        "('genai_prices', 'httpx2', 'httpx', 'litellm'))]))"
    )
    assert out[0] > 100  # genai-prices 0.2.3 lists 113 OpenAI models
    assert out[1] == []


# --- the catalog against the allow-list ----------------------------------------------------


def test_every_genai_prices_disagreement_is_reviewed(book, restore_catalog) -> None:
    allow = read_allowlist()
    result = compare(load_catalog(), book)
    unreviewed = [f for f in result.findings if allowed_by(f, allow) is None]
    assert not unreviewed, (
        f"{len(unreviewed)} disagreements with genai-prices {PINNED} are not in "
        "tokencmp/data/price_disagreements.json (fix the catalog, or review them: "
        "python -m tokencmp.maintain.price_check --write-allowlist draft.json):\n"
        + "\n".join(f"  {f.model} {f.tier} {f.field}: catalog {f.catalog}, genai-prices {f.theirs}"
                    for f in unreviewed[:40])
    )


def test_every_active_openai_model_it_prices_is_in_the_catalog_or_reviewed(book, restore_catalog) -> None:
    allow = read_allowlist()
    missing = [f.model for f in compare(load_catalog(), book).findings
               if f.field == MISSING and allowed_by(f, allow) is None]
    assert not missing, f"priced by genai-prices {PINNED}, missing from the catalog: {missing}"


def test_the_allowlist_has_no_stale_entries(book, restore_catalog) -> None:
    old = stale([compare(load_catalog(), book)], read_allowlist())
    assert not old, "entries that match nothing now (remove them): " + ", ".join(
        f"{a.model} {a.tier} {a.field}" for a in old
    )


def test_a_changed_price_is_a_new_disagreement(book, tmp_path, restore_catalog) -> None:
    # data.py: gpt-4o input_mtok=Decimal('2.5'); an override making it 2.00 disagrees.
    path = tmp_path / "cheaper.json"
    path.write_text(json.dumps({"models": {"gpt-4o": {"prices": {"standard": {"input": "2.00"}}}}}))
    result = compare(load_catalog(path), book)
    found = [f for f in result.findings if (f.entry, f.tier, f.field) == ("gpt-4o", "standard", "input")]
    assert [(f.catalog, f.theirs) for f in found] == [("2", "2.5")]
    assert allowed_by(found[0], read_allowlist()) is None


def test_an_entry_covers_only_the_values_reviewed() -> None:
    allow = AllowList.model_validate({"about": "t", "entries": [{
        "source": "genai-prices", "model": "m", "tier": "standard", "field": "input",
        "catalog": "5", "theirs": "4.0", "reason": "a reviewed reason", "reviewed": "2026-12-02"}]})
    same = Finding("genai-prices", "m", "m", "standard", "input", "5", "4")
    moved = Finding("genai-prices", "m", "m", "standard", "input", "5", "3.5")
    assert allowed_by(same, allow) is not None  # 4.0 and 4 are one amount
    assert allowed_by(moved, allow) is None


def test_a_reason_must_be_written() -> None:
    with pytest.raises(ValueError, match="TODO"):
        AllowList.model_validate({"about": "t", "entries": [{
            "source": "genai-prices", "model": "m", "field": "entry", "theirs": "priced",
            "reason": "TODO: why this disagreement is accepted", "reviewed": "2026-12-02"}]})


def test_a_missing_model_is_found_and_the_gpt_6_family_is_not(book, restore_catalog) -> None:
    catalog = load_catalog()
    # data.py prices gpt-6-sol, gpt-6-luna, gpt-6-astra, gpt-6.1-sol and gpt-6.1-terra (ClauseEquals of
    # each name); the catalog has an entry of each name, so none is missing.
    missing = {f.model for f in compare(catalog, book).findings if f.field == MISSING}
    gpt6 = {"gpt-6-sol", "gpt-6-luna", "gpt-6-astra", "gpt-6.1-sol", "gpt-6.1-terra"}
    assert gpt6 <= catalog.names().keys()
    assert not missing & (gpt6 | {"gpt-4o"})
    # A name tokencmp resolves only by a family rule has no price here: the model is missing.
    nova = PricedModel(id="gpt-6.9-nova", names=("gpt-6.9-nova",),
                       tiers={"standard": TierPrices({"input": Decimal("1"), "output": Decimal("4")})})
    other = compare(catalog, PriceBook("genai-prices", "t", "genai_prices/data.py", AS_OF, (nova,)))
    assert [(f.model, f.field) for f in other.findings] == [("gpt-6.9-nova", MISSING)]


def test_a_price_the_catalog_derives_by_its_rule_agrees_as_billed(book, restore_catalog) -> None:
    catalog = load_catalog()
    sol = catalog.models["gpt-6-sol"]
    assert sol.long_context is not None and sol.long_context.batch is None  # batch above 272K by rule
    # data.py, gpt-6-sol, PriceVariant(when={'processing': 'batch'}): input_mtok=TieredPrices(
    # base=Decimal('1'), tiers=[Tier(start=272000, price=Decimal('2'))]), cache_read 0.1 (0.2),
    # cache_write 1.25 (2.5), output 5 (7.5). The catalog bills batch above 272K as the batch
    # prices times its multipliers: 1 x 2 = 2, 0.1 x 2 = 0.2, 1.25 x 2 = 2.5, 5 x 1.5 = 7.5.
    assert billed(sol, "batch", "input", long=True) == (Decimal("2"), True)
    assert billed(sol, "batch", "output", long=True) == (Decimal("7.5"), True)
    assert billed(sol, "standard", "output", long=True) == (Decimal("15"), False)  # listed
    assert [f for f in compare(catalog, book).findings if f.model == "gpt-6-sol"] == []


def test_a_disagreement_in_a_derived_price_is_reported_as_derived(book, tmp_path, restore_catalog) -> None:
    # Hand-made: an output multiplier of 2 bills batch and flex output above 272K at 5 x 2 = 10 and
    # priority at 20 x 2 = 40, where data.py gives 7.5 and 30 (PriceVariants of gpt-6-sol).
    path = tmp_path / "double.json"
    path.write_text(json.dumps({"models": {"gpt-6-sol": {"long_context": {"multipliers": {"output": "2"}}}}}))
    found = [f for f in compare(load_catalog(path), book).findings if f.model == "gpt-6-sol"]
    assert [(f.tier, f.field, f.catalog, f.theirs, f.derived) for f in found] == [
        ("batch", "long_context.output", "10", "7.5", True),
        ("flex", "long_context.output", "10", "7.5", True),
        ("priority", "long_context.output", "40", "30", True),
    ]
    assert found[0].row(False)["catalog"] == "10 (derived)"


def test_cached_input_a_tier_lacks_is_compared_at_the_rate_tokencmp_bills(book, restore_catalog) -> None:
    # gpt-4.1: the catalog's batch tier is input 1 and output 4 with no cached price (OpenAI's pricing
    # page shows none), so money/cost.py bills batch cached tokens at the batch input rate, 1.
    # data.py, gpt-4.1: 'The Batch table publishes no cached-input rate, so cached input keeps the
    # standard rate', cache_read_mtok=Decimal('0.5').
    found = [f for f in compare(load_catalog(), book).findings
             if (f.entry, f.tier, f.field) == ("gpt-4.1", "batch", "cached_input")]
    assert [(f.catalog, f.theirs, f.inherited, f.derived) for f in found] == [("1", "0.5", True, True)]
    assert allowed_by(found[0], read_allowlist()) is not None  # reviewed


def test_a_fine_tune_is_compared_at_the_prices_it_is_billed(book, restore_catalog) -> None:
    # A database that prices a fine-tune by its ft: name is compared with what tokencmp bills that
    # name (the catalog's fine-tuned inference prices), never with its base entry's. Hand-made:
    # ft:gpt-4.1-2025-04-14 at input 3, cached 0.75 and output 12 per 1M, the catalog's fine_tuning
    # prices of gpt-4.1 (OpenAI's pricing page, fine-tuning section); the base gpt-4.1 is 2 / 0.5 / 8.
    catalog = load_catalog()
    name = "ft:gpt-4.1-2025-04-14"
    agreeing = PricedModel(id=name, names=(name,), tiers={"standard": TierPrices(
        {"input": Decimal("3"), "cached_input": Decimal("0.75"), "output": Decimal("12")})})
    one = PriceBook("litellm", "t", "model_prices.json", AS_OF, (agreeing,))
    assert [f for f in compare(catalog, one).findings if f.tier == "standard"] == []
    # At the base entry's prices it disagrees on each field, and the finding names the fine-tune.
    base = PricedModel(id=name, names=(name,), tiers={"standard": TierPrices(
        {"input": Decimal("2"), "cached_input": Decimal("0.5"), "output": Decimal("8")})})
    found = [f for f in compare(catalog, PriceBook("litellm", "t", "m.json", AS_OF, (base,))).findings
             if f.tier == "standard"]
    assert [(f.entry, f.field, f.catalog, f.theirs) for f in found] == [
        (name, "input", "3", "2"), (name, "cached_input", "0.75", "0.5"), (name, "output", "12", "8")]


# --- litellm's map ---------------------------------------------------------------------------


def test_litellm_per_token_floats_become_exact_prices_per_million(tmp_path) -> None:
    path = tmp_path / "map.json"
    path.write_text(json.dumps({
        "sample_spec": {"input_cost_per_token": 0},
        "gpt-x": {"litellm_provider": "openai", "mode": "chat",
                  "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
                  "cache_read_input_token_cost": 1.25e-07, "input_cost_per_token_batches": 1.25e-06,
                  "input_cost_per_token_above_272k_tokens": 5e-06,
                  "input_cost_per_token_above_272k_tokens_flex": 2.5e-06,
                  "cache_creation_input_token_cost_above_12hr": 1e-05},
        "low/1024-x-1024/gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-06},
        "azure/gpt-x": {"litellm_provider": "azure", "input_cost_per_token": 1e-06},
    }))
    book = read_litellm(path, version="test")
    assert [m.id for m in book.models] == ["gpt-x"]
    tiers = book.models[0].tiers
    # 2.5e-06 x 1,000,000 = 2.5; 1e-05 -> 10; 1.25e-07 -> 0.125; 1.25e-06 -> 1.25; 5e-06 -> 5
    assert tiers["standard"].prices == {"input": Decimal("2.5"), "output": Decimal("10"),
                                        "cached_input": Decimal("0.125")}
    assert tiers["batch"].prices == {"input": Decimal("1.25")}
    assert (tiers["standard"].above, tiers["standard"].long) == (272000, {"input": Decimal("5")})
    assert tiers["flex"].long == {"input": Decimal("2.5")}
    assert "cache_write" not in tiers["standard"].prices  # the 12-hour retention key is left out


# --- the command ---------------------------------------------------------------------------


def test_the_command_passes_on_the_bundled_catalog(capsys, restore_catalog) -> None:
    assert main(["--as-of", AS_OF.isoformat(), "--no-litellm"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"genai-prices {PINNED} (genai_prices/data.py), OpenAI prices in effect on 2026-12-01")
    assert "0 not in the allow-list" in out


def test_the_command_fails_on_an_unreviewed_price_and_drafts_the_list(
    tmp_path, capsys, restore_catalog
) -> None:
    override = tmp_path / "cheaper.json"
    override.write_text(json.dumps({"models": {"gpt-4o": {"prices": {"standard": {"input": "2.00"}}}}}))
    draft = tmp_path / "draft.json"
    code = main(["--as-of", AS_OF.isoformat(), "--no-litellm", "--catalog", str(override),
                 "--write-allowlist", str(draft), "--format", "json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["not_allowed"] == 1
    bad = [f for f in report["findings"] if not f["allowed"]]
    assert [(f["model"], f["tier"], f["field"], f["catalog"], f["theirs"]) for f in bad] == [
        ("gpt-4o", "standard", "input", "2", "2.5")
    ]
    entries = json.loads(draft.read_text())["entries"]
    todo = [e for e in entries if e["reason"].startswith("TODO")]
    assert [(e["model"], e["field"]) for e in todo] == [("gpt-4o", "input")]
    assert len(entries) == len(read_allowlist().entries) + 1  # reviewed reasons kept


def test_the_command_has_help_and_runs_as_a_module() -> None:
    proc = subprocess.run([sys.executable, "-m", "tokencmp.maintain.price_check", "--help"],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0
    assert "--write-allowlist" in proc.stdout


def test_the_allowlist_lives_in_the_repository() -> None:
    path = Path(ROOT) / "tokencmp" / "data" / "price_disagreements.json"
    allow = read_allowlist(path)
    assert all(a.reason and a.reviewed for a in allow.entries)
    assert not [a.model for a in allow.entries if "TODO" in a.reason]
    assert {a.source for a in allow.entries} == {"genai-prices", "litellm"}  # both reviewed
