"""Maintainer tooling: commands that refresh data shipped in the repository.

Run from a source checkout, never imported by tokencmp's runtime modules (so a
tool may use anything in the package without making an import cycle):

* ``python -m tokencmp.maintain.corpus_manifest corpora/``: recompute the
  figures of the bundled corpus's ``manifest.json`` after editing a text
  (:mod:`tokencmp.maintain.corpus_manifest`).
* ``python -m tokencmp.maintain.price_check``: compare the catalog's OpenAI prices with the
  installed genai-prices (and litellm), against the reviewed allow-list
  ``tokencmp/data/price_disagreements.json`` (:mod:`tokencmp.maintain.price_check`).
"""
