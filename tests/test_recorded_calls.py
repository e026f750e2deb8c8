"""count_request on recorded API traffic: real OpenAI calls replayed from VCR cassettes.

The fixtures (tests/data/recorded_calls*.json) hold the request as sent and the count the
API reported, each named by its repository, cassette and interaction. The targets are
issue 15's; the floor is what the rule refits reached (see docs/recorded-traffic.md), so a
change that loses exact counts fails here. Run with
``pytest -s`` to see the table by category and API.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tokencmp.maintain import cassettes, recorded_report
from tokencmp.maintain.categories import categorise
from tokencmp.maintain.cookbook_baseline import cookbook_count
from tokencmp.maintain.recorded_report import Rates, measure, measure_case, rates_by, report, table
from tokencmp.maintain.vcr import Rejected, load_cassette, read_interaction

from .chat_examples import JARGON, WEATHER_MESSAGES, WEATHER_TOOLS

DATA = Path(__file__).parent / "data"
CASSETTES = DATA / "cassettes"
MAIN = DATA / "recorded_calls.json"
INDEPENDENT = DATA / "recorded_calls_independent.json"
DOCS = Path(__file__).parent.parent / "docs" / "recorded-traffic.md"

# Issue 15's targets, on each fixture (excluded cases left out, each with its reason).
TARGET_EXACT = 0.95
TARGET_WRONG_EXACT = 0
TARGET_INSIDE = 0.97


@dataclass(frozen=True)
class Floor:
    """What a fixture must keep: exact rates (overall, Chat, Responses), inside-bounds rate, and
    at most this many counts labelled exact that are wrong."""

    exact: float
    chat: float
    responses: float
    inside: float
    wrong_exact: int


# Measured after the rule refits of issue 15 (docs/recorded-traffic.md): main fixture 247 of 280
# exact (Chat 134/145, Responses 113/135), 0 wrong exact labels, all 280 inside [low, high], with
# 24 left out (8 of the launch month, 16 whose count depends on encrypted reasoning); independent
# set 25 of 29 (Chat 14/15, Responses 11/14), 0 wrong, 29 inside. Rates truncated to 3 decimals,
# so one exact count lost fails. (Before the refits: 85 of 296 with 8 wrong labels; independent
# 19 of 29. Before the reasoning exclusions and the image-part rule: 240 of 296.)
CURRENT_FLOOR = {
    MAIN.name: Floor(exact=0.882, chat=0.924, responses=0.837, inside=1.0, wrong_exact=0),
    INDEPENDENT.name: Floor(exact=0.862, chat=0.933, responses=0.785, inside=1.0, wrong_exact=0),
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def plain_table(outcomes: list[recorded_report.Outcome]) -> str:
    return "\n".join("  ".join(f"{c:<22}" for c in row) for row in table(outcomes))


def failures(outcomes: list[recorded_report.Outcome], floor: Floor) -> list[str]:
    total = Rates.of(outcomes)
    chat, responses = rates_by(outcomes, "chat"), rates_by(outcomes, "responses")
    out = []
    for name, got, want in (
        ("exact", total.exact_rate, floor.exact),
        ("exact on Chat", chat.exact_rate, floor.chat),
        ("exact on Responses", responses.exact_rate, floor.responses),
        ("inside [low, high]", total.inside_rate, floor.inside),
    ):
        if got < want:
            out.append(f"{name}: {got:.1%} < {want:.0%}")
    if total.wrong_exact > floor.wrong_exact:
        out.append(f"wrong exact labels: {total.wrong_exact} > {floor.wrong_exact}")
    return out


@pytest.mark.parametrize("path", [MAIN, INDEPENDENT], ids=["main", "independent"])
def test_rates_hold_the_floor(path: Path) -> None:
    outcomes, _ = measure(load(path)["cases"])
    assert outcomes, f"{path.name} has no cases"
    shown = plain_table(outcomes)
    print(f"\n{path.name}: {recorded_report.summary(outcomes)}\n{shown}")
    assert not failures(outcomes, CURRENT_FLOOR[path.name]), "\n".join(
        [*failures(outcomes, CURRENT_FLOOR[path.name]), shown]
    )


@pytest.mark.xfail(
    strict=True,
    reason="issue 15's targets: 0 wrong labels and the bounds are met; 95% exact is not (88% on the main "
    "fixture: a $ref schema, context_management, the input_tokens endpoint and singles stay estimates; "
    "docs/chat.md)",
)
@pytest.mark.parametrize("path", [MAIN, INDEPENDENT], ids=["main", "independent"])
def test_rates_meet_issue_15_targets(path: Path) -> None:
    outcomes, _ = measure(load(path)["cases"])
    target = Floor(TARGET_EXACT, 0.0, 0.0, TARGET_INSIDE, TARGET_WRONG_EXACT)
    assert not failures(outcomes, target), "\n".join([*failures(outcomes, target), plain_table(outcomes)])


# --- the fixtures -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [MAIN, INDEPENDENT], ids=["main", "independent"])
def test_every_case_has_its_provenance(path: Path) -> None:
    data = load(path)
    assert data["about"] and data["count"] == len(data["cases"])
    ids = [c["id"] for c in data["cases"]]
    assert len(set(ids)) == len(ids)
    # a body twice only with two counts: test_responses_tool_calls.yaml's two recordings of one
    # request, 58 on 2025-06-28 and 59 on 2026-03-31
    keys = {cassettes.case_key(c) for c in data["cases"]}
    assert len(keys) == len(ids), "a body twice with one count: the script dedupes those"
    for case in data["cases"]:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", case["repository"])
        assert case["cassette"].endswith((".yaml", ".yml", ".json")) and isinstance(case["interaction"], int)
        assert data["licences"][case["repository"]].startswith(case["licence"])
        assert case["date"] is None or re.fullmatch(r"20\d\d-\d\d-\d\d", case["date"])
        assert case["api"] in ("chat", "responses", "input_tokens")
        want = "prompt_tokens" if case["api"] == "chat" else "input_tokens"
        assert case["observed_field"] == want and case["observed"] > 0
        assert case["categories"] == categorise(case["api"], case["body"])
        for size in (case.get("image_sizes") or {}).values():
            assert len(size) == 2 and min(size) > 0


def test_the_independent_repositories_stay_apart() -> None:
    def repos(data: dict[str, Any]) -> set[str]:
        found = {c["repository"] for c in data["cases"]}
        return found | {a["repository"] for c in data["cases"] for a in c.get("also_in", [])}

    assert not repos(load(MAIN)) & cassettes.INDEPENDENT_REPOS
    assert repos(load(INDEPENDENT)) <= cassettes.INDEPENDENT_REPOS


LAUNCH_MONTH = "the API's launch month"
HIDDEN_REASONING = "state tokencmp cannot see"
# Recordings of one visible request (ids and encrypted reasoning aside) that the API counted apart:
# pydantic-ai's multimodal tool return matrix (2026-02-09) and openai-responses phase tests.
SAME_VISIBLE_REQUEST = {
    ("ext-025", "ext-027"): (276, 316),
    ("ext-032", "ext-034"): (236, 239),
    ("ext-128", "ext-130"): (150, 147),
}


def visible(body: Any) -> Any:
    """A request with what tokencmp cannot see or the API does not render taken out: item and call
    ids, encrypted reasoning, streaming, and image URLs (those of one pair name one image)."""
    if isinstance(body, dict):
        drop = {"id", "call_id", "encrypted_content", "stream", "stream_options", "image_url"}
        return {k: visible(v) for k, v in body.items() if k not in drop}
    if isinstance(body, list):
        return [visible(v) for v in body]
    return body


def current_turn_reasoning(body: dict[str, Any]) -> bool:
    items = body.get("input") or []
    users = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get("role") == "user"]
    last_user = users[-1] if users else -1
    return any(
        isinstance(item, dict)
        and item.get("type") == "reasoning"
        and item.get("encrypted_content")
        and i > last_user
        for i, item in enumerate(items)
    )


@pytest.mark.parametrize("path", [MAIN, INDEPENDENT], ids=["main", "independent"])
def test_left_out_only_the_launch_month_calls_and_hidden_reasoning(path: Path) -> None:
    # The Responses API launched on 2025-03-11 (OpenAI's announcement); issue 15: its calls of
    # that month run +54 to +226 over later recordings. The other class: calls whose count
    # depends on encrypted reasoning, shown by the pairs above. Nothing else is left out.
    cases = load(path)["cases"]
    excluded = {c["id"] for c in cases if c.get("excluded")}
    launch = {c["id"] for c in cases if c["api"] == "responses" and (c["date"] or "").startswith("2025-03")}
    hidden = {c["id"] for c in cases if HIDDEN_REASONING in (c.get("excluded") or "")}
    assert excluded == launch | hidden and not launch & hidden
    for c in cases:
        if c["id"] in launch:
            assert LAUNCH_MONTH in c["excluded"]
        elif c["id"] in hidden:
            assert c["api"] == "responses" and "reasoning_items" in c["categories"]
            paired = [pair for pair in SAME_VISIBLE_REQUEST if c["id"][:7] in pair]
            assert current_turn_reasoning(c["body"]) or paired, c["id"]
            o = measure_case(c)  # still counted: an estimate whose bounds hold the API's count
            assert not o.labelled_exact and o.inside, c["id"]


def test_the_pairs_are_one_visible_request_counted_apart() -> None:
    by_prefix = {c["id"][:7]: c for c in load(MAIN)["cases"]}
    for (a, b), observed in SAME_VISIBLE_REQUEST.items():
        ca, cb = by_prefix[a], by_prefix[b]
        assert (ca["observed"], cb["observed"]) == observed
        assert visible(ca["body"]) == visible(cb["body"]) and ca["model"] == cb["model"]
        assert sorted((ca.get("image_sizes") or {}).values()) == sorted(
            (cb.get("image_sizes") or {}).values()
        )
        assert a in cb["excluded"] and b in ca["excluded"]


def test_hidden_reasoning_tracks_the_encrypted_length() -> None:
    # The exclusion's second showing: on the calls with a current-turn reasoning item, the tokens
    # beyond tokencmp's count of the visible request grow with the encrypted content's length.
    import statistics

    xs, ys = [], []
    for c in load(MAIN)["cases"]:
        if HIDDEN_REASONING in (c.get("excluded") or "") and current_turn_reasoning(c["body"]):
            count = measure_case(c)
            shown = (count.total or 0) - _reasoning_part(c)
            xs.append(
                sum(len(i.get("encrypted_content") or "") for i in c["body"]["input"] if isinstance(i, dict))
            )
            ys.append(c["observed"] - shown)
    assert len(xs) == 14
    assert statistics.correlation(xs, ys) > 0.99


def _reasoning_part(case: dict[str, Any]) -> int:
    from tokencmp import count_request

    sizes = {u: (w, h) for u, (w, h) in (case.get("image_sizes") or {}).items()}
    count = count_request(case["body"], model=case["model"], image_sizes=sizes)
    reasoning: int = count.breakdown.reasoning
    return reasoning


# --- the maintainer script's checks --------------------------------------------------------


@pytest.mark.parametrize(
    ("cassette", "reason"),
    [
        ("fake_id.yaml", "response id 'chatcmpl-123' is not a real one"),
        ("edited_body.yaml", "not the recorded content-length 86"),
        ("no_openai_headers.yaml", "no OpenAI response headers"),
        ("previous_response_id.yaml", "server-side state: previous_response_id"),
        ("stream_without_usage.yaml", "a stream recorded without usage"),
        ("built_in_tool.json", "built-in tool (web_search_preview)"),
    ],
)
def test_the_checks_refuse(cassette: str, reason: str) -> None:
    (interaction,) = load_cassette(CASSETTES / cassette)
    with pytest.raises(Rejected, match=re.escape(reason)):
        read_interaction(interaction)


def test_a_genuine_recording_is_read() -> None:
    # pydantic-ai's test_user_id.yaml: prompt_tokens 8, created 1743073372 = 2025-03-27 UTC
    (interaction,) = load_cassette(CASSETTES / "genuine_chat.yaml")
    r = read_interaction(interaction)
    assert (r.api, r.model, r.observed, r.observed_field) == ("chat", "gpt-4o", 8, "prompt_tokens")
    assert r.date == "2025-03-27" and r.content_length_checked and r.response_model == "gpt-4o-2024-08-06"
    assert r.body["messages"] == [{"content": "hello", "role": "user"}]


def test_a_stream_with_usage_is_read() -> None:
    (interaction,) = load_cassette(CASSETTES / "stream_with_usage.yaml")
    r = read_interaction(interaction)
    assert (r.api, r.observed, r.date) == ("chat", 8, "2025-08-05")  # 1754400000 = 2025-08-05 13:20 UTC


def test_a_data_url_image_becomes_a_placeholder_with_its_size() -> None:
    # A PNG's size is in its IHDR chunk: width 3, height 2 written here by hand.
    import base64
    import struct

    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sIIBBBBB", 13, b"IHDR", 3, 2, 8, 2, 0, 0, 0) + b"\0" * 4
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    (interaction,) = load_cassette(CASSETTES / "genuine_chat.yaml")
    interaction["request"]["headers"].pop("content-length")
    part = {"type": "image_url", "image_url": {"url": url}}
    interaction["request"]["parsed_body"]["messages"][0]["content"] = [part]
    r = read_interaction(interaction)
    (placeholder,) = r.image_sizes
    assert placeholder.startswith("https://placeholder.invalid/") and r.image_sizes[placeholder] == [3, 2]
    assert r.body["messages"][0]["content"][0]["image_url"]["url"] == placeholder
    assert not r.content_length_checked
    part["image_url"]["url"] = "https://example.com/cat.png"
    with pytest.raises(Rejected, match="--image-size"):
        read_interaction(interaction)


def test_the_script_adds_once_with_provenance(tmp_path: Path) -> None:
    fixture = tmp_path / "f.json"
    fixture.write_text(json.dumps({"about": "x", "licences": {}, "count": 0, "cases": []}))
    argv = [
        "--repository",
        "example/x",
        "--licence",
        "MIT",
        "--root",
        str(CASSETTES),
        "--fixture",
        str(fixture),
    ]
    files = [
        str(CASSETTES / name) for name in ("genuine_chat.yaml", "fake_id.yaml", "stream_with_usage.yaml")
    ]
    assert cassettes.main([*argv, *files]) == 0
    (first, second) = load(fixture)["cases"]
    assert (first["cassette"], first["interaction"], first["licence"]) == ("genuine_chat.yaml", 0, "MIT")
    assert first["added_by_script"] and first["categories"] == ["messages_only"]
    assert second["body"]["stream"] is True
    # the same recordings again, one under another name: nothing added, the other place noted
    copy = tmp_path / "copy.yaml"
    copy.write_text((CASSETTES / "genuine_chat.yaml").read_text())
    assert cassettes.main([*argv[:4], "--root", str(tmp_path), "--fixture", str(fixture), str(copy)]) == 0
    data = load(fixture)
    assert data["count"] == 2
    assert data["cases"][0]["also_in"] == [
        {"repository": "example/x", "cassette": "copy.yaml", "interaction": 0}
    ]


def test_the_script_keeps_the_independent_repositories_apart(tmp_path: Path) -> None:
    base = [
        "--licence",
        "Apache-2.0",
        "--fixture",
        str(tmp_path / "f.json"),
        str(CASSETTES / "genuine_chat.yaml"),
    ]
    with pytest.raises(SystemExit):
        cassettes.main(["--repository", "Arize-ai/openinference", *base])
    with pytest.raises(SystemExit):
        cassettes.main(["--repository", "example/x", "--independent", *base])


# --- the measurement -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "expected"),
    # cookbook section 6: 129 on gpt-3.5-turbo and gpt-4, 124 on gpt-4o (o200k_base)
    [("gpt-3.5-turbo", 129), ("gpt-4", 129), ("gpt-4o", 124), ("gpt-4o-mini", 124)],
)
def test_the_baseline_is_the_cookbook_on_its_own_example(model: str, expected: int) -> None:
    assert cookbook_count({"messages": JARGON}, "chat", model) == expected


@pytest.mark.parametrize(("model", "expected"), [("gpt-3.5-turbo", 105), ("gpt-4o", 101)])
def test_the_baseline_tool_formula_is_the_cookbooks(model: str, expected: int) -> None:
    # cookbook section 7: 105 on gpt-3.5-turbo and gpt-4, 101 on gpt-4o and gpt-4o-mini
    body = {"messages": WEATHER_MESSAGES, "tools": WEATHER_TOOLS}
    assert cookbook_count(body, "chat", model) == expected
    # the same definitions as a Responses body: instructions + input, flat tools
    responses = {
        "instructions": WEATHER_MESSAGES[0]["content"],
        "input": [WEATHER_MESSAGES[1]],
        "tools": [{"type": "function", **t["function"]} for t in WEATHER_TOOLS],
    }
    assert cookbook_count(responses, "responses", model) == expected


def test_the_baseline_declines_what_the_cookbook_cannot_count() -> None:
    call = {"role": "assistant", "content": None, "tool_calls": []}
    assert cookbook_count({"messages": [call]}, "chat", "gpt-4o") is None
    no_description = [{"type": "function", "function": {"name": "f", "parameters": {"properties": {}}}}]
    assert cookbook_count({"messages": JARGON, "tools": no_description}, "chat", "gpt-4o") is None


def test_bounds_are_read_where_the_count_has_them(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass
    class Bounded:
        total: int
        exact: bool
        low: int
        high: int

    case = {"id": "x", "api": "chat", "model": "gpt-4o", "observed": 10, "categories": ["messages_only"]}
    case["body"] = {"messages": [{"role": "user", "content": "Hello!"}]}
    monkeypatch.setattr(recorded_report, "count_request", lambda *a, **k: Bounded(9, False, 8, 11))
    o = measure_case(case)
    assert (o.exact, o.inside, o.wrong_exact) == (False, True, False)
    monkeypatch.setattr(recorded_report, "count_request", lambda *a, **k: Bounded(9, True, 9, 9))
    o = measure_case(case)
    assert (o.inside, o.wrong_exact) == (False, True)


def test_the_docs_show_todays_rates() -> None:
    want = report([MAIN, INDEPENDENT], markdown=True)
    assert DOCS.read_text("utf-8") == want, (
        "docs/recorded-traffic.md is out of date: python -m tokencmp.maintain.recorded_report --markdown "
        "> docs/recorded-traffic.md"
    )
