"""Corpora that outgrow one machine: exact counts on Dask, Ray, Spark and Hugging Face datasets.

The pieces here import no engine; each engine's adapter or recipe is built on them
(docs/scale.md):

* :mod:`~tokencmp.scale.partial`: :class:`CompareSettings` (what is sent to
  workers), :func:`count_texts` and :func:`count_range` (a batch of texts, or a
  byte range of a file, to a partial result), :func:`merge` (partial results
  to exactly the single-machine counts) and :func:`finish` (priced);
* :mod:`~tokencmp.scale.split`: one large file cut at proven safe byte offsets;
* :mod:`~tokencmp.scale.columns`: per-row counts as columns, for engines that
  map batches of a table (Ray, Spark, datasets), and their totals;
* :mod:`~tokencmp.scale.dask` (``tokencmp[scale]``): the Dask adapter, and
  ``--dask ADDRESS`` on ``compare``, ``batch``, ``finetune`` and ``usage``.

The file commands' own work (:func:`tokencmp.check_batch` and the others) is
mapped with their ``map_chunks`` argument, and the reports are merged by the
same code as on one machine.
"""

from .partial import CompareSettings, count_range, count_texts, finish, merge, settings_for
from .split import cut_bytes, cut_file

__all__ = ["CompareSettings", "count_range", "count_texts", "cut_bytes", "cut_file", "finish", "merge",
           "settings_for"]
