"""Token views for people: coloured boundaries on a terminal (:mod:`.terminal`, with rich) and a
self-contained HTML page (:mod:`.html`: inline CSS and SVG, nothing fetched).

Both draw what :mod:`tokencmp.text.view` computes; :mod:`.marks` holds what they share: how
whitespace is made visible and where the boundaries of several encodings differ.
"""
