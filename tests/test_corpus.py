"""The bundled parallel corpus: its manifest cannot drift, its counts equal tiktoken's, it ships."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
import regex

import tokencmp
from tokencmp.compare.corpus import bundled_corpus_dir, read_corpus, read_manifest
from tokencmp.errors import CorpusError
from tokencmp.maintain.corpus_manifest import UNSPACED, update_manifest

from .helpers import ROOT

CORPORA = ROOT / "corpora"
MANIFEST = json.loads((CORPORA / "manifest.json").read_text("utf-8"))
FILES = sorted(CORPORA.glob("*.txt"))
LICENCE = "written for this project (CC0-1.0)"

# The 20 languages of the tokenizer table in OpenAI's GPT-4o launch post, "Hello GPT-4o"
# (https://openai.com/index/hello-gpt-4o/, section "Language tokenization"; issue 6).
GPT4O_LAUNCH_LANGUAGES = {
    "gu", "te", "ta", "mr", "hi", "ur", "ar", "fa", "ru", "ko",
    "vi", "zh", "ja", "tr", "it", "de", "es", "pt", "fr", "en",
}


def _shape(text: str) -> str:
    """Which lines are blank: the parallel structure every translation keeps."""
    return "".join("_" if not line.strip() else "x" for line in text.split("\n"))


def test_every_file_has_a_manifest_entry_and_every_entry_a_file() -> None:
    assert sorted(e["code"] for e in MANIFEST["languages"]) == [p.stem for p in FILES]
    assert all(e["file"] == f"{e['code']}.txt" for e in MANIFEST["languages"])


@pytest.mark.parametrize("entry", MANIFEST["languages"], ids=lambda e: e["code"])
def test_manifest_figures_are_recomputed_from_the_file(entry: dict) -> None:
    # Each figure by its plain definition, independently of tokencmp's own code.
    text = (CORPORA / entry["file"]).read_bytes().decode("utf-8")
    assert entry["characters"] == len(text)
    assert entry["bytes"] == len(text.encode("utf-8"))
    assert entry["graphemes"] == len(regex.findall(r"\X", text))
    assert entry["lines"] == text.count("\n")
    # The word rule stated in the manifest: whitespace-separated items, null where words are
    # not separated by spaces.
    assert entry["words"] == (None if entry["code"] in {"zh", "ja", "th", "km", "my"} else len(text.split()))
    assert entry["licence"] == LICENCE
    assert entry["name"] and entry["script"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_files_are_nfc_utf8_with_the_structure_of_english(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert not text.startswith("\ufeff") and "\r" not in text and text.endswith("\n")
    assert _shape(text) == _shape((CORPORA / "en.txt").read_text("utf-8"))


def test_english_has_at_least_600_words() -> None:
    assert len((CORPORA / "en.txt").read_text("utf-8").split()) >= 600


def test_corpus_covers_the_gpt4o_launch_languages_and_30_in_all() -> None:
    codes = {p.stem for p in FILES}
    missing = GPT4O_LAUNCH_LANGUAGES - codes
    assert not missing, f"missing translations: {sorted(missing)}"
    assert len(codes) >= 30


def test_manifest_is_what_the_update_command_writes(tmp_path) -> None:
    copy = tmp_path / "corpora"
    shutil.copytree(CORPORA, copy)
    update_manifest(copy)
    assert (copy / "manifest.json").read_text("utf-8") == (CORPORA / "manifest.json").read_text("utf-8")


def test_word_rule_is_stated() -> None:
    assert "whitespace-separated" in MANIFEST["word_rule"]
    assert {"zh", "ja", "th", "km", "my"} == UNSPACED


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_corpus_counts_equal_tiktoken_on_every_file(name: str) -> None:
    report = tokencmp.compare_corpus(normalize="none")
    enc = tokencmp.get_encoding(name)
    assert {r.code for r in report.languages} == {p.stem for p in FILES}
    for result in report.languages:
        text = Path(result.path).read_text("utf-8")
        assert result.counts.tokens[name] == len(enc.encode_ordinary(text)), result.code


def test_source_checkout_uses_the_top_level_folder() -> None:
    assert bundled_corpus_dir() == CORPORA
    assert set(read_corpus()) == {p.stem for p in FILES}
    assert read_corpus()["ja"].name == "Japanese"


def test_installed_layout_uses_package_data(tmp_path) -> None:
    # The wheel's layout: tokencmp/ with data/corpora inside, and no top-level corpora/ next to it.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tokencmp", site / "tokencmp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(CORPORA, site / "tokencmp" / "data" / "corpora")
    code = (
        "import json, tokencmp; from tokencmp.compare.corpus import bundled_corpus_dir; "
        "r = tokencmp.compare_corpus(); "
        "print(json.dumps([tokencmp.__file__, str(bundled_corpus_dir()), len(r.languages)]))"
    )
    proc = subprocess.run(  # run from tmp_path, so that the checkout is not on sys.path
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])},
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out[0] == str(site / "tokencmp" / "__init__.py")
    out = out[1:]
    assert out == [str(site / "tokencmp" / "data" / "corpora"), len(FILES)]


def test_pyproject_ships_the_corpus_in_the_wheel() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"corpora": "tokencmp/data/corpora"}
    assert "corpora" in config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_built_wheel_contains_the_corpus(tmp_path) -> None:
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys; from hatchling.build import build_wheel; print(build_wheel(sys.argv[1]))",
         str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = tmp_path / proc.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for path in [*FILES, CORPORA / "manifest.json"]:
            member = f"tokencmp/data/corpora/{path.name}"
            assert member in names
            assert z.read(member) == path.read_bytes()


def test_user_folder_without_manifest(tmp_path) -> None:
    (tmp_path / "en.txt").write_text("hello world", encoding="utf-8")
    files = read_corpus(tmp_path)
    assert list(files) == ["en"] and files["en"].name is None
    assert read_manifest(tmp_path) is None


def test_bad_folders_are_clear_errors(tmp_path) -> None:
    with pytest.raises(CorpusError, match=r"no \.txt files"):
        read_corpus(tmp_path)
    with pytest.raises(CorpusError, match="not a folder"):
        read_corpus(tmp_path / "missing")
    (tmp_path / "en.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.json").write_text('{"about": 1}', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.json"):
        read_corpus(tmp_path)
