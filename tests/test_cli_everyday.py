"""Issue 16 through the command line: image sizes and whole files, money from Python, the everyday jobs.

Each run is ``tokencmp.cli.main`` in this process (stdout and stderr captured), as a user would
type it.
"""

from __future__ import annotations

import io
import json
import sys

import pytest

from tokencmp.cli import main


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- point 8: image sizes, --detail, whole files -------------------------------------------------


def test_image_takes_a_size_on_the_command_line(capsys) -> None:
    code, out, _ = cli(capsys, "image", "1920x1080", "-m", "gpt-4o", "-d", "high", "--format", "json")
    assert code == 0
    [image] = json.loads(out)["images"]
    # OpenAI vision guide, "Calculating costs" (tile method): 1920x1080 fits 2048x2048; the shortest
    # side scaled to 768 gives 1365x768, ceil(1365/512) x ceil(768/512) = 3 x 2 = 6 tiles;
    # 85 + 170 x 6 = 1105 tokens.
    assert (image["name"], image["width"], image["height"]) == ("1920x1080", 1920, 1080)
    assert image["counts"][0]["tokens"] == 1105
    code, out, _ = cli(capsys, "image", "1920X1080", "-m", "gpt-4o", "-d", "low", "--format", "json")
    # low detail: 85 tokens flat (same guide)
    assert json.loads(out)["images"][0]["counts"][0]["tokens"] == 85


def test_a_size_of_zero_is_an_error(capsys) -> None:
    code, out, err = cli(capsys, "image", "0x10")
    assert code == 1 and out == "" and "0x10" in err and "at least 1 pixel" in err


def test_detail_a_model_does_not_take_is_refused_with_the_levels_it_takes(capsys) -> None:
    code, out, err = cli(capsys, "image", "800x600", "-m", "gpt-4o", "-d", "original")
    assert code == 1 and out == ""
    assert err == ("tokencmp image: error: gpt-4o does not accept detail 'original'; "
                   "it takes low, high, auto.\n")


def test_detail_counted_like_another_level_says_so_once(capsys) -> None:
    # On the patch models low is counted like high (catalog image_rules, community measurements):
    # the table must not pass that by silently.
    code, out, err = cli(capsys, "image", "800x600", "1024x1024", "-m", "o4-mini", "-d", "low")
    assert code == 0 and out.count("o4-mini") == 2
    like_high = [line for line in err.splitlines() if "'low' is counted like 'high'" in line]
    assert like_high and len(like_high) == 1 and like_high[0].startswith("tokencmp image: note: o4-mini: ")


def test_a_truncated_image_file_is_an_error(capsys, tmp_path) -> None:
    pil = pytest.importorskip("PIL.Image")
    whole = tmp_path / "whole.png"
    pil.new("RGB", (1920, 1080)).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:100])  # the header (and size) intact, the rest gone
    code, out, err = cli(capsys, "image", str(whole), str(cut), "-m", "gpt-4o", "--format", "json")
    assert code == 1
    assert [i["name"] for i in json.loads(out)["images"]] == [str(whole)]
    assert err == f"tokencmp image: error: {cut} is truncated: a PNG ends with its IEND chunk.\n"
    for fmt, ext in (("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")):
        path = tmp_path / f"a.{ext}"
        pil.new("RGB", (64, 64), "red").save(path, fmt)
        assert cli(capsys, "image", str(path), "--format", "json")[0] == 0, fmt
        path.write_bytes(path.read_bytes()[:-2])
        code, _, err = cli(capsys, "image", str(path), "--format", "json")
        assert code == 1 and "is truncated" in err, fmt


def test_a_truncated_image_on_standard_input_is_an_error(capsys, monkeypatch) -> None:
    gif = b"GIF89a\x02\x00\x01\x00" + bytes(8)  # a 2x1 GIF header without the trailer (GIF89a section 27)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gif)))
    code, _, err = cli(capsys, "image", "-")
    assert code == 1 and "truncated" in err


# --- point 1: tables that fit the terminal -------------------------------------------------------

IMAGE_REQUEST = {"model": "gpt-4o", "max_completion_tokens": 500, "messages": [
    {"role": "system", "content": "You describe images."},
    {"role": "user", "content": [{"type": "text", "text": "What is in this picture?"},
                                 {"type": "image_url", "image_url": {"url": "https://example.com/cat.png",
                                                                     "detail": "high"}}]}]}
