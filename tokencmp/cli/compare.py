"""Compare encodings on your files, or languages on a parallel corpus.

With FILEs (folders are walked, binary files skipped with a note, as for
count): one row per file with its tokens under each encoding, the ratio
between encodings (a/b = tokens under a / tokens under b), characters,
UTF-8 bytes, grapheme clusters and characters/bytes per token; --by-script
adds a row per Unicode script of each file. With --corpus: one row per
language of the bundled parallel corpus (or of DIR, a folder of en.txt,
ja.txt, ...), with the premium of each language over the reference language
(tokens / reference tokens) under each encoding. --model M adds the cost of
each text as input on M at its standard input price.

JSON output: with FILEs {"encodings", "normalize", "models", "inputs": [{"name",
"tokens", "ratios", "characters", "bytes", "graphemes", "per_token",
"input_costs", "scripts"?}]}; with --corpus the report of
tokencmp.compare_corpus (see docs/compare.md).
"""

from __future__ import annotations

import argparse
import functools
import sys
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._args import add_errors_option, encoding_name
from ._dask import add_dask_option, dask_client, remote_files
from ._files import add_folder_options
from ._models import add_strict_models_option, note_models
from ._output import add_format_option, add_view_options, emit

if TYPE_CHECKING:
    from tokencmp import Comparison, CorpusReport, ScriptCounts

NAME = "compare"
HELP = "compare encodings on files, or languages on the bundled parallel corpus"

LARGE = 16 << 20
"""Inputs of at least this many bytes show a progress bar (when stderr is a terminal)."""

PLOT_SUFFIXES = (".png", ".svg")


