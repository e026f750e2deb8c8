"""`tokencmp compare`: files, --by-script, --corpus, formats, --plot, errors, the docs table."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

import tokencmp
from tokencmp.cli import main
from tokencmp.cli._progress import ProgressBar

from .helpers import ROOT

BIRTHDAY = "お誕生日おめでとう"  # cookbook: cl100k_base 9 tokens, o200k_base 8 tokens


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_markdown_table(capsys) -> None:
    code, out, _ = cli(capsys, "compare", "--corpus", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("| code | language | o200k | cl100k | o200k/cl100k | premium o200k |")
    assert lines[2].startswith("| en | English |") and "| 1.000 | 1.000 | 1.000 |" in lines[2]
    assert lines[-1].startswith("| total |")
    assert len(lines) == 2 + len(tokencmp.compare_corpus().languages) + 1


def test_corpus_json_equals_the_api(capsys) -> None:
    code, out, _ = cli(capsys, "compare", "--corpus", "--format", "json", "--model", "gpt-4o")
    assert code == 0
    data = json.loads(out)
    report = tokencmp.compare_corpus(models=["gpt-4o"])
    assert data["normalize"] == "NFC" and data["reference"] == "en"
    assert [x["code"] for x in data["languages"]] == [r.code for r in report.languages]
    ja = next(x for x in data["languages"] if x["code"] == "ja")
    assert ja["tokens"] == report.language("ja").counts.tokens
    assert ja["input_costs"]["gpt-4o"] == str(report.language("ja").counts.input_costs["gpt-4o"])
    assert data["models"] == [{"model": "gpt-4o", "encoding": "o200k_base", "input_price_per_1m": "2.5"}]


def test_corpus_of_a_user_folder_csv(capsys, tmp_path) -> None:
    (tmp_path / "en.txt").write_text("antidisestablishmentarianism", encoding="utf-8")  # 6 and 6
    (tmp_path / "ja.txt").write_text(BIRTHDAY, encoding="utf-8")  # 8 and 9
    code, out, _ = cli(capsys, "compare", "--corpus", str(tmp_path), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    ja = next(r for r in rows if r["code"] == "ja")
    assert (ja["tokens o200k_base"], ja["tokens cl100k_base"]) == ("8", "9")
    # premiums 8 / 6 and 9 / 6; ratio 8 / 9
    assert float(ja["premium o200k_base"]) == pytest.approx(8 / 6)
    assert float(ja["premium cl100k_base"]) == pytest.approx(1.5)
    assert float(ja["o200k_base/cl100k_base"]) == pytest.approx(8 / 9)
    assert rows[-1]["code"] == "total" and rows[-1]["tokens o200k_base"] == "14"  # 6 + 8


def test_files_with_scripts_and_costs(capsys, tmp_path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("Hello there. " + BIRTHDAY, encoding="utf-8")
    code, out, _ = cli(capsys, "compare", str(path), "--by-script", "--model", "gpt-4", "--format", "json")
    assert code == 0
    data = json.loads(out)
    entry = data["inputs"][0]
    assert entry["name"] == str(path) and data["normalize"] == "none"
    assert [s["script"] for s in entry["scripts"]] == ["Latin", "Hiragana", "Han"]
    assert sum(s["tokens"]["cl100k_base"] for s in entry["scripts"]) == entry["tokens"]["cl100k_base"]
    assert set(entry["input_costs"]) == {"gpt-4"}

    code, out, _ = cli(capsys, "compare", str(path), "--by-script")
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["name", "script"]
    assert [line.split()[1] for line in lines[2:]] == ["all", "Latin", "Hiragana", "Han"]


def test_standard_input(tmp_path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tokencmp", "compare", "--format", "json"],
        input=BIRTHDAY.encode(), capture_output=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["inputs"][0]["tokens"] == {"o200k_base": 8, "cl100k_base": 9}


def test_normalize_option(capsys, tmp_path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("e\u0301" * 3, encoding="utf-8")
    _, out, _ = cli(capsys, "compare", str(path), "--normalize", "nfc", "--format", "json")
    data = json.loads(out)
    assert data["normalize"] == "NFC" and data["inputs"][0]["characters"] == 3


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_written(capsys, tmp_path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    out_path = tmp_path / f"chart{suffix}"
    code, _, err = cli(capsys, "compare", "--corpus", "--plot", str(out_path))
    assert code == 0, err
    data = out_path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert b"<svg" in data[:2000]


def test_plot_of_files(capsys, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "a.txt").write_text(BIRTHDAY, encoding="utf-8")
    code, _, err = cli(capsys, "compare", str(tmp_path / "a.txt"), "--plot", str(tmp_path / "f.png"))
    assert code == 0, err and (tmp_path / "f.png").stat().st_size > 0


def test_plot_without_matplotlib_names_the_extra(tmp_path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; from tokencmp.cli import main; "
        f"sys.exit(main(['compare', '--corpus', '--plot', {str(tmp_path / 'x.png')!r}]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "tokencmp compare: error: --plot needs the optional package 'matplotlib': "
        "pip install 'tokencmp[plot]'"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--corpus", "--plot", "x.pdf"], 2, "png or .svg"),
        (["--corpus", "--normalize", "NFD"], 2, "none, NFC or NFKC"),
        (["a.txt", "--corpus"], 1, "not both"),
        (["--corpus", "--by-script"], 1, "FILEs"),
        (["--corpus", "--reference", "xx"], 1, "'xx'"),
        (["--corpus", "--encodings", "o300k"], 1, "o300k"),
        (["--corpus", "--model", "gpt-4o-foo"], 1, "price"),
        (["missing-file.txt"], 1, "Cannot read"),
    ],
)
def test_errors_are_one_line(capsys, args: list[str], code: int, message: str) -> None:
    try:
        result = main(["compare", *args])
    except SystemExit as e:  # argparse usage errors
        result = e.code
    err = capsys.readouterr().err
    assert result == code
    assert message in err and err.count("\n") == 1


def test_docs_table_is_the_command_output(capsys) -> None:
    # docs/compare.md holds the table that `python -m tokencmp compare --corpus --format markdown` prints.
    _, out, _ = cli(capsys, "compare", "--corpus", "--format", "markdown")
    doc = (ROOT / "docs" / "compare.md").read_text("utf-8")
    match = re.search(r"<!-- corpus-table -->\n(.*?)<!-- /corpus-table -->", doc, re.S)
    assert match, "docs/compare.md lost its table markers"
    assert match.group(1) == out, "regenerate it: python -m tokencmp compare --corpus --format markdown"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_for_large_inputs() -> None:
    with ProgressBar.for_stderr(100, threshold=10, out=io.StringIO()) as bar:
        assert bar is None  # not a terminal
    with ProgressBar.for_stderr(5, threshold=10, out=_Terminal()) as bar:
        assert bar is None  # small input
    term = _Terminal()
    with ProgressBar.for_stderr(100, threshold=10, out=term) as bar:
        assert bar is not None
        bar(50, 100)
        bar(100, 100)
    assert "50%" in term.getvalue() and "100%" in term.getvalue()
    assert term.getvalue().endswith("\r")  # the line is cleared at the end


def _drawn(monkeypatch) -> list:
    """The figures --plot saves, kept instead of written (issue 16 point 7: what a reader sees)."""
    from matplotlib.figure import Figure

    figures: list = []
    real = Figure.savefig

    def keep(self, path, **kwargs):
        figures.append(self)
        return real(self, path, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    return figures


def _bars(ax) -> tuple[list[str], list[str]]:
    """The names on an axis's bars, top to bottom, and the values written at their ends."""
    names = [t.get_text() for t in ax.get_yticklabels()]
    values = [t.get_text() for t in ax.texts]
    return names, values


