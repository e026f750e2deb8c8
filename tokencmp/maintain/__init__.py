"""Maintainer tooling: commands that refresh data shipped in the repository.

Run from a source checkout, never imported by tokencmp's runtime modules (so a
tool may use anything in the package without making an import cycle):

* ``python -m tokencmp.maintain.corpus_manifest corpora/``: recompute the
  figures of the bundled corpus's ``manifest.json`` after editing a text
  (:mod:`tokencmp.maintain.corpus_manifest`).
"""
