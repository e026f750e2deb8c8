"""Files of requests: Batch API input files and fine-tuning datasets checked and priced before they
are sent, and finished work priced from its output files.

- :mod:`.jsonl`: lines read in bounded memory, each parsed or one per-line error;
- :mod:`.source`, :mod:`.parallel`: where a file comes from; chunks on several processes;
- :mod:`.bodies`: one request body of any batch endpoint, counted;
- :mod:`.batch`: :func:`check_batch`; :mod:`.finetune`: :func:`check_finetune`;
  :mod:`.outputs`: :func:`cost_of_outputs`;
- :mod:`.tally`, :mod:`.results`: running totals, and what the three return;
- :mod:`.schema`: the facts of ``data/files.json`` (limits, the epochs rule, training prices).
"""

from .batch import check_batch
from .finetune import check_finetune
from .outputs import cost_of_outputs
from .results import (
    BatchModelReport,
    BatchReport,
    FileLimits,
    FineTuneFile,
    FineTuneReport,
    UsageReport,
    UsageRow,
)
from .tally import Distribution, LineProblem

__all__ = [
    "BatchModelReport", "BatchReport", "Distribution", "FileLimits", "FineTuneFile", "FineTuneReport",
    "LineProblem", "UsageReport", "UsageRow", "check_batch", "check_finetune", "cost_of_outputs",
]
