"""compare_text / compare_file / compare_corpus: counts, ratios, premiums, scripts, costs.

Published token counts used below, from the OpenAI cookbook "How to count tokens
with tiktoken", section 5 "Comparing encodings"
(https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):

    "antidisestablishmentarianism": cl100k_base 6 tokens, o200k_base 6 tokens
    "2 + 2 = 4":                    cl100k_base 7 tokens, o200k_base 7 tokens
    "お誕生日おめでとう":             cl100k_base 9 tokens, o200k_base 8 tokens

Prices (USD per 1M input tokens, standard tier) from OpenAI's pricing page
(https://developers.openai.com/api/docs/pricing, the catalog's "openai-pricing" source):
gpt-4o 2.50, gpt-4 30.00, gpt-5.4 2.50 (5.00 above 272K input tokens, see
test_input_cost_uses_the_long_context_price_above_the_threshold).
"""

from __future__ import annotations

import decimal
import doctest
import io
import json
from decimal import Decimal

import pytest

import tokencmp
from tokencmp import compare
from tokencmp.compare import corpus, pricing, results, run, scripts, tally
from tokencmp.errors import CorpusError, InvalidTextError, PriceUnknownError, UnknownEncodingError
from tokencmp.result import Result
from tokencmp.text import segment, stream

LONG_WORD = "antidisestablishmentarianism"
SUM = "2 + 2 = 4"
BIRTHDAY = "お誕生日おめでとう"
O200K, CL100K = "o200k_base", "cl100k_base"


def test_published_counts_ratio_and_units_per_token() -> None:
    c = tokencmp.compare_text(BIRTHDAY)
    assert c.tokens == {O200K: 8, CL100K: 9}
    # ratio o200k/cl100k = 8 / 9
    assert c.ratio(O200K, CL100K) == pytest.approx(8 / 9)
    assert c.ratios == {"o200k_base/cl100k_base": pytest.approx(8 / 9)}
    # お 誕 生 日 お め で と う: 9 characters, each 3 bytes in UTF-8 (U+3000..U+9FFF), 9 graphemes
    assert (c.characters, c.bytes, c.graphemes) == (9, 27, 9)
    assert c.chars_per_token(O200K) == pytest.approx(9 / 8)  # 1.125
    assert c.bytes_per_token(CL100K) == pytest.approx(27 / 9)  # 3.0
    assert c.graphemes_per_token(O200K) == pytest.approx(9 / 8)


def test_graphemes_differ_from_characters_for_combining_marks() -> None:
    # "नमस्ते" is न म स ् त े: 6 code points; clusters न, म, स्ते (virama joins the conjunct
    # under Unicode 15.1's rule GB9c) -> the regex module's \X gives 3.
    c = tokencmp.compare_text("नमस्ते", encodings=())
    assert c.characters == 6
    assert c.bytes == 18  # Devanagari is U+0900..U+097F: 3 bytes each
    assert c.graphemes == 3


def test_normalisation_is_applied_and_recorded() -> None:
    decomposed = "e\u0301" * 3  # three e + combining acute: 6 code points, 3 graphemes
    raw = tokencmp.compare_text(decomposed)
    nfc = tokencmp.compare_text(decomposed, normalize="NFC")
    assert (raw.characters, raw.graphemes, raw.normalize) == (6, 3, "none")
    assert (nfc.characters, nfc.graphemes, nfc.normalize) == (3, 3, "NFC")  # "ééé"
    assert nfc.tokens == tokencmp.compare_text("ééé").tokens
    # NFKC also folds compatibility characters: the ligature "ﬁ" becomes "fi".
    assert tokencmp.compare_text("ﬁ", normalize="NFKC").characters == 2


def test_empty_text_has_no_ratio() -> None:
    c = tokencmp.compare_text("")
    assert c.tokens == {O200K: 0, CL100K: 0}
    assert c.ratio(O200K, CL100K) is None and c.chars_per_token(O200K) is None


def test_three_encodings_give_three_pairs() -> None:
    c = tokencmp.compare_text(SUM, encodings=[O200K, CL100K, "o200k_harmony"])
    assert list(c.ratios) == [
        "o200k_base/cl100k_base", "o200k_base/o200k_harmony", "cl100k_base/o200k_harmony",
    ]
    # 7 tokens under both o200k_base and cl100k_base (cookbook): 7 / 7 = 1
    assert c.ratios["o200k_base/cl100k_base"] == 1.0


