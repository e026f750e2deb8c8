"""Add recorded OpenAI API calls from VCR cassettes to a recorded-traffic fixture.

    python -m tokencmp.maintain.cassettes --repository langchain-ai/langchain --licence MIT \\
        --root ~/src/langchain ~/src/langchain/libs/partners/openai/tests/cassettes/*.yaml

Each interaction of each cassette is read by :func:`tokencmp.maintain.vcr.read_interaction`
(the genuineness and countability checks are listed there); one that passes becomes a case
with its provenance (repository, cassette path inside it, interaction, the project's
licence, the response's date), its categories (:mod:`tokencmp.maintain.categories`) and
``added_by_script: true``. A case whose body is already in the fixture with the same
observed count is not added again: its cassette is recorded in the existing case's
``also_in``. The same body recorded on another day with another count is added: the API's
accounting changed between the two, and both are facts. Every interaction left out is
printed with its reason, so a maintainer sees what the checks refused.

Recordings from the repositories of :data:`INDEPENDENT_REPOS` go only to
``recorded_calls_independent.json`` (``--independent``), and only theirs: that set
measures whether rules fitted on the main fixture generalise, so the two never mix.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .categories import categorise
from .vcr import Recording, Rejected, load_cassette, read_interaction

MAIN_FIXTURE = Path("tests/data/recorded_calls.json")
INDEPENDENT_FIXTURE = Path("tests/data/recorded_calls_independent.json")
INDEPENDENT_REPOS = frozenset(
    {
        "Arize-ai/openinference",
        "open-telemetry/opentelemetry-python-contrib",
        "pydantic/logfire",
        "pamelafox/openai-messages-token-helper",
    }
)
"""Kept apart: their recordings are the independent check, never fitted on."""


def body_key(body: Any) -> str:
    """The identity of a request body: its canonical JSON."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def case_key(case: dict[str, Any]) -> tuple[str, int]:
    """What makes a case a duplicate of another: the same body, and the same count observed."""
    return body_key(case["body"]), case["observed"]


def case_of(
    recording: Recording, *, repository: str, cassette: str, interaction: int, licence: str
) -> dict[str, Any]:
    """A fixture case for ``recording``, with its provenance."""
    case: dict[str, Any] = {
        "id": "",
        "repository": repository,
        "cassette": cassette,
        "interaction": interaction,
        "licence": licence,
        "date": recording.date,
        "content_length_checked": recording.content_length_checked,
        "api": recording.api,
        "model": recording.model,
    }
    if recording.response_model:
        case["response_model"] = recording.response_model
    case["observed_field"] = recording.observed_field
    case["observed"] = recording.observed
    case["categories"] = categorise(recording.api, recording.body)
    if recording.image_sizes:
        case["image_sizes"] = recording.image_sizes
    case["added_by_script"] = True
    case["body"] = recording.body
    return case


def read_cassette(
    path: Path, *, repository: str, cassette: str, licence: str, image_sizes: dict[str, list[int]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The cases one cassette gives, and a line for each interaction left out."""
    cases, skipped = [], []
    try:
        interactions = load_cassette(path)
    except (Rejected, ValueError, OSError) as e:
        return [], [f"{cassette}: {e}"]
    for i, interaction in enumerate(interactions):
        try:
            recording = read_interaction(interaction, image_sizes=image_sizes)
        except Rejected as e:
            skipped.append(f"{cassette}#interaction{i}: {e}")
            continue
        cases.append(
            case_of(recording, repository=repository, cassette=cassette, interaction=i, licence=licence)
        )
    return cases, skipped


def merge(fixture: dict[str, Any], new: Sequence[dict[str, Any]], *, prefix: str) -> tuple[int, int]:
    """Add the new cases to ``fixture`` (in place), deduplicated by :func:`case_key`; (added, duplicates)."""
    by_body = {case_key(c): c for c in fixture["cases"]}
    added = duplicates = 0
    for case in new:
        key = case_key(case)
        if key in by_body:
            duplicates += 1
            known = by_body[key]
            place = {k: case[k] for k in ("repository", "cassette", "interaction")}
            if place != {k: known[k] for k in place} and place not in known.setdefault("also_in", []):
                known["also_in"].append(place)
            continue
        path = Path(case["cassette"])
        name = path.stem if len(path.stem) >= 12 else f"{path.parent.name}-{path.stem}"  # e.g. sync.yaml
        stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        case["id"] = f"{prefix}-{len(fixture['cases']):03d}-{stem}"[:60] + f"-i{case['interaction']}"
        fixture["cases"].append(case)
        by_body[key] = case
        added += 1
    fixture["count"] = len(fixture["cases"])
    return added, duplicates


def _size(text: str) -> tuple[str, list[int]]:
    url, _, size = text.rpartition("=")
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    if not url or match is None:
        raise argparse.ArgumentTypeError(f"{text!r}: give URL=WIDTHxHEIGHT, e.g. https://x/cat.png=640x480")
    return url, [int(match.group(1)), int(match.group(2))]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tokencmp.maintain.cassettes",
        description="Add the genuine, countable OpenAI calls of VCR cassettes (YAML or JSON) to a "
        "recorded-traffic fixture, each with its provenance; print every interaction left out and why.",
    )
    parser.add_argument("cassettes", nargs="+", type=Path, help="cassette files of one repository")
    parser.add_argument("--repository", required=True, help="owner/name of the repository they come from")
    parser.add_argument("--licence", required=True, help="that project's licence (SPDX id, e.g. MIT)")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="the repository's checkout: cassette paths are kept relative to it",
    )
    parser.add_argument(
        "--independent",
        action="store_true",
        help=f"add to {INDEPENDENT_FIXTURE} (only for {', '.join(sorted(INDEPENDENT_REPOS))})",
    )
    parser.add_argument("--fixture", type=Path, help=f"the fixture to update (default {MAIN_FIXTURE})")
    parser.add_argument(
        "--image-size",
        type=_size,
        action="append",
        default=[],
        metavar="URL=WxH",
        help="an image's pixel size",
    )
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.repository in INDEPENDENT_REPOS) != args.independent:
        parser.error(
            f"{args.repository}'s recordings go to {INDEPENDENT_FIXTURE} with --independent"
            if args.repository in INDEPENDENT_REPOS
            else f"--independent is only for {', '.join(sorted(INDEPENDENT_REPOS))}"
        )
    path = args.fixture or (INDEPENDENT_FIXTURE if args.independent else MAIN_FIXTURE)
    if not path.is_file():
        parser.error(f"no fixture at {path}; run from the source checkout's root or give --fixture")
    fixture = json.loads(path.read_text("utf-8"))
    sizes = dict(args.image_size)
    found: list[dict[str, Any]] = []
    for cassette in args.cassettes:
        try:
            relative = cassette.resolve().relative_to(args.root.resolve()).as_posix()
        except ValueError:
            parser.error(f"{cassette} is not inside --root {args.root}")
        cases, skipped = read_cassette(
            cassette, repository=args.repository, cassette=relative, licence=args.licence, image_sizes=sizes
        )
        found += cases
        for line in skipped:
            print(f"left out: {line}")
    added, duplicates = merge(fixture, found, prefix="ind" if args.independent else "add")
    print(f"{len(found)} genuine recordings: {added} added to {path}, {duplicates} already there")
    if not args.dry_run and added + duplicates:
        path.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
