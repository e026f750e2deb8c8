"""A fine-tuning dataset checked as the cookbook's notebook checks it, counted exactly, and priced.

    >>> import io, json
    >>> ex = {"messages": [{"role": "user", "content": "Hello!"},
    ...                    {"role": "assistant", "content": "Hello!"}]}
    >>> r = check_finetune(io.BytesIO((json.dumps(ex) + "\\n").encode() * 5), model="gpt-4o-mini-2024-07-18")
    >>> r.training.tokens.max, r.epochs, r.billed_tokens   # 3+1+2 + 3+1+2 + 3 = 15; 100 // 5 = 20 epochs
    (15, 20, 1500)
    >>> r.training_cost   # 1,500 x $3 per 1M training tokens
    Decimal('0.0045')

The checks, with the notebook's names as the kinds (``Chat_finetuning_data_prep.ipynb``,
"Format validation"; docs/files.md): ``data_type`` (a line that is not a JSON
object), ``missing_messages_list``, ``message_missing_key`` (``role``, and
``content`` unless the message calls a tool or function), ``message_unrecognized_key``,
``unrecognized_role``, ``missing_content``, ``example_missing_assistant_message``;
and beyond the notebook: ``weight`` (0 or 1, on assistant messages only),
``tools`` and any other body error (the request rules of
:func:`tokencmp.count_request`), and the preference (DPO) format (``input``,
``preferred_output``, ``non_preferred_output``). Legacy completion models
(``babbage-002``, ``davinci-002``) take ``{"prompt", "completion"}`` lines.

Tokens per example: :func:`tokencmp.count_request` of the example's messages
(and tools) for the model -- the notebook's formula where it applies (3 per
message, 1 per name, 3 to prime the reply), exact. A preference example counts
its input twice, once with each output (how such examples are billed is not
published: marked as an estimate). Billed: each example at most the training
context (the notebook's ``MAX_TOKENS_PER_EXAMPLE``), times the epochs, at the
catalog's training price (:class:`tokencmp.catalog.FineTuning`) of the model or of the
entry its snapshot name resolves to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, BinaryIO

from ..catalog import FineTuning, ModelInfo, Source, get_catalog, resolve_model
from ..errors import TokencmpError, token_count
from ..money.usd import parse_usd, per_million
from . import jsonl
from .jsonl import Chunk, Progress, crlf, parse_line, read_chunks
from .parallel import ChunkMap, ordered_map
from .results import FineTuneFile, FineTuneReport
from .schema import FineTuningFacts, file_facts
from .source import open_source
from .tally import Counts, Kept, LineProblem, Problems

CRLF = "line ends in CRLF; read, but JSON Lines ends lines in LF"
NOTHING = (0, 0, False, False, None, False)
"""The rest of an example's outcome when it is not counted."""

Example = tuple[int, Any, int, int, bool, bool, str | None, bool]
"""(line, problem, tokens, messages, has system, has user, format, crlf)."""


def check_finetune(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    validation: str | os.PathLike[str] | BinaryIO | None = None,
    model: str | None = None,
    epochs: int | None = None,
    max_cost: Decimal | str | int | float | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    map_chunks: ChunkMap | None = None,
) -> FineTuneReport:
    """Check, count and price a fine-tuning job's training file (and validation file).

    ``model`` is the base model (default: ``data/files.json``'s ``default_model``);
    ``epochs`` the job's ``n_epochs`` (default: the notebook's rule, stated in the
    report); ``max_cost`` a budget in USD for the training cost. ``map_chunks`` works on the
    chunks of lines elsewhere (:func:`tokencmp.scale.dask.chunk_map`), with the same report.
    """
    facts = file_facts()
    ft = facts.fine_tuning
    name = model or ft.default_model
    info = resolve_model(name)
    if epochs is not None and token_count(epochs, "epochs") < 1:
        raise TokencmpError("epochs must be 1 or more.")
    budget = None if max_cost is None else parse_usd(max_cost, "max_cost")
    fine = _fine_tuning(info)
    context = ft.max_tokens_per_example
    training = _file(source, info, context, workers, progress, map_chunks)
    checked = _file(validation, info, context, workers, None, map_chunks) if validation is not None else None
    n_epochs = epochs if epochs is not None else ft.epochs.default_epochs(training.valid)
    billed = training.billed_tokens * n_epochs
    price = cost = None
    unknown = None
    notes = []
    if fine is None:
        unknown = f"No fine-tuning price for {info.name} in the catalog (fine-tunable: " \
                  f"{', '.join(_fine_tunable())})."
    elif fine.training is None:
        unknown = f"{fine.snapshot} training is billed by the hour (${fine.training_per_hour} per hour), " \
                  "not by tokens."
    else:
        price = fine.training
        cost = per_million(billed, price)
    if fine is not None and fine.snapshot != info.name:
        notes.append(f"The fine-tunable snapshot is {fine.snapshot}; priced as its training.")
    notes.append(f"Training context: the notebook's MAX_TOKENS_PER_EXAMPLE, {context:,} tokens.")
    if training.format == "preference":
        notes.append("Preference examples: the input counted once with each output; how the API bills "
                     "them is not published (an estimate).")
    constants = ft.epochs.model_dump(exclude={"source"})
    return FineTuneReport(
        model=info.name, encoding=info.encoding, training=training, validation=checked, epochs=n_epochs,
        epochs_rule="given" if epochs is not None else "default", epochs_constants=constants,
        training_context=context, billed_tokens=billed, training_price=price, training_cost=cost,
        cost_unknown=unknown, budget=budget,
        within_budget=None if budget is None or cost is None else cost <= budget,
        sources=(facts.source(ft.epochs.source), *_price_source(info)),
        notes=tuple(notes),
    )


