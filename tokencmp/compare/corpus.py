"""Parallel corpora: the bundled one, user folders of per-language files, and the manifest.

A corpus is a folder of UTF-8 text files, one per language, named by the
language's ISO 639 code (``en.txt``, ``ja.txt``), holding the same content.
An optional ``manifest.json`` names each language and its script and records
the file's size; the bundled corpus has one, and a test recomputes every
figure in it from the files::

    >>> languages = read_corpus()
    >>> languages["ja"].name, languages["ja"].script
    ('Japanese', 'Han, Hiragana, Katakana')

The bundled corpus lives in the repository's top-level ``corpora/`` folder
(the source of truth, shipped in the sdist). The wheel carries a copy as
package data, ``tokencmp/data/corpora`` (hatch ``force-include`` in
``pyproject.toml``); :func:`bundled_corpus_dir` finds that copy in an
installed package, or ``corpora/`` itself when running from a source checkout
or an editable install.

This module only reads corpora. Maintainers refresh the manifest's figures
after editing a text with ``python -m tokencmp.maintain.corpus_manifest corpora/``
(:mod:`tokencmp.maintain.corpus_manifest`, which no runtime module imports).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import CorpusError, validation_message
from ..result import Result

MANIFEST = "manifest.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ManifestEntry(_Strict):
    """One language of a corpus, as its manifest describes it."""

    code: str
    name: str
    script: str
    file: str
    lines: int = Field(ge=0)
    words: int | None = Field(ge=0)
    characters: int = Field(ge=0)
    bytes: int = Field(ge=0)
    graphemes: int = Field(ge=0)
    licence: str


class Manifest(_Strict):
    """A corpus's ``manifest.json``."""

    about: str
    word_rule: str
    languages: tuple[ManifestEntry, ...]


@dataclass(frozen=True, kw_only=True)
class CorpusFile(Result):
    """A language file of a corpus folder, with its manifest entry's name and script if any."""

    code: str
    path: Path
    name: str | None = None
    script: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``code``, ``path`` (as a string), ``name`` and ``script``."""
        return {"code": self.code, "path": str(self.path), "name": self.name, "script": self.script}


def bundled_corpus_dir() -> Path:
    """The folder of the bundled corpus (package data, or ``corpora/`` in a source checkout)."""
    packaged = resources.files("tokencmp") / "data" / "corpora"
    if isinstance(packaged, Path) and (packaged / MANIFEST).is_file():
        return packaged
    source = Path(__file__).resolve().parents[2] / "corpora"
    if (source / MANIFEST).is_file():
        return source
    raise CorpusError(
        "The bundled corpus is missing from this installation (no tokencmp/data/corpora). "
        "Reinstall tokencmp, or pass the folder of a corpus explicitly."
    )


def read_manifest(folder: str | os.PathLike[str]) -> Manifest | None:
    """The folder's ``manifest.json``, validated; ``None`` when the folder has none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate(json.loads(path.read_text("utf-8")))
    except ValidationError as e:
        raise CorpusError(validation_message(str(path), e)) from None
    except (OSError, ValueError, RecursionError) as e:  # ValueError: bad UTF-8 or JSON
        raise CorpusError(f"Cannot read {path}: {type(e).__name__}: {e}") from None


def read_corpus(folder: str | os.PathLike[str] | None = None) -> dict[str, CorpusFile]:
    """The language files of a corpus folder (default: the bundled corpus), by language code.

    Every ``*.txt`` file is a language, its code the file name without
    ``.txt``; the manifest, when there is one, supplies names and scripts.
    """
    root = bundled_corpus_dir() if folder is None else Path(folder)
    try:
        is_dir = root.is_dir()
    except (OSError, ValueError):  # a name too long for the OS, say
        is_dir = False
    if not is_dir:
        raise CorpusError(
            f"{root} is not a folder. Pass a folder of per-language .txt files (en.txt, ja.txt, ...)."
        )
    manifest = read_manifest(root)
    known = {entry.code: entry for entry in (manifest.languages if manifest else ())}
    files = {}
    for path in sorted(root.glob("*.txt")):
        entry = known.get(path.stem)
        files[path.stem] = CorpusFile(
            code=path.stem, path=path,
            name=entry.name if entry else None, script=entry.script if entry else None,
        )
    if not files:
        raise CorpusError(
            f"{root} holds no .txt files. A corpus is a folder with one UTF-8 file per language, "
            "named by its ISO 639 code (en.txt, ja.txt, ...)."
        )
    return files
