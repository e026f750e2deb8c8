"""Count the prompt tokens of a whole request body, as `curl -d` would post it.

Reads FILE (or standard input with '-') as a JSON Chat Completions or
Responses body and prints where every prompt token comes from: each message
(content, formatting overhead, name, tool calls, images), the tool
definitions, the response format, the reply priming and the total, which is
the prompt_tokens the API would report. --model overrides the body's model;
give it several times to compare models side by side (one column each).
Image parts are counted from the header of a data: URL; tokencmp never
fetches a URL, so give a remote image's size with --image-size URL=WxH, or
it is counted at the most the model charges for one image (an estimate);
--strict-images makes an unknown size an error instead.
Rules that are estimates rather than API-verified are listed as notes.

An estimate's total is printed with its bounds, the range the API's count
falls in: ≈ 1,234 (1,228–1,240), and the lines under the table say why it is
an estimate; an exact count is the plain number. Columns that are 0 on every row (name,
tool calls, images) are left out of the table (--wide shows them); FILE may
be left out when a body is piped in.

JSON output: the RequestCount object (a list of them for several models):
{"total": int, "breakdown": {...}, "model": str, "encoding": str,
"exact": bool, "notes": [str], "low": int, "high": int,
"output_tokens_max": int|null, "choices": int}.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._models import add_strict_models_option, note_models
from ._output import add_format_option, add_view_options, approx, emit

NAME = "request"
HELP = "count the prompt tokens of a chat request body (JSON)"
COLUMNS = ["part", "role", "content", "overhead", "name", "tool_calls", "images", "total"]
HEADERS = {"tool_calls": "tool calls"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="the request body as JSON; '-' (or a pipe) for standard input")
    parser.add_argument(
        "--model",
        "-m",
        action="append",
        help="count for this model instead of the body's (repeat to compare models)",
    )
    parser.add_argument(
        "--image-size",
        action="append",
        type=_image_size,
        metavar="URL=WxH",
        help="the size of the image at URL, e.g. https://example.com/cat.png=1024x768 (repeatable)",
    )
    parser.add_argument(
        "--strict-images",
        action="store_true",
        help="fail on an image whose size is unknown instead of counting the model's upper bound",
    )
    add_view_options(parser)
    add_strict_models_option(parser)
    add_format_option(parser)


def _image_size(value: str) -> tuple[str, tuple[int, int]]:
    url, sep, size = value.rpartition("=")
    width, x, height = size.lower().partition("x")
    if not (sep and url and x and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(
            f"expected URL=WIDTHxHEIGHT (e.g. https://x/cat.png=1024x768), not {value!r}"
        )
    return url, (int(width), int(height))


def run(args: argparse.Namespace) -> int:
    from tokencmp import count_request

    from ._input import read_request, stdin_or

    body = read_request(stdin_or(args.file))
    note_models(args, args.model or [body.get("model") if isinstance(body, dict) else None])
    sizes = dict(args.image_size or [])
    counts = [
        count_request(body, model=m, image_sizes=sizes, strict_images=args.strict_images)
        for m in (args.model or [None])
    ]
    if len(counts) == 1:
        count = counts[0]
        rows = _rows(count, csv=args.format == "csv")
        empty = [] if args.wide else [c for c in ("name", "tool_calls", "images")
                                      if not any(r.get(c) for r in rows)]
        columns = [c for c in COLUMNS if args.format == "csv" or c not in empty]
        emit(args.format, count, rows, columns, HEADERS)
        if args.format in ("table", "markdown"):
            _footer([count], args)
        return 0
    rows, columns = _compare_rows(counts, csv=args.format == "csv")
    emit(args.format, counts, rows, columns)
    if args.format in ("table", "markdown"):
        _footer(counts, args)
    return 0


def _rows(count: Any, *, csv: bool = False) -> list[dict[str, Any]]:
    b = count.breakdown
    images: dict[str, list[Any]] = {}  # message path -> its image parts ("messages[1].content[0]")
    for part in b.image_parts:
        images.setdefault((part.path or "").rsplit(".content", 1)[0], []).append(part)
    rows: list[dict[str, Any]] = []
    for m in b.messages:
        rows.append(
            {
                "part": m.path,
                "role": m.role,
                "content": m.content,
                "overhead": m.overhead,
                "name": m.name,
                "tool_calls": m.tool_calls,
                "images": m.images,
                "total": m.total,
            }
        )
        rows += [_image_row(p) for p in images.get(m.path, ())]
    if b.tools is not None:
        t = b.tools
        rows.append(
            {
                "part": f"tools ({t.method}, {t.functions})",
                "content": t.definitions,
                "overhead": t.overhead + t.tool_choice,
                "total": t.total,
            }
        )
    if b.response_format:
        rows.append({"part": "response_format", "total": b.response_format})
    rows.append({"part": "reply priming", "overhead": b.reply_priming, "total": b.reply_priming})
    rows.append({"part": "total", "total": _total(count, csv)})
    return rows


def _total(count: Any, csv: bool) -> int | str:
    """The total for a table, with its bounds if it is an estimate (in CSV, the number)."""
    return count.total if csv else approx(count.total, count.low, count.high, count.exact)


def _image_row(part: Any) -> dict[str, Any]:
    """An image part, under its message: size (or "size unknown"), detail, method; its tokens."""
    size = f"{part.width}x{part.height}" if part.width else "size ?"
    label = f"  image {size}, {part.detail}"
    return {"part": label, "images": part.tokens if part.exact else f"≈ {part.tokens:,}"}


def _compare_rows(counts: list[Any], *, csv: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    names = [c.model for c in counts]
    labels: dict[str, dict[str, Any]] = {}
    for c in counts:
        b = c.breakdown
        parts = [(f"{m.path} {m.role}", m.total) for m in b.messages]
        parts.append(("tools", b.tools.total if b.tools else 0))
        parts += [
            ("response_format", b.response_format),
            ("reply priming", b.reply_priming),
            ("total", _total(c, csv)),
        ]
        for label, value in parts:
            labels.setdefault(label, {"part": label})[c.model] = value
    rows = [
        r
        for r in labels.values()
        if r["part"] not in ("tools", "response_format") or any(r.get(n) for n in names)
    ]
    return rows, ["part", *names]


def _footer(counts: list[Any], args: argparse.Namespace) -> None:
    """Under the table: exact or the estimate's bounds, per model; then each reason once."""
    from ._table import width_of, wrap_note
    from ._words import options_of, speak
    from .cost import reasons_once

    width = width_of(sys.stdout)
    out = sys.stdout
    out.write("\n")
    for c in counts:
        prefix = f"{c.model}: " if len(counts) > 1 else ""
        state = "exact" if c.exact else f"an estimate: the API's count is {c.low:,} to {c.high:,}"
        out.write(f"{prefix}{state} ({c.encoding})\n")
    estimated = [{"model": c.model, "count_notes": list(c.notes)} for c in counts if c.notes]
    lines = reasons_once(estimated) if len(counts) > 1 else [f"  {n}" for n in counts[0].notes]
    if lines:
        out.write("Why:\n" if any(not c.exact for c in counts) else "Notes:\n")
    for line in lines:
        for text in wrap_note(speak(line.strip(), options_of(args)), width):
            out.write(text + "\n")
