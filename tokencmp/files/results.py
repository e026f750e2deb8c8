"""What the file commands return: a batch input file checked, a fine-tuning file checked, outputs priced.

Every one is a :class:`tokencmp.result.Result` (frozen, ``to_dict()``,
``to_json()``); money is a :class:`~decimal.Decimal` of USD, ``None`` when
unknown (``cost_unknown`` says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..catalog import Source
from ..result import Result
from .tally import Distribution, LineProblem


@dataclass(frozen=True, kw_only=True)
class FileLimits(Result):
    """A file against the Batch API's file-level limits (``tokencmp/data/files.json``)."""

    requests: int
    max_requests: int
    bytes: int
    max_bytes: int
    embedding_inputs: int
    max_embedding_inputs: int
    sources: tuple[Source, ...]

    @property
    def problems(self) -> tuple[str, ...]:
        out = []
        if self.requests > self.max_requests:
            out.append(f"{self.requests:,} requests, over the limit of {self.max_requests:,} per file")
        if self.bytes > self.max_bytes:
            out.append(f"{self.bytes:,} bytes, over the limit of {self.max_bytes:,} per file")
        if self.embedding_inputs > self.max_embedding_inputs:
            out.append(f"{self.embedding_inputs:,} embedding inputs, over the limit of "
                       f"{self.max_embedding_inputs:,} per batch")
        return tuple(out)


@dataclass(frozen=True, kw_only=True)
class BatchModelReport(Result):
    """A batch file counted and priced for one model.

    ``prompt_tokens`` is the sum over the requests counted (``prompt_tokens_low`` /
    ``_high`` its bounds where a rule is an estimate); ``output_tokens_max`` the sum
    of each body's most output, ``output_bound_from_model`` how many bodies set no
    cap so that the model's maximum was used. The cost is at the batch tier: from
    ``cost_min`` (input only) to ``cost_max`` (input plus the output bound);
    ``cost`` with the ``output_tokens`` given per request.
    """

    model: str
    encoding: str
    requests: int
    prompt_tokens: int
    prompt_tokens_low: int
    prompt_tokens_high: int
    exact: bool
    distribution: Distribution
    over_input_limit: int
    over_input_limit_ids: tuple[str, ...]
    input_limit: int | None
    output_tokens_max: int | None
    output_bound_from_model: int
    output_tokens: int | None
    tier: str
    cost_min: Decimal | None
    cost_max: Decimal | None
    cost: Decimal | None
    cost_unknown: str | None
    enqueued_limit: int | None
    within_enqueued_limit: bool | None
    budget: Decimal | None
    within_budget: bool | None
    price_sources: tuple[str, ...]
    checked: date | None
    notes: tuple[str, ...]

    @property
    def problems(self) -> tuple[str, ...]:
        out = []
        if self.over_input_limit:
            out.append(f"{self.model}: {self.over_input_limit:,} requests over the input limit of "
                       f"{self.input_limit:,} tokens")
        if self.within_enqueued_limit is False:
            out.append(f"{self.model}: {self.prompt_tokens:,} prompt tokens, over the enqueued limit "
                       f"of {self.enqueued_limit:,}")
        if self.within_budget is False:
            out.append(f"{self.model}: up to ${self.cost_max if self.cost is None else self.cost}, "
                       f"over the budget of ${self.budget}")
        return tuple(out)


@dataclass(frozen=True, kw_only=True)
class BatchReport(Result):
    """A Batch API input file checked line by line, and counted and priced for each model.

    ``valid`` and ``invalid`` count requests; ``problems_by_kind`` counts every problem
    by its kind; ``line_problems`` lists the first of them in full (every one goes to
    ``per_line``); ``warnings`` counts lines read despite a problem (CRLF) and
    ``not_countable`` requests to endpoints tokencmp does not count.
    """

    file: str
    url: str | None
    body_model: str | None
    lines: int
    valid: int
    invalid: int
    not_countable: int
    warnings: int
    problems_by_kind: dict[str, int]
    line_problems: tuple[LineProblem, ...]
    limits: FileLimits
    models: tuple[BatchModelReport, ...]

    @property
    def over_limit(self) -> bool:
        return bool(self.limits.problems) or any(m.problems for m in self.models)

    @property
    def problems(self) -> tuple[str, ...]:
        return (*self.limits.problems, *(p for m in self.models for p in m.problems))

    def to_dict(self) -> dict[str, Any]:
        return {**Result.to_dict(self), "over_limit": self.over_limit, "problems": list(self.problems)}


@dataclass(frozen=True, kw_only=True)
class FineTuneFile(Result):
    """One fine-tuning file (training or validation) checked and counted."""

    file: str
    examples: int
    valid: int
    invalid: int
    format: str | None
    problems_by_kind: dict[str, int]
    line_problems: tuple[LineProblem, ...]
    tokens: Distribution
    messages: Distribution
    billed_tokens: int
    over_context: int
    over_context_lines: tuple[int, ...]
    missing_system: int
    missing_user: int


@dataclass(frozen=True, kw_only=True)
class FineTuneReport(Result):
    """A fine-tuning job priced before it is created.

    ``billed_tokens`` are the training file's tokens (each example at most
    ``training_context``, as the cookbook's notebook bills them) times ``epochs``
    (``epochs_rule``: ``given``, or ``default`` by the notebook's rule, whose constants
    are ``epochs_constants``). ``training_cost`` is at the catalog's training price
    per 1M tokens; ``None`` (``cost_unknown`` says why) for a model with no such price.
    """

    model: str
    encoding: str
    training: FineTuneFile
    validation: FineTuneFile | None
    epochs: int
    epochs_rule: str
    epochs_constants: dict[str, int]
    training_context: int
    billed_tokens: int
    training_price: Decimal | None
    training_cost: Decimal | None
    cost_unknown: str | None
    budget: Decimal | None
    within_budget: bool | None
    sources: tuple[Source, ...]
    notes: tuple[str, ...]

    @property
    def invalid(self) -> int:
        return self.training.invalid + (self.validation.invalid if self.validation else 0)

    @property
    def problems(self) -> tuple[str, ...]:
        out = []
        files = (self.training, self.validation) if self.validation else (self.training,)
        for f in files:
            if f.over_context:
                out.append(f"{f.file}: {f.over_context:,} examples over the training context of "
                           f"{self.training_context:,} tokens (the API truncates them)")
        if self.within_budget is False:
            out.append(f"training cost ${self.training_cost}, over the budget of ${self.budget}")
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {**Result.to_dict(self), "invalid": self.invalid, "problems": list(self.problems)}


@dataclass(frozen=True, kw_only=True)
class UsageRow(Result):
    """Finished work on one model and tier: tokens as billed, and what they cost."""

    model: str
    tier: str
    responses: int
    prompt_tokens: int
    cached_tokens: int
    output_tokens: int
    reasoning_tokens: int
    cost: Decimal | None
    cost_unknown: str | None
    price_sources: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class UsageReport(Result):
    """The cost of finished work, from a batch output file or logged responses.

    ``errors`` counts requests that failed (a batch output line with an ``error``, or a
    response whose status is not 200); ``invalid`` lines that could not be read.
    """

    file: str
    kind: str
    lines: int
    responses: int
    errors: int
    invalid: int
    problems_by_kind: dict[str, int]
    line_problems: tuple[LineProblem, ...]
    rows: tuple[UsageRow, ...]
    total: Decimal | None
    cost_unknown: str | None
