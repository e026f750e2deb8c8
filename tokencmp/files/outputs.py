"""The cost of finished work: a Batch API output file, logged responses (JSONL), or one response.

    >>> import io, json
    >>> line = {"id": "batch_req_1", "custom_id": "r1", "error": None,
    ...         "response": {"status_code": 200, "body": {"object": "chat.completion", "model": "gpt-4o",
    ...                      "usage": {"prompt_tokens": 1000, "completion_tokens": 100}}}}
    >>> r = cost_of_outputs(io.BytesIO(json.dumps(line).encode()))
    >>> r.kind, r.rows[0].tier, r.total   # 1,000 x $1.25 + 100 x $5 per 1M (gpt-4o batch)
    ('batch_output', 'batch', Decimal('0.00175'))

What each line is, by its keys: a Batch API output line has ``custom_id`` and
``response`` (``{status_code, request_id, body}``) or ``error``; it is billed at
the batch tier, and a line with an ``error`` or a status other than 200 is
counted as an error (failed requests are not billed). Any other line is a
logged response (Chat Completions ``chat.completion``, Responses ``response``,
embeddings ``list``) with its ``model``, ``usage`` and ``service_tier``
(:data:`tokencmp.money.usage.SERVICE_TIERS`). A file that is one JSON document
(a response saved pretty-printed) is read whole when it is small. Fine-tuned
models (``ft:...``) are priced at the inference prices of fine-tuned models (the
catalog's ``fine_tuning`` of their base).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, BinaryIO

from ..errors import TokencmpError
from ..money import cost_from_usage
from ..money.usage import SERVICE_TIERS
from ..money.usd import add
from .jsonl import Chunk, Progress, Readable, crlf, parse_line, read_chunks
from .parallel import ChunkMap
from .results import UsageReport, UsageRow
from .source import open_source
from .tally import LineProblem, Problems

WHOLE = 16 << 20
"""A file of at most this many bytes that is one JSON document (not one per line) is read whole."""


def cost_of_outputs(
    source: str | os.PathLike[str] | BinaryIO, *, progress: Progress | None = None,
    map_chunks: ChunkMap | None = None,
) -> UsageReport:
    """Price finished work from a batch output file, a JSONL of responses, or one response (a path,
    ``"-"`` or a binary stream); totals per model and tier. ``map_chunks`` tallies the chunks of
    lines elsewhere (:func:`tokencmp.scale.dask.chunk_map`); the tallies are merged in file order,
    so the report is the same."""
    with open_source(source, 1) as (stream, name, size, _):
        head = stream.read(WHOLE + 1)
        whole = _one_document(head) if len(head) <= WHOLE else None
        tally = _Tally()
        if whole is not None:
            tally.take(1, whole)
        else:
            chunks = read_chunks(_Joined(head, stream), progress=progress, total=size)
            for part in (map_chunks or map)(work, chunks):
                tally.merge(part)
    return tally.report(name)


def work(chunk: Chunk) -> _Tally:
    """The tally of one chunk of lines (a worker's task)."""
    tally = _Tally()
    end = chunk.end
    for number, raw in chunk.numbered():
        problem = chunk.problems.get(number)
        value: Any = None
        if problem is None:
            value, problem = parse_line(raw, number, chunk.last_unterminated and number == end)
        if crlf(raw):
            tally.problems.add(LineProblem(line=number, kind="crlf", warning=True,
                                           message="line ends in CRLF; read"))
        if problem is not None:
            tally.lines += 1
            tally.invalid += 1
            tally.problems.add(LineProblem(line=number, kind=problem[0], message=problem[1]))
        else:
            tally.take(number, value)
    return tally


def _one_document(head: bytes) -> dict[str, Any] | None:
    """``head`` as one JSON object, when it is one and is not one line of several."""
    if head.count(b"\n", 0, len(head.rstrip())) == 0:
        return None  # one line: the JSONL path reads it with its line rules
    try:
        value = json.loads(head.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


class _Joined(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            out, self._head = self._head, b""
            return out
        return self._rest.read(size)


class _Tally:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[Any]] = {}
        self.unknown: dict[tuple[str, str], str] = {}
        self.sources: dict[tuple[str, str], tuple[str, ...]] = {}
        self.problems = Problems()
        self.lines = self.responses = self.errors = self.invalid = 0
        self.kinds: dict[str, int] = {}

    def take(self, number: int, obj: Mapping[str, Any]) -> None:
        self.lines += 1
        batch = "custom_id" in obj and ("response" in obj or "error" in obj)
        self.kinds["batch_output" if batch else "responses"] = self.kinds.get(
            "batch_output" if batch else "responses", 0) + 1
        body: Any = obj
        tier = None
        if batch:
            response = obj.get("response")
            status = response.get("status_code") if isinstance(response, dict) else None
            if obj.get("error") or status != 200:
                self.errors += 1
                return
            body = response.get("body") if isinstance(response, dict) else None
            tier = "batch"
        if isinstance(body, dict) and body.get("error"):
            self.errors += 1
            return
        if not isinstance(body, dict) or not isinstance(body.get("usage"), dict):
            self.invalid += 1
            self.problems.add(LineProblem(line=number, kind="no_usage",
                                          message="no usage object: not a response tokencmp can price"))
            return
        model = body.get("model")
        if not isinstance(model, str):
            self.invalid += 1
            self.problems.add(LineProblem(line=number, kind="no_model",
                                          message="the response names no model"))
            return
        if tier is None:
            given = body.get("service_tier")
            tier = SERVICE_TIERS.get(given, "standard") if isinstance(given, str) else "standard"
        self.responses += 1
        key = (model, tier)
        row = self.rows.setdefault(key, [0, 0, 0, 0, 0, Decimal(0)])
        try:
            est = cost_from_usage(body["usage"], model=model, tier=tier)  # type: ignore[arg-type]
        except TokencmpError as e:
            self.unknown.setdefault(key, str(e))
            u = body["usage"]
            prompt = u.get("prompt_tokens", u.get("input_tokens", 0))
            out = u.get("completion_tokens", u.get("output_tokens", 0))
            row[0] += 1
            row[1] += prompt if type(prompt) is int else 0
            row[3] += out if type(out) is int else 0
            return
        row[0] += 1
        row[1] += est.prompt_tokens
        row[2] += est.cached_tokens
        row[3] += est.output_tokens or 0
        row[4] += est.reasoning_tokens
        row[5] = add(row[5], est.total_min)
        self.sources.setdefault(key, tuple(s.url for s in est.sources))

    def merge(self, later: _Tally) -> None:
        """Add the tally of ``later`` lines (the next chunk of the file): sums, and the first reason
        and sources of each row kept."""
        for key, row in later.rows.items():
            mine = self.rows.setdefault(key, [0, 0, 0, 0, 0, Decimal(0)])
            mine[:5] = [a + b for a, b in zip(mine[:5], row[:5], strict=True)]
            mine[5] = add(mine[5], row[5])
        for key, why in later.unknown.items():
            self.unknown.setdefault(key, why)
        for key, urls in later.sources.items():
            self.sources.setdefault(key, urls)
        self.problems.merge(later.problems)
        self.lines += later.lines
        self.responses += later.responses
        self.errors += later.errors
        self.invalid += later.invalid
        for kind, n in later.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n

    def report(self, name: str) -> UsageReport:
        rows = []
        for (model, tier), (n, prompt, cached, out, reasoning, cost) in sorted(self.rows.items()):
            why = self.unknown.get((model, tier))
            rows.append(UsageRow(
                model=model, tier=tier, responses=n, prompt_tokens=prompt, cached_tokens=cached,
                output_tokens=out, reasoning_tokens=reasoning, cost=None if why else cost, cost_unknown=why,
                price_sources=self.sources.get((model, tier), ()),
            ))
        known = [r.cost for r in rows if r.cost is not None]
        unknown = "; ".join(f"{r.model} ({r.tier}): {r.cost_unknown}" for r in rows if r.cost_unknown)
        kind = max(self.kinds, key=self.kinds.__getitem__) if self.kinds else "responses"
        return UsageReport(
            file=name, kind=kind, lines=self.lines, responses=self.responses, errors=self.errors,
            invalid=self.invalid, problems_by_kind=dict(self.problems.by_kind),
            line_problems=tuple(self.problems.kept), rows=tuple(rows),
            total=add(*known) if known or not rows else None, cost_unknown=unknown or None,
        )
