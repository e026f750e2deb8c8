"""Maintainer tooling: commands that refresh data shipped in the repository.

Run from a source checkout, never imported by tokencmp's runtime modules (so a
tool may use anything in the package without making an import cycle):

* ``python -m tokencmp.maintain.corpus_manifest corpora/``: recompute the
  figures of the bundled corpus's ``manifest.json`` after editing a text
  (:mod:`tokencmp.maintain.corpus_manifest`).
* ``python -m tokencmp.maintain.cassettes --repository OWNER/NAME --licence SPDX CASSETTE...``:
  add the genuine, countable OpenAI calls of VCR cassettes to ``tests/data/recorded_calls.json``
  (:mod:`tokencmp.maintain.cassettes`; the checks are :mod:`tokencmp.maintain.vcr`'s).
* ``python -m tokencmp.maintain.recorded_report --markdown > docs/recorded-traffic.md``:
  count every recorded call and write the exact rates by category and API, next to the
  cookbook formula's (:mod:`tokencmp.maintain.recorded_report`).
"""
