"""Chat requests on other vendors' models, differential against each vendor's own chat encoder.

The expected counts are the vendor's: ``len(ChatFormat(Tokenizer.get_instance())
.encode_dialog_prompt(messages).tokens)`` (llama-models 0.3.0, ``llama_models/llama3/chat_format.py``
and ``llama_models/llama4/chat_format.py``) and ``len(MistralTokenizer.from_file(tekken file)
.encode_chat_completion(request).tokens)`` (mistral-common 1.13.1). Every request the vendor's
encoder rejects, tokencmp must refuse too.

llama4's chat_format imports torch (and its preprocess module torchvision) at module level for
images only; the text path uses neither, so they are stood in for by mocks while it is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokencmp
from tokencmp.errors import UnsupportedModelError

# Strings that are special tokens of one vendor or another: in a message they count as text.
SPECIAL_STRINGS = ["<|eot_id|>", "<|begin_of_text|>", "<|header_start|>", "[INST]", "[/INST]", "</s>", "<s>"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from([*SPECIAL_STRINGS, "", " ", "  ", "\n\n", "a ", " \n", "hi"]),
    st.lists(st.sampled_from(["word", " ", "\n", "1234", "é", "[INST]", "<|eot_id|>"]), max_size=8).map(
        "".join
    ),
)
ROLES = st.sampled_from(["system", "user", "assistant"])
MESSAGES = st.lists(st.tuples(ROLES, TEXT), min_size=1, max_size=7)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _body(model: str, messages: list[tuple[str, str]]) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": r, "content": c} for r, c in messages]}


# --- Llama 3 and 4: llama-models' ChatFormat ------------------------------------------------


@pytest.fixture(scope="module")
def llama3() -> Any:
    pytest.importorskip("llama_models")
    from llama_models.llama3.chat_format import ChatFormat
    from llama_models.llama3.tokenizer import Tokenizer

    return ChatFormat(Tokenizer.get_instance())


@pytest.fixture(scope="module")
def llama4() -> Any:
    pytest.importorskip("llama_models")
    stand_ins = ("torch", "torchvision", "torchvision.transforms", "torchvision.transforms.functional")
    with mock.patch.dict(sys.modules, {n: sys.modules.get(n) or mock.MagicMock() for n in stand_ins}):
        from llama_models.llama4.chat_format import ChatFormat
        from llama_models.llama4.tokenizer import Tokenizer

        return ChatFormat(Tokenizer.get_instance())


def _llama_count(chat_format: Any, messages: list[tuple[str, str]]) -> int:
    from llama_models.datatypes import RawMessage

    dialog = [RawMessage(role=r, content=c) for r, c in messages]  # type: ignore[arg-type]
    return len(chat_format.encode_dialog_prompt(dialog).tokens)


@pytest.mark.parametrize("model", ["llama-3.1-8b-instruct", "llama-3.3-70b-instruct"])
def test_llama3_worked_example(model: str, llama3: Any) -> None:
    # By hand (chat_format.py): <|begin_of_text|> 1; system header 1 + "system" 1 + 1 + "\n\n" 1;
    # "Be brief." 3 (Be| brief|.); <|eot_id|> 1; user header 4 + "hi" 1 + 1; assistant header 4:
    # 1 + 4 + 3 + 1 + 4 + 1 + 1 + 4 = 19.
    messages = [("system", "Be brief."), ("user", "hi")]
    assert _llama_count(llama3, messages) == 19
    c = tokencmp.count_request(_body(model, messages))
    assert (c.total, c.exact, c.encoding) == (19, True, "llama3")
    assert c.breakdown.reply_priming == 4


@SETTINGS
@given(messages=MESSAGES)
def test_llama3_matches_chat_format(llama3: Any, messages: list[tuple[str, str]]) -> None:
    assert tokencmp.count_request(_body("llama-3.1-8b-instruct", messages)).total == _llama_count(
        llama3, messages
    )


@SETTINGS
@given(messages=MESSAGES)
def test_llama4_matches_chat_format(llama4: Any, messages: list[tuple[str, str]]) -> None:
    assert tokencmp.count_request(_body("llama-4-scout-17b-16e-instruct", messages)).total == _llama_count(
        llama4, messages
    )


# --- Mistral: mistral-common's encode_chat_completion -------------------------------------------


@pytest.fixture(scope="module", params=["tekken_240718.json", "tekken_240911.json"])
def mistral(request: pytest.FixtureRequest) -> tuple[str, Any]:
    pytest.importorskip("mistral_common")
    import mistral_common
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    path = Path(mistral_common.__file__).parent / "data" / request.param
    model = {"tekken_240718.json": "open-mistral-nemo-2407", "tekken_240911.json": "pixtral-12b-2409"}
    return model[request.param], MistralTokenizer.from_file(str(path))


def _mistral_count(tokenizer: Any, messages: list[tuple[str, str]]) -> int | None:
    """The vendor's count, None where mistral-common rejects the request."""
    from mistral_common.exceptions import MistralCommonException
    from mistral_common.protocol.instruct.request import ChatCompletionRequest

    try:
        request = ChatCompletionRequest(messages=[{"role": r, "content": c} for r, c in messages])
        return len(tokenizer.encode_chat_completion(request).tokens)
    except (MistralCommonException, ValueError, AssertionError):
        return None