TOOLS_REQUEST = {"model": "gpt-4o", "messages": [
    {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Write a haiku about the sea."}],
    "tools": [{"type": "function", "function": {"name": "f", "description": "F.", "parameters": {
        "type": "object", "properties": {"x": {"type": "string"}}}}}]}


def at_width(columns: int, cwd, *args: str) -> tuple[int, str]:
    """Run ``python -m tokencmp ARGS`` on a pseudo-terminal ``columns`` wide; (exit code, what it wrote)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from .helpers import ROOT

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "tokencmp", *args], stdout=slave, stderr=slave,
                            stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=120), out.decode().replace("\r\n", "\n")


@pytest.fixture(scope="module")
def bodies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bodies")
    (folder / "image.json").write_text(json.dumps(IMAGE_REQUEST))
    (folder / "tools.json").write_text(json.dumps(TOOLS_REQUEST))
    (folder / "a.txt").write_text("hello world")
    return folder


TABLES = [
    ("compare", "--corpus"), ("request", "image.json"), ("models",), ("cost", "tools.json"),
    ("check", "tools.json"), ("image", "1920x1080", "-m", "gpt-4o", "-m", "o4-mini"),
    ("count", "a.txt", "a.txt"), ("compare", "a.txt", "--by-script", "-m", "gpt-4o"),
]


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", TABLES, ids=[" ".join(a) for a in TABLES])
def test_default_tables_fit_the_terminal_without_breaking_a_header(bodies, columns, args) -> None:
    code, out = at_width(columns, bodies, *args)
    assert code == 0, out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns, out
    # A table, not the stacked fallback: a rule of dashes under the header, and every word of
    # the header lines is whole (no "chars/toke" / "n o200k" as in issue 16).
    rule = next(i for i, line in enumerate(lines) if set(line.replace(" ", "")) == {"-"})
    assert rule >= 1, out
    words = {w for line in lines[:rule] for w in line.split()}
    assert not any(w in ("toke", "n", "o200", "cl100", "$/1", "outpu") for w in words), out


def test_piped_tables_are_not_fitted(capsys) -> None:
    # Not a terminal: one line per row and header whatever the width, for scripts and diffs.
    code, out, _ = cli(capsys, "compare", "--corpus", "--wide")
    header = out.splitlines()[0]
    assert code == 0 and "chars/token o200k" in header and len(header) > 120
    assert set(out.splitlines()[1].replace(" ", "")) == {"-"}


# --- point 2: one reading of request bodies ---------------------------------------------------------


@pytest.mark.parametrize("command", ["cost", "check", "request"])
def test_what_is_not_a_request_is_refused_by_every_command(capsys, tmp_path, command) -> None:
    cases = {
        "bad.json": ('{"model": "gpt-4o"', "bad.json: not valid JSON (line 1, column 19"),
        "nomsg.json": ('{"foo": 1}', "nomsg.json: expected a request body: a JSON object with 'messages'"),
        "list.json": ("[1, 2]", "list.json: expected a request body"),
        "response.json": (json.dumps({"object": "chat.completion", "model": "gpt-4o",
                                      "usage": {"prompt_tokens": 10, "completion_tokens": 2}}),
                          "response.json: this is an API response, not a request body; price a finished "
                          "call with 'tokencmp cost --usage FILE'."),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        code, out, err = cli(capsys, command, str(tmp_path / name))
        assert (code, out) == (1, ""), (command, name)
        assert err.startswith(f"tokencmp {command}: error: {tmp_path / name}")
        assert message.split(": ", 1)[1] in err


@pytest.mark.parametrize("command", ["cost", "check", "request"])
def test_standard_input_needs_no_dash(capsys, monkeypatch, command) -> None:
    body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hello world"}]})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    model = ["-m", "gpt-4o"] if command == "cost" else []
    code, out, err = cli(capsys, command, "--format", "json", *model)
    assert code == 0, err
    data = json.loads(out)
    row = data[0] if isinstance(data, list) else data
    # OpenAI cookbook (How to count tokens with tiktoken): 3 per message + 1 for the role "user"
    # + 2 for "hello world" + 3 reply priming = 9 on gpt-4o.
    assert row.get("prompt_tokens", row.get("total")) == 9


def test_cost_of_text_given_on_the_command_line(capsys) -> None:
    code, out, _ = cli(capsys, "cost", "-t", "hello world", "-m", "gpt-4o", "--format", "json")
    assert code == 0 and json.loads(out)[0]["prompt_tokens"] == 9  # one user message (as above)


# --- points 3 and 4: exactness, output bound, money, sorting ----------------------------------------


def test_cost_footer_states_the_output_bound_and_exactness_once(capsys, tmp_path) -> None:
    path = tmp_path / "image.json"
    path.write_text(json.dumps(IMAGE_REQUEST))
    code, out, _ = cli(capsys, "cost", str(path), "-m", "gpt-4o", "-m", "gpt-4.1")
    assert code == 0
    assert "Output: up to 500 tokens, the request's max tokens" in out  # its max_completion_tokens
    assert "≈ marks an estimate" in out
    reasons = [line for line in out.splitlines() if "unknown (never fetched)" in line]
    assert len(reasons) == 1 and reasons[0].lstrip().startswith("every model:")  # once, not per model
    assert "image_sizes=" not in out and "'tokencmp request --image-size URL=WxH'" in out
    code, out, _ = cli(capsys, "cost", "-t", "hello world", "-m", "gpt-4o", "--output-tokens", "10")
    assert "Prompt tokens: exact on every model." in out
    assert "Output: 10 tokens, as given by --output-tokens." in out
    assert "up to" not in out.splitlines()[0]  # a known output: one figure, headed "total $"


def test_money_is_rounded_for_people_and_exact_for_scripts(capsys) -> None:
    # gpt-4o input $2.50 per 1M (OpenAI pricing page): 1,234 tokens cost $0.003085 exactly,
    # 0.00309 to 3 significant digits.
    args = ("cost", "--input-tokens", "1234", "--output-tokens", "0", "-m", "gpt-4o")
    _, table, _ = cli(capsys, *args)
    assert table.splitlines()[2].split()[:3] == ["gpt-4o", "1,234", "0.00309"]
    _, csv_out, _ = cli(capsys, *args, "--format", "csv")
    header, row = csv_out.splitlines()[:2]
    assert row.split(",")[header.split(",").index("prompt_cost")] == "0.003085"
    _, js, _ = cli(capsys, *args, "--format", "json")
    assert json.loads(js)[0]["prompt_cost"] == "0.003085"


def test_cost_rows_are_sorted_by_a_shown_column(capsys) -> None:
    models = ("-m", "gpt-4o", "-m", "gpt-4o-mini", "-m", "gpt-4.1", "-m", "o3")
    _, out, _ = cli(capsys, "cost", "--input-tokens", "1000", *models, "--format", "csv")
    rows = out.splitlines()
    header = rows[0].split(",")
    totals = [float(r.split(",")[header.index("total_max")]) for r in rows[1:]]
    assert totals == sorted(totals)  # by "total up to $", the column the table shows
    _, out, _ = cli(capsys, "cost", "--input-tokens", "1000", *models, "--sort", "model", "--format", "csv")
    assert [r.split(",")[0] for r in out.splitlines()[1:]] == ["gpt-4.1", "gpt-4o", "gpt-4o-mini", "o3"]
    code, _, err = cli_exit(capsys, "cost", "--input-tokens", "1", "--sort", "price")
    assert code == 2 and "--sort" in err


def cli_exit(capsys, *args: str) -> tuple[int, str, str]:
    """Like :func:`cli`, for a usage error (argparse exits 2)."""
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


# --- point 10: the everyday jobs --------------------------------------------------------------------


def test_cost_of_a_token_count(capsys) -> None:
    code, out, _ = cli(capsys, "cost", "--input-tokens", "1000", "--output-tokens", "100", "-m", "gpt-4o",
                       "--format", "json")
    # OpenAI pricing, gpt-4o: $2.50 input, $10 output per 1M: 1,000 x 2.5 + 100 x 10 = 3,500 per 1M.
    assert code == 0 and json.loads(out)[0]["total_min"] == "0.0035"


def test_cost_of_a_finished_call(capsys, tmp_path, monkeypatch) -> None:
    response = {"object": "chat.completion", "model": "o3", "service_tier": "flex",
                "usage": {"prompt_tokens": 1000, "completion_tokens": 100}}
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    code, out, _ = cli(capsys, "cost", "--usage", str(path), "--format", "json")
    # OpenAI pricing, flex tier: o3 $1.00 input, $4.00 output per 1M: 1,000 x 1 + 100 x 4 = 1,400 per 1M.
    data = json.loads(out)
    assert code == 0 and (data["tier"], data["total"]) == ("flex", "0.0014")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(response["usage"]).encode())))
    code, out, _ = cli(capsys, "cost", "--usage", "-", "-m", "gpt-4o", "--format", "json")
    assert code == 0 and json.loads(out)["total"] == "0.0035"  # as test_cost_of_a_token_count
    code, _, err = cli(capsys, "cost", "--usage", "-", "--input-tokens", "3")
    assert code == 1 and "give one of FILE, --text TEXT, --input-tokens N or --usage FILE" in err


# --- point 5: errors name options of their own command ---------------------------------------------


def _options(command: str) -> set[str]:
    from tokencmp.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices[command]._option_string_actions)  # type: ignore[union-attr]


ERROR_CASES = {
    "count": [["bad.txt"], ["-e", "nope", "a.txt"], ["missing.txt"]],
    "compare": [["bad.txt"], ["--corpus", "--reference", "xx"], ["a.txt", "--encodings", "nope"]],
    "request": [["bad.txt"], ["image.json", "--strict-images"], ["nomsg.json"]],
    "cost": [["bad.txt"], ["response.json"], ["tools.json", "-m", "gpt-4o", "--tier", "flex"],
             ["image.json", "-m", "gpt-4o"]],
    "check": [["tools.json", "--max-cost", "0.00001"], ["big.json", "-m", "gpt-4o"], ["bad.txt"],
              ["tools.json", "-m", "gpt-oss-120b", "--max-cost", "1"]],
    "image": [["https://example.com/a.png"], ["0x0"], ["bad.txt"]],
}


@pytest.mark.parametrize("command", list(ERROR_CASES))
def test_every_option_an_error_mentions_is_one_of_its_command(capsys, bodies, command) -> None:
    import re

    (bodies / "bad.txt").write_bytes(b"ok \xff")
    (bodies / "nomsg.json").write_text("{}")
    (bodies / "response.json").write_text(json.dumps({"object": "response", "usage": {}}))
    (bodies / "big.json").write_text(json.dumps({"model": "gpt-4o", "max_completion_tokens": 200_000,
                                                 "messages": [{"role": "user", "content": "hi"}]}))
    options = _options(command)
    said = []
    for args in ERROR_CASES[command]:
        argv = [command, *[str(bodies / a) if (bodies / a).exists() else a for a in args]]
        main(argv)
        out, err = capsys.readouterr()
        said.append(err + (out if command in ("cost", "request", "check") else ""))
        assert said[-1], argv  # each case does say something
    text = "\n".join(said)
    named = re.findall(r"'tokencmp (\w+) ([^']*)'", text)  # another command's options, quoted with it
    for other, rest in named:
        assert set(re.findall(r"--[a-z][a-z-]+", rest)) <= _options(other), (other, rest)
    bare = re.sub(r"'tokencmp \w+ [^']*'", "", text)
    assert set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", bare)) <= options, text
    assert not re.search(r"\b(reference|sizes|image_sizes|reserve_output|errors|model|tier)=", bare), text
    assert "tokencmp.fit_messages" not in text and "load_catalog" not in text, text


def test_encodings_take_the_short_names_tables_print(capsys, bodies) -> None:
    code, out, _ = cli(capsys, "compare", str(bodies / "a.txt"), "--encodings", "o200k,cl100k",
                       "--format", "json")
    assert code == 0 and json.loads(out)["encodings"] == ["o200k_base", "cl100k_base"]
    code, out, _ = cli(capsys, "count", str(bodies / "a.txt"), "-e", "cl100k", "-n")
    assert (code, out) == (0, "2\n")  # "hello world": 2 tokens under cl100k_base too (cookbook example)


def test_a_tier_a_model_lacks_says_which_tiers_it_has(capsys, bodies) -> None:
    # The catalog's gpt-4o prices (OpenAI pricing page): standard, batch and priority; no flex row.
    code, _, err = cli(capsys, "cost", str(bodies / "tools.json"), "-m", "gpt-4o", "--tier", "flex")
    assert code == 0
    assert "No flex price for gpt-4o in the catalog (tiers with prices: standard, batch, priority)" in err
    assert "has no price in the catalog" not in err


# --- point 9: Python inputs that lose nothing ----------------------------------------------------------


def test_money_accepts_str_int_decimal_and_float() -> None:
    from decimal import Decimal

    import tokencmp

    assert [tokencmp.parse_usd(v, "x") for v in ("0.1", 1, Decimal("0.1"), 0.1)] == [
        Decimal("0.1"), Decimal(1), Decimal("0.1"), Decimal("0.1")]  # 0.1 through repr(0.1) == "0.1"
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": 10}
    assert tokencmp.check_budget(body, max_cost=0.001).budget == Decimal("0.001")


def test_estimate_cost_of_a_string_prices_it_as_text() -> None:
    import tokencmp

    est = tokencmp.estimate_cost("hello world", model="gpt-4o", output_tokens=0)
    assert est.prompt_tokens == 9  # one user message (the cookbook formula, above)
    assert est.prompt_tokens == tokencmp.rank_models("hello world", models=["gpt-4o"])[0].prompt_tokens


def test_cost_from_usage_takes_a_whole_response_dict_or_sdk_object() -> None:
    import tokencmp

    response = {"id": "x", "object": "chat.completion", "created": 0, "model": "o3", "service_tier": "flex",
                "choices": [],
                "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}}
    # o3 flex: $1.00 / $4.00 per 1M (OpenAI pricing, flex): 0.001 + 0.0004.
    assert str(tokencmp.cost_from_usage(response).total) == "0.0014"
    openai = pytest.importorskip("openai")
    sdk = openai.types.chat.ChatCompletion.model_validate(response)
    est = tokencmp.cost_from_usage(sdk)
    assert (est.tier, str(est.total)) == ("flex", "0.0014")
