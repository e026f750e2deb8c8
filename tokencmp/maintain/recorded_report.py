"""How tokencmp does on recorded API traffic: every case of a fixture counted and set against
the count the API reported, with the OpenAI cookbook's formula on the same calls beside it.

    python -m tokencmp.maintain.recorded_report                      # both fixtures, plain text
    python -m tokencmp.maintain.recorded_report --markdown > docs/recorded-traffic.md

A fixture (``tests/data/recorded_calls*.json``) holds cases with ``api``, ``model``,
``observed``, ``categories``, ``body`` and optionally ``image_sizes`` and ``excluded``
(a reason: such a case is listed but left out of the rates). Each case is counted with
:func:`tokencmp.count_request`; a count is *exact* when its total is the observed count, a
*wrong exact label* when it says ``exact=True`` and is not, and *inside* when the observed
count lies in ``[low, high]`` (the count's bounds where it has them, else its total).

    >>> case = {"id": "x", "api": "chat", "model": "gpt-4o", "observed": 9, "categories": ["messages_only"],
    ...         "body": {"messages": [{"role": "user", "content": "Hello!"}]}}
    >>> o = measure_case(case)
    >>> o.total, o.exact, o.inside, o.baseline
    (9, True, True, 9)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..chat import count_request
from ..errors import TokencmpError
from .cookbook_baseline import cookbook_count

FIXTURES = ("tests/data/recorded_calls.json", "tests/data/recorded_calls_independent.json")
"""The fixtures measured by default, relative to a source checkout's root."""
CATEGORIES = (
    "messages_only",
    "tool_definitions",
    "tool_call_history",
    "tool_choice",
    "legacy_functions",
    "images",
    "reasoning_items",
    "structured_output_json_schema",
    "json_object",
)
"""The categories of :func:`tokencmp.maintain.categories.categorise`, in the tables' order."""
APIS = ("chat", "responses")


@dataclass(frozen=True)
class Outcome:
    """One case counted: tokencmp's total, its label and bounds, and the cookbook's count."""

    id: str
    api: str
    categories: tuple[str, ...]
    observed: int
    total: int | None
    labelled_exact: bool
    low: int | None
    high: int | None
    baseline: int | None
    refused: str | None = None

    @property
    def exact(self) -> bool:
        return self.total == self.observed

    @property
    def wrong_exact(self) -> bool:
        """Labelled exact, and not."""
        return self.labelled_exact and not self.exact

    @property
    def inside(self) -> bool:
        return self.low is not None and self.high is not None and self.low <= self.observed <= self.high

    @property
    def baseline_exact(self) -> bool:
        return self.baseline == self.observed


def api_group(api: str) -> str:
    """``chat``, or ``responses`` for the Responses API and its ``input_tokens`` endpoint."""
    return "chat" if api == "chat" else "responses"


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """The cases of a fixture file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    cases: list[dict[str, Any]] = data["cases"]
    return cases


def measure_case(case: dict[str, Any]) -> Outcome:
    """Count one case with tokencmp and with the cookbook's formula."""
    api, model = case["api"], case["model"]
    sizes = {url: (w, h) for url, (w, h) in (case.get("image_sizes") or {}).items()}
    baseline = cookbook_count(case["body"], api, model)
    common = {
        "id": case["id"],
        "api": api_group(api),
        "categories": tuple(case["categories"]),
        "observed": case["observed"],
        "baseline": baseline,
    }
    try:
        count = count_request(case["body"], model=model, image_sizes=sizes)
    except TokencmpError as e:
        return Outcome(**common, total=None, labelled_exact=False, low=None, high=None, refused=str(e))
    low = getattr(count, "low", count.total)
    high = getattr(count, "high", count.total)
    return Outcome(**common, total=count.total, labelled_exact=count.exact, low=low, high=high)


def measure(cases: Iterable[dict[str, Any]]) -> tuple[list[Outcome], list[dict[str, Any]]]:
    """The outcomes of the cases counted, and the cases left out (those with ``excluded``)."""
    kept, left_out = [], []
    for case in cases:
        if case.get("excluded"):
            left_out.append(case)
        else:
            kept.append(measure_case(case))
    return kept, left_out