def test_corpus_plot_names_languages_sorted_with_values(capsys, monkeypatch, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    figures = _drawn(monkeypatch)
    code, _, err = cli(capsys, "compare", "--corpus", "--plot", str(tmp_path / "c.png"))
    assert code == 0, err
    (fig,) = figures
    assert fig.get_suptitle().startswith("Tokens per language for the same text")
    ratio_ax, premium_ax = fig.axes[:2]
    names, _ = _bars(ratio_ax)
    assert "English (en)" in names and "Japanese (ja)" in names  # names, not ISO codes alone
    assert len(names) == len(tokencmp.compare_corpus().languages)
    # The bars go from the largest premium (first encoding) down; English, the reference, is 1 by definition.
    first = [float(v) for v in _bars(premium_ax)[1][:len(names)]]  # the first encoding's bars are drawn first
    assert first == sorted(first, reverse=True) and first[names.index("English (en)")] == 1.0
    assert "o200k_base tokens per cl100k_base token" in ratio_ax.get_title()
    assert "per English (en) token" in premium_ax.get_title()


def test_files_plot_by_script(capsys, monkeypatch, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "a.txt").write_text(BIRTHDAY, encoding="utf-8")
    figures = _drawn(monkeypatch)
    code, _, err = cli(capsys, "compare", str(tmp_path / "a.txt"), "--plot", str(tmp_path / "f.svg"))
    assert code == 0, err
    names, values = _bars(figures[-1].axes[0])
    assert names == ["a.txt"] and values == ["0.89"]  # o200k 8 / cl100k 9 tokens (BIRTHDAY, the cookbook)
    assert figures[-1].get_suptitle() == "o200k_base against cl100k_base, per file (normalisation: none)"
    code, _, err = cli(capsys, "compare", str(tmp_path / "a.txt"), "--by-script",
                       "--plot", str(tmp_path / "s.png"))
    assert code == 0, err
    names, values = _bars(figures[-1].axes[0])
    # 誕生 is Han, the rest kana
    assert sorted(names) == ["a.txt: Han", "a.txt: Hiragana"] and len(values) == 2
    assert [float(v) for v in values] == sorted((float(v) for v in values), reverse=True)
    assert "per file and Unicode script" in figures[-1].get_suptitle()