def _file(source: Any, info: ModelInfo, context: int, workers: int | None,
          progress: Progress | None, map_chunks: ChunkMap | None = None) -> FineTuneFile:
    with open_source(source, workers) as (stream, name, size, procs):
        chunks = ((c, info.name) for c in read_chunks(stream, progress=progress, total=size,
                                                       chunk_bytes=jsonl.CHUNK_BYTES))
        problems = Problems()
        tokens, messages = Counts(), Counts()
        over = Kept()
        lines = valid = billed = no_system = no_user = 0
        formats: dict[str, int] = {}
        mapped = map_chunks(work, chunks) if map_chunks else ordered_map(work, chunks, workers=procs)
        for outcomes in mapped:
            for number, problem, n, m, system, user, fmt, was_crlf in outcomes:
                lines += 1
                if was_crlf:
                    problems.add(LineProblem(line=number, kind="crlf", warning=True, message=CRLF))
                if problem is not None:
                    problems.add(LineProblem(line=number, kind=problem[0], message=problem[1]))
                    continue
                valid += 1
                tokens.add(n)
                messages.add(m)
                billed += min(n, context)
                no_system += not system
                no_user += not user
                formats[fmt or "chat"] = formats.get(fmt or "chat", 0) + 1
                if n > context:
                    over.add(str(number))
    invalid = lines - valid
    return FineTuneFile(
        file=name, examples=lines, valid=valid, invalid=invalid,
        format=max(formats, key=formats.__getitem__) if formats else None,
        problems_by_kind=dict(problems.by_kind), line_problems=tuple(problems.kept),
        tokens=tokens.distribution(),
        messages=messages.distribution(), billed_tokens=billed, over_context=over.count,
        over_context_lines=tuple(int(x) for x in over.names), missing_system=no_system, missing_user=no_user,
    )


def _fine_tuning(info: ModelInfo) -> FineTuning | None:
    """The model's fine-tuning facts: its entry's, or the entry it was resolved from (a snapshot)."""
    if info.fine_tuning is not None:
        return info.fine_tuning
    base = get_catalog().models.get(info.assumed_from or "")
    return base.fine_tuning if base is not None else None


def _fine_tunable() -> list[str]:
    return [m.fine_tuning.snapshot for m in get_catalog().models.values() if m.fine_tuning is not None]


def _price_source(info: ModelInfo) -> tuple[Source, ...]:
    catalog = get_catalog()
    base = catalog.models.get(info.assumed_from or "", info)
    source = catalog.sources.get(base.sources.get("fine_tuning", ""))
    return () if source is None else (source,)


# --- in a worker ------------------------------------------------------------------------------


def work(job: tuple[Chunk, str]) -> list[Example]:
    """Every example of a chunk checked and counted (a worker's task)."""
    chunk, model = job
    info = resolve_model(model)
    ft = file_facts().fine_tuning
    out: list[Example] = []
    end = chunk.end
    for number, raw in chunk.numbered():
        problem = chunk.problems.get(number)
        value: Any = None
        if problem is None:
            value, problem = parse_line(raw, number, chunk.last_unterminated and number == end)
            if problem is not None and problem[0] == "not_object":
                problem = ("data_type", problem[1])
        if problem is not None:
            out.append((number, problem, *NOTHING))
            continue
        try:
            out.append((number, *_example(value, info, ft), crlf(raw)))
        except TokencmpError as e:
            out.append((number, ("body", str(e)), *NOTHING))
        except RecursionError:
            out.append((number, ("too_deep", "nested too deeply to count"), *NOTHING))
    return out


Counted = tuple[Any, int, int, bool, bool, str | None]


