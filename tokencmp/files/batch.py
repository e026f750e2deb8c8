"""A Batch API input file checked as the API would, then counted and priced for each model.

    >>> import io, json
    >>> line = {"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions",
    ...         "body": {"model": "gpt-4o", "max_tokens": 10,
    ...                  "messages": [{"role": "user", "content": "Hello!"}]}}
    >>> report = check_batch(io.BytesIO(json.dumps(line).encode() + b"\\n"))
    >>> report.valid, report.models[0].prompt_tokens   # 3 + 1 + 2 + 3 (the cookbook formula)
    (1, 9)
    >>> report.models[0].cost_max   # 9 x $1.25 + 10 x $5 per 1M, gpt-4o's batch prices
    Decimal('0.00006125')

Each line, by the request input object of the Batch API reference: a JSON object
with a ``custom_id`` (a non-empty string, unique in the file), ``method``
(``POST``), ``url`` (one of the endpoints of ``data/files.json``; any other is
reported as not countable) and ``body`` (an object valid for that endpoint,
counted by :mod:`tokencmp.files.bodies`), and no other key. Every request of a
file goes to one endpoint and names one model (the API's one-endpoint-per-batch
and one-model-per-file rules): a line that differs from the first valid one is
invalid. Then the file as a whole: at most 50,000 requests, 200 MB and 50,000
embedding inputs (:class:`~tokencmp.files.results.FileLimits`).

Lines are read by :mod:`tokencmp.files.jsonl` and worked on in chunks by
:mod:`tokencmp.files.parallel`; what must see the whole file (duplicate
custom_ids, the one endpoint and model, the totals) is done here, in order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from ..catalog import ModelInfo, resolve_model
from ..errors import InvalidRequestError, PriceUnknownError, TokencmpError
from ..money.usd import add, parse_usd, per_million
from .bodies import ENDPOINTS, BodyCount, count_body
from .jsonl import Chunk, Progress, Readable, crlf, parse_line
from .parallel import ChunkMap, ordered_map
from .results import BatchModelReport, BatchReport, FileLimits
from .schema import file_facts
from .source import open_source
from .tally import Counts, Kept, LineProblem, Problems

KEYS = frozenset({"custom_id", "method", "url", "body"})

Row = dict[str, Any]
Outcome = tuple[int, int, Any, Any, Any, Any, bool, Any]
"""One line worked on: (number, size, custom_id, url, body model, problem, crlf, counts per model),
a plain tuple because a worker process sends it back pickled."""


def check_batch(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    models: Sequence[str] | None = None,
    output_tokens: int | None = None,
    enqueued_limit: int | None = None,
    max_cost: Decimal | str | int | float | None = None,
    per_line: Callable[[Row], None] | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    map_chunks: ChunkMap | None = None,
) -> BatchReport:
    """Check and price a Batch API input file (a path, ``"-"`` for standard input, or a binary stream).

    Args:
        models: count and price the file for each of these models (the body's model
            replaced, as ``tokencmp cost`` does); default the file's own model.
        output_tokens: the expected output of each request, for a cost estimate.
        enqueued_limit: the organisation's batch queue limit in tokens, to check the
            file's prompt tokens against.
        max_cost: a budget in USD for the upper end of each model's cost.
        per_line: called with one row per line and model, in file order (``--per-line``).
        workers: processes to use (default: every core for a file of more than a few
            MB, else one).
        progress: ``progress(bytes_done, bytes_total)`` as the file is read.
        map_chunks: where the chunks of lines are worked on (``workers`` is then unused), e.g.
            :func:`tokencmp.scale.dask.chunk_map`; the report is the same.

    Every line is read whatever is wrong with others; the report counts and lists
    the problems. Bad arguments raise :class:`~tokencmp.errors.TokencmpError`.
    """
    budget = None if max_cost is None else parse_usd(max_cost, "max_cost")
    wanted = tuple(models) if models else (None,)
    for m in wanted:
        if m is not None:
            resolve_model(m)  # an unknown name is an error before any line is read
    with open_source(source, workers) as (stream, name, size, procs):
        chunks = ((chunk, wanted) for chunk in _chunks(stream, size, progress))
        state = _State(wanted)
        mapped = map_chunks(work, chunks) if map_chunks else ordered_map(work, chunks, workers=procs)
        for outcomes in mapped:
            for outcome in outcomes:
                state.take(outcome, per_line)
    return state.report(name, output_tokens, enqueued_limit, budget)


def _chunks(stream: Readable, size: int | None, progress: Progress | None) -> Iterator[Chunk]:
    from . import jsonl

    return jsonl.read_chunks(stream, progress=progress, total=size, chunk_bytes=jsonl.CHUNK_BYTES)


# --- in a worker: one chunk of lines, each on its own ---------------------------------------


def work(job: tuple[Chunk, tuple[str | None, ...]]) -> list[Outcome]:
    """Every line of a chunk checked and counted for each model (a worker's task)."""
    chunk, wanted = job
    out: list[Outcome] = []
    end = chunk.end
    for (number, raw), size in zip(chunk.numbered(), chunk.sizes, strict=True):
        early = chunk.problems.get(number)
        if early is not None:
            out.append((number, size, None, None, None, early, False, None))
            continue
        value, problem = parse_line(raw, number, chunk.last_unterminated and number == end)
        if problem is not None:
            out.append((number, size, None, None, None, problem, False, None))
            continue
        cid, url, model, problem, counts = _line(value, wanted)
        out.append((number, size, cid, url, model, problem, crlf(raw), counts))
    return out


def _line(obj: Mapping[str, Any], wanted: tuple[str | None, ...]) -> tuple[Any, Any, Any, Any, Any]:
    cid = obj.get("custom_id")
    if not isinstance(cid, str) or not cid:
        return None, None, None, ("custom_id", "custom_id: missing, or not a non-empty string"), None
    extra = sorted(k for k in obj if k not in KEYS)
    if extra:
        return cid, None, None, ("unknown_key", f"unknown key {extra[0]!r}: a request line holds "
                                                "custom_id, method, url and body only"), None
    if obj.get("method") != "POST":
        method = obj.get("method")
        return cid, None, None, ("method", f"method: {method!r}, the Batch API takes POST only"), None
    url = obj.get("url")
    if not isinstance(url, str):
        return cid, None, None, ("url", "url: missing, or not a string"), None
    body = obj.get("body")
    if not isinstance(body, dict):
        return cid, url, None, ("body", "body: missing, or not an object"), None
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return cid, url, None, ("body", "body.model: missing, or not a string"), None
    kind = _countable().get(url)
    if kind is None:
        return cid, url, model, None, None
    counts: list[Any] = []
    for m in wanted:
        try:
            info = resolve_model(m or model)
            counts.append(count_body(kind, body, info))
        except TokencmpError as e:
            counts.append(("body", f"body: {e}"))
        except RecursionError:
            counts.append(("too_deep", "body: nested too deeply to count"))
    return cid, url, model, None, counts


_endpoints: dict[str, str] = {}


def _countable() -> dict[str, str]:
    """The endpoints a batch may name (``data/files.json``) that tokencmp counts, and how."""
    if not _endpoints:
        _endpoints.update({u: ENDPOINTS[u] for u in file_facts().batch.endpoints if u in ENDPOINTS})
    return _endpoints


# --- in this process: what needs the whole file -----------------------------------------------


class _ModelTally:
    __slots__ = ("counts", "exact", "high", "info", "limit", "low", "notes", "out", "out_model",
                 "out_unknown", "over", "requests")

    def __init__(self) -> None:
        self.info: ModelInfo | None = None
        self.limit: int | None = None
        self.counts = Counts()
        self.requests = self.low = self.high = self.out = self.out_model = self.out_unknown = 0
        self.exact = True
        self.over = Kept()
        self.notes: dict[str, None] = {}


class _State:
    def __init__(self, wanted: tuple[str | None, ...]) -> None:
        self.wanted = wanted
        self.tallies = [_ModelTally() for _ in wanted]
        self.problems = Problems()
        self.seen: dict[int, int] = {}  # hash of a custom_id -> its first line
        self.lines = self.valid = self.invalid = self.not_countable = self.warnings = 0
        self.bytes = self.inputs = 0
        self.url: str | None = None
        self.model: str | None = None

    def take(self, o: Outcome, per_line: Callable[[Row], None] | None) -> None:
        number, size, cid, url, model, problem, was_crlf, counts = o
        self.lines += 1
        self.bytes += size
        if was_crlf:
            self.warnings += 1
            self.problems.add(LineProblem(line=number, kind="crlf", custom_id=cid, warning=True,
                                          message="line ends in CRLF; read, but JSON Lines ends lines in LF"))
        if problem is None and cid is not None:
            problem = self._whole_file(number, cid, url, model)
        if problem is None and counts is None:
            self.not_countable += 1
            self.problems.add(LineProblem(line=number, kind="not_countable", custom_id=cid, warning=True,
                                          message=f"url {url!r}: not an endpoint tokencmp counts "
                                                  f"({', '.join(ENDPOINTS)})"))
            self._row(per_line, number, cid, None, "not countable")
            return
        if problem is None:
            for c in counts:
                if type(c) is not BodyCount:
                    problem = c
                    break
        if problem is not None:
            self.invalid += 1
            self.problems.add(LineProblem(line=number, kind=problem[0], message=problem[1], custom_id=cid))
            self._row(per_line, number, cid, None, problem[1])
            return
        self.valid += 1
        for i, (tally, c) in enumerate(zip(self.tallies, counts, strict=True)):
            self._count(tally, self.wanted[i] or model, cid, c)
            if per_line is not None:
                per_line(self._line_row(number, cid, tally, c))
        self.inputs += counts[0].inputs if url == "/v1/embeddings" else 0

    def _whole_file(self, number: int, cid: str, url: Any, model: Any) -> tuple[str, str] | None:
        key = hash(cid)
        first = self.seen.get(key)
        if first is not None:
            return "duplicate_custom_id", f"custom_id {cid!r} is already used on line {first}"
        self.seen[key] = number
        if url is None or model is None:
            return None
        if self.url is None:
            self.url, self.model = url, model
        elif url != self.url:
            return "endpoint", (f"url {url!r}: every request of a batch goes to one endpoint "
                                f"({self.url!r} here)")
        elif model != self.model:
            return "model", (f"body.model {model!r}: a batch file holds requests for one model "
                             f"({self.model!r})")
        return None

    def _count(self, t: _ModelTally, model: str, cid: str, c: BodyCount) -> None:
        if t.info is None:
            t.info = resolve_model(model)
            t.limit = t.info.input_limit
        total, low, high, exact, out, own_cap, _, notes = c
        t.requests += 1
        t.counts.seen[total] += 1
        t.low += low
        t.high += high
        if not exact:
            t.exact = False
        for note in notes:
            t.notes[note] = None
        if out is None:
            t.out_unknown += 1
        else:
            t.out += out
        if not own_cap:
            t.out_model += 1
        if t.limit is not None and total > t.limit:
            t.over.add(cid)

    def _row(self, sink: Callable[[Row], None] | None, number: int, cid: Any, model: Any, error: str) -> None:
        if sink is not None:
            sink({"line": number, "custom_id": cid, "model": model, "valid": False, "error": error,
                  "prompt_tokens": None, "output_tokens_max": None, "over_input_limit": None})

    def _line_row(self, number: int, cid: str, t: _ModelTally, c: BodyCount) -> Row:
        limit = t.info.input_limit if t.info else None
        return {"line": number, "custom_id": cid, "model": t.info.name if t.info else None, "valid": True,
                "error": None, "prompt_tokens": c.total, "output_tokens_max": c.output_tokens_max,
                "over_input_limit": limit is not None and c.total > limit}

    def report(self, name: str, output_tokens: int | None, enqueued: int | None,
               budget: Decimal | None) -> BatchReport:
        facts = file_facts()
        b = facts.batch
        limits = FileLimits(
            requests=self.lines, max_requests=b.max_requests, bytes=self.bytes, max_bytes=b.max_bytes,
            embedding_inputs=self.inputs, max_embedding_inputs=b.max_embedding_inputs,
            sources=tuple(facts.source(s) for s in b.sources),
        )
        models = []
        for m, t in zip(self.wanted, self.tallies, strict=True):
            name_ = m or self.model
            if t.info is None and name_ is not None:
                try:
                    t.info = resolve_model(name_)
                except TokencmpError:
                    continue
            if t.info is not None:
                models.append(_priced(t, output_tokens, enqueued, budget))
        return BatchReport(
            file=name, url=self.url, body_model=self.model, lines=self.lines, valid=self.valid,
            invalid=self.invalid, not_countable=self.not_countable, warnings=self.warnings,
            problems_by_kind=dict(self.problems.by_kind), line_problems=tuple(self.problems.kept),
            limits=limits, models=tuple(models),
        )


def _priced(t: _ModelTally, output_tokens: int | None, enqueued: int | None,
            budget: Decimal | None) -> BatchModelReport:
    info = t.info
    assert info is not None
    dist = t.counts.distribution()
    prompt = dist.total
    notes = list(t.notes)
    out_max: int | None = None if t.out_unknown else t.out
    if t.out_model:
        notes.append(f"{t.out_model:,} requests set no output cap: the model's most output "
                     f"({info.max_output_tokens or 'unknown'}) is used for their bound.")
    expected = None if output_tokens is None else output_tokens * t.requests
    cost_min = cost_max = cost = None
    unknown = None
    sources: tuple[str, ...] = ()
    try:
        cost_min, cost_max, cost, sources = _batch_cost(info, t, out_max, expected)
    except (PriceUnknownError, InvalidRequestError) as e:
        unknown = str(e)
    top = cost if cost is not None else cost_max
    return BatchModelReport(
        model=info.name, encoding=info.encoding, requests=t.requests, prompt_tokens=prompt,
        prompt_tokens_low=t.low, prompt_tokens_high=t.high, exact=t.exact, distribution=dist,
        over_input_limit=t.over.count, over_input_limit_ids=tuple(t.over.names),
        input_limit=info.input_limit, output_tokens_max=out_max, output_bound_from_model=t.out_model,
        output_tokens=expected, tier="batch", cost_min=cost_min, cost_max=cost_max, cost=cost,
        cost_unknown=unknown, enqueued_limit=enqueued,
        within_enqueued_limit=None if enqueued is None else prompt <= enqueued,
        budget=budget, within_budget=None if budget is None or top is None else top <= budget,
        price_sources=sources, checked=info.checked, notes=tuple(notes),
    )


def _batch_cost(info: ModelInfo, t: _ModelTally, out_max: int | None,
                expected: int | None) -> tuple[Decimal, Decimal | None, Decimal | None, tuple[str, ...]]:
    """The batch-tier cost of the tally: requests above a long-context threshold are priced one
    by one by :func:`tokencmp.estimate_cost` (which refuses a batch price that is not published);
    the rest, whose price is linear in their tokens, at the model's batch rates."""
    from ..money import estimate_cost, prices_for

    long = info.long_context
    short_prompt = 0
    extra: list[Decimal] = []
    for tokens, times in t.counts.seen.items():
        if long is not None and tokens > long.above_input_tokens:
            est = estimate_cost(tokens, model=info.name, output_tokens=0, tier="batch")
            extra.extend([est.total_min] * times)
        else:
            short_prompt += tokens * times
    rates = prices_for(info, tier="batch")
    est = estimate_cost(1, model=info.name, output_tokens=0, tier="batch")  # the price's sources
    if rates.input is None:
        raise PriceUnknownError(f"No batch input price for {info.name}.")
    prompt_cost = add(per_million(short_prompt, rates.input), *extra)
    output_rate = rates.output if rates.output is not None else Decimal(0)
    cost_max = None if out_max is None else add(prompt_cost, per_million(out_max, output_rate))
    cost = None if expected is None else add(prompt_cost, per_million(expected, output_rate))
    return prompt_cost, cost_max, cost, tuple(s.url for s in est.sources)
