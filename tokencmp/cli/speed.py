"""Measure the streaming speed of an OpenAI-compatible Chat Completions endpoint.

Sends --trials streamed requests per --model, one after another (never in
parallel, never retried), and prints each figure's minimum, maximum and
average: stream rate (tokens/s after the first token), latency (time to the
first token), total response time, total rate (tokens / total time), the
response tokens counted locally with the model's encoding, the number of
content chunks, and the API's own completion_tokens when the stream reports
usage. Several models are shown side by side. A progress line per trial goes
to stderr.

The API key is read from the variable named by --api-key-env (none is sent
when it is unset, which suits local servers) and is never printed. A model
tokencmp does not know (a self-hosted one) needs --encoding to count with.
The first failure stops the run; figures measured so far are still printed
and the exit code is 1 (130 when interrupted with Ctrl-C).

JSON output: {"base_url": str, "max_tokens": int, "models": [{"model": str,
"encoding": str, "summary": {stat: {"value_min", "value_max", "average",
"trials"} | null}, "trials": [per-trial figures]}], "error": str|null}: the
summary and trials are the results' to_dict(), without the streamed text.
CSV output: one row per model and stat: model,stat,value_min,value_max,average,trials.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from ._args import positive
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, one_line, write_csv, write_json, write_table

if TYPE_CHECKING:
    from tokencmp import SpeedResult, SpeedSummary

NAME = "speed"
HELP = "measure the streaming speed of an OpenAI-compatible endpoint"

DEFAULT_PROMPT = (
    "Write an essay of about 500 words on the history of the printing press, "
    "from Gutenberg to the present day."
)

LABELS = {
    "stream_rate": "stream rate (tokens/s)",
    "latency": "latency (s)",
    "total_time": "total response (s)",
    "total_rate": "total rate (tokens/s)",
    "response_tokens": "response tokens",
    "chunks": "chunks",
    "usage_completion_tokens": "usage completion tokens",
    "usage_difference": "local - usage",
}
RANGE_FIELDS = ("value_min", "value_max", "average")
"""The columns of a figure's range (``StatRange.to_dict()`` without its ``trials``)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", "-m", action="append", required=True, metavar="MODEL",
                        help="model to measure; repeat for several (shown side by side)")
    parser.add_argument("--trials", "-n", type=positive(int), default=3,
                        help="requests per model (default 3)")
    parser.add_argument("--prompt", "-p", metavar="FILE|TEXT",
                        help="the user message: a file's text if FILE exists, else TEXT itself "
                        "(default: a request for a 500-word essay)")
    parser.add_argument("--max-tokens", type=positive(int), default=256,
                        help="the response's token limit (default 256)")
    parser.add_argument("--base-url", metavar="URL",
                        help="the API base, e.g. http://localhost:8000/v1 "
                        "(default: $OPENAI_BASE_URL, else https://api.openai.com/v1)")
    parser.add_argument("--api-key-env", default="OPENAI_API_KEY", metavar="VAR",
                        help="environment variable holding the API key (default OPENAI_API_KEY)")
    parser.add_argument("--timeout", type=positive(float), default=60.0, metavar="S",
                        help="seconds to connect, and the longest wait for data (default 60)")
    parser.add_argument("--encoding", "-e",
                        help="count the response with this encoding (needed for models tokencmp "
                        "does not know, e.g. self-hosted ones)")
    parser.add_argument("--max-tokens-param", choices=["auto", "max_tokens", "max_completion_tokens"],
                        default="auto", help="the request field for --max-tokens (auto: "
                        "max_completion_tokens for api.openai.com, max_tokens elsewhere)")
    parser.add_argument("--no-usage", action="store_true",
                        help="do not ask for the usage chunk (for servers that reject stream_options)")
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import SpeedClient, SpeedTestError, TokencmpError, UnknownModelError, encoding_for_model
    from tokencmp.speed import Endpoint, summarize
    from tokencmp.text.read import read_text

    prompt = _prompt(args.prompt, read_text)
    models = list(dict.fromkeys(args.model))
    if args.encoding is None:  # every model must resolve before the first request
        note_models(args, models)
        for model in models:
            try:
                encoding_for_model(model)
            except UnknownModelError as e:
                raise TokencmpError(
                    f"{e} For a self-hosted model give --encoding (e.g. o200k_base): the local count "
                    "then approximates the model's own tokenizer, and the server's usage is exact."
                ) from None
    endpoint = Endpoint.from_env(
        args.base_url, api_key_env=args.api_key_env, timeout=args.timeout,
        max_tokens_param=args.max_tokens_param, include_usage=not args.no_usage,
    )
    measured: dict[str, list[SpeedResult]] = {}
    error, code = None, 0
    with SpeedClient(endpoint) as client:
        for model in models:
            for number in range(1, args.trials + 1):
                trial = f"{model} trial {number}/{args.trials}"
                try:
                    result = client.measure(model, prompt, max_tokens=args.max_tokens, encoding=args.encoding)
                except SpeedTestError as e:
                    error, code = f"{trial}: {e}", 1
                    break
                except KeyboardInterrupt:
                    error, code = f"interrupted during {trial}", 130
                    break
                measured.setdefault(model, []).append(result)
                _progress(trial, result)
            if error:
                break
    summaries = [summarize(results) for results in measured.values()]
    if measured or args.format == "json":
        _write(args.format, endpoint.base_url, args.max_tokens, measured, summaries, error)
    if error:
        sys.stderr.write(f"tokencmp speed: error: {one_line(error)}\n")
    return code