def test_input_costs_per_model() -> None:
    c = tokencmp.compare_text(BIRTHDAY, models=["gpt-4o", "gpt-4"])
    # gpt-4o: 8 tokens * $2.50 / 1M = $0.00002; gpt-4: 9 tokens * $30 / 1M = $0.00027
    assert c.input_costs == {"gpt-4o": Decimal("0.00002"), "gpt-4": Decimal("0.00027")}
    assert all(isinstance(v, Decimal) for v in c.input_costs.values())


def test_a_model_without_a_price_is_an_error() -> None:
    # "gpt-4o-foo" resolves as a variant of gpt-4o whose price is not known (catalog rules).
    with pytest.raises(PriceUnknownError, match="gpt-4o-foo"):
        tokencmp.compare_text("x", models=["gpt-4o-foo"])


def test_bad_inputs_are_clear_errors() -> None:
    with pytest.raises(InvalidTextError, match="bytes"):
        tokencmp.compare_text(b"abc")  # type: ignore[arg-type]
    with pytest.raises(UnknownEncodingError):
        tokencmp.compare_text("x", encodings=["o300k"])
    with pytest.raises(tokencmp.TokencmpError, match="normalisation"):
        tokencmp.compare_text("x", normalize="NFX")


# --- scripts ------------------------------------------------------------------------------

ENGLISH = "The function below prints a greeting.\n"
JAPANESE = "この関数はプログラムの挨拶を表示します。\n"
CODE = 'def greet(name):\n    print(f"こんにちは, {name}!")\n'


def test_script_segmentation_of_english_japanese_and_python() -> None:
    text = ENGLISH + JAPANESE + CODE
    c = tokencmp.compare_text(text, by_script=True)
    assert c.scripts is not None
    by = {s.script: s for s in c.scripts}
    # Runs by hand; Common characters (spaces, punctuation, "。", newlines, digits) join the
    # script before them:
    latin = [ENGLISH, 'def greet(name):\n    print(f"', 'name}!")\n']
    hiragana = ["この", "は", "の", "を", "します。\n", "こんにちは, {"]
    han = ["関数", "挨拶", "表示"]
    katakana = ["プログラム"]
    assert [s.script for s in c.scripts] == ["Latin", "Hiragana", "Han", "Katakana"]  # first seen
    for name, parts in [("Latin", latin), ("Hiragana", hiragana), ("Han", han), ("Katakana", katakana)]:
        assert by[name].characters == sum(map(len, parts)), name
        assert by[name].bytes == sum(len(p.encode()) for p in parts), name
    # Every token goes to exactly one script, so the scripts' tokens add up to the text's.
    for enc in (O200K, CL100K):
        assert sum(s.tokens[enc] for s in c.scripts) == c.tokens[enc]
        assert all(s.tokens[enc] > 0 for s in c.scripts)


def test_an_english_only_text_is_all_latin() -> None:
    c = tokencmp.compare_text(LONG_WORD + " 2 + 2 = 4.", by_script=True)
    assert c.scripts is not None and [s.script for s in c.scripts] == ["Latin"]
    assert c.scripts[0].tokens == c.tokens and c.scripts[0].characters == c.characters


def test_leading_common_characters_join_the_first_script() -> None:
    c = tokencmp.compare_text("123 — Привет", by_script=True)
    assert c.scripts is not None and [(s.script, s.characters) for s in c.scripts] == [("Cyrillic", 12)]
    only_digits = tokencmp.compare_text("2 + 2 = 4", by_script=True)
    assert only_digits.scripts is not None and [s.script for s in only_digits.scripts] == ["Common"]


def test_other_scripts_are_reported_as_other() -> None:
    c = tokencmp.compare_text("ᏣᎳᎩ", by_script=True)  # Cherokee: not in SCRIPTS
    assert c.scripts is not None and [s.script for s in c.scripts] == ["Other"]


# --- corpus ---------------------------------------------------------------------------------


@pytest.fixture()
def tiny_corpus(tmp_path):
    (tmp_path / "en.txt").write_text(LONG_WORD, encoding="utf-8")
    (tmp_path / "ja.txt").write_text(BIRTHDAY, encoding="utf-8")
    (tmp_path / "num.txt").write_text(SUM, encoding="utf-8")
    return tmp_path


