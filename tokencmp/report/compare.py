"""``compare --html``: the comparison of files or of a corpus's languages as one HTML page.

The page holds the command's own table (the rows it prints), a chart (inline
SVG: each language's premium over the reference under each encoding, or each
file's ratio between the first two encodings), the per-script breakdown (for
files, each file's scripts; for a corpus, its languages summed by the script
they are written in) and the coloured tokens of a sample of each input (the
first line of each language, the first :data:`SAMPLE` characters of each
file) under each encoding. See :mod:`tokencmp.report.html` for how it stays
self-contained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from ..compare import Comparison, CorpusReport, compare_file
from ..encodings import get_encoding
from ..text.read import Errors, read_text
from ..text.stream import read_pieces
from .html import compare_page

SAMPLE = 300
"""Characters of each file (at most) shown as tokens."""


def corpus_html(
    report: CorpusReport,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    headers: Mapping[str, str],
) -> str:
    """The page for ``compare --corpus``: ``rows``/``columns``/``headers`` are the printed table's."""
    encs = list(report.encodings)
    labels = [r.code for r in report.languages]
    if report.reference is not None:
        series = {f"premium {e}": [r.premiums[e] for r in report.languages] for e in encs}
        title = f"Tokens per language over {report.reference}"
    else:
        series = {e: [float(r.counts.tokens[e]) for r in report.languages] for e in encs}
        title = "Tokens per language"
    by_script: dict[str, dict[str, Any]] = {}
    for r in report.languages:
        row = by_script.setdefault(
            r.script or "?",
            {"script": r.script or "?", "languages": 0, "characters": 0, **{f"tokens {e}": 0 for e in encs}},
        )
        row["languages"] += 1
        row["characters"] += r.counts.characters
        for e in encs:
            row[f"tokens {e}"] += r.counts.tokens[e]
    script_rows = sorted(by_script.values(), key=lambda r: r["script"])
    _add_ratios(script_rows, encs)
    samples = [(f"{r.code} {r.name or ''}".strip(), _first_line(r.path)) for r in report.languages]
    return compare_page(
        f"Encodings compared on {report.source}",
        (rows, columns, headers),
        (labels, series, title),
        (
            script_rows,
            ["script", "languages", "characters", *(f"tokens {e}" for e in encs), *_ratio_keys(encs)],
        ),
        samples,
        [get_encoding(e) for e in encs],
    )


def files_html(
    results: Sequence[tuple[str, Comparison]],
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    headers: Mapping[str, str],
    paths: Mapping[str, Path | None],
    *,
    normalize: str = "none",
    errors: Errors = "strict",
) -> str:
    """The page for ``compare FILE...``; ``paths`` maps each name to its file (None: standard input)."""
    encs = list(results[0][1].encodings)
    labels = [Path(name).name for name, _ in results]
    if len(encs) > 1:
        series = {f"{encs[0]}/{encs[1]}": [c.ratio(encs[0], encs[1]) for _, c in results]}
        title = f"{encs[0]} / {encs[1]} tokens per file"
    else:
        series = {encs[0]: [float(c.tokens[encs[0]]) for _, c in results]}
        title = "Tokens per file"
    script_rows: list[dict[str, Any]] = []
    samples = []
    for name, c in results:
        path = paths.get(name)
        scripts = c.scripts
        if scripts is None and path is not None:
            scripts = compare_file(
                path, encodings=encs, by_script=True, normalize=normalize, errors=errors
            ).scripts
        for s in scripts or ():
            script_rows.append(
                {
                    "name": name,
                    "script": s.script,
                    "characters": s.characters,
                    **{f"tokens {e}": s.tokens[e] for e in encs},
                }
            )
        if path is not None:
            samples.append((name, _first_chars(path, errors)))
    _add_ratios(script_rows, encs)
    return compare_page(
        "Encodings compared on files",
        (rows, columns, headers),
        (labels, series, title),
        (script_rows, ["name", "script", "characters", *(f"tokens {e}" for e in encs), *_ratio_keys(encs)]),
        samples,
        [get_encoding(e) for e in encs],
    )


def _ratio_keys(encs: Sequence[str]) -> list[str]:
    return [f"{a}/{b}" for i, a in enumerate(encs) for b in encs[i + 1 :]]


def _add_ratios(rows: list[dict[str, Any]], encs: Sequence[str]) -> None:
    for row in rows:
        for i, a in enumerate(encs):
            for b in encs[i + 1 :]:
                tb = row[f"tokens {b}"]
                row[f"{a}/{b}"] = row[f"tokens {a}"] / tb if tb else None


def _first_line(path: str) -> str:
    text = read_text(path)
    return next((line for line in text.splitlines() if line.strip()), "")[: SAMPLE * 2]


def _first_chars(path: Path, errors: Errors) -> str:
    head = "".join(islice(read_pieces(path, errors=errors, block_size=4 * SAMPLE), 2))
    return head[:SAMPLE]