def _prompt(value: str | None, read_text: Any) -> str:
    if value is None:
        return DEFAULT_PROMPT
    if os.path.isfile(value):
        return str(read_text(value))
    return value


def _progress(trial: str, r: SpeedResult) -> None:
    parts = [f"{r.response_tokens} tokens in {r.chunks} chunks"]
    if r.latency is None:
        why = f" (finish_reason {r.finish_reason})" if r.finish_reason else ""
        parts.append(f"no content came back{why}")
    else:
        parts.append(f"latency {r.latency:.3f} s")
    if r.stream_rate is not None:
        parts.append(f"{r.stream_rate:.1f} tokens/s")
    parts.append(f"total {r.total_time:.3f} s")
    if r.usage is not None and r.usage.completion_tokens is not None:
        parts.append(f"usage {r.usage.completion_tokens}")
    sys.stderr.write(f"{trial}: {', '.join(parts)}\n")
    sys.stderr.flush()


def _write(
    fmt: str,
    base_url: str,
    max_tokens: int,
    measured: dict[str, list[SpeedResult]],
    summaries: list[SpeedSummary],
    error: str | None,
) -> None:
    from tokencmp.speed import SUMMARY_STATS

    if fmt == "json":
        write_json({
            "base_url": base_url,
            "max_tokens": max_tokens,
            "models": [_model_json(s, measured[str(s.model)]) for s in summaries],
            "error": error,
        })
        return
    long_rows = [
        {"model": s.model, "stat": stat, **getattr(s, stat).to_dict()}
        for s in summaries
        for stat in SUMMARY_STATS
        if getattr(s, stat) is not None
    ]
    if fmt == "csv":
        write_csv(long_rows, ["model", "stat", *RANGE_FIELDS, "trials"])
        return
    for s in summaries:
        sys.stdout.write(f"{s.model}: {s.trials} trials, counted with {s.encoding}, {base_url}\n")
    sys.stdout.write("\n")
    stats = [stat for stat in SUMMARY_STATS if any(getattr(s, stat) is not None for s in summaries)]
    columns, headers = ["stat"], {"stat": "Stat"}
    for i, s in enumerate(summaries):
        for part, title, short in (("value_min", "Minimum", "min"), ("value_max", "Maximum", "max"),
                                   ("average", "Average", "avg")):
            columns.append(f"{i}.{part}")
            headers[f"{i}.{part}"] = title if len(summaries) == 1 else f"{s.model} {short}"
    rows = []
    for stat in stats:
        row: dict[str, Any] = {"stat": LABELS[stat]}
        for i, s in enumerate(summaries):
            span = getattr(s, stat)
            for part in RANGE_FIELDS:
                row[f"{i}.{part}"] = getattr(span, part) if span is not None else None
        rows.append(row)
    write_table(rows, columns, headers=headers)


def _model_json(summary: SpeedSummary, results: list[SpeedResult]) -> dict[str, Any]:
    """One model in the JSON output: the ``to_dict()`` of its summary and trials (without their text)."""
    from tokencmp.speed import SUMMARY_STATS

    ranges = summary.to_dict()
    trials = [{k: v for k, v in r.to_dict().items() if k != "text"} for r in results]
    return {"model": summary.model, "encoding": summary.encoding,
            "summary": {stat: ranges[stat] for stat in SUMMARY_STATS}, "trials": trials}