def test_corpus_premiums_and_totals_on_a_hand_made_corpus(tiny_corpus) -> None:
    report = tokencmp.compare_corpus(tiny_corpus, models=["gpt-4o", "gpt-4"])
    assert [r.code for r in report.languages] == ["en", "ja", "num"]  # reference first
    ja = report.language("ja")
    # premium = tokens / English tokens: o200k 8 / 6, cl100k 9 / 6
    assert ja.premiums == {O200K: pytest.approx(8 / 6), CL100K: pytest.approx(9 / 6)}
    assert report.language("num").premiums == {O200K: pytest.approx(7 / 6), CL100K: pytest.approx(7 / 6)}
    assert report.language("en").premiums == {O200K: 1.0, CL100K: 1.0}
    # totals: o200k 6 + 8 + 7 = 21, cl100k 6 + 9 + 7 = 22
    assert report.total.tokens == {O200K: 21, CL100K: 22}
    assert report.total.ratio(O200K, CL100K) == pytest.approx(21 / 22)
    # costs: ja 8 * 2.50 / 1M and 9 * 30 / 1M; totals 21 * 2.50 / 1M and 22 * 30 / 1M
    assert ja.counts.input_costs == {"gpt-4o": Decimal("0.00002"), "gpt-4": Decimal("0.00027")}
    assert report.total.input_costs == {"gpt-4o": Decimal("0.0000525"), "gpt-4": Decimal("0.00066")}
    assert report.models == {"gpt-4o": O200K, "gpt-4": CL100K}
    assert report.input_prices == {"gpt-4o": Decimal("2.50"), "gpt-4": Decimal("30")}
    assert report.normalize == "NFC" and report.source == str(tiny_corpus)


def test_model_encodings_are_added_to_the_encodings(tiny_corpus) -> None:
    report = tokencmp.compare_corpus(tiny_corpus, encodings=[O200K], models=["gpt-4"])
    assert report.encodings == (O200K, CL100K)
    assert report.language("ja").counts.tokens == {O200K: 8, CL100K: 9}


def test_reference_language_is_required_or_none(tiny_corpus) -> None:
    with pytest.raises(CorpusError, match=r"'fr'.*en, ja, num"):
        tokencmp.compare_corpus(tiny_corpus, reference="fr")
    report = tokencmp.compare_corpus(tiny_corpus, reference=None)
    assert report.language("ja").premiums == {O200K: None, CL100K: None}


def test_corpus_normalisation_changes_decomposed_text(tmp_path) -> None:
    (tmp_path / "en.txt").write_text("cafe", encoding="utf-8")
    (tmp_path / "xx.txt").write_text("e\u0301" * 3, encoding="utf-8")
    assert tokencmp.compare_corpus(tmp_path, normalize="none").language("xx").counts.characters == 6
    assert tokencmp.compare_corpus(tmp_path).language("xx").counts.characters == 3  # NFC by default


def test_bundled_corpus_report_shape() -> None:
    report = tokencmp.compare_corpus()
    assert report.source == "bundled corpus" and report.reference == "en"
    assert report.languages[0].code == "en" and report.languages[0].name == "English"
    data = report.to_dict()
    assert {"source", "encodings", "reference", "normalize", "models", "languages", "total"} <= set(data)
    assert data["languages"][0]["premiums"] == {O200K: 1.0, CL100K: 1.0}


def test_compare_file_reads_paths_and_file_objects(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BIRTHDAY, encoding="utf-8")
    assert tokencmp.compare_file(path).tokens == {O200K: 8, CL100K: 9}
    assert tokencmp.compare_file(io.BytesIO(BIRTHDAY.encode())).tokens == {O200K: 8, CL100K: 9}


def test_compare_file_counts_the_same_on_one_thread_or_several(tmp_path) -> None:
    # 5,000 lines read in 4 KB blocks, so many pieces are counted while others wait: the result
    # must equal compare_text on the whole text (which tiktoken's own count is checked against in
    # tests/test_stream.py) on any number of threads.
    text = (BIRTHDAY + "\n") * 5_000
    path = tmp_path / "many.txt"
    path.write_text(text, encoding="utf-8")
    whole = tokencmp.compare_text(text)
    for threads in (1, 2, 3):
        assert tokencmp.compare_file(path, block_size=4096, threads=threads) == whole
    with pytest.raises(tokencmp.TokencmpError, match="threads"):
        tokencmp.compare_file(path, threads=0)


