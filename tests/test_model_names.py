"""Names tokencmp does not hold (issue 14, points 5 to 7): tomorrow's names, what was assumed, strict names.

Expectations come from tiktoken 0.14's ``tiktoken/model.py`` (``MODEL_TO_ENCODING``,
``MODEL_PREFIX_TO_ENCODING`` and ``encoding_name_for_model``, imported here so they are
tiktoken's answers, not tokencmp's), from issue 14, or are worked by hand in a comment.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from tiktoken.model import MODEL_PREFIX_TO_ENCODING, MODEL_TO_ENCODING, encoding_name_for_model

import tokencmp
from tokencmp.catalog import did_you_mean, get_catalog, load_catalog, resolve_model
from tokencmp.catalog.lookup import encoding_name, is_entry
from tokencmp.cli import main
from tokencmp.errors import (
    AssumedModelError,
    CatalogError,
    PriceUnknownError,
    TokencmpError,
    UnknownModelError,
)

# Names nobody adds to the catalog today (the GPT-6 models OpenAI lists are gpt-6-sol, -luna, -astra,
# gpt-6.1-sol/-terra, gpt-6.2-*, -cyber, -rosalind: issue 14), so these stay rule-resolved.
TOMORROW = ["gpt-6.3-sol", "gpt-6-nova", "gpt-7", "o5-mini"]


@pytest.fixture
def restore_catalog(monkeypatch):
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)
    yield
    monkeypatch.delenv("TOKENCMP_CATALOG", raising=False)  # before the reload, not after it
    load_catalog()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# --- 5. tomorrow's names -----------------------------------------------------------------------


@pytest.mark.parametrize("name", TOMORROW)
def test_a_future_member_of_a_known_family_counts_with_the_familys_encoding(name: str) -> None:
    # Every OpenAI chat and reasoning name tiktoken 0.14 maps after gpt-4o is o200k_base:
    newer = ("gpt-4o", "gpt-4.1", "gpt-5", "o1", "o3", "o4-mini")
    assert {MODEL_TO_ENCODING[n] for n in newer} == {"o200k_base"}
    with pytest.raises(KeyError):  # and tiktoken itself cannot map tomorrow's names
        encoding_name_for_model(name)
    info = resolve_model(name)
    assert info.encoding == "o200k_base"
    assert info.assumed_from is not None and info.assumed_from in get_catalog().models
    assert info.notes and info.assumed_from in info.notes[0] and "o200k_base" in info.notes[0]
    # "hello world" is 2 tokens in o200k_base: tiktoken's encoder on the published ranks says so.
    assert tokencmp.count_tokens("hello world", model=name) == len(
        tokencmp.get_encoding("o200k_base").encode("hello world")
    ) == 2


@pytest.mark.parametrize("name, family", [("gpt-7", "gpt"), ("gpt-6.3-sol", "gpt"), ("o5-mini", "o-series")])
def test_the_family_rule_is_data_and_names_the_entry_it_assumes(name: str, family: str) -> None:
    rule = next(f for f in get_catalog().families if f.name == family)
    info = resolve_model(name)
    assert info.assumed_from == rule.like
    assert (info.encoding, info.chat_format, info.vision) == (rule.encoding, rule.chat_format, rule.vision)
    assert info.sources["encoding"] == rule.source and rule.source in get_catalog().sources
    assert rule.why in info.notes


@pytest.mark.parametrize("name", TOMORROW)
def test_a_future_name_has_no_invented_price_and_says_whose_limits_it_assumes(name: str) -> None:
    info = resolve_model(name)
    assert info.prices == {} and info.long_context is None and info.audio_prices is None
    like = get_catalog().models[info.assumed_from or ""]
    assert (info.context_window, info.max_input_tokens, info.max_output_tokens) == (
        like.context_window, like.max_input_tokens, like.max_output_tokens)
    assert f"{like.name}'s limits assumed" in info.notes[0]
    with pytest.raises(PriceUnknownError):
        tokencmp.estimate_cost(1_000, model=name, output_tokens=100)
    with pytest.raises(PriceUnknownError):
        tokencmp.cost_from_usage({"prompt_tokens": 10, "completion_tokens": 5}, model=name)


@pytest.mark.parametrize("name", ["gpt-7", "ft:gpt-4-0613:acme::x1"])
def test_the_budget_check_says_the_price_is_unknown_as_for_a_fine_tune(name: str) -> None:
    body = {"model": name, "messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": 10}
    report = tokencmp.check_budget(body)
    assert report.fits_context and report.cost is None and report.total_max is None
    assert report.cost_unknown and any(n.startswith("Cost unknown:") for n in report.notes)
    with pytest.raises(PriceUnknownError):
        tokencmp.check_budget(body, max_cost="1")


def test_cost_says_the_price_of_a_future_name_is_unknown_as_for_a_fine_tune() -> None:
    rows = tokencmp.rank_models("hello world", models=["gpt-7", "ft:gpt-4-0613:acme::x1", "gpt-4o"])
    by_model = {r.model: r for r in rows}
    assert by_model["gpt-4o"].total_min is not None
    for unpriced in ("gpt-7", "ft:gpt-4-0613:acme::x1"):
        assert by_model[unpriced].total_min is None and by_model[unpriced].total_max is None
    assert rows[0].model == "gpt-4o"  # models without a price come last


def test_rules_stack_on_a_future_name() -> None:
    for name in ("ft:gpt-7:acme::x1", "gpt-7-2027-01-15", "gpt-7-latest"):
        info = resolve_model(name)
        assert info.encoding == "o200k_base" and info.prices == {}, name
        assert info.assumed_from == resolve_model("gpt-7").assumed_from, name


@pytest.mark.parametrize(
    "name",
    ["gpt-4-o", "gpt-2", "gpt-3.5", "gpt-35-turbo", "gpt-4-32k", "o1-mini", "gpt-5.7-luna", "gpt-4.1-nano"],
)
def test_tiktokens_names_and_prefixes_keep_tiktokens_encoding(name: str) -> None:
    # gpt-4-o: tiktoken's prefix "gpt-4-" -> cl100k_base; gpt-2 and gpt-3.5 are shorthands in its
    # MODEL_TO_ENCODING; gpt-5.7-luna: its prefix "gpt-5". No family rule changes any of these.
    assert resolve_model(name).encoding == encoding_name_for_model(name)
    assert not any("families" in note for note in resolve_model(name).notes)


def test_every_catalog_name_resolves_to_its_own_entry_never_to_a_rule() -> None:
    catalog = get_catalog()
    for name, key in catalog.names().items():
        info = resolve_model(name)
        assert info.name == key and info.assumed_from is None, name


def test_each_familys_examples_reach_it_past_entries_and_tiktokens_prefixes() -> None:
    catalog = get_catalog()
    assert catalog.families, "the bundled catalog has family rules"
    for family in catalog.families:
        for example in family.examples:
            assert example not in catalog.names(), example
            assert not any(example.startswith(p) for p in MODEL_PREFIX_TO_ENCODING), example
            assert family.matches(example)
            assert resolve_model(example).encoding == family.encoding


@pytest.mark.parametrize(
    "name",
    # Never released or not a name at all: o2 and o4 (OpenAI went o1, o3, o4-mini), gpt-4.2 (no
    # tiktoken prefix: "gpt-4-" needs the hyphen), gpt-6o (no hyphen), gpt-60 (past the rule's 19),
    # a variant with digits, and an empty variant.
    ["o2", "o4", "gpt-4.2", "gpt-6o", "gpt-60", "gpt-6-sol2", "gpt-7-", "gpt-6..1"],
)
def test_nonsense_is_not_a_family_member(name: str) -> None:
    with pytest.raises(KeyError):
        encoding_name_for_model(name)
    with pytest.raises(UnknownModelError):
        resolve_model(name)


def test_a_family_never_shadows_an_entry_or_a_tiktoken_prefix(tmp_path, restore_catalog) -> None:
    # A deliberately greedy family: every "gpt-..." name. Entries, their variants and tiktoken's
    # prefixes are still tried first, so only names nothing else resolves reach it.
    greedy = {"name": "greedy", "pattern": "gpt-.*", "like": "gpt-4o", "encoding": "r50k_base",
              "examples": ["gpt-4.2"], "source": "tiktoken-0.14", "why": "a test", "checked": "2026-12-02"}
    load_catalog(write(tmp_path, "greedy.json", {"families": [greedy]}))
    assert resolve_model("gpt-4o").encoding == MODEL_TO_ENCODING["gpt-4o"]
    assert resolve_model("gpt-4-o").encoding == MODEL_PREFIX_TO_ENCODING["gpt-4-"]
    assert resolve_model("gpt-5.7-luna").encoding == MODEL_PREFIX_TO_ENCODING["gpt-5"]
    assert resolve_model("gpt-4o-mini-realtime-preview").encoding == "o200k_base"  # a variant of gpt-4o-mini
    assert resolve_model("gpt-4.2").encoding == "r50k_base"  # nothing else resolves it
    assert resolve_model("gpt-7").encoding == "r50k_base"  # the override's list replaced the bundled one


@pytest.mark.parametrize(
    "family, where",
    [
        ({"pattern": "gpt-(", "examples": ["gpt-7"]}, "is not a regular expression"),
        ({"pattern": "gpt-[6-9]", "examples": ["gpt-10"]}, "does not match its examples gpt-10"),
        ({"like": "gpt-99"}, r"families\[0\] \(t\)\.like: unknown model 'gpt-99'"),
        ({"chat_format": "chatml-nope"}, r"families\[0\] \(t\)\.chat_format"),
        ({"vision": "patch:nope"}, r"families\[0\] \(t\)\.vision"),
        ({"source": "nowhere"}, r"families\[0\] \(t\)\.source"),
        ({"examples": []}, "examples"),
        ({"price": "1"}, "price"),
    ],
)
def test_a_bad_family_is_a_catalog_error(tmp_path, restore_catalog, family: dict, where: str) -> None:
    rule = {"name": "t", "pattern": "gpt-7", "like": "gpt-4o", "encoding": "o200k_base",
            "examples": ["gpt-7"], "source": "tiktoken-0.14", "why": "a test", "checked": "2026-12-02",
            **family}
    with pytest.raises(CatalogError, match=where):
        load_catalog(write(tmp_path, "bad.json", {"families": [rule]}))


# --- 6. say what was assumed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gpt-4-o", ("gpt-4o",)),  # one "-" too many (issue 14)
        ("gtp-4o", ("gpt-4o",)),  # "pt" swapped
        ("gpt4o-mini", ("gpt-4o-mini",)),  # only a "-" missing
        ("gpt-4o-mni", ("gpt-4o-mini",)),  # one letter missing
        ("gpt-40", ("gpt-4o",)),  # "0" for "o"; not gpt-4: dropping the digit 0 is a version, not a typo
        ("gpt-5.7-luna", ()),  # 7 for 6 is a newer version, not a typo of gpt-5.6-luna
        ("o5-mini", ()),  # nor 5 for 4 in o4-mini
        ("gpt-6.3-sol", ()),  # two changes from gpt-5.6-sol
    ],
)
def test_did_you_mean_is_one_keystroke_that_is_not_a_version(name: str, expected: tuple[str, ...]) -> None:
    assert did_you_mean(name) == expected


def test_gpt_4_o_is_counted_as_tiktoken_counts_it_and_says_so() -> None:
    # Issue 14: gpt-4-o went silently to cl100k_base through tiktoken's "gpt-4-" prefix (4,232
    # tokens on a Hindi text where gpt-4o gives 1,391). The encoding is kept; the note says so.
    hindi = "नमस्ते, आप कैसे हैं? मैं ठीक हूँ।"
    cl100k, o200k = tokencmp.get_encoding("cl100k_base"), tokencmp.get_encoding("o200k_base")
    assert tokencmp.count_tokens(hindi, model="gpt-4-o") == len(cl100k.encode(hindi))
    assert tokencmp.count_tokens(hindi, model="gpt-4o") == len(o200k.encode(hindi))
    assert len(cl100k.encode(hindi)) > len(o200k.encode(hindi))  # the difference the issue measured
    note = resolve_model("gpt-4-o").notes[0]
    assert "gpt-4-0613" in note and "cl100k_base" in note and note.endswith("Did you mean gpt-4o?")


@pytest.mark.parametrize("name", ["gpt-4-o", "gpt-4o-2024-08-06", "gpt-7", "o5-mini", "gpt-5.7-luna",
                                  "ft:gpt-4o-mini-2024-07-18:acme::x1", "gpt-4o-mini-realtime-preview"])
def test_strict_refuses_every_name_a_rule_resolves(name: str) -> None:
    lenient = resolve_model(name)
    with pytest.raises(AssumedModelError) as raised:
        resolve_model(name, strict=True)
    e = raised.value
    assert isinstance(e, UnknownModelError) and isinstance(e, KeyError) and isinstance(e, TokencmpError)
    assert (e.name, e.assumed_from, e.encoding, e.rule) == (name, lenient.assumed_from, lenient.encoding,
                                                             lenient.notes[0])
    assert "strict" in str(e) and lenient.assumed_from in str(e)


def test_strict_error_suggests_the_name_a_keystroke_away() -> None:
    with pytest.raises(AssumedModelError) as raised:
        resolve_model("gpt-4-o", strict=True)
    assert raised.value.suggestions == ["gpt-4o"] and "Did you mean gpt-4o?" in str(raised.value)


@pytest.mark.parametrize("name", ["gpt-4o", "openai/GPT-4o", "gpt-4", "gpt-3.5", "gpt-2",
                                  "azure/gpt-35-turbo"])
def test_strict_accepts_entries_aliases_and_normalised_spellings(name: str) -> None:
    info = resolve_model(name, strict=True)
    assert info.assumed_from is None and info.encoding == encoding_name_for_model(
        tokencmp.catalog.normalize_model_name(name)
    )


def test_strict_model_on_the_counting_and_costing_functions() -> None:
    body = {"model": "gpt-7", "messages": [{"role": "user", "content": "hi"}]}
    calls = [
        lambda s: tokencmp.count_tokens("hi", model="gpt-7", strict_model=s),
        lambda s: tokencmp.encoding_for_model("gpt-7", strict_model=s),
        lambda s: tokencmp.choose_encoding("gpt-7", strict_model=s),
        lambda s: tokencmp.count_request(body, strict_model=s),
        lambda s: tokencmp.count_request({**body, "model": "gpt-4o"}, model="gpt-7", strict_model=s),
        lambda s: tokencmp.count_messages(body["messages"], model="gpt-7", strict_model=s),
        lambda s: asyncio.run(tokencmp.acount_tokens("hi", model="gpt-7", strict_model=s)),
        lambda s: asyncio.run(tokencmp.acount_request(body, strict_model=s)),
    ]
    for call in calls:
        call(False)  # counts: an o200k_base count
        with pytest.raises(AssumedModelError):
            call(True)
    for cost in (
        lambda: tokencmp.estimate_cost(10, model="gpt-4o-2024-08-06", output_tokens=1, strict_model=True),
        lambda: tokencmp.cost_from_usage({"prompt_tokens": 1, "completion_tokens": 1},
                                         model="gpt-4o-2024-08-06", strict_model=True),
        lambda: tokencmp.check_budget({**body, "model": "gpt-4o-2024-08-06"}, strict_model=True),
        lambda: tokencmp.check_budget(tokencmp.count_request({**body, "model": "gpt-4o-2024-08-06"}),
                                      strict_model=True),
    ):
        with pytest.raises(AssumedModelError):
            cost()
    # The same dated snapshot prices as gpt-4o without strict: $2.50 per 1M input (pricing page).
    dated = tokencmp.estimate_cost(1_000_000, model="gpt-4o-2024-08-06", output_tokens=0)
    assert dated.total == Decimal("2.5")


def test_count_file_takes_strict_model(tmp_path) -> None:
    path = write(tmp_path, "a.txt", "hello world")
    assert tokencmp.count_file(path, model="gpt-7") == 2  # o200k_base, as above
    with pytest.raises(AssumedModelError):
        tokencmp.count_file(path, model="gpt-7", strict_model=True)


def test_an_entry_naming_its_own_assumed_from_is_still_an_entry(tmp_path, restore_catalog, capsys) -> None:
    # An override may write assumed_from itself (a fine-tune entry saying what it was tuned from).
    mine = {"encoding": "o200k_base", "assumed_from": "gpt-4o", "context_window": 128000,
            "checked": "2026-12-02"}
    load_catalog(write(tmp_path, "mine.json", {"models": {"my-tune": mine}}))
    assert resolve_model("my-tune", strict=True).notes == ()
    assert is_entry("my-tune")
    assert main(["models", "my-tune", "--strict-models", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""


def test_is_entry_tells_entries_from_rule_resolved_names() -> None:
    assert is_entry("gpt-4o") and is_entry("gpt-4") and is_entry("OpenAI/GPT-4o")
    assert not is_entry("gpt-7") and not is_entry("gpt-4-o")
    with pytest.raises(UnknownModelError):
        is_entry("claude-3-opus")
    assert encoding_name("gpt-4o", strict=True) == "o200k_base"
    with pytest.raises(AssumedModelError):
        encoding_name("gpt-7", strict=True)


# --- 6. the command line --------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    text = write(tmp_path, "a.txt", "hello world")
    body = write(tmp_path, "r.json", {"model": "gpt-7", "messages": [{"role": "user", "content": "hi"}]})
    png = tmp_path / "a.png"  # a 1 x 1 PNG header (signature, IHDR length and type, width, height)
    ihdr = b"\x00\x00\x00\rIHDR" + (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + ihdr)
    return {"text": str(text), "body": str(body), "png": str(png)}


def notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": note: " in line and "has no price" not in line]


COMMANDS = {
    "count": lambda f, m: ["count", "-m", m, f["text"]],
    "request": lambda f, m: ["request", "-m", m, f["body"]],
    "cost": lambda f, m: ["cost", "-m", m, f["text"]],
    "compare": lambda f, m: ["compare", "-m", m, f["text"]],
    "models": lambda f, m: ["models", m],
}


GPT_4_O = ("gpt-4-o: Taken to be a variant of gpt-4, counted as gpt-4-0613 (cl100k_base); its prices and "
           "limits are not known. Did you mean gpt-4o?")
DATED = ("gpt-4o-2024-08-06: Taken to be a dated snapshot of gpt-4o, counted as gpt-4o (o200k_base), with "
         "the same limits and prices.")


@pytest.mark.parametrize(
    "command, name, note",
    # cost and compare price the model, so they get a name that keeps gpt-4o's prices and limits
    [("count", "gpt-4-o", GPT_4_O), ("request", "gpt-4-o", GPT_4_O), ("models", "gpt-4-o", GPT_4_O),
     ("cost", "gpt-4o-2024-08-06", DATED), ("compare", "gpt-4o-2024-08-06", DATED)],
)
def test_each_command_notes_a_rule_resolved_name_once_on_stderr(command, name, note, files, capsys) -> None:
    assert main([*COMMANDS[command](files, name), "--format", "json"]) == 0
    assert notes(capsys.readouterr().err) == [f"tokencmp {command}: note: {note}"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_is_silent_about_an_entry(command, files, capsys) -> None:
    assert main([*COMMANDS[command](files, "gpt-4o"), "--format", "json"]) == 0
    assert notes(capsys.readouterr().err) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_refuses_an_assumed_name_with_strict_models(command, files, capsys) -> None:
    assert main([*COMMANDS[command](files, "gpt-7"), "--strict-models"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"tokencmp {command}: error: Model 'gpt-7' is not in the catalog, and strict")
    assert "gpt-5.6-sol (o200k_base)" in line
    assert main([*COMMANDS[command](files, "gpt-4o"), "--strict-models", "--format", "json"]) == 0


def test_image_check_and_speed_take_strict_models_too(files, capsys) -> None:
    assert main(["image", "-m", "gpt-4o-2024-08-06", files["png"], "--strict-models"]) == 1
    assert "tokencmp image: error: Model 'gpt-4o-2024-08-06' is not in the catalog" in capsys.readouterr().err
    assert main(["check", files["body"], "--strict-models"]) == 1  # the body's own model, gpt-7
    assert "tokencmp check: error: Model 'gpt-7'" in capsys.readouterr().err
    # speed refuses before it connects anywhere (the suite blocks the network; port 9 is discard)
    assert main(["speed", "-m", "gpt-7", "--base-url", "http://127.0.0.1:9/v1", "--strict-models"]) == 1
    assert "tokencmp speed: error: Model 'gpt-7'" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["-m", "gpt-7"], ["-m", "gpt-4-o"], ["-m", "gpt-4-o", "--strict-models"]])
def test_docs_show_the_real_notes(tmp_path, capsys, args: list[str]) -> None:
    # docs/catalog.md, "Names tokencmp does not know yet", shows these commands on hello.txt.
    page = (Path(__file__).parents[1] / "docs" / "catalog.md").read_text(encoding="utf-8")
    main(["count", *args, str(write(tmp_path, "hello.txt", "hello world"))])
    [line] = capsys.readouterr().err.splitlines()
    assert f"\n{line}\n" in page


def test_a_failed_command_prints_its_error_line_and_no_note(files, capsys) -> None:
    # compare prices each --model; gpt-7 has no price, so the command fails, on one line.
    assert main(["compare", "-m", "gpt-7", files["text"]]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("tokencmp compare: error: ") and "gpt-7" in line


def test_the_note_comes_after_the_output(files) -> None:
    both = io.StringIO()  # standard output and error as one stream, in the order written
    with contextlib.redirect_stdout(both), contextlib.redirect_stderr(both):
        assert main(["count", "-m", "gpt-7", files["text"]]) == 0
    lines = both.getvalue().splitlines()
    assert lines[-1].startswith("tokencmp count: note: gpt-7: ") and lines[0].startswith("name")


def test_request_notes_the_bodys_own_model_and_counts_it(files, capsys) -> None:
    assert main(["request", files["body"], "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["encoding"] == "o200k_base"
    [line] = notes(captured.err)
    assert line.startswith("tokencmp request: note: gpt-7: Taken to be a new model of the gpt family")


def test_a_name_given_twice_gets_one_note(files, capsys) -> None:
    args = ["cost", "-m", "gpt-7", "-m", "gpt-7", "-m", "o5-mini", files["text"], "--format", "json"]
    assert main(args) == 0
    lines = notes(capsys.readouterr().err)
    assert [line.split(": ")[2] for line in lines] == ["gpt-7", "o5-mini"]


def test_cost_shows_no_price_for_a_future_name(files, capsys) -> None:
    assert main(["cost", "-m", "gpt-7", "-m", "gpt-4o", files["text"], "--format", "json"]) == 0
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["gpt-7"]["total_max"] is None and rows["gpt-4o"]["total_max"] is not None


# --- 7. -chat-latest names with their own entries ---------------------------------------------


CHAT_LATEST = {
    # Issue 14: the gpt-5.1/5.2/5.3 -chat-latest names were shut down in 2026-07/08 with a 128K
    # context and 16,384 output tokens, unlike their active base models (400K).
    "gpt-5.1-chat-latest": {"encoding": "o200k_base", "kind": "chat", "chat_format": "chatml-newer",
                            "context_window": 128000, "max_output_tokens": 16384, "status": "shut_down",
                            "checked": "2026-12-02"},
}


@pytest.mark.parametrize("how", ["load_catalog", "environment"])
def test_a_chat_latest_name_with_its_own_entry_is_that_entry(tmp_path, monkeypatch, restore_catalog,
                                                             how) -> None:
    # The -latest rule would give gpt-5.1's figures (400K context: issue 14); 128,000 shows the entry won.
    assert resolve_model("gpt-5.1").context_window == 400_000
    path = write(tmp_path, "chat-latest.json", {"models": CHAT_LATEST})
    if how == "environment":
        monkeypatch.setenv("TOKENCMP_CATALOG", str(path))
        load_catalog()  # as a new process does on first use
        assert encoding_name("gpt-5.1-chat-latest", strict=True) == "o200k_base"  # never the raw file
    else:
        load_catalog(path)
    info = resolve_model("gpt-5.1-chat-latest", strict=True)
    assert info.name == "gpt-5.1-chat-latest" and info.assumed_from is None
    assert (info.context_window, info.max_output_tokens, info.status) == (128_000, 16_384, "shut_down")
    assert resolve_model("OpenAI/GPT-5.1-Chat-Latest").name == "gpt-5.1-chat-latest"
    # The rule still serves names without an entry.
    assert resolve_model("gpt-5.4-mini-latest").assumed_from == "gpt-5.4-mini"


def test_the_bundled_gpt_5_chat_latest_entry_is_not_the_latest_rule() -> None:
    info = resolve_model("gpt-5-chat-latest")
    assert info.name == "gpt-5-chat-latest" and info.assumed_from is None
