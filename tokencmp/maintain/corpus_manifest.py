"""Refresh a corpus's ``manifest.json``: every figure recomputed from the files it describes.

    python -m tokencmp.maintain.corpus_manifest corpora/

Names, scripts and licences are kept (they cannot be computed); lines, words,
characters, UTF-8 bytes and grapheme clusters are counted again::

    >>> from tokencmp.compare.corpus import bundled_corpus_dir
    >>> entry = describe("en", bundled_corpus_dir() / "en.txt", name="English", script="Latin",
    ...                  licence="written for this project (CC0-1.0)")
    >>> entry.lines, entry.words
    (20, 766)

``tests/test_corpus.py`` fails when the bundled manifest differs from what
:func:`update_manifest` writes, so a text edited without refreshing it is caught.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..compare import compare_text
from ..compare.corpus import MANIFEST, Manifest, ManifestEntry, read_corpus, read_manifest
from ..errors import CorpusError
from ..text import read_text

WORD_RULE = (
    "words: the number of whitespace-separated items (Python str.split()); null for languages "
    "written without spaces between words (zh, ja, th, km, my), where such a count means nothing. "
    "For Vietnamese the items are syllables."
)
UNSPACED = frozenset({"zh", "ja", "th", "km", "my"})
"""Languages whose words are not separated by spaces: no word count."""


def describe(code: str, path: Path, *, name: str, script: str, licence: str) -> ManifestEntry:
    """A manifest entry for ``path``, its figures computed from the file."""
    text = read_text(path)
    counts = compare_text(text, encodings=())
    return ManifestEntry(
        code=code,
        name=name,
        script=script,
        file=path.name,
        lines=text.count("\n"),
        words=None if code in UNSPACED else len(text.split()),
        characters=counts.characters,
        bytes=counts.bytes,
        graphemes=counts.graphemes,
        licence=licence,
    )


def update_manifest(folder: str | os.PathLike[str]) -> Manifest:
    """Recompute the figures of a folder's manifest from its files and write it back.

    Names, scripts and licences are kept; a file with no entry yet is an
    error asking for one (its name, script and licence cannot be computed).
    """
    root = Path(folder)
    manifest = read_manifest(root)
    if manifest is None:
        raise CorpusError(f"{root} has no {MANIFEST} to update.")
    known = {entry.code: entry for entry in manifest.languages}
    entries = []
    for code, file in read_corpus(root).items():
        entry = known.get(code)
        if entry is None:
            raise CorpusError(
                f"{file.path.name} has no entry in {root / MANIFEST}: add one with its code, name, "
                "script and licence (the figures are filled in for you), then run this again."
            )
        entries.append(describe(code, file.path, name=entry.name, script=entry.script, licence=entry.licence))
    updated = manifest.model_copy(update={"languages": tuple(entries), "word_rule": WORD_RULE})
    text = json.dumps(updated.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")
    return updated


def main(argv: list[str]) -> int:
    """``python -m tokencmp.maintain.corpus_manifest FOLDER``: refresh FOLDER/manifest.json."""
    if len(argv) != 1:
        print(
            "usage: python -m tokencmp.maintain.corpus_manifest FOLDER  (recomputes FOLDER/manifest.json)",
            file=sys.stderr,
        )
        return 2
    try:
        written = update_manifest(argv[0])
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{len(written.languages)} languages written to {Path(argv[0]) / MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