def _example(ex: Mapping[str, Any], info: ModelInfo, ft: FineTuningFacts) -> Counted:
    if info.kind == "completion":
        return _legacy(ex, info)
    if "preferred_output" in ex or "non_preferred_output" in ex:
        return _preference(ex, info, ft)
    messages = ex.get("messages")
    if not isinstance(messages, list) or not messages:
        return ("missing_messages_list", "messages: missing, empty or not a list"), *NOTHING[:-1]
    problem = _messages(messages, ft, need_assistant=True)
    if problem is not None:
        return problem, *NOTHING[:-1]
    body = {"model": info.name, "messages": messages}
    if "tools" in ex:
        body["tools"] = ex["tools"]
    if "functions" in ex:
        body["functions"] = ex["functions"]
    n = _count(body)
    roles = {m.get("role") for m in messages}
    return None, n, len(messages), "system" in roles, "user" in roles, "chat"


def _preference(ex: Mapping[str, Any], info: ModelInfo, ft: FineTuningFacts) -> Counted:
    given = ex.get("input")
    messages = given.get("messages") if isinstance(given, dict) else None
    if not isinstance(messages, list) or not messages:
        return ("missing_messages_list", "input.messages: missing, empty or not a list"), *NOTHING[:-1]
    problem = _messages(messages, ft, need_assistant=False)
    total = 0
    for key in ("preferred_output", "non_preferred_output"):
        output: Any = ex.get(key)
        if problem is None and (not isinstance(output, list) or not output):
            problem = ("preference", f"{key}: missing, empty or not a list of assistant messages")
        elif problem is None and any(not isinstance(m, dict) or m.get("role") != "assistant" for m in output):
            problem = ("preference", f"{key}: every message is an assistant message")
        elif problem is None:
            problem = _messages(output, ft, need_assistant=True)
        if problem is not None:
            return problem, *NOTHING[:-1]
        body = {"model": info.name, "messages": [*messages, *output]}
        if isinstance(given, dict) and "tools" in given:
            body["tools"] = given["tools"]
        total += _count(body)
    roles = {m.get("role") for m in messages if isinstance(m, dict)}
    return None, total, len(messages), "system" in roles, "user" in roles, "preference"


def _legacy(ex: Mapping[str, Any], info: ModelInfo) -> Counted:
    from ..text import count_tokens

    prompt, completion = ex.get("prompt"), ex.get("completion")
    if not isinstance(prompt, str) or not isinstance(completion, str):
        return ("missing_content", f"{info.name} takes prompt and completion strings"), *NOTHING[:-1]
    p = count_tokens(prompt, encoding=info.encoding)
    c = count_tokens(completion, encoding=info.encoding)
    return None, p + c, 1, False, True, "completion"


def _messages(messages: list[Any], ft: FineTuningFacts, *, need_assistant: bool) -> tuple[str, str] | None:
    """The notebook's checks, in its order, on each message: the first problem found."""
    keys, roles = frozenset(ft.message_keys), frozenset(ft.roles)
    assistant = False
    for i, m in enumerate(messages):
        if (type(m) is dict and m.keys() <= keys and "weight" not in m and type(m.get("role")) is str
                and m["role"] in roles
                and type(m.get("content")) is str and m["content"]):
            assistant = assistant or m["role"] == "assistant"  # the common case, checked at once
            continue
        problem = _message(i, m, ft)
        if problem is not None:
            return problem
        assistant = assistant or m.get("role") == "assistant"
    if need_assistant and not assistant:
        return "example_missing_assistant_message", "no assistant message"
    return None


def _message(i: int, m: Any, ft: FineTuningFacts) -> tuple[str, str] | None:
    where = f"messages[{i}]"
    if not isinstance(m, dict):
        return "data_type", f"{where}: not an object"
    calls = m.get("tool_calls") or m.get("function_call")
    if "role" not in m or ("content" not in m and not calls):
        return "message_missing_key", f"{where}: needs role and content"
    extra = [k for k in m if k not in ft.message_keys]
    if extra:
        return "message_unrecognized_key", f"{where}: unrecognized key {extra[0]!r}"
    if m["role"] not in ft.roles:
        return "unrecognized_role", f"{where}: role {m['role']!r} is not one of {', '.join(ft.roles)}"
    content = m.get("content")
    if not calls and (not content or not isinstance(content, (str, list))):
        return "missing_content", f"{where}: content is missing, empty or not text"
    if "weight" in m and (m["weight"] not in ft.weights or type(m["weight"]) is not int
                          or m["role"] != "assistant"):
        return "weight", f"{where}: weight is 0 or 1, on assistant messages only"
    return None


def _count(body: dict[str, Any]) -> int:
    """The tokens of the example: :func:`tokencmp.count_request` of it."""
    from ..chat import count_request

    return count_request(body).total
