"""Image input tokens: each image's size and what it costs on each model.

Reads each FILE's header for its size (PNG, JPEG, GIF or WebP; a 'data:' URL
is also accepted; a folder is walked, and files in it that are not images are
skipped, summed up in one note) and checks that the file ends as its format
requires (a file cut short is an error); a size such as 1920x1080 is priced
as given. Prints one row per image and model: the size, the detail level
counted ('auto' resolved per model), the method, the tokens, and whether the
count is exact or an estimate. The reasons (a detail level a model counts
like another, an undocumented rounding) follow on standard error, each once
with the models it applies to; a model that does not accept the --detail
asked for is an error saying which levels it takes (see docs/images.md).

JSON output: {"images": [{"name": str, "width": int, "height": int,
"counts": [the to_dict() of each model's tokencmp.estimate_image result:
{"tokens": int, "exact": bool, "width": int, "height": int, "model": str,
"detail": str, "method": "tile"|"patch", "rule": str, "resized": [int,
int]|null, "tiles": int|null, "patches": int|null, "notes": [str]}]}]}.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator

from ._files import Input, Inputs, add_folder_options
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, emit

NAME = "image"
HELP = "image input tokens per model, from image files (headers only)"

COLUMNS = ["name", "width", "height", "model", "detail", "method", "tokens", "exact"]

SIZE = re.compile(r"([0-9]{1,9})\s*[xX\u00d7]\s*([0-9]{1,9})")
"""An image size on the command line: ``1920x1080`` (also ``X`` or ``\u00d7``)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="image files, folders of them (walked), data: URLs, sizes such as 1920x1080; "
                        "'-' for standard input")
    parser.add_argument("--model", "-m", action="append", dest="models", metavar="MODEL",
                        help="a vision model; repeat for several (default: the catalog's default model)")
    parser.add_argument("--detail", "-d", default="auto", choices=["auto", "low", "high", "original"],
                        help="the request's detail level (default: auto, resolved per model)")
    parser.add_argument("--input-fidelity", choices=["low", "high"],
                        help="gpt-image-1 only: input fidelity (high adds tokens)")
    add_folder_options(parser)
    add_strict_models_option(parser)
    add_format_option(parser)


def run(args: argparse.Namespace) -> int:
    from tokencmp import InvalidImageError, TokencmpError, estimate_image, image_size, resolve_model
    from tokencmp.catalog.lookup import default_model
    from tokencmp.text.read import STDIN, read_stdin_bytes

    note_models(args, args.models or [])
    models = [resolve_model(m) for m in (args.models or [default_model()])]
    inputs = Inputs.from_args(NAME, args, text=False)
    images, rows = [], []
    for item in _expand(inputs, args.files):
        given = SIZE.fullmatch(item.name) if item.path is None else None
        source = item.path or (read_stdin_bytes() if item.name == STDIN else item.name)
        try:
            if given:
                width, height = int(given[1]), int(given[2])
                try:
                    estimate_image(width, height, model=models[0])  # an impossible size is refused here
                except InvalidImageError as e:
                    raise InvalidImageError(f"{item.name}: {str(e).removeprefix('the image: ')}") from None
            else:
                width, height = image_size(source, complete=True)  # a file cut short is an error
        except InvalidImageError as e:
            if item.found:  # a folder holds other files too
                inputs.skip(item.name, "image", "not a PNG, JPEG, GIF or WebP image")
            else:
                inputs.error(str(e))
            continue
        except TokencmpError as e:  # a remote URL: its size is unknown
            inputs.error(str(e))
            continue
        name = item.name
        shown = name if not name.startswith("data:") else name[:30] + "..."
        counts = []
        for info in models:
            estimate = estimate_image(width, height, model=info, detail=args.detail,
                                      input_fidelity=args.input_fidelity)
            counts.append(estimate.to_dict())
            rows.append({**counts[-1], "name": shown, "width": width, "height": height})
        images.append({"name": shown, "width": width, "height": height, "counts": counts})
    inputs.summarize()
    if not images:
        if inputs.failed:
            return 1
        raise TokencmpError("no images (PNG, JPEG, GIF or WebP) among the inputs.")
    emit(args.format, {"images": images}, rows, COLUMNS)
    if args.format != "json":  # JSON has them in each count
        _write_notes(rows)
    return 1 if inputs.failed else 0


def _write_notes(rows: list[dict[str, object]]) -> None:
    """Each note of the counts once, after the table, with the models it applies to."""
    models: dict[str, list[str]] = {}
    for row in rows:
        for note in row.get("notes") or ():  # type: ignore[attr-defined]
            names = models.setdefault(str(note), [])
            if row["model"] not in names:
                names.append(str(row["model"]))
    from ._table import width_of, wrap_note

    width = width_of(sys.stderr)  # wrapped on a terminal only, one line per note in a log
    for note, names in models.items():
        for line in wrap_note(f"tokencmp image: note: {', '.join(names)}: {note}", width, indent=""):
            sys.stderr.write(line + "\n")


def _expand(inputs: Inputs, names: list[str]) -> Iterator[Input]:
    """Files, walked folders and ``-``; a data: or http(s) URL or a size that is not a file passes through
    (``path=None``)."""
    import os

    for name in names:
        if name[:16].lstrip().lower().startswith(("data:", "http://", "https://")) or (
                SIZE.fullmatch(name) and not os.path.exists(name)):
            yield Input(name, None)
        else:
            yield from inputs.expand([name])
