"""The catalog's data at its newest sources (issue 14): new models, prices, tiers, shutdowns, provenance.

Sources named below, with the date each carries:
- OAI-M: OpenAI model pages, developers.openai.com/api/docs/models/<name>, stored copies (gpt-5.6-sol,
  gpt-5.6-luna with content after the 2026-08-21 cut; gpt-6-sol after 2026-09-29; gpt-6.2-sol after
  2026-11-17).
- OAI-P / OAI-D: OpenAI pricing and deprecations pages, docs mirror piercecohen1/openai-docs @de09146
  (2026-07-15).
- OAI-F: openai.com/api-fast-mode (the priority tier renamed Fast mode on 2026-07-30).
- GP: genai-prices 0.2.3 wheel, genai_prices/data.py (newest dated price 2026-12-01).
- LL: litellm 1.110.2 wheel, model_prices_and_context_window_backup.json (deprecation_date, with
  deprecation_source https://developers.openai.com/api/docs/deprecations).
- tiktoken 0.14.0 tiktoken/model.py: o200k_base for gpt-4o and every later model in its table.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from tokencmp import (
    check_budget,
    cost_from_usage,
    count_tokens,
    estimate_cost,
    get_catalog,
    load_catalog,
    resolve_model,
    stale_facts,
)
from tokencmp.catalog.provenance import unsourced
from tokencmp.errors import CatalogError, PriceUnknownError
from tokencmp.money.cost import prices_for

from .test_cli import run_cli


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    load_catalog()

# --- new models ------------------------------------------------------------------------

# (name, standard input, cached input, output) per 1M tokens, each from the source in the comment
NEW_PRICED = [
    ("gpt-6-sol", "2", "0.2", "10"),          # OAI-M gpt-6-sol; GP and LL agree
    ("gpt-6-astra", "10", "1", "50"),         # GP gpt-6-astra; LL agrees
    ("gpt-6-luna", "0.1", "0.01", "0.5"),     # GP gpt-6-luna; LL agrees
    ("gpt-6.1-sol", "2", "0.1", "10"),        # GP gpt-6.1-sol (cache reads 5% of input); LL agrees
    ("gpt-6.1-terra", "1", "0.05", "5"),      # GP gpt-6.1-terra; LL agrees
    ("gpt-6.2-sol", "2", "0.1", "10"),        # OAI-M gpt-6.2-sol ("Cached input $0.1")
    ("gpt-6.2-astra", "8", None, "40"),       # OAI-M: $8 / $40 (no cached rate seen)
    ("gpt-6-cyber", "20", "2", "100"),        # GP gpt-6-cyber; LL agrees
    ("gpt-6-rosalind", "15", "1.5", "75"),    # GP gpt-6-rosalind; LL agrees
    ("gpt-5.6-cyber", "12.5", "1.25", "75"),  # GP (pricing page, Cyber models); LL agrees
    ("gpt-5.5-cyber", "12.5", "1.25", "75"),  # GP; LL agrees
    ("chat-latest", "5", "0.5", "30"),        # LL chat-latest; GP gpt-chat-latest agrees
    ("gpt-5-search-api", "1.25", "0.125", "10"),  # GP; LL agrees
    ("gpt-4o-search-preview", "2.5", "1.25", "10"),  # LL
    ("gpt-4o-mini-search-preview", "0.15", "0.075", "0.6"),  # LL
    ("gpt-5.3-codex", "1.75", "0.175", "14"),  # GP; LL agrees
    ("gpt-realtime-2", "4", "0.4", "24"),     # LL; GP agrees
    ("gpt-realtime-1.5", "4", "0.4", "16"),   # LL
    ("gpt-realtime-2.1", "4", "0.4", "24"),   # LL
    ("gpt-realtime-2.1-mini", "0.6", "0.06", "2.4"),  # LL
    ("gpt-audio-1.5", "2.5", None, "10"),     # LL
    ("gpt-audio-mini", "0.6", None, "2.4"),   # LL; GP agrees
]


@pytest.mark.parametrize("name, price_in, cached, out", NEW_PRICED)
def test_new_models_resolve_to_their_own_priced_entries(name, price_in, cached, out) -> None:
    info = resolve_model(name)
    assert info.name == name and info.assumed_from is None
    assert info.encoding == "o200k_base"  # tiktoken 0.14: o200k_base for every model since gpt-4o
    std = info.prices["standard"]
    assert std.input == D(price_in) and std.output == D(out)
    assert std.cached_input == (None if cached is None else D(cached))


def test_new_models_use_tiktokens_encoding_or_say_they_assume_it() -> None:
    # tiktoken 0.14.0 tiktoken/model.py: a name it maps (MODEL_TO_ENCODING or a prefix) keeps its
    # encoding; one it does not (KeyError) is o200k_base, with the assumption in the notes
    import tiktoken.model

    for name, *_ in NEW_PRICED:
        info = resolve_model(name)
        try:
            assert info.encoding == tiktoken.model.encoding_name_for_model(name)
        except KeyError:
            assert info.encoding == "o200k_base"
            assert any("o200k_base is assumed" in n for n in info.notes), name


def test_gpt_6_models_share_gpt_5_6s_formats_and_limits() -> None:
    # OAI-M gpt-6-sol / gpt-6.2-sol: 1,050,000 context, 128,000 output; 922,000 input (gpt-6.2-sol page, LL)
    sol = resolve_model("gpt-5.6-sol")
    for name in ("gpt-6-sol", "gpt-6-astra", "gpt-6-luna", "gpt-6.1-sol", "gpt-6.1-terra", "gpt-6.2-sol",
                 "gpt-6.2-astra"):
        info = resolve_model(name)
        limits = (info.context_window, info.max_input_tokens, info.max_output_tokens)
        assert limits == (1_050_000, 922_000, 128_000)
        assert info.chat_format == sol.chat_format and info.vision == sol.vision
        assert any("assumed" in n for n in info.notes)  # vision rule and message format: assumed


def test_count_on_the_command_line_for_gpt_6_sol() -> None:
    # The first failure: "Unknown model 'gpt-6-sol'". gpt-6-sol uses o200k_base, gpt-4o's encoding.
    proc = run_cli("count", "--model", "gpt-6-sol", "--format", "json", "-", stdin=b"hello\n")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["encoding"] == "o200k_base"
    assert out["total"]["tokens"] == count_tokens("hello\n", model="gpt-4o")


def test_gpt_5_6_is_an_alias_of_sol_with_its_prices() -> None:
    # OAI-M gpt-5.6-sol: "The gpt-5.6 alias routes requests to GPT-5.6 Sol"; $4 / $0.40 / $20 since
    # 2026-08-21, cache writes 1.25 x 4 = $5.
    info = resolve_model("gpt-5.6")
    assert info.name == "gpt-5.6-sol" and info.assumed_from is None
    std = info.prices["standard"]
    assert (std.input, std.cached_input, std.cache_write, std.output) == (D("4"), D("0.4"), D("5"), D("20"))


def test_gpt_5_6_luna_at_the_price_after_the_cut() -> None:
    # OAI-M gpt-5.6-luna: $0.20 input, $0.02 cached, $1.20 output (the 80% cut of 2026-07-30).
    # 10,000 prompt of which 4,000 cached, 2,000 output:
    # 6,000 x 0.2 + 4,000 x 0.02 + 2,000 x 1.2 = 1,200 + 80 + 2,400 = 3,680 per 1M
    est = estimate_cost(10_000, model="gpt-5.6-luna", cached_tokens=4_000, output_tokens=2_000)
    assert est.total == D("0.00368")


def test_gpt_5_6_terra_after_the_cut() -> None:
    # GP gpt-5.6-terra (20% cut of 2026-07-30): $2 / $12; LL agrees (below the 272K threshold).
    # 100,000 x 2 + 100,000 x 12 = 1,400,000 per 1M
    assert estimate_cost(100_000, model="gpt-5.6-terra", output_tokens=100_000).total == D("1.4")


def test_image_models_price_text_input_only() -> None:
    # LL gpt-image-2: text input $5 per 1M; image tokens are not modelled, so output has no price.
    assert estimate_cost(1_000_000, model="gpt-image-2", output_tokens=0).total == D("5")
    with pytest.raises(PriceUnknownError, match="output"):
        estimate_cost(1_000, model="gpt-image-2", output_tokens=10)


# --- cached input per tier ------------------------------------------------------------------


@pytest.mark.parametrize("model, tier, rate", [
    ("gpt-5", "batch", "0.0625"),       # OAI-P (and GP, LL): gpt-5 batch cached input
    ("gpt-5", "flex", "0.0625"),
    ("gpt-5", "priority", "0.25"),
    ("gpt-5.5", "priority", "1.25"),
    ("gpt-5.2", "batch", "0.0875"),
    ("gpt-5-mini", "priority", "0.045"),
    ("gpt-4o", "priority", "2.125"),
    ("gpt-4.1", "priority", "0.875"),
    ("o3", "flex", "0.25"),
    ("o4-mini", "flex", "0.138"),
    ("gpt-5.6-sol", "batch", "0.2"),     # GP and LL: half of the standard $0.40
])
def test_cached_input_is_billed_at_the_tiers_own_cached_rate(model, tier, rate) -> None:
    # 200,000 prompt tokens (below any 272K threshold) all cached, no output: 200,000 x the tier's
    # cached rate per 1M, and no note that cached tokens were billed at the input rate
    est = estimate_cost(200_000, model=model, cached_tokens=200_000, output_tokens=0, tier=tier)
    assert est.total == D(rate) * D("0.2")
    assert not any("upper bound" in n for n in est.notes)


def test_gpt_5_batch_with_cache_by_hand() -> None:
    # gpt-5 batch: $0.625 input, $0.0625 cached (OAI-P). 10,000 prompt, 8,000 cached, no output:
    # 2,000 x 0.625 + 8,000 x 0.0625 = 1,250 + 500 = 1,750 per 1M (before: 10,000 x 0.625 = 6,250)
    assert estimate_cost(10_000, model="gpt-5", cached_tokens=8_000, output_tokens=0,
                         tier="batch").total == D("0.00175")


# --- long context, and how it stacks ---------------------------------------------------------


def test_gpt_5_6_long_context_standard() -> None:
    # OAI-M gpt-5.6-sol: above 272K input, 2x input and cache, 1.5x output, for the full request:
    # 8 / 0.8 / 30. 300,000 prompt, 10,000 output: 300,000 x 8 + 10,000 x 30 = 2,400,000 + 300,000
    est = estimate_cost(300_000, model="gpt-5.6-sol", output_tokens=10_000)
    assert est.long_context and est.total == D("2.7")
    # at exactly 272,000 ("more than 272K") the short-context rates: 272,000 x 4 + 10,000 x 20
    assert estimate_cost(272_000, model="gpt-5.6-sol", output_tokens=10_000).total == D("1.288")


@pytest.mark.parametrize("tier", ["batch", "flex"])
def test_long_context_stacks_with_batch_and_flex_by_hand(tier) -> None:
    # gpt-5.6-sol batch and flex: $2 / $0.20 / $10 (GP, LL: half of standard). Long context stacks:
    # 2x input and cache, 1.5x output (OAI-M) -> 4 / 0.4 / 15 (GP and LL list the same).
    # 300,000 prompt of which 100,000 cached, 10,000 output:
    # 200,000 x 4 + 100,000 x 0.4 + 10,000 x 15 = 800,000 + 40,000 + 150,000 = 990,000 per 1M
    est = estimate_cost(300_000, model="gpt-5.6-sol", cached_tokens=100_000, output_tokens=10_000, tier=tier)
    assert est.long_context and est.total == D("0.99")


def test_long_context_stacks_with_fast_mode_on_gpt_5_6() -> None:
    # Fast mode $8 / $40 (GP, LL), times 2 and 1.5 above 272K: 16 / 60 (GP and LL list the same).
    # 300,000 x 16 + 10,000 x 60 = 4,800,000 + 600,000 = 5,400,000 per 1M
    assert estimate_cost(300_000, model="gpt-5.6-sol", output_tokens=10_000, tier="fast").total == D("5.4")


def test_prices_for_long_context_batch() -> None:
    # gpt-6-sol batch above 272K: (2 / 2) x 2 = 2 input, (10 / 2) x 1.5 = 7.5 output (OAI-M rules;
    # LL input_cost_per_token_above_272k_tokens_batches 2e-06, output 7.5e-06)
    rates = prices_for("gpt-6-sol", tier="batch", prompt_tokens=300_000)
    assert (rates.input, rates.output) == (D("2"), D("7.5"))


# --- fast is priority -----------------------------------------------------------------------


def test_fast_and_priority_are_one_tier() -> None:
    # OAI-F: priority processing renamed Fast mode on 2026-07-30. gpt-4o priority: $4.25 / $17 (OAI-P).
    # 1,000 in + 1,000 out: 4.25 + 17 = 21.25 per 1M
    fast = estimate_cost(1_000, model="gpt-4o", output_tokens=1_000, tier="fast")
    prio = estimate_cost(1_000, model="gpt-4o", output_tokens=1_000, tier="priority")
    assert fast.total == prio.total == D("0.02125")
    assert fast.tier == "priority"  # one canonical name internally
    usage = {"prompt_tokens": 1_000, "completion_tokens": 1_000}
    assert cost_from_usage(usage, model="gpt-4o", tier="fast").total == D("0.02125")
    body = {"model": "gpt-4o", "max_tokens": 10, "messages": [{"role": "user", "content": "Hello!"}]}
    assert check_budget(body, tier="fast").total_max == check_budget(body, tier="priority").total_max


def test_an_unknown_tier_names_both_names() -> None:
    with pytest.raises(PriceUnknownError, match="fast"):
        estimate_cost(10, model="gpt-4o", tier="turbo")  # type: ignore[arg-type]


def test_cli_accepts_fast_and_priority(tmp_path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("hi", encoding="utf-8")
    out = {}
    for tier in ("fast", "priority"):
        proc = run_cli("cost", str(path), "-m", "gpt-5.6-luna", "--tier", tier, "--output-tokens", "100",
                       "--format", "json")
        assert proc.returncode == 0, proc.stderr
        out[tier] = json.loads(proc.stdout)[0]
    # gpt-5.6-luna Fast mode output $2.40 per 1M (GP, LL): 100 x 2.4 = 240 per 1M
    assert D(out["fast"]["output_cost_max"]) == D("0.00024")
    assert out["fast"]["total_max"] == out["priority"]["total_max"] and out["fast"]["tier"] == "priority"


def test_a_catalog_file_may_name_the_tier_fast(tmp_path, restore_catalog) -> None:
    path = tmp_path / "fast.json"
    path.write_text(json.dumps({"models": {"my-model": {
        "encoding": "o200k_base", "checked": "2026-12-02",
        "prices": {"standard": {"input": "1", "output": "2"}, "fast": {"input": "2", "output": "4"}}}}}))
    load_catalog(path)
    assert resolve_model("my-model").prices["priority"].input == D("2")


# --- shutdowns and statuses --------------------------------------------------------------------


@pytest.mark.parametrize("model, status, day", [
    ("gpt-5", "active", "2026-12-11"),        # LL deprecation_date (source OAI-D); announced
    ("gpt-5-mini", "active", "2026-12-11"),
    ("gpt-5-nano", "active", "2026-12-11"),
    ("gpt-5-pro", "active", "2026-12-11"),
    ("o3", "active", "2026-12-11"),
    ("o3-pro", "active", "2026-12-11"),
    ("gpt-3.5-turbo-instruct", "shut_down", "2026-09-28"),  # LL (source OAI-D)
    ("davinci-002", "shut_down", "2026-09-28"),
    ("babbage-002", "shut_down", "2026-09-28"),
    ("gpt-3.5-turbo-1106", "shut_down", "2026-09-28"),
    ("gpt-4-0314", "shut_down", "2026-03-26"),  # OAI-D (2026-07-15)
    ("gpt-4-0125-preview", "shut_down", "2026-03-26"),
    ("gpt-4-1106-vision-preview", "shut_down", "2024-12-06"),
    ("codex-mini-latest", "shut_down", "2026-02-12"),
    ("gpt-4o", "active", "2027-01-14"),       # LL (source OAI-D); dev.to summaries of 2026-10
    ("gpt-4.1-mini", "active", "2027-01-14"),
    ("gpt-realtime", "active", "2027-01-20"),
    ("gpt-4o-transcribe", "active", "2027-02-26"),
    ("gpt-5.4-nano", "active", "2027-04-01"),
    ("gpt-5.1-chat-latest", "shut_down", "2026-07-23"),
    ("gpt-5.2-chat-latest", "shut_down", "2026-08-10"),
    ("gpt-5.3-chat-latest", "shut_down", "2026-08-10"),
    ("gpt-4o-audio-preview", "shut_down", "2026-05-07"),  # OAI-D, OAI-M
])
def test_shutdown_dates(model, status, day) -> None:
    info = resolve_model(model)
    assert (info.status, info.shutdown_date) == (status, date.fromisoformat(day))
    assert "status" in info.sources


def test_chat_latest_names_that_were_shut_down_have_their_own_limits() -> None:
    # LL gpt-5.1/5.2/5.3-chat-latest: max_input_tokens 128,000, max_output_tokens 16,384
    for name in ("gpt-5.1-chat-latest", "gpt-5.2-chat-latest", "gpt-5.3-chat-latest"):
        info = resolve_model(name)
        assert info.name == name and info.assumed_from is None
        assert (info.context_window, info.max_output_tokens) == (128_000, 16_384)


def test_disagreeing_sources_are_recorded_with_the_choice() -> None:
    # OAI-D / OAI-M: the gpt-4o-audio-preview alias shut down 2026-05-07; LL: the snapshot 2027-01-20
    alias, snap = resolve_model("gpt-4o-audio-preview"), resolve_model("gpt-4o-audio-preview-2024-12-17")
    assert alias.name == "gpt-4o-audio-preview" and snap.shutdown_date == date(2027, 1, 20)
    assert any("disagree" in n and "2027-01-20" in n for n in alias.notes)
    # GP names it gpt-chat-latest, LL chat-latest: both resolve, the disagreement is in the notes
    assert resolve_model("gpt-chat-latest").name == "chat-latest"
    assert any("disagree" in n for n in resolve_model("chat-latest").notes)
    # models.dev's outlier gpt-5.6-sol price (2 / 10) is recorded and not used
    assert any("outlier" in n for n in resolve_model("gpt-5.6-sol").notes)


# --- batch prices of legacy models, embedding sources ------------------------------------------------


@pytest.mark.parametrize("model, price_in, out", [
    ("davinci-002", "1", "1"), ("babbage-002", "0.2", "0.2"), ("gpt-4-0314", "15", "30"),
    ("gpt-4-0125-preview", "5", "15"), ("gpt-4-1106-vision-preview", "5", "15"), ("gpt-4-32k", "30", "60"),
])
def test_legacy_batch_prices(model, price_in, out) -> None:
    # OAI-P batch table (2026-07-15), as the audit lists; LL agrees for davinci-002 and babbage-002
    batch = resolve_model(model).prices["batch"]
    assert (batch.input, batch.output) == (D(price_in), D(out))


def test_embedding_batch_prices_cite_the_source_that_has_them() -> None:
    # the batch pane of the pricing copy is empty; LL: input_cost_per_token_batches 1e-08 for -small
    info = resolve_model("text-embedding-3-small")
    assert info.sources["tier_prices"] == "litellm" and info.prices["batch"].input == D("0.01")


@pytest.mark.parametrize("model, context, output", [
    ("gpt-realtime", 32_000, 4_096), ("gpt-audio", 128_000, 16_384), ("gpt-4o-transcribe", 16_000, 2_000),
    ("o3-deep-research", 200_000, 100_000),
])
def test_limits_that_were_blank(model, context, output) -> None:
    # LL max_input_tokens / max_output_tokens (the catalog left them blank although a source gives them)
    info = resolve_model(model)
    assert (info.context_window, info.max_output_tokens) == (context, output)
    assert info.sources["limits"] == "litellm"


# --- provenance -------------------------------------------------------------------------------------


def test_every_stated_fact_of_the_bundled_catalog_names_its_source() -> None:
    assert unsourced() == ()


def test_no_entry_was_checked_before_its_sources_or_after_today() -> None:
    catalog = get_catalog()
    for name, info in catalog.models.items():
        assert info.checked <= date.today(), name
        for key in info.sources.values():
            assert catalog.sources[key].earliest <= info.checked, (name, key)


def test_a_checked_date_before_the_source_is_refused(tmp_path, restore_catalog) -> None:
    # the source openai-pricing carries 2026-07-15: an entry cannot have been compared with it before
    path = tmp_path / "early.json"
    path.write_text(json.dumps({"models": {"my-model": {
        "encoding": "o200k_base", "checked": "2026-07-01", "prices": {"standard": {"input": "1"}},
        "sources": {"prices": "openai-pricing"}}}}))
    with pytest.raises(CatalogError, match="before 2026-07-15"):
        load_catalog(path)


def test_source_dates_are_dates() -> None:
    for key, source in get_catalog().sources.items():
        assert source.earliest <= source.latest, key


def test_stale_facts_by_hand() -> None:
    # openai-pricing carries 2026-07-15; on 2026-12-02 it is 16 + 31 + 30 + 31 + 30 + 2 = 140 days old.
    # gpt-5.2-pro's prices still cite it (not compared again on 2026-12-02).
    today = date(2026, 12, 2)
    row = [f for f in stale_facts(139, today=today) if (f.model, f.fact) == ("gpt-5.2-pro", "prices")]
    assert len(row) == 1 and (row[0].source, row[0].source_date, row[0].age_days) == ("openai-pricing",
                                                                                     "2026-07-15", 140)
    assert not [f for f in stale_facts(140, today=today) if (f.model, f.fact) == ("gpt-5.2-pro", "prices")]
    # a year-only date counts from its last day: "2023" (openai-models-2023) is
    # 366 (2024) + 365 (2025) + 336 (2025-12-31 to 2026-12-02) = 1,067 days old
    old = [f for f in stale_facts(1_000, today=today) if f.source == "openai-models-2023"]
    assert old and {f.age_days for f in old} == {1_067}


def test_models_stale_on_the_command_line() -> None:
    proc = run_cli("models", "--stale", "139", "--today", "2026-12-02", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert {"model": "gpt-5.2-pro", "fact": "prices", "source": "openai-pricing", "source_date": "2026-07-15",
            "age_days": 140, "checked": "2026-11-25"} in rows
    assert [r["age_days"] for r in rows] == sorted((r["age_days"] for r in rows), reverse=True)
    # NAMEs as resolve_model reads them: gpt-5.6 is gpt-5.6-sol, all of whose sources are newer
    one = run_cli("models", "gpt-5.2-pro", "gpt-5.6", "--stale", "139", "--today", "2026-12-02",
                  "--format", "json")
    assert {r["model"] for r in json.loads(one.stdout)} == {"gpt-5.2-pro"}
    bad = run_cli("models", "--stale", "-3")
    assert bad.returncode == 2 and b"whole number of days" in bad.stderr