def test_mistral_worked_example(mistral: tuple[str, Any]) -> None:
    # By hand (instruct.py V2/V3): <s> [INST] "Be brief.\n\nhi" [/INST]: 1 + 1 + 4 + 1 = 7, the
    # text being 4 pre-tokens of tekken's pattern (Be| brief|.\n\n|hi: " ?[^\s\p{L}\p{N}]+[\r\n/]*"
    # takes ".\n\n"), each one token.
    model, tokenizer = mistral
    messages = [("system", "Be brief."), ("user", "hi")]
    expected = _mistral_count(tokenizer, messages)
    assert expected == 7
    c = tokencmp.count_request(_body(model, messages))
    assert (c.total, c.exact) == (7, True)


@SETTINGS
@given(messages=MESSAGES)
def test_mistral_matches_encode_chat_completion(
    mistral: tuple[str, Any], messages: list[tuple[str, str]]
) -> None:
    model, tokenizer = mistral
    expected = _mistral_count(tokenizer, messages)
    if expected is None:
        with pytest.raises(UnsupportedModelError):
            tokencmp.count_request(_body(model, messages))
    else:
        assert tokencmp.count_request(_body(model, messages)).total == expected


@st.composite
def _accepted_dialogs(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Dialogs mistral-common accepts: system messages first, then turns of user messages
    (system messages may follow them, never an assistant's) and non-empty assistant replies,
    ending with a user turn."""
    out = [("system", t) for t in draw(st.lists(TEXT, max_size=2))]
    for _ in range(draw(st.integers(0, 3))):
        out += [("user", t) for t in draw(st.lists(TEXT, min_size=1, max_size=2))]
        out += [("system", t) for t in draw(st.lists(TEXT, max_size=1))]
        out += [("assistant", t) for t in draw(st.lists(TEXT.filter(bool), min_size=1, max_size=2))]
    out += [("user", t) for t in draw(st.lists(TEXT, min_size=1, max_size=2))]
    out += [("system", t) for t in draw(st.lists(TEXT, max_size=1))]
    return out


@SETTINGS
@given(messages=_accepted_dialogs())
def test_mistral_matches_on_accepted_dialogs(
    mistral: tuple[str, Any], messages: list[tuple[str, str]]
) -> None:
    model, tokenizer = mistral
    expected = _mistral_count(tokenizer, messages)
    assert expected is not None  # the strategy makes only requests mistral-common accepts
    c = tokencmp.count_request(_body(model, messages))
    assert (c.total, c.exact) == (expected, True)


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "extra", "says"),
    [
        ("llama-3.1-8b-instruct", {"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools"),
        ("open-mistral-nemo-2407", {"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools"),
        ("llama-4-scout-17b-16e-instruct", {"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}, "list"),
        ("llama-3.3-70b-instruct", {"messages": [{"role": "developer", "content": "x"}]}, "developer"),
    ],
)
def test_template_models_refuse_what_is_not_verified(model: str, extra: dict[str, Any], says: str) -> None:
    body = {**_body(model, [("user", "hi")]), **extra}
    with pytest.raises(UnsupportedModelError, match=says) as err:
        tokencmp.count_request(body)
    assert "tokencmp.count_tokens" in str(err.value)


@pytest.mark.parametrize("model", ["qwen3-8b", "qwen3.6-27b", "deepseek-v4-pro"])
def test_models_without_a_verifiable_template_are_text_only(model: str) -> None:
    with pytest.raises(UnsupportedModelError, match="text only") as err:
        tokencmp.count_request(_body(model, [("user", "hi")]))
    assert "add \"chat_format\"" not in str(err.value)  # the advice for an OpenAI entry is wrong here
