"""The shape of ``tokencmp/data/files.json``: the facts about files of requests, validated once.

    >>> facts = file_facts()
    >>> facts.batch.max_requests, facts.batch.max_embedding_inputs
    (50000, 50000)
    >>> facts.fine_tuning.epochs.target_epochs
    3

Each figure carries its source (a key of ``sources``, with its URL, the copy
read and its date), as the catalog's do (:mod:`tokencmp.catalog.schema`). The
file holds what is about files rather than models (the Batch API's file limits,
the fine-tuning format and default-epochs rule); training prices and the inference
prices of fine-tuned models are on the catalog's models
(:class:`tokencmp.catalog.FineTuning`).
"""

from __future__ import annotations

import json
import threading
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..catalog.schema import Source
from ..errors import CatalogError, validation_message

FILE = "data/files.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BatchFacts(_Strict):
    """The Batch API's input file: the method, the endpoints, the file-level limits."""

    method: str
    endpoints: tuple[str, ...]
    max_requests: int = Field(gt=0)
    max_bytes: int = Field(gt=0)
    max_embedding_inputs: int = Field(gt=0)
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()


class EpochsRule(_Strict):
    """The default number of epochs by the cookbook's fine-tuning notebook (its constants)."""

    target_epochs: int = Field(gt=0)
    min_target_examples: int = Field(gt=0)
    max_target_examples: int = Field(gt=0)
    min_default_epochs: int = Field(gt=0)
    max_default_epochs: int = Field(gt=0)
    source: str

    def default_epochs(self, examples: int) -> int:
        """The notebook's rule: ``TARGET_EPOCHS``, raised for few examples, lowered for many.

            >>> file_facts().fine_tuning.epochs.default_epochs(5)   # 100 // 5, the notebook's toy set
            20
        """
        n = self.target_epochs
        if examples <= 0:
            return n
        if examples * self.target_epochs < self.min_target_examples:
            n = min(self.max_default_epochs, self.min_target_examples // examples)
        elif examples * self.target_epochs > self.max_target_examples:
            n = max(self.min_default_epochs, self.max_target_examples // examples)
        return n


class FineTuningFacts(_Strict):
    epochs: EpochsRule
    max_tokens_per_example: int = Field(gt=0)
    max_tokens_source: str
    message_keys: tuple[str, ...]
    roles: tuple[str, ...]
    format_source: str
    format_notes: tuple[str, ...] = ()
    weights: tuple[int, ...]
    default_model: str


class FileFacts(_Strict):
    schema_version: int
    about: str
    sources: dict[str, Source]
    batch: BatchFacts
    fine_tuning: FineTuningFacts

    @model_validator(mode="after")
    def _sources_known(self) -> FileFacts:
        ft = self.fine_tuning
        named = [*self.batch.sources, ft.epochs.source, ft.max_tokens_source, ft.format_source]
        missing = sorted({s for s in named if s not in self.sources})
        if missing:
            raise ValueError(f"unknown source keys: {', '.join(missing)}")
        return self

    def source(self, key: str) -> Source:
        return self.sources[key]



_lock = threading.Lock()
_facts: FileFacts | None = None


def file_facts() -> FileFacts:
    """The bundled ``files.json``, validated on first use."""
    global _facts
    if _facts is None:
        with _lock:
            if _facts is None:
                text = resources.files("tokencmp").joinpath(FILE).read_text("utf-8")
                try:
                    _facts = FileFacts.model_validate(json.loads(text))
                except ValidationError as e:
                    raise CatalogError(validation_message(f"tokencmp/{FILE}", e)) from None
    return _facts
