"""Image input tokens: each image's size and what it costs on each model.

Reads only each FILE's header (PNG, JPEG, GIF or WebP; a 'data:' URL is also
accepted) and prints one row per image and model: the size, the detail level
counted ('auto' resolved per model), the method, the tokens, and whether the
count is exact or an estimate (the notes say why; see docs/images.md).

JSON output: {"images": [{"name": str, "width": int, "height": int,
"counts": [{"model": str, "detail": str, "method": "tile"|"patch",
"resized": [int, int]|null, "tokens": int, "exact": bool, "notes": [str]}]}]}.
"""

from __future__ import annotations

import argparse

from ._output import add_format_option, emit

NAME = "image"
HELP = "image input tokens per model, from image files (headers only)"

COLUMNS = ["name", "width", "height", "model", "detail", "method", "tokens", "exact"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="image files (or data: URLs)")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="MODEL",
                        help="a vision model; repeat for several (default: gpt-4o)")
    parser.add_argument("--detail", "-d", default="auto", choices=["auto", "low", "high", "original"],
                        help="the request's detail level (default: auto, resolved per model)")
    parser.add_argument("--input-fidelity", choices=["low", "high"],
                        help="gpt-image-1 only: input fidelity (high adds tokens)")
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp.catalog import resolve_model
    from tokencmp.images import estimate_image, image_size

    models = [resolve_model(m) for m in (args.models or ["gpt-4o"])]
    images, rows = [], []
    for name in args.files:
        width, height = image_size(name)
        shown = name if not name.startswith("data:") else name[:30] + "..."
        counts = []
        for info in models:
            e = estimate_image(width, height, model=info, detail=args.detail,
                               input_fidelity=args.input_fidelity)
            counts.append({"model": info.name, "detail": e.detail, "method": e.method,
                           "resized": e.resized, "tokens": e.tokens, "exact": e.exact,
                           "notes": list(e.notes)})
            rows.append({"name": shown, "width": width, "height": height, **counts[-1]})
        images.append({"name": shown, "width": width, "height": height, "counts": counts})
    emit(args.format, {"images": images}, rows, COLUMNS)
    return 0