@dataclass(frozen=True)
class Rates:
    """The tallies of a group of outcomes."""

    n: int
    exact: int
    wrong_exact: int
    inside: int
    baseline_exact: int
    baseline_counted: int

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Rates:
        return cls(
            n=len(outcomes),
            exact=sum(o.exact for o in outcomes),
            wrong_exact=sum(o.wrong_exact for o in outcomes),
            inside=sum(o.inside for o in outcomes),
            baseline_exact=sum(o.baseline_exact for o in outcomes),
            baseline_counted=sum(o.baseline is not None for o in outcomes),
        )

    @property
    def exact_rate(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def inside_rate(self) -> float:
        return self.inside / self.n if self.n else 0.0

    @property
    def baseline_rate(self) -> float:
        return self.baseline_exact / self.n if self.n else 0.0


def rates_by(outcomes: Sequence[Outcome], api: str | None = None, category: str | None = None) -> Rates:
    """The rates of the outcomes of one API and/or one category (None: all)."""
    return Rates.of(
        [
            o
            for o in outcomes
            if (api is None or o.api == api) and (category is None or category in o.categories)
        ]
    )


def _cell(exact: int, n: int) -> str:
    return f"{exact}/{n} ({exact / n:.0%})" if n else "–"


def table(outcomes: Sequence[Outcome]) -> list[list[str]]:
    """Rows (header first) of the exact rates by category and API, tokencmp against the cookbook."""
    rows = [
        [
            "category",
            "Chat: tokencmp",
            "Chat: cookbook",
            "Responses: tokencmp",
            "Responses: cookbook",
            "wrong exact labels",
        ]
    ]
    for category in (*CATEGORIES, None):
        cells = [category or "all"]
        wrong = 0
        for api in APIS:
            r = rates_by(outcomes, api, category)
            cells += [_cell(r.exact, r.n), _cell(r.baseline_exact, r.n)]
            wrong += r.wrong_exact
        rows.append([*cells, str(wrong)])
    return rows


def summary(outcomes: Sequence[Outcome]) -> str:
    """One line: exact, wrong labels, inside the bounds, the cookbook's rate."""
    r = Rates.of(outcomes)
    return (
        f"{r.n} calls: tokencmp exact on {r.exact} ({r.exact_rate:.1%}), {r.wrong_exact} labelled exact "
        f"wrongly, observed inside [low, high] on {r.inside} ({r.inside_rate:.1%}); the cookbook's formula "
        f"can count {r.baseline_counted} of them and is exact on {r.baseline_exact} ({r.baseline_rate:.1%})"
    )


def sources(cases: Sequence[dict[str, Any]]) -> str:
    """How many cases each repository gave, most first."""
    counts = Counter(c["repository"] for c in cases)
    given = ", ".join(f"{repo} {n}" for repo, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    added = sum(bool(c.get("added_by_script")) for c in cases)
    return f"{len(cases)} recorded calls ({given}; {added} added by the maintainer script)"


def _markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    lines += ["| " + " | ".join(f"**{c}**" if row[0] == "all" else c for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _plain_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)


def _wrong_labels(outcomes: Sequence[Outcome]) -> list[str]:
    return [
        f"{o.id}: counted {o.total}, observed {o.observed} ({o.observed - (o.total or 0):+d})"
        for o in outcomes
        if o.wrong_exact
    ]


def report(paths: Sequence[str | Path], *, markdown: bool) -> str:
    """The report of each fixture: summary, table, wrong exact labels, cases left out."""
    parts = [_HEADER] if markdown else []
    for path in paths:
        cases = load_cases(path)
        outcomes, left_out = measure(cases)
        name = Path(path).name
        rows = table(outcomes)
        wrong = _wrong_labels(outcomes)
        refused = [f"{o.id}: {o.refused}" for o in outcomes if o.refused]
        if markdown:
            parts += [f"## {_TITLES.get(name, name)}", "", f"`tests/data/{name}`: {sources(cases)}.", ""]
            parts += [f"{summary(outcomes)}.", ""]
            parts += [_markdown_table(rows), ""]
            if left_out:
                parts += [
                    f"Left out of the rates ({len(left_out)}), each for the reason the fixture gives:",
                    "",
                ]
                parts += sorted(
                    {f"- {c['excluded']} ({_left_out_counted(left_out, c['excluded'])})" for c in left_out}
                )
                parts.append("")
            parts += _list("Counts labelled exact that are wrong", wrong)
            parts += _list("Requests tokencmp refused", refused)
        else:
            parts += [f"{path}: {summary(outcomes)}", _plain_table(rows)]
            parts += [f"left out: {c['id']}: {c['excluded']}" for c in left_out]
            parts += sorted({f"left out, {_left_out_counted(left_out, c['excluded'])}" for c in left_out})
            parts += [f"wrong exact label: {w}" for w in wrong] + [f"refused: {r}" for r in refused] + [""]
    return "\n".join(parts).rstrip() + "\n"


def _left_out_counted(cases: Sequence[dict[str, Any]], reason: str) -> str:
    """The cases left out for ``reason``, counted all the same: how many are estimates, inside."""
    counted = [measure_case(c) for c in cases if c["excluded"] == reason]
    estimates = sum(not o.labelled_exact for o in counted)
    inside = sum(o.inside for o in counted)
    return (
        f"{len(counted)} calls; counted all the same: {estimates} estimated, {inside} with the API's "
        f"count inside [low, high]"
    )


def _list(title: str, items: Sequence[str]) -> list[str]:
    if not items:
        return [f"{title}: none.", ""]
    return [f"{title} ({len(items)}):", "", *(f"- {i}" for i in items), ""]


_TITLES = {
    "recorded_calls.json": "The fitting set",
    "recorded_calls_independent.json": "The independent set",
}

_HEADER = """# Recorded traffic

How often `count_request` gives the count the API reported, on real OpenAI API calls
replayed from VCR cassettes (recordings of live traffic) in public test suites. Each call
is kept with its repository, cassette, interaction, licence and date in
`tests/data/recorded_calls.json` (the fitting set: the counting rules are fitted on it)
and `tests/data/recorded_calls_independent.json` (recordings from Arize-ai/openinference,
open-telemetry/opentelemetry-python-contrib and pydantic/logfire, kept apart to check that
the rules generalise; pamelafox/openai-messages-token-helper, also kept apart, has no
cassettes). The projects' licences are noted in each fixture.
`python -m tokencmp.maintain.cassettes` adds recordings, with the checks that a recording
is genuine ([the script's help](../tokencmp/maintain/cassettes.py)).

A count is exact when its total equals the API's `prompt_tokens` (Chat Completions) or
`input_tokens` (Responses); "inside" is the observed count within the count's `[low, high]`
(its total, for a count without bounds). A call belongs to every category it shows, so the rows
overlap; `all` counts each call once. "cookbook" is the OpenAI cookbook's formula on the
same calls (`How_to_count_tokens_with_tiktoken.ipynb`, section 6 for messages and 7 for
tools, with a Responses body read as its instructions and input messages): it counts no
response format, images or tool-call history, and a call it cannot count is not exact.
`tests/test_recorded_calls.py` fails when the rates fall below the floor it records.

This page is generated; after a change to the counting rules regenerate it with

    python -m tokencmp.maintain.recorded_report --markdown > docs/recorded-traffic.md
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tokencmp.maintain.recorded_report",
        description="Count every recorded API call of the fixtures and report the exact rates "
        "by category and API, next to the OpenAI cookbook formula's.",
    )
    parser.add_argument("fixtures", nargs="*", default=list(FIXTURES), help="fixture files (default: both)")
    parser.add_argument("--markdown", action="store_true", help="print docs/recorded-traffic.md")
    args = parser.parse_args(argv)
    missing = [p for p in args.fixtures if not Path(p).is_file()]
    if missing:
        parser.error(f"no fixture at {', '.join(missing)}; run from the source checkout's root")
    sys.stdout.write(report(args.fixtures, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
