"""The users' refresh path: ``tokencmp models --import genai-prices`` writes an override file.

Expected prices are genai-prices 0.2.3's (pinned in the test extra), from its wheel's
``genai_prices/data.py``, provider ``openai``, quoted where used; costs are worked by hand from
them. The end-to-end tests run the command line in a subprocess with ``TOKENCMP_CATALOG`` set,
for ``count``, ``request``, ``cost`` and ``check``, on the imported file and on the override
example of docs/catalog.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_python
from tokencmp.catalog import load_catalog
from tokencmp.catalog.importer import override_from
from tokencmp.catalog.pricebook import PriceBook, PricedModel, TierPrices, read_genai_prices

AS_OF = date(2026, 12, 1)
HELLO = {"model": "gpt-5.6-sol", "max_tokens": 100, "messages": [{"role": "user", "content": "Hello!"}]}
"""README: "Hello!" is 2 tokens on o200k_base, so 3 + 1 + 2 + 3 = 9 prompt tokens on a model that
primes the reply with 3, 3 + 1 + 2 + 2 = 8 on a reasoning model such as gpt-5.6-sol (docs/chat.md)."""


@pytest.fixture(scope="module")
def book() -> PriceBook:
    assert metadata.version("genai-prices") == "0.2.3", "pip install -e '.[test]' (genai-prices==0.2.3)"
    return read_genai_prices(AS_OF)


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    load_catalog()


def run_cli(
    *args: str, catalog: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TOKENCMP_CATALOG", None)
    if catalog is not None:
        env["TOKENCMP_CATALOG"] = str(catalog)
    return subprocess.run([sys.executable, "-m", "tokencmp", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=300)


# --- the override -------------------------------------------------------------------------


def _older(tmp_path: Path, entries: dict) -> Path:
    """A catalog whose ``entries`` hold older prices, whatever the bundled catalog holds today."""
    path = tmp_path / "older.json"
    path.write_text(json.dumps({"models": entries}))
    return path


def test_newer_prices_are_written_with_their_source(book, tmp_path, restore_catalog) -> None:
    # the prices of OpenAI's docs copy of 2026-07-15, before the cut of 2026-08-21
    older = _older(tmp_path, {"gpt-5.6-sol": {"prices": {"standard": {"input": "5", "output": "30"}}}})
    result = override_from(book, load_catalog(older))
    sol = result.override["models"]["gpt-5.6-sol"]
    # data.py, gpt-5.6-sol, ConditionalPrice from 2026-08-21: 4 / 0.4 cached / 5 cache write / 20,
    # each a TieredPrices whose tier above 272000 input tokens is 8 / 0.8 / 10 / 30.
    assert sol["prices"]["standard"] == {
        "input": "4", "cached_input": "0.4", "cache_write": "5", "output": "20"}
    assert sol["long_context"]["above_input_tokens"] == 272000
    assert sol["long_context"]["standard"] == {"input": "8", "cached_input": "0.8", "cache_write": "10",
                                               "output": "30"}
    assert sol["prices"]["priority"]["input"] == "8"  # PriceVariant(when={'service_tier': 'priority'})
    # PriceVariant(when={'processing': 'batch'}): input_mtok=TieredPrices(base=Decimal('2'),
    # tiers=[Tier(start=272000, price=Decimal('4'))]), cache_read 0.2 (0.4), cache_write 2.5 (5),
    # output 10 (15): the batch tier's long-context prices, which the schema holds since cat-data.
    assert sol["long_context"]["batch"] == {"input": "4", "cached_input": "0.4", "cache_write": "5",
                                            "output": "15"}
    assert sol["sources"] == {"prices": "genai-prices-0.2.3", "long_context": "genai-prices-0.2.3"}
    # checked: the source's date (2026-10-26, below), or the bundled entry's own when later (its
    # other facts keep their sources, and no fact is checked before its source's date).
    assert sol["checked"] == max(date(2026, 10, 26), load_catalog().models["gpt-5.6-sol"].checked).isoformat()
    assert "verified there on 2026-10-14" in sol["notes"][0]  # "Batch rates verified on 2026-10-14"
    source = result.override["sources"]["genai-prices-0.2.3"]
    assert source["url"] == "https://pypi.org/project/genai-prices/0.2.3/"
    # the newest verification date in its OpenAI data: gpt-6.1-terra's
    # "Flex/priority/fast rates verified on 2026-10-26"
    assert source["date"] == "2026-10-26"


def test_a_price_it_takes_from_the_standard_tier_is_not_imported(book, tmp_path, restore_catalog) -> None:
    older = _older(tmp_path, {"gpt-4o": {"prices": {"standard": {"input": "5"}}}})
    gpt4o = override_from(book, load_catalog(older)).override["models"]["gpt-4o"]
    # data.py, gpt-4o: the batch variant gives input 1.25 and output 5 only ("The Batch table
    # publishes no cached-input rate"); the priority variant gives cache_read 2.125.
    assert gpt4o["prices"]["batch"] == {"input": "1.25", "output": "5"}
    assert gpt4o["prices"]["priority"]["cached_input"] == "2.125"


def test_agreeing_and_retired_entries_are_not_written(book, tmp_path, restore_catalog) -> None:
    # data.py: text-embedding-3-small, ModelPrice(input_mtok=Decimal('0.02')), nothing else.
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(
        {"models": {"text-embedding-3-small": {"prices": {"standard": {"input": "0.020"}}}}}))
    result = override_from(book, load_catalog(mine))
    assert "text-embedding-3-small" not in result.override["models"]
    # data.py prices ada (input 0.4, output 0.4); the catalog has it shut down, unpriced.
    assert load_catalog().models["ada"].status == "shut_down"
    assert "ada" not in override_from(book, load_catalog()).override["models"]


def test_a_model_tokencmp_cannot_count_is_listed_not_invented(restore_catalog) -> None:
    model = PricedModel(id="zz-unknown", names=("zz-unknown",),
                        tiers={"standard": TierPrices({"input": Decimal("1"), "output": Decimal("2")})})
    result = override_from(PriceBook("genai-prices", "9", "genai_prices/data.py", AS_OF, (model,)),
                           load_catalog())
    assert result.override == {}
    assert [name for name, _ in result.skipped] == ["zz-unknown"]
    assert "encoding" in result.skipped[0][1]


def test_a_new_model_takes_its_encoding_from_the_naming_rules(restore_catalog) -> None:
    # Hand-made: tomorrow's name gpt-6.9-nova, priced 3 / 0.3 / 12 with a 1,050,000 context.
    prices = {"input": Decimal("3"), "cached_input": Decimal("0.3"), "output": Decimal("12")}
    model = PricedModel(id="gpt-6.9-nova", names=("gpt-6.9-nova",), context_window=1050000,
                        tiers={"standard": TierPrices(prices)})
    book = PriceBook("genai-prices", "0.2.3", "genai_prices/data.py", AS_OF, (model,))
    result = override_from(book, load_catalog())
    assert result.added == ("gpt-6.9-nova",)
    entry = result.override["models"]["gpt-6.9-nova"]
    assert entry["prices"]["standard"] == {"input": "3", "cached_input": "0.3", "output": "12"}
    assert entry["context_window"] == 1050000
    # the catalog's gpt family rule (a GPT number after 5, then up to two words) gives o200k_base
    assert entry["encoding"] == "o200k_base" and entry["status"] == "active"
    assert "assumed from" in entry["notes"][0]
    assert entry["checked"] == AS_OF.isoformat()  # a book with no verification date: its day
    loaded = load_catalog_from(entry)
    assert loaded.models["gpt-6.9-nova"].prices["standard"].output == Decimal("12")


def test_the_import_writes_nothing_the_catalog_already_bills(book, restore_catalog) -> None:
    catalog = load_catalog()
    result = override_from(book, catalog)
    # No model the catalog has an entry or alias for is added (data.py prices the GPT-6 family,
    # which the catalog has).
    assert not set(result.added) & catalog.names().keys()
    # data.py, gpt-6-sol, batch: 1 / 0.1 / 1.25 / 5, above 272000: 2 / 0.2 / 2.5 / 7.5. The catalog
    # lists batch 1 / 0.1 / 1.25 / 5 and bills batch above 272K by its multipliers (2x, 1.5x): the
    # same amounts, so the entry is not written; likewise gpt-5.6-sol (batch 2 / 0.2 / 2.5 / 10,
    # above 272K 4 / 0.4 / 5 / 15) and gpt-6.1-terra.
    assert not {"gpt-6-sol", "gpt-5.6-sol", "gpt-6.1-terra"} & set(result.changed)


def load_catalog_from(entry: dict) -> object:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.json"
        path.write_text(json.dumps({"sources": {"genai-prices-0.2.3": {
            "title": "t", "url": "u", "copy": "c", "date": "2026-10-26"}},
            "models": {"gpt-6.9-nova": entry}}))
        return load_catalog(path)


# --- end to end, through the command line --------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    proc = run_cli("models", "--import", "genai-prices")
    assert proc.returncode == 0, proc.stderr
    path = tmp_path_factory.mktemp("import") / "newer.json"
    path.write_text(proc.stdout)
    assert re.search(r"\d+ entries with newer prices, \d+ models added", proc.stderr)
    return path


def test_the_imported_file_works_for_count_request_cost_and_check(imported, tmp_path) -> None:
    body = tmp_path / "body.json"
    body.write_text(json.dumps(HELLO))
    count = run_cli("count", "--model", "gpt-5.6-sol", "--format", "json", "-",
                    catalog=imported, stdin="Hello!")
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout)["total"]["tokens"] == 2
    request = run_cli("request", str(body), "--format", "json", catalog=imported)
    assert request.returncode == 0, request.stderr
    # gpt-5.6-sol is a reasoning model: its reply priming is 2 (docs/chat.md), 3 + 1 + 2 + 2 = 8
    assert json.loads(request.stdout)["total"] == 8
    cost = run_cli("cost", str(body), "--model", "gpt-5.6-sol", "--format", "json", catalog=imported)
    assert cost.returncode == 0, cost.stderr
    [row] = json.loads(cost.stdout)
    # 8 x $4/1M = 0.000032; 100 x $20/1M = 0.002 (genai-prices' gpt-5.6-sol since 2026-08-21)
    assert (row["prompt_cost"], row["total_max"]) == ("0.000032", "0.002032")
    if "gpt-5.6-sol" in json.loads(imported.read_text())["models"]:  # the bundled catalog differs
        assert row["price_sources"] == ["https://pypi.org/project/genai-prices/0.2.3/"]
    fits = run_cli("check", str(body), "--max-cost", "0.01", "--format", "json", catalog=imported)
    assert fits.returncode == 0, fits.stderr
    assert json.loads(fits.stdout)["within_budget"] is True
    over = run_cli("check", str(body), "--max-cost", "0.002", catalog=imported)
    assert over.returncode == 3  # up to 0.002032 > 0.002


DOC_OVERRIDE = re.compile(r"```json\n(\{\"models\": \{\n  \"gpt-4o\".*?)```", re.DOTALL)


def test_the_override_example_of_the_docs_works_end_to_end(tmp_path) -> None:
    text = (Path(ROOT) / "docs" / "catalog.md").read_text("utf-8")
    match = DOC_OVERRIDE.search(text)
    assert match, "docs/catalog.md lost its override example"
    override = tmp_path / "mine.json"
    override.write_text(match[1])
    body = tmp_path / "body.json"
    body.write_text(json.dumps({**HELLO, "model": "my-finetune"}))
    count = run_cli("count", "--model", "my-finetune", "--format", "json", "-",
                    catalog=override, stdin="Hello!")
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout)["total"]["tokens"] == 2
    request = run_cli("request", str(body), "--format", "json", catalog=override)
    assert request.returncode == 0, request.stderr
    assert json.loads(request.stdout)["total"] == 9
    cost = run_cli("cost", str(body), "--model", "my-finetune", "--model", "gpt-4o", "--format", "json",
                   catalog=override)
    assert cost.returncode == 0, cost.stderr
    rows = {r["model"]: r for r in json.loads(cost.stdout)}
    # my-finetune: 9 x $3.75/1M = 0.00003375, + 100 x $15/1M = 0.0015; gpt-4o at the example's
    # $2.00 input: 9 x 2/1M = 0.000018. No recorded call measures my-finetune's messages, so its
    # count is an estimate of 9 with 10 as its upper bound, where total_max prices the prompt
    # (docs/cost.md): 10 x $3.75/1M = 0.0000375, + 0.0015
    assert rows["my-finetune"]["prompt_cost"] == "0.00003375"
    assert rows["my-finetune"]["total_max"] == "0.0015375"
    assert rows["gpt-4o"]["prompt_cost"] == "0.000018"
    check = run_cli("check", str(body), "--max-cost", "0.01", "--format", "json", catalog=override)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["within_budget"] is True


def test_a_chat_model_without_a_chat_format_says_what_it_lacks(tmp_path) -> None:
    override = tmp_path / "bare.json"
    override.write_text(json.dumps({"models": {"my-finetune": {
        "encoding": "o200k_base", "context_window": 128000, "checked": "2026-11-25"}}}))
    body = tmp_path / "body.json"
    body.write_text(json.dumps({**HELLO, "model": "my-finetune"}))
    proc = run_cli("request", str(body), catalog=override)
    assert proc.returncode == 1
    assert "not a chat model" not in proc.stderr
    assert 'add "chat_format"' in proc.stderr and "chatml-newer" in proc.stderr


def test_importing_again_over_the_imported_file_writes_the_same_file(imported) -> None:
    # TOKENCMP_CATALOG names one file, which the new one replaces: it is written over the bundled
    # catalog, not over the override in use (else the prices already imported would be dropped).
    again = run_cli("models", "--import", "genai-prices", catalog=imported)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(imported.read_text())


def test_counting_never_reads_genai_prices() -> None:
    out = run_python(
        "import json, sys, tokencmp\n"
        "tokencmp.count_tokens('Hello!', model='gpt-5.6-sol')\n"
        "tokencmp.check_budget({'model': 'gpt-4o', 'messages': [{'role': 'user', 'content': 'Hi'}]})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('tokencmp.catalog.importer', "
        "'tokencmp.catalog.pricebook', 'tokencmp.maintain', 'genai_prices')))))"
    )
    assert out == []