@pytest.mark.parametrize("module", [compare, corpus, pricing, results, run, scripts, tally, segment, stream])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_docs_example_figures() -> None:
    # docs/compare.md shows Hindi's premiums and input costs on the bundled corpus. Worked from
    # tiktoken's own counts of hi.txt and en.txt: premium = hi tokens / en tokens; cost = tokens *
    # price / 1M with gpt-4o at $2.50 (o200k_base) and gpt-4 at $30 (cl100k_base).
    from .helpers import ROOT

    doc = (ROOT / "docs" / "compare.md").read_text("utf-8")
    n = {
        (code, name): len(tokencmp.get_encoding(name).encode_ordinary(
            (ROOT / "corpora" / f"{code}.txt").read_text("utf-8")))
        for code in ("hi", "en") for name in (O200K, CL100K)
    }
    premiums = {e: round(n["hi", e] / n["en", e], 2) for e in (O200K, CL100K)}
    costs = {"gpt-4o": Decimal(n["hi", O200K]) * Decimal("2.50") / 1_000_000,
             "gpt-4": Decimal(n["hi", CL100K]) * 30 / 1_000_000}
    assert f"# {premiums!r}" in doc
    assert f"# {costs!r}" in doc
    report = tokencmp.compare_corpus(models=["gpt-4o", "gpt-4"])
    assert {e: round(v, 2) for e, v in report.language("hi").premiums.items()} == premiums
    assert report.language("hi").counts.input_costs == costs


@pytest.mark.parametrize(("code", "nfd_tokens", "nfc_tokens"), [("vi", 3209, 1264), ("ko", 11549, 1362)])
def test_decomposed_text_costs_more_and_nfc_restores_it(code: str, nfd_tokens: int, nfc_tokens: int) -> None:
    # docs/compare.md quotes these o200k_base counts; each is checked against tiktoken here.
    import unicodedata

    from .helpers import ROOT

    text = (ROOT / "corpora" / f"{code}.txt").read_text("utf-8")
    nfd = unicodedata.normalize("NFD", text)
    enc = tokencmp.get_encoding(O200K)
    assert (len(enc.encode_ordinary(nfd)), len(enc.encode_ordinary(text))) == (nfd_tokens, nfc_tokens)
    assert tokencmp.compare_text(nfd).tokens[O200K] == nfd_tokens
    assert tokencmp.compare_text(nfd, normalize="NFC").tokens == tokencmp.compare_text(text).tokens


def test_input_cost_uses_the_long_context_price_above_the_threshold() -> None:
    # " a" is one pre-token and one o200k token, so " a" * n is n tokens. gpt-5.4: $2.50 per 1M
    # input (OpenAI pricing page); "separate standard pricing for requests under 272K and over 272K
    # tokens" (OpenAI latest-model guide, GPT-5.4: https://developers.openai.com/api/docs/guides/latest-model),
    # $5 per 1M input above 272,000 (litellm 1.110.2, model_prices_and_context_window_backup.json).
    short = tokencmp.compare_text(" a" * 1_000, models=["gpt-5.4"])
    assert short.tokens["o200k_base"] == 1_000 and short.input_costs["gpt-5.4"] == Decimal("0.0025")
    long = tokencmp.compare_text(" a" * 280_000, models=["gpt-5.4"])
    assert long.tokens["o200k_base"] == 280_000
    assert long.input_costs["gpt-5.4"] == Decimal("1.4")  # 280,000 x 5 / 1,000,000


def test_a_corpus_total_cost_is_the_sum_of_its_languages_priced_one_request_each(tmp_path) -> None:
    # Two languages of 150,000 " a" tokens each: each is below gpt-5.4's 272,000 long-context
    # threshold, so each costs 150,000 x $2.50 / 1M = 0.375, and the total 0.75 (not the long-
    # context price on the 300,000 summed tokens).
    (tmp_path / "en.txt").write_text(" a" * 150_000)
    (tmp_path / "fr.txt").write_text(" a" * 150_000)
    report = tokencmp.compare_corpus(tmp_path, models=["gpt-5.4"])
    assert [r.counts.input_costs["gpt-5.4"] for r in report.languages] == [Decimal("0.375")] * 2
    assert report.total.input_costs["gpt-5.4"] == Decimal("0.75")


# --- money and results -------------------------------------------------------------------------

