"""tokencmp finetune / tokencmp.check_finetune: fine-tuning datasets checked, counted and priced.

Sources of the expected numbers:

* the cookbook notebook examples/Chat_finetuning_data_prep.ipynb (openai/openai-cookbook @ b774cbf):
  its format checks and error names, MAX_TOKENS_PER_EXAMPLE = 16385, TARGET_EPOCHS = 3,
  MIN_TARGET_EXAMPLES = 100, MAX_TARGET_EXAMPLES = 25000, MIN/MAX_DEFAULT_EPOCHS = 1/25; on its
  toy dataset of 5 examples it printed "By default, you'll train for 20 epochs" (100 // 5);
* the cookbook formula (3 per message, its role and content, 3 to prime the reply); "user" and
  "assistant" are 1 token each, "Hello!" 2 (the README's worked example), so
  [user "Hello!", assistant "Hello!"] is 3+1+2 + 3+1+2 + 3 = 15;
* training prices per 1M training tokens: the pricing page's fine-tuning table
  (tokencmp/data/catalog.json, fine_tuning, source openai-pricing-fine-tuning): gpt-4o-mini-2024-07-18 $3.00,
  gpt-4.1-2025-04-14 $25.00, o4-mini-2025-04-16 $100.00 / hour.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tokencmp
from tokencmp.cli import main
from tokencmp.files.schema import file_facts

PAIR = [{"role": "user", "content": "Hello!"}, {"role": "assistant", "content": "Hello!"}]  # 15 tokens
MINI = "gpt-4o-mini-2024-07-18"


def jl(*examples: Any) -> bytes:
    return b"".join((e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n" for e in examples)


def check(*examples: Any, **kw: Any) -> tokencmp.FineTuneReport:
    return tokencmp.check_finetune(io.BytesIO(jl(*examples)), **{"model": MINI, **kw})


def test_the_notebooks_toy_size_gets_20_epochs_and_the_cost() -> None:
    r = check(*[{"messages": PAIR}] * 5)
    assert r.training.tokens.total == 5 * 15 and r.training.tokens.max == 15
    assert r.epochs == 20 and r.epochs_rule == "default"  # min(25, 100 // 5)
    assert r.billed_tokens == 5 * 15 * 20
    assert r.training_price == Decimal("3")
    assert r.training_cost == Decimal("0.0045")  # 1,500 x $3 / 1M
    assert r.training_context == 16_385
    assert r.epochs_constants == {"target_epochs": 3, "min_target_examples": 100,
                                  "max_target_examples": 25_000, "min_default_epochs": 1,
                                  "max_default_epochs": 25}


@pytest.mark.parametrize(("examples", "epochs"), [
    (1, 25),  # 3 < 100: min(25, 100 // 1)
    (40, 3),  # 40 x 3 = 120, within [100, 25,000]: TARGET_EPOCHS
    (34, 3),  # 34 x 3 = 102: within the targets, TARGET_EPOCHS
    (10_000, 2),   # 30,000 > 25,000: max(1, 25,000 // 10,000)
    (30_000, 1),   # max(1, 25,000 // 30,000 = 0)
])
def test_default_epochs_rule(examples: int, epochs: int) -> None:
    rule = file_facts().fine_tuning.epochs
    assert rule.default_epochs(examples) == epochs


def test_given_epochs_and_gpt_4_1_price() -> None:
    r = check({"messages": PAIR}, model="gpt-4.1-2025-04-14", epochs=4)
    assert (r.epochs, r.epochs_rule, r.billed_tokens) == (4, "given", 60)  # 15 x 4
    assert r.training_cost == Decimal("0.0015")  # 60 x $25 / 1M


def test_hourly_training_has_no_token_cost() -> None:
    r = check({"messages": PAIR}, model="o4-mini-2025-04-16")
    assert r.training_cost is None and "by the hour" in (r.cost_unknown or "")


def test_a_model_without_fine_tuning_prices() -> None:
    r = check({"messages": PAIR}, model="gpt-4o-mini-2024-07-18")
    assert r.cost_unknown is None
    r = check({"messages": PAIR}, model="gpt-5")
    assert r.training_cost is None and "No fine-tuning price" in (r.cost_unknown or "")


def test_each_notebook_check_and_ours_with_its_line() -> None:
    r = check(
        {"messages": PAIR},  # 1
        [1, 2],  # 2 data_type
        {"prompt": "x"},  # 3 missing_messages_list
        {"messages": [{"role": "user"}, PAIR[1]]},  # 4 message_missing_key
        {"messages": [{"role": "user", "content": "x", "foo": 1}, PAIR[1]]},  # 5 unrecognized key
        {"messages": [{"role": "robot", "content": "x"}, PAIR[1]]},  # 6 unrecognized_role
        {"messages": [{"role": "user", "content": ""}, PAIR[1]]},  # 7 missing_content
        {"messages": [PAIR[0]]},  # 8 no assistant
        {"messages": [PAIR[0], {**PAIR[1], "weight": 2}]},  # 9 weight
        {"messages": [{**PAIR[0], "weight": 1}, PAIR[1]]},  # 10 weight on user
        {"messages": PAIR, "tools": "nope"},  # 11 body (tools)
        b"\xef\xbb\xbf",  # 12 a BOM, not at the start
        b"",  # 13 blank
    )
    kinds = [(p.line, p.kind) for p in r.training.line_problems]
    assert kinds == [(2, "data_type"), (3, "missing_messages_list"), (4, "message_missing_key"),
                     (5, "message_unrecognized_key"), (6, "unrecognized_role"), (7, "missing_content"),
                     (8, "example_missing_assistant_message"), (9, "weight"), (10, "weight"), (11, "body"),
                     (12, "json"), (13, "blank")]
    assert r.training.valid == 1 and r.invalid == 12 and r.training.tokens.total == 15


def test_weights_and_tool_calls_are_accepted() -> None:
    call = {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                                                  "function": {"name": "f", "arguments": "{}"}}]}
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
    r = check({"messages": [PAIR[0], {**PAIR[1], "weight": 0}, PAIR[0], {**PAIR[1], "weight": 1}]},
              {"messages": [PAIR[0], call, {"role": "tool", "tool_call_id": "c1", "content": "ok"}, PAIR[1]],
               "tools": [tool]})
    assert r.invalid == 0 and r.training.valid == 2
    assert r.training.tokens.min == 27  # 3+1+2 + 3+1+2 + 3+1+2 + 3+1+2 + 3 (weight adds nothing)


def test_preference_format() -> None:
    ex = {"input": {"messages": [PAIR[0]]}, "preferred_output": [PAIR[1]],
          "non_preferred_output": [{"role": "assistant", "content": "Hello!"}]}
    r = check(ex, {"input": {"messages": [PAIR[0]]}, "preferred_output": [PAIR[0]]})
    assert r.training.format == "preference" and r.training.valid == 1
    assert r.training.tokens.total == 2 * 15  # the input counted with each output
    assert [p.kind for p in r.training.line_problems] == ["preference"]
    assert any("Preference" in n for n in r.notes)


def test_over_the_training_context_is_listed() -> None:
    enc = tokencmp.get_encoding("o200k_base")
    text = "word " * 17_000
    n = 3 + 1 + len(enc.encode_ordinary(text)) + 3 + 1 + 2 + 3  # the formula, with o200k's count of text
    assert n > 16_385
    r = check({"messages": PAIR}, {"messages": [{"role": "user", "content": text}, PAIR[1]]}, epochs=1)
    assert r.training.over_context == 1 and r.training.over_context_lines == (2,)
    assert r.billed_tokens == 15 + 16_385  # each example billed at most MAX_TOKENS_PER_EXAMPLE
    assert r.training.tokens.max == n


def test_legacy_completion_models(tmp_path: Path) -> None:
    r = check({"prompt": "hello world", "completion": "hello world"}, model="babbage-002", epochs=1)
    assert r.training.tokens.total == 4  # 2 + 2 cl100k tokens
    assert r.training_cost == Decimal("0.0000016")  # 4 x $0.40 / 1M


def test_validation_file_is_checked_not_billed(tmp_path: Path) -> None:
    train, val = tmp_path / "t.jsonl", tmp_path / "v.jsonl"
    train.write_bytes(jl(*[{"messages": PAIR}] * 5))
    val.write_bytes(jl({"messages": PAIR}, {"messages": []}))
    r = tokencmp.check_finetune(train, validation=val, model=MINI)
    assert r.validation is not None and r.validation.valid == 1 and r.validation.invalid == 1
    assert r.billed_tokens == 1500 and r.invalid == 1


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(jl(*[{"messages": PAIR}] * 5))
    assert main(["finetune", str(good), "-m", MINI, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["billed_tokens"] == 1500 and data["training_cost"] == "0.0045" and data["epochs"] == 20
    assert main(["finetune", str(good), "-m", MINI, "--max-cost", "0.001"]) == 3  # $0.0045 > $0.001
    out = capsys.readouterr().out
    assert "MIN/MAX_TARGET_EXAMPLES 100/25000" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(jl({"messages": PAIR}, [1]))
    assert main(["finetune", str(bad), "-m", MINI]) == 1
    assert "line 2: error:" in capsys.readouterr().err
