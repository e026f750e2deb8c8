"""The catalog's ``defaults`` section: what tokencmp uses when the caller names nothing."""

from __future__ import annotations

import json

import pytest
from tiktoken.model import MODEL_TO_ENCODING

from tokencmp.catalog import TIERS, get_catalog, load_catalog, lookup, resolve_model
from tokencmp.encodings import list_encodings
from tokencmp.errors import CatalogError


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv(lookup.CATALOG_ENV, raising=False)
    yield
    load_catalog()


def test_the_default_model_is_an_active_chat_model() -> None:
    defaults = get_catalog().defaults
    info = resolve_model(defaults.model)
    assert (info.name, info.kind, info.status, info.assumed_from) == (defaults.model, "chat", "active", None)


def test_the_default_encodings_are_those_of_the_models_openai_still_serves() -> None:
    # tiktoken 0.14's MODEL_TO_ENCODING (tiktoken/model.py): gpt-4o is o200k_base, gpt-4 and the
    # embedding models cl100k_base; r50k/p50k are the encodings of shut-down models only.
    defaults = get_catalog().defaults
    assert set(defaults.encodings) <= set(list_encodings())
    assert defaults.encodings == (MODEL_TO_ENCODING["gpt-4o"], MODEL_TO_ENCODING["gpt-4"])
    active = {info.encoding for info in get_catalog().models.values() if info.status == "active"}
    assert set(defaults.encodings) <= active


def test_the_cost_models_are_every_active_priced_chat_model() -> None:
    # The rule stated in defaults.why.cost_models: kind chat, status active, a standard input and
    # output price; in the file's order.
    catalog = get_catalog()
    models = catalog.cost_models()
    assert catalog.defaults.cost_models is None  # the bundled file leaves them to the rule
    for name in models:
        info = catalog.models[name]
        assert (info.kind, info.status) == ("chat", "active")
        assert info.prices["standard"].input is not None and info.prices["standard"].output is not None
    # Models that must be among them, each active and priced per OpenAI's pricing page
    # (developers.openai.com/api/docs/pricing), and ones that must not: an embedding model and a
    # model shut down (OpenAI's deprecations page: gpt-4-32k).
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3"} <= set(models)
    assert "text-embedding-3-small" not in models and "gpt-4-32k" not in models
    assert list(models) == [name for name in catalog.models if name in set(models)]  # the file's order


def test_an_override_can_name_its_own_cost_models(tmp_path, restore_catalog) -> None:
    override = tmp_path / "mine.json"
    override.write_text(json.dumps({"defaults": {"cost_models": ["gpt-4o", "o3"]}}))
    assert load_catalog(override).cost_models() == ("gpt-4o", "o3")
    override.write_text(json.dumps({"defaults": {"cost_models": ["gpt-99"]}}))
    with pytest.raises(CatalogError, match=r"defaults.cost_models: no model entry or alias 'gpt-99'"):
        load_catalog(override)


def test_every_default_says_why_and_names_a_known_source() -> None:
    catalog = get_catalog()
    defaults = catalog.defaults
    assert set(defaults.why) == set(defaults.sources) == {"model", "encodings", "cost_models"}
    assert all(defaults.why.values())
    assert all(source in catalog.sources for source in defaults.sources.values())


def test_the_tiers_are_the_pricing_pages_columns() -> None:
    # OpenAI pricing page (developers.openai.com/api/docs/pricing): Standard, Batch, Flex, Priority.
    assert TIERS == ("standard", "batch", "flex", "priority")


@pytest.mark.parametrize(
    "override, where",
    [
        ({"defaults": {"model": "gpt-9000"}}, "defaults.model"),
        ({"defaults": {"cost_models": ["gpt-4o", "nope"]}}, "defaults.cost_models"),
        ({"defaults": {"encodings": []}}, "defaults.encodings"),
        ({"defaults": {"sources": {"model": "a-blog"}}}, "defaults.sources.model"),
        ({"defaults": {"why": {"colour": "blue"}}}, "defaults.why.colour"),
    ],
)
def test_a_bad_defaults_override_names_the_field(tmp_path, restore_catalog, override, where) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(override))
    with pytest.raises(CatalogError, match=where.replace(".", r"\.")):
        load_catalog(path)


def test_an_override_changes_the_defaults_and_the_lookup_follows(tmp_path, restore_catalog) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"defaults": {"model": "gpt-4", "cost_models": ["gpt-4o"]},
                                "models": {"gpt-4o": {"encoding": "cl100k_base"}}}))
    load_catalog(path)
    assert get_catalog().defaults.model == "gpt-4"
    assert get_catalog().defaults.cost_models == ("gpt-4o",)  # a list replaces, it does not merge
    assert get_catalog().defaults.encodings == ("o200k_base", "cl100k_base")  # kept from the bundle
    # A loaded catalog is the one lookup answers from, not the raw bundled file.
    assert (lookup.default_model(), lookup.encoding_name("gpt-4o")) == ("gpt-4", "cl100k_base")
