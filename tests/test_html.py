"""The HTML pages (show --html, compare --html): parsed with html5lib, self-contained, and opened in
headless Chromium where it is installed (the screenshot is looked at by whoever changes the page).

What is checked: the page parses as HTML5 without errors; it holds the comparison table (one row
per language of the bundled corpus, whose manifest lists them), an inline <svg> chart, the
per-script table and a token view of each language; and nothing in it points outside the file:
no src or href with a scheme or //, no @import, no url( in CSS, no <script>, <link> or <img>.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import html5lib
import pytest

from tokencmp import get_encoding, read_corpus
from tokencmp.report.html import show_page

from .test_cli import run_cli

NS = "{http://www.w3.org/1999/xhtml}"


def parse(document: str):
    parser = html5lib.HTMLParser(strict=True)  # a parse error raises
    return parser.parse(document)


def assert_self_contained(document: str) -> None:
    tree = parse(document)
    for el in tree.iter():
        for attr in ("src", "href", "xlink:href", "action", "data"):
            value = el.get(attr)
            assert value is None or not re.match(r"\s*([a-z][a-z0-9+.-]*:|//)", value, re.I), (el.tag, value)
        assert el.tag not in {f"{NS}script", f"{NS}link", f"{NS}img", f"{NS}iframe", f"{NS}object"}
    assert not re.search(r"https?://", document.replace("http://www.w3.org/", "")), "an external URL"
    assert "@import" not in document and "url(" not in document


def test_show_page_is_self_contained_and_escapes_text() -> None:
    document = show_page("<script>alert(1)</script> & hello world", [get_encoding("cl100k_base")])
    assert_self_contained(document)
    assert "<script>" not in document
    tree = parse(document)
    spans = [el for el in tree.iter(f"{NS}span") if el.get("class") in ("t0", "t1")]
    # the text, whitespace shown as ·, comes back from the spans in order
    assert (
        "".join("".join(el.itertext()) for el in spans)
        == "<script>alert(1)</script>\u00b7&\u00b7hello\u00b7world"
    )


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html") / "corpus.html"
    proc = run_cli("compare", "--corpus", "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def test_compare_corpus_page(corpus_page) -> None:
    assert_self_contained(corpus_page)
    tree = parse(corpus_page)
    tables = list(tree.iter(f"{NS}table"))
    assert len(tables) == 2  # the comparison and the per-script breakdown
    languages = read_corpus()
    rows = tables[0].find(f"{NS}tbody").findall(f"{NS}tr")
    assert len(rows) == len(languages) + 1  # one per language and the total
    assert {r.find(f"{NS}td").text for r in rows} == {*languages, "total"}
    svgs = list(tree.iter(f"{NS}svg")) + list(tree.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == 1
    bars = list(svgs[0].iter("{http://www.w3.org/2000/svg}rect"))
    assert len(bars) >= 2 * len(languages)  # a bar per language per encoding (and the legend)
    headings = [h.text for h in tree.iter(f"{NS}h3")]
    assert len(headings) == len(languages)
    views = [d for d in tree.iter(f"{NS}div") if d.get("class") == "view"]
    assert len(views) == 2 * len(languages)  # each sample under each default encoding


def test_compare_files_page(tmp_path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("hello world\n\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\n", encoding="utf-8")
    out = tmp_path / "files.html"
    proc = run_cli("compare", str(a), "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    document = out.read_text(encoding="utf-8")
    assert_self_contained(document)
    tree = parse(document)
    scripts = list(tree.iter(f"{NS}table"))[1]
    names = {tr.findall(f"{NS}td")[1].text for tr in scripts.find(f"{NS}tbody").findall(f"{NS}tr")}
    assert {"Latin", "Han"} <= names  # the per-script breakdown of the file


def test_html_opens_in_headless_chromium(corpus_page, tmp_path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium to run this test)")
    page = tmp_path / "corpus.html"
    page.write_text(corpus_page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp()
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": profile},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = Path(shot).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page, not a blank one