HOSTILE = decimal.Context(
    prec=1,
    traps=[decimal.Clamped, decimal.DivisionByZero, decimal.Inexact, decimal.InvalidOperation,
           decimal.Overflow, decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.FloatOperation],
)
"""A caller's context that rounds to one digit and raises on any rounding: money must not use it."""

HELLO = "hello world " * 3


def _all_costs(tmp_path) -> list[dict[str, Decimal]]:
    path = tmp_path / "hello.txt"
    path.write_text(HELLO, encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "en.txt").write_text(HELLO, encoding="utf-8")
    (folder / "ja.txt").write_text(BIRTHDAY, encoding="utf-8")
    models = ["gpt-4o", "gpt-4"]
    report = tokencmp.compare_corpus(folder, models=models)
    return [
        tokencmp.compare_text(HELLO, models=models).input_costs,
        tokencmp.compare_file(path, models=models).input_costs,
        *(r.counts.input_costs for r in report.languages),
        report.total.input_costs,
        report.input_prices,
    ]


def test_costs_are_the_same_under_a_hostile_decimal_context(tmp_path) -> None:
    # "hello world " * 3 is 7 tokens under o200k_base and cl100k_base alike: "hello", then " world",
    # " hello", " world", " hello", " world" and the final " " (checked against tiktoken below).
    # gpt-4o: 7 x $2.50 / 1M = $0.0000175 (under prec=1 a caller-context division gives 0.00002);
    # gpt-4: 7 x $30 / 1M = $0.00021. The corpus adds ja (8 and 9 tokens, cookbook): totals
    # (7 + 8) x 2.50 / 1M = 0.0000375 and (7 + 9) x 30 / 1M = 0.00048.
    for name in (O200K, CL100K):
        assert len(tokencmp.get_encoding(name).encode_ordinary(HELLO)) == 7
    default = _all_costs(tmp_path)
    with decimal.localcontext(HOSTILE):
        hostile = _all_costs(tmp_path)
    assert hostile == default
    assert [str(c) for c in hostile[0].values()] == [str(c) for c in default[0].values()]  # same digits too
    assert default[0] == {"gpt-4o": Decimal("0.0000175"), "gpt-4": Decimal("0.00021")}
    assert default[1] == default[0] == default[2]  # the file, and en in the corpus
    assert default[3] == {"gpt-4o": Decimal("0.00002"), "gpt-4": Decimal("0.00027")}  # ja
    assert default[4] == {"gpt-4o": Decimal("0.0000375"), "gpt-4": Decimal("0.00048")}
    assert default[5] == {"gpt-4o": Decimal("2.50"), "gpt-4": Decimal("30")}


def test_results_are_results_with_one_json_form(tiny_corpus) -> None:
    report = tokencmp.compare_corpus(tiny_corpus, models=["gpt-4o"])
    c = tokencmp.compare_text("Hi 世界", by_script=True)
    assert c.scripts is not None
    for value in (report, report.total, report.languages[0], c, c.scripts[0]):
        assert isinstance(value, Result)
    assert isinstance(report.languages, tuple)
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    ja = data["languages"][1]
    assert (ja["code"], ja["file"]) == ("ja", str(tiny_corpus / "ja.txt"))
    # Money is written as a string in plain notation: 8 x 2.50 / 1M, and the price per 1M.
    assert ja["input_costs"] == {"gpt-4o": "0.00002"}
    assert data["models"] == [{"model": "gpt-4o", "encoding": O200K, "input_price_per_1m": "2.5"}]
    # ratios: every pair in order, 8 / 9 for ja
    assert ja["ratios"] == {f"{O200K}/{CL100K}": pytest.approx(8 / 9)}
    assert [s["script"] for s in c.to_dict()["scripts"]] == ["Latin", "Han"]
    assert c.scripts[0].to_dict()["tokens"] == dict(c.scripts[0].tokens)


def test_offset_progress_reports_over_all_inputs(tiny_corpus) -> None:
    seen: list[tuple[int, int | None]] = []
    tokencmp.compare_corpus(tiny_corpus, progress=lambda done, total: seen.append((done, total)))
    sizes = [len(t.encode()) for t in (LONG_WORD, BIRTHDAY, SUM)]  # en, ja, num: 28 + 27 + 9 bytes
    assert seen[-1] == (sum(sizes), sum(sizes)) == (64, 64)
    assert all(total == 64 for _, total in seen) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert compare.offset_progress is tokencmp.compare.run.offset_progress
