"""The model catalog and name resolution."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import tiktoken
import tiktoken.model
from tiktoken.model import MODEL_PREFIX_TO_ENCODING, MODEL_TO_ENCODING

import tokencmp
from tokencmp.catalog import get_catalog, load_catalog, resolve_model
from tokencmp.errors import CatalogError, UnknownModelError


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    load_catalog()


@pytest.mark.parametrize("name", sorted(MODEL_TO_ENCODING))
def test_every_tiktoken_model_name_resolves_to_tiktokens_encoding(name: str) -> None:
    assert resolve_model(name).encoding == MODEL_TO_ENCODING[name]


@pytest.mark.parametrize("prefix", sorted(MODEL_PREFIX_TO_ENCODING))
def test_every_tiktoken_prefix_form_resolves_to_tiktokens_encoding(prefix: str) -> None:
    for suffix in ("x", "2099-01-01", "some-new-variant"):
        name = prefix + suffix if prefix.endswith("-") else f"{prefix}-{suffix}"
        assert resolve_model(name).encoding == MODEL_PREFIX_TO_ENCODING[prefix], name


@pytest.mark.parametrize(
    "name, entry",
    [
        ("openai/gpt-4o", "gpt-4o"),
        ("azure/gpt-4o", "gpt-4o"),
        ("  GPT-4o\n", "gpt-4o"),
        ("OpenAI/GPT-4O-MINI", "gpt-4o-mini"),
        ("gpt-35-turbo", "gpt-3.5-turbo"),
        ("azure/gpt-35-turbo-16k", "gpt-3.5-turbo-16k-0613"),
        ("gpt-4", "gpt-4-0613"),
        ("gpt-4-turbo", "gpt-4-turbo-2024-04-09"),
    ],
)
def test_normalised_names_resolve_exactly(name: str, entry: str) -> None:
    info = resolve_model(name)
    assert info.name == entry
    assert info.assumed_from is None


@pytest.mark.parametrize(
    "name, base",
    [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-5.4-2026-03-05", "gpt-5.4"),
        ("gpt-5.5-chat-latest", "gpt-5.5"),  # gpt-5.1-chat-latest has its own entry (shut down)
        ("ft:gpt-4o-mini-2024-07-18:my-org::abc123", "gpt-4o-mini"),
        ("ft:gpt-3.5-turbo-0613:acme:suffix:id", "gpt-3.5-turbo-0613"),
        ("gpt-4o-mini-realtime-preview", "gpt-4o-mini"),  # the search preview has its own entry
    ],
)
def test_rule_resolved_names_say_what_they_were_assumed_from(name: str, base: str) -> None:
    info = resolve_model(name)
    assert info.assumed_from == base
    assert info.encoding == resolve_model(base).encoding
    assert info.notes, "a rule-resolved model explains the rule in its notes"


def test_dated_snapshot_keeps_prices_but_fine_tune_does_not() -> None:
    assert resolve_model("gpt-4o-2024-11-20").prices == resolve_model("gpt-4o").prices
    # A fine-tune is priced as a fine-tuned model, not as its base: the pricing page's fine-tuning
    # table (source openai-pricing-fine-tuning), gpt-4o-2024-08-06: $3.75 input, $1.875 cached, $15 output.
    ft = resolve_model("ft:gpt-4o-2024-08-06:org::x").prices["standard"]
    assert (ft.input, ft.cached_input, ft.output) == (Decimal("3.75"), Decimal("1.875"), Decimal("15"))
    assert resolve_model("ft:gpt-4-0613:org::x").prices == {}  # no fine-tuning prices for its base


def test_a_fine_tune_keeps_its_base_models_limits() -> None:
    # gpt-4o-mini: 128,000 context and 16,384 max output: OpenAI's model page as copied by
    # anomalyco/models.dev providers/openai/models/gpt-4o-mini.toml @ f3fc692 (litellm 1.110.2 agrees).
    info = resolve_model("ft:gpt-4o-mini-2024-07-18:acme::x1")
    assert (info.context_window, info.input_limit, info.max_output_tokens) == (128_000, 128_000, 16_384)


def test_a_gpt_4_1_fine_tune_is_o200k_where_tiktoken_says_cl100k() -> None:
    # tiktoken 0.14 maps every "ft:gpt-4" name to cl100k_base by prefix, gpt-4.1 fine-tunes too;
    # gpt-4.1 itself is o200k_base in tiktoken's own table, so tokencmp follows the base model.
    assert tiktoken.model.MODEL_PREFIX_TO_ENCODING["ft:gpt-4"] == "cl100k_base"
    assert tiktoken.model.MODEL_TO_ENCODING["gpt-4.1"] == "o200k_base"
    assert resolve_model("ft:gpt-4.1-2025-04-14:acme::x1").encoding == "o200k_base"


def test_snapshot_with_its_own_entry_is_not_assumed() -> None:
    # gpt-4o-2024-05-13 has its own price row on the pricing page: $5 / $15.
    info = resolve_model("gpt-4o-2024-05-13")
    assert info.assumed_from is None
    assert info.prices["standard"].input == Decimal("5")


def test_new_family_member_gets_encoding_but_no_guessed_price() -> None:
    info = resolve_model("gpt-5.9-turbo")  # tiktoken 0.14 prefix "gpt-5" -> o200k_base
    assert info.encoding == "o200k_base"
    assert info.prices == {} and info.context_window is None


def test_unknown_name_lists_closest_names_and_is_a_keyerror() -> None:
    with pytest.raises(UnknownModelError) as info:
        resolve_model("gtp-4o")
    assert "gpt-4o" in info.value.suggestions
    assert isinstance(info.value, KeyError)
    assert "gpt-4o" in str(info.value)


@pytest.mark.parametrize("name", ["", "   ", "claude-3-opus", "llama3"])
def test_no_silent_fallback(name: str) -> None:
    with pytest.raises(UnknownModelError):
        resolve_model(name)


def test_gpt5_input_limit_is_272k_of_400k() -> None:
    # context 400,000 = 272,000 input + 128,000 output: anomalyco/models.dev
    # providers/openai/models/gpt-5.toml @ f3fc692 (input = 272_000), and the API's own error
    # "Input tokens exceed the configured limit of 272,000 tokens" quoted in
    # https://community.openai.com/t/huge-gpt-5-documentation-gap-flaw-causing-bugs-input-tokens-exceed-the-configured-limit-of-272-000-tokens/1344734
    info = resolve_model("gpt-5")
    assert (info.context_window, info.input_limit, info.max_output_tokens) == (400_000, 272_000, 128_000)


def test_prices_are_decimals_from_the_pricing_page() -> None:
    # OpenAI pricing page, guides/pricing.md in the docs mirror piercecohen1/openai-docs @ de09146
    # (2026-07-15): gpt-4o 2.5 / 1.25 cached / 10 per 1M tokens.
    std = resolve_model("gpt-4o").prices["standard"]
    assert (std.input, std.cached_input, std.output) == (Decimal("2.5"), Decimal("1.25"), Decimal("10"))
    assert all(isinstance(v, Decimal) for v in (std.input, std.cached_input, std.output))


def test_every_entry_has_sources_and_a_checked_date() -> None:
    catalog = get_catalog()
    for name, info in catalog.models.items():
        assert info.sources.get("encoding"), name
        if info.prices:
            assert info.sources.get("prices") in catalog.sources, name
        assert isinstance(info.checked, date)


def test_harmony_models_use_o200k_harmony() -> None:
    assert resolve_model("gpt-oss-120b").encoding == "o200k_harmony"


def test_user_override_adds_and_changes_models(tmp_path, restore_catalog) -> None:
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "models": {
                    "gpt-4o": {"prices": {"standard": {"input": "2.00"}}},
                    "my-model": {"encoding": "cl100k_base", "context_window": 1000, "checked": "2026-11-25"},
                }
            }
        )
    )
    load_catalog(path)
    assert resolve_model("gpt-4o").prices["standard"].input == Decimal("2.00")
    assert resolve_model("gpt-4o").prices["standard"].output == Decimal("10")  # merged, not replaced
    assert resolve_model("my-model").encoding == "cl100k_base"


def test_override_from_environment(tmp_path, monkeypatch, restore_catalog) -> None:
    path = tmp_path / "env.json"
    path.write_text(json.dumps({"models": {"x-model": {"encoding": "o200k_base", "checked": "2026-01-01"}}}))
    monkeypatch.setenv("TOKENCMP_CATALOG", str(path))
    load_catalog()
    assert resolve_model("x-model").encoding == "o200k_base"


@pytest.mark.parametrize(
    "override, where",
    [
        ({"models": {"gpt-4o": {"context_window": -5}}}, "models.gpt-4o.context_window"),
        (
            {"models": {"gpt-4o": {"prices": {"standard": {"input": "cheap"}}}}},
            "models.gpt-4o.prices.standard.input",
        ),
        ({"models": {"new": {"context_window": 5}}}, "models.new.encoding"),
        ({"models": {"gpt-4o": {"chat_format": "chatml-nope"}}}, "models.gpt-4o.chat_format"),
        (
            {"chat_formats": {"chatml-gpt-4o": {"tokens_per_message": "three"}}},
            "chat_formats.chatml-gpt-4o.tokens_per_message",
        ),
    ],
)
def test_bad_override_names_entry_and_field(tmp_path, override, where, restore_catalog) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(override))
    with pytest.raises(CatalogError, match=where.replace(".", r"\.")):
        load_catalog(path)


def test_override_that_is_not_json(tmp_path, restore_catalog) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(path)


def test_encoding_for_model_and_get_encoding() -> None:
    assert tokencmp.encoding_for_model("gpt-4").name == "cl100k_base"
    assert tokencmp.get_encoding("o200k_base").name == "o200k_base"


D = Decimal


def test_codex_mini_latest_which_tiktoken_cannot_map_is_in_the_catalog() -> None:
    # tiktoken 0.14 raises KeyError for it (names it cannot map: openai/tiktoken#367). Its model page
    # (https://developers.openai.com/api/docs/models/codex-mini-latest): a fine-tune of o4-mini, 200,000
    # context, 100,000 max output, $1.50 in / $0.375 cached / $6 out per 1M.
    with pytest.raises(KeyError):
        tiktoken.encoding_name_for_model("codex-mini-latest")
    info = resolve_model("codex-mini-latest")
    assert (info.encoding, info.context_window, info.max_output_tokens) == ("o200k_base", 200_000, 100_000)
    standard = info.prices["standard"]
    assert (standard.input, standard.cached_input, standard.output) == (D("1.5"), D("0.375"), D("6"))


def test_a_catalog_file_with_an_integer_too_long_to_read_is_a_catalog_error(tmp_path) -> None:
    # Python refuses to convert integers of more than sys.int_info.default_max_str_digits (4,300)
    path = tmp_path / "big.json"
    path.write_text('{"models": {"x": ' + "1" * 5000 + "}}")
    with pytest.raises(tokencmp.CatalogError, match="not valid JSON"):
        load_catalog(path)
