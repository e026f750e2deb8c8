"""How encodings compare on a text, and how languages compare on a parallel corpus.

    >>> import tokencmp
    >>> c = tokencmp.compare_text("日本語のテキストです。")
    >>> c.tokens
    {'o200k_base': 8, 'cl100k_base': 10}
    >>> c.ratio("o200k_base", "cl100k_base")
    0.8

Terms (see docs/compare.md for the method):

* **ratio** ``a/b``: tokens under encoding ``a`` divided by tokens under
  ``b`` for the same text. Below 1, ``a`` needs fewer tokens.
* **premium** of a language under an encoding: its tokens divided by the
  reference language's (English by default) for the same content, under
  that encoding. 1.5 means the language pays 50% more than English.
* characters, UTF-8 bytes and **grapheme clusters** (user-perceived
  characters, ``regex`` ``\\X``) per token: the size of a token in units that
  mean the same in every language, unlike words.

Token counts come from :func:`tokencmp.text.count_with`, so they are exact
(equal to tiktoken's ``encode_ordinary``). Files are read in pieces
(:mod:`tokencmp.text.stream`) with the same result as reading them whole.

The package, in the order a comparison runs:

* :mod:`~tokencmp.compare.run`: the entry points, :func:`compare_text`,
  :func:`compare_file`, :func:`compare_corpus`;
* :mod:`~tokencmp.compare.corpus`: the bundled corpus and folders of your own;
* :mod:`~tokencmp.compare.tally`: the counting pipeline, threaded for files;
* :mod:`~tokencmp.compare.scripts`: grapheme clusters and script attribution;
* :mod:`~tokencmp.compare.pricing`: input costs on models;
* :mod:`~tokencmp.compare.results`: what is returned.
"""

from .results import Comparison, CorpusReport, LanguageResult, ScriptCounts
from .run import compare_corpus, compare_file, compare_text, offset_progress
from .scripts import COMMON, SCRIPTS

__all__ = [
    "COMMON", "DEFAULT_ENCODINGS", "SCRIPTS", "Comparison", "CorpusReport", "LanguageResult", "ScriptCounts",
    "compare_corpus", "compare_file", "compare_text", "offset_progress",
]


def __getattr__(name: str) -> object:
    # DEFAULT_ENCODINGS, kept for importers of earlier releases: the active catalog's
    # defaults.encodings, which the entry points read at call time (encodings=None).
    if name == "DEFAULT_ENCODINGS":
        from ..catalog import get_catalog

        return get_catalog().defaults.encodings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