def _plot_path(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise argparse.ArgumentTypeError(f"--plot writes .png or .svg files, not {value!r}")
    return path


def _normalization(value: str) -> str:
    from tokencmp import TokencmpError, normalization_form

    try:
        return normalization_form(value)
    except TokencmpError:
        raise argparse.ArgumentTypeError(f"invalid choice {value!r} (use none, NFC or NFKC)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="text files or folders (walked); '-' for standard input")
    parser.add_argument("--corpus", nargs="?", const="", metavar="DIR",
                        help="compare the languages of a parallel corpus: the bundled one, or DIR")
    parser.add_argument("--encodings",
                        help="comma-separated encodings to compare, e.g. o200k_base,cl100k_base or "
                        "o200k,cl100k "
                        "(default: the catalog's defaults.encodings)")
    parser.add_argument("--tokenizer", action="append", default=[], metavar="PATH",
                        help="also compare a local tokenizer file (tokenizer.json, a Tekken JSON, or a rank "
                        "file tokencmp knows); repeatable")
    parser.add_argument("--model", "-m", action="append", default=[], metavar="M",
                        help="also show the input cost on model M (repeatable)")
    add_strict_models_option(parser)
    parser.add_argument("--by-script", action="store_true",
                        help="break each FILE down by Unicode script (Latin, Han, Cyrillic, ...)")
    parser.add_argument("--normalize", type=_normalization, metavar="FORM",
                        help="Unicode normalisation before counting: none, NFC or NFKC "
                        "(default: none for FILEs, NFC for --corpus)")
    parser.add_argument("--reference", default="en",
                        help="reference language of --corpus premiums (default: en)")
    add_folder_options(parser)
    add_errors_option(parser)
    parser.add_argument("--plot", type=_plot_path, metavar="OUT",
                        help="draw a bar chart of the ratios (and premiums) to OUT.png or OUT.svg "
                        "(needs tokencmp[plot])")
    parser.add_argument("--html", type=Path, metavar="FILE",
                        help="also write the comparison as one self-contained HTML page (table, chart, "
                        "per-script breakdown, coloured tokens of a sample of each input)")
    add_dask_option(parser)
    add_view_options(parser)
    add_format_option(parser, ("table", "markdown", "csv", "json"))


def run(args: argparse.Namespace) -> int:
    from tokencmp import TokencmpError, get_catalog

    note_models(args, args.model)
    if args.encodings is None:
        encodings = list(get_catalog().defaults.encodings)
    else:
        encodings = [encoding_name(e.strip()) for e in args.encodings.split(",") if e.strip()]
    if args.tokenizer and args.dask:
        raise TokencmpError("--tokenizer is not sent to --dask workers (they build encodings by name); "
                            "compare a local tokenizer file without --dask.")
    if args.tokenizer:
        from tokencmp import load_tokenizer

        encodings += [load_tokenizer(path).name for path in args.tokenizer]
    if not encodings:
        raise TokencmpError("--encodings needs at least one encoding name, e.g. o200k_base,cl100k_base.")
    if args.plot is not None and len(set(encodings)) < 2:
        raise TokencmpError("--plot draws the ratio between two encodings: give at least two --encodings.")
    if args.corpus is not None:
        if args.files:
            raise TokencmpError("give FILEs or --corpus, not both.")
        if args.by_script:
            raise TokencmpError("--by-script applies to FILEs, not to --corpus.")
        return _run_corpus(args, encodings)
    names = list(args.files)
    if not names:
        if sys.stdin is None or sys.stdin.isatty():
            raise TokencmpError("give one or more FILEs ('-' for standard input), or --corpus.")
        names = ["-"]
    return _run_files(args, names, encodings)


# --- corpus -------------------------------------------------------------------------------


def _run_corpus(args: argparse.Namespace, encodings: list[str]) -> int:
    from tokencmp import compare_corpus, read_corpus

    folder = args.corpus or None
    size = sum(f.path.stat().st_size for f in read_corpus(folder).values())
    with _progress(size) as progress, dask_client(args.dask) as client:
        if client is not None:
            from tokencmp.scale.dask import compare_corpus as on_dask

            compare_corpus = functools.partial(on_dask, client)  # the same report, counted there
        report = compare_corpus(
            folder,
            encodings=encodings,
            reference=args.reference,
            normalize=args.normalize or "NFC",
            models=args.model,
            errors=args.errors,
            **({} if client is not None else {"progress": progress}),
        )
    rows, columns, headers = _corpus_table(report)
    if args.plot is not None:
        from ._plot import plot_bars

        a, b = report.encodings[:2]
        named = {r.code: f"{r.name} ({r.code})" if r.name else r.code for r in report.languages}
        reference = named.get(report.reference or "", report.reference)
        plot_bars(
            args.plot,
            labels=[named[r.code] for r in report.languages],
            ratios=[r.counts.ratio(a, b) for r in report.languages],
            ratio_label=f"{a} tokens per {b} token (below 1: {a} is shorter)",
            premiums={e: [r.premiums[e] for r in report.languages] for e in report.encodings}
            if report.reference is not None else {},
            reference=reference,
            title=f"Tokens per language for the same text ({report.source}, {report.normalize})",
        )
    if args.html is not None:
        from tokencmp.report.compare import corpus_html

        _write_html(args.html, corpus_html(report, rows, columns, headers))
    emit(args.format, report.to_dict(), rows, columns, headers, extra=_wide(columns), wide=args.wide,
         money=[c for c in columns if c.startswith("cost ")])
    return 0


def _corpus_table(report: CorpusReport) -> tuple[list[dict[str, Any]], list[str], dict[str, str]]:
    encs = report.encodings
    columns = ["code", "language", *(f"tokens {e}" for e in encs), *report.total.ratios]
    if report.reference is not None:
        columns += [f"premium {e}" for e in encs]
    columns += [f"{unit}/token {e}" for unit in ("chars", "bytes") for e in encs]
    columns += [f"cost {m}" for m in report.models]
    rows = []
    for r in report.languages:
        row = {"code": r.code, "language": r.name or r.code, **_counts_cells(r.counts)}
        row.update({f"premium {e}": r.premiums[e] for e in encs})
        rows.append(row)
    rows.append({"code": "total", "language": "", **_counts_cells(report.total)})
    return rows, columns, _headers(columns)


# --- files --------------------------------------------------------------------------------


def _run_files(args: argparse.Namespace, names: list[str], encodings: list[str]) -> int:
    from tokencmp import InvalidTextError, TokencmpError, compare_file, normalization_form, offset_progress
    from tokencmp.text.read import stdin_binary

    from ._files import Inputs

    normalize = normalization_form(args.normalize)
    inputs = Inputs.from_args(NAME, args)
    items = list(inputs.expand(names))
    inputs.summarize()
    sizes = [_size(item.path) for item in items]
    size = sum(sizes)
    results: list[tuple[str, Comparison]] = []
    with _progress(size) as progress, dask_client(args.dask) as client:
        remote = remote_files(client, [i.path for i in items], encodings=encodings, by_script=args.by_script,
                              normalize=normalize, errors=args.errors, models=args.model)
        for item, before in zip(items, accumulate([0, *sizes]), strict=False):
            report = None if progress is None else offset_progress(progress, before, size)
            source = stdin_binary() if item.path is None else item.path
            try:
                counts = remote[item.path].result() if item.path in remote else compare_file(
                    source, encodings=encodings, by_script=args.by_script, normalize=normalize,
                    errors=args.errors, progress=report, models=args.model)
            except InvalidTextError as e:  # this input only: the others are still compared
                inputs.error(str(e))
                continue
            results.append((item.name, counts))
    if not results:
        if inputs.failed:
            return 1
        raise TokencmpError("no text files to compare among the inputs.")
    encs = results[0][1].encodings
    columns = ["name", *(["script"] if args.by_script else []), *(f"tokens {e}" for e in encs),
               *results[0][1].ratios, "characters", "bytes", "graphemes",
               *(f"{unit}/token {e}" for unit in ("chars", "bytes") for e in encs),
               *(f"cost {m}" for m in args.model)]
    rows = []
    for name, c in results:
        rows.append({"name": name, "script": "all", "characters": c.characters, "bytes": c.bytes,
                     "graphemes": c.graphemes, **_counts_cells(c)})
        for s in c.scripts or ():
            rows.append({"name": name, "script": s.script, "characters": s.characters, "bytes": s.bytes,
                         **_counts_cells(s)})
    if args.plot is not None:
        from ._plot import plot_bars

        bars: list[tuple[str, Comparison | ScriptCounts]] = [(Path(n).name, c) for n, c in results]
        if args.by_script:
            bars = [(f"{Path(n).name}: {sc.script}", sc) for n, c in results for sc in c.scripts or ()]
        per = "per file and Unicode script" if args.by_script else "per file"
        plot_bars(args.plot, labels=[label for label, _ in bars],
                  ratios=[c.ratio(encs[0], encs[1]) for _, c in bars],
                  ratio_label=f"{encs[0]} tokens per {encs[1]} token (below 1: {encs[0]} is shorter)",
                  premiums={}, reference=None,
                  title=f"{encs[0]} against {encs[1]}, {per} (normalisation: {normalize})")
    if args.html is not None:
        from tokencmp.report.compare import files_html

        paths = {item.name: item.path for item in items}
        _write_html(args.html, files_html(results, rows, columns, _headers(columns), paths,
                                          normalize=normalize, errors=args.errors))
    payload = {
        "encodings": list(encs),
        "normalize": normalize,
        "models": list(args.model),
        "inputs": [{"name": n, **c.to_dict()} for n, c in results],
    }
    emit(args.format, payload, rows, columns, _headers(columns), extra=_wide(columns), wide=args.wide,
         money=[c for c in columns if c.startswith("cost ")])
    return 1 if inputs.failed else 0


def _size(path: Path | None) -> int:
    """Bytes of a regular file, for the progress bar (0 for stdin and anything else)."""
    try:
        return path.stat().st_size if path is not None and path.is_file() else 0
    except (OSError, ValueError):
        return 0


# --- shared ---------------------------------------------------------------------------------


def _write_html(path: Path, document: str) -> None:
    from tokencmp import TokencmpError

    try:
        path.write_text(document, encoding="utf-8")
    except OSError as e:
        raise TokencmpError(f"Cannot write {path}: {e.strerror or e}.") from None


def _counts_cells(c: Comparison | ScriptCounts) -> dict[str, Any]:
    """Tokens, ratios, characters/bytes per token and (for a whole text) input costs (decimal strings)."""
    from tokencmp import Comparison

    cells: dict[str, Any] = {f"tokens {e}": n for e, n in c.tokens.items()}
    cells.update(c.ratios)
    cells.update({f"chars/token {e}": c.chars_per_token(e) for e in c.tokens})
    cells.update({f"bytes/token {e}": c.bytes_per_token(e) for e in c.tokens})
    if isinstance(c, Comparison):
        cells.update({f"cost {m}": cost for m, cost in c.to_dict()["input_costs"].items()})
    return cells


def _wide(columns: list[str]) -> list[str]:
    """The columns a table shows with --wide only: bytes, graphemes and the per-token figures."""
    return [c for c in columns if c in ("bytes", "graphemes") or "/token " in c]


def _headers(columns: list[str]) -> dict[str, str]:
    """Shorter titles for tables and Markdown: encodings without the ``_base`` suffix."""
    return {c: c.replace("_base", "").replace("tokens ", "").replace("cost ", "input $ ") for c in columns}


def _progress(total: int) -> Any:
    from ._progress import ProgressBar

    return ProgressBar.for_stderr(total, threshold=LARGE)
